// 节假日安排: the working-day calendar of every service that counts deadlines. Each service
// keeps its own copy in its own database (yingshang.time.years: /api/v1/<service>/admin/
// calendar/years), so the admin sees year by year where each one stands — the State Council's
// schedule loaded, the built-in national data, or provisional (Monday–Friday guessed) — and
// loads a year once here: from a holiday-cn JSON file read in the browser or typed day by day,
// previewed, then sent to every service, each answering for itself. A failure stays on screen
// with its own retry: a service left behind counts that year's deadlines Monday–Friday.
import { request } from "../api.js";
import { h, replace } from "../dom.js";
import { dateTime } from "../format.js";
import { repeater, rows, specForm } from "../forms.js";
import { SERVICES } from "../labels.js";
import { fieldReason } from "../problems.js";
import * as session from "../session.js";
import { field, input, loading, notice, section, table, tag, withLoading } from "../ui.js";

// The gateway keeps a copy too: the console's countdowns count working days on it.
const TIMED = [...Object.keys(SERVICES), "gateway"];
const NAMES = { ...SERVICES, gateway: "控制台倒计时" };
const yearsPath = (service) => (service === "gateway" ? "/api/v1/admin/calendar/years" : `/api/v1/${service}/admin/calendar/years`);
const FILE_LOADER = "system:calendar-file"; // yingshang.time.years: loaded from YS_CALENDAR_FILES
const ARRANGEMENTS = { off: "放假", work: "调休上班" };
const DAY_KEYS = { name: "节日名称", date: "日期", isOffDay: "安排" };
const WEEKDAYS = "日一二三四五六";

const mayLoad = session.isCountyAdmin; // years.py: county_admin() loads

// ---- where each service stands ---------------------------------------------------------

async function loadStatuses() {
  const settled = await Promise.allSettled(TIMED.map((s) => request(yearsPath(s))));
  return TIMED.map((service, i) => ({
    service, years: settled[i].status === "fulfilled" ? settled[i].value.data : null, error: settled[i].reason,
  }));
}

const provisional = (status) => !status || status.source === "fallback";

function sourceCell(status) {
  if (provisional(status)) return tag("临时", "warning");
  if (status.source === "chinese-calendar") return tag("内置");
  const by = status.loaded_by === FILE_LOADER ? "配置文件" : "管理员";
  return h("span", {}, tag("已导入", "status"), h("small", { class: "hint" }, ` ${by} · ${dateTime(status.loaded_at)}`));
}

const LEGEND = "已导入：国务院办公厅公布的安排（由配置文件或管理员导入）；内置：系统内置的国家节假日数据；临时：尚无该年安排，期限按周一至周五估算。";

function statusView(results) {
  const read = results.filter((r) => r.years);
  const byService = new Map(read.map((r) => [r.service, new Map(r.years.map((y) => [y.year, y]))]));
  const years = [...new Set(read.flatMap((r) => r.years.map((y) => y.year)))].sort((a, b) => a - b);
  const columns = [{ label: "年份", value: (y) => `${y} 年` },
    ...read.map((r) => ({ label: NAMES[r.service], value: (y) => sourceCell(byService.get(r.service).get(y)) }))];
  const out = h("div", {}, table(columns, years, "未能读取任何业务的日历"), h("p", { class: "hint" }, LEGEND),
    results.filter((r) => r.error).map((r) => h("p", { class: "form-error", role: "alert" },
      `${NAMES[r.service]}：未能读取日历年份（${r.error.message}）`)));
  const guessed = years.map((y) => [y, read.filter((r) => provisional(byService.get(r.service).get(y)))]).filter(([, list]) => list.length);
  if (guessed.length) {
    notice(out, guessed.map(([y, list]) => h("p", {},
      h("strong", {}, `${y} 年为临时安排`), `（${list.length === read.length ? "全部业务" : list.map((r) => NAMES[r.service]).join("、")}）：`,
      "尚未导入国务院办公厅公布的节假日安排，该年的办理期限暂按周一至周五估算，法定节假日和调休均未计入。")), "warning");
  }
  return out;
}

// ---- a year's document: from a file or from the table -----------------------------------

function isDate(text) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const [y, m, d] = text.split("-").map(Number);
  const day = new Date(Date.UTC(y, m - 1, d));
  return day.getUTCFullYear() === y && day.getUTCMonth() === m - 1 && day.getUTCDate() === d;
}

const weekday = (iso) => new Date(`${iso}T00:00:00Z`).getUTCDay();

/** A holiday-cn document read from a file ({year, papers, days: [{name, date, isOffDay}]}). */
export function parseHolidayFile(text) {
  let raw;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new Error("不是有效的 JSON 文件");
  }
  if (!raw || typeof raw !== "object" || !Number.isInteger(raw.year)) throw new Error("文件中没有年份（year）");
  if (!Array.isArray(raw.days)) throw new Error("文件中没有日期列表（days）");
  const days = raw.days.map((d, i) => {
    if (!d || typeof d.name !== "string" || typeof d.date !== "string" || typeof d.isOffDay !== "boolean") {
      throw new Error(`第 ${i + 1} 项应有 name（名称）、date（日期）和 isOffDay（是否放假）`);
    }
    return { name: d.name.trim(), date: d.date.trim(), isOffDay: d.isOffDay };
  });
  return { year: raw.year, papers: Array.isArray(raw.papers) ? raw.papers.map(String) : [], days };
}

/** The document checked as a preview needs it (the services check it again), days in order. */
function checked(doc) {
  if (!Number.isInteger(doc.year) || doc.year < 2000 || doc.year > 2200) throw new Error("年份应为 2000 至 2200 之间的整数");
  if (!doc.days.length) throw new Error("至少列出一天（放假或调休上班）");
  // A notice may reach into the neighbouring year (元旦 from 31 Dec), never further.
  const first = `${doc.year - 1}-12-01`;
  const last = `${doc.year + 1}-01-31`;
  const seen = new Set();
  for (const d of doc.days) {
    if (!isDate(d.date)) throw new Error(`日期“${d.date}”不正确，应为 YYYY-MM-DD`);
    if (d.date < first || d.date > last) throw new Error(`${d.date} 不在 ${doc.year} 年安排的范围内（${first} 至 ${last}）`);
    if (!d.name) throw new Error(`${d.date} 没有填写节日名称`);
    if (seen.has(d.date)) throw new Error(`${d.date} 列出了两次`);
    seen.add(d.date);
  }
  return { ...doc, days: [...doc.days].sort((a, b) => a.date.localeCompare(b.date)) };
}

const DAY_FIELDS = [
  { name: "date", label: "日期", type: "date", required: true },
  { name: "name", label: "节日名称", required: true, max: 40 },
  { name: "kind", label: "安排", type: "select", required: true, options: ARRANGEMENTS },
];

function documentOf(v) {
  return {
    year: Number(v.year),
    papers: String(v.papers || "").split("\n").map((s) => s.trim()).filter(Boolean),
    days: rows(v, "days").map((d) => ({ name: d.name, date: d.date, isOffDay: d.kind === "off" })),
  };
}

function editor(doc, preview) {
  const days = (doc ? doc.days : []).map((d) => ({ date: d.date, name: d.name, kind: d.isOffDay ? "off" : "work" }));
  const list = repeater("days", { legend: "放假和调休上班的日期（未列出的日期按周一至周五上班）", item: "日期", fields: DAY_FIELDS,
    min: 1, max: 400, addText: "添加一天", initial: days });
  list.classList.add("days"); // one line a day
  return specForm({
    label: "逐日填写节假日安排",
    fields: [
      { name: "year", label: "年份", type: "number", required: true, min: 2000, attrs: { max: 2200 }, value: doc ? doc.year : null },
      { name: "papers", label: "发文依据（每行一条，可不填）", type: "textarea", rows: 2, value: doc ? doc.papers.join("\n") : null },
    ],
    after: list,
    submitText: "预览",
  }, async (v) => preview(checked(documentOf(v))));
}

// ---- preview and sending -------------------------------------------------------------

const PREVIEW_COLUMNS = [
  { label: "日期", value: (d) => d.date },
  { label: "星期", value: (d) => `星期${WEEKDAYS[weekday(d.date)]}` },
  { label: "节日名称", value: (d) => d.name },
  { label: "安排", value: (d) => [tag(d.isOffDay ? "放假" : "调休上班", d.isOffDay ? "status" : "warning"),
    !d.isOffDay && weekday(d.date) % 6 !== 0 ? h("small", { class: "hint" }, " 该日本为工作日") : null] },
];

function loadedText(data) {
  if (!data.changed) return "已导入（与该业务已有的安排相同，未变化）";
  const recomputed = data.recomputed ? `，已重算 ${data.recomputed} 项临时期限` : "";
  return `已导入：放假 ${data.off_days} 天、调休上班 ${data.makeup_days} 天${recomputed}`;
}

/** A service's refusal; a field of a day is named by its date (the services name it by index). */
function rejection(error, doc) {
  const errors = error.status === 422 && Array.isArray(error.problem.errors) ? error.problem.errors : [];
  const named = errors.map((e) => {
    const [part, index, key] = String(e.field || "").split(".");
    const day = part === "days" ? doc.days[Number(index)] : null;
    return day ? `${day.date} 的${DAY_KEYS[key] || "内容"}${fieldReason(e)}` : null;
  }).filter(Boolean);
  return named.length ? `拒收：${named.join("；")}` : error.message;
}

/** Send `doc` to every service at once; each row answers for its service, a failure with 重试. */
function sendAll(doc, done) {
  const summary = h("div", { class: "send-summary" });
  const outcome = new Map();
  const slots = new Map(TIMED.map((s) => [s, { result: h("span"), action: h("span") }]));
  const update = () => {
    if (outcome.size < TIMED.length) return replace(summary, loading(`正在发送（${outcome.size}/${TIMED.length}）…`));
    const failed = TIMED.filter((s) => outcome.get(s).error);
    replace(summary);
    if (!failed.length) notice(summary, `${doc.year} 年节假日安排已导入全部 ${TIMED.length} 个业务，各业务按此计算该年的期限。`, "ok");
    else notice(summary, `${failed.length} 个业务未导入（${failed.map((s) => NAMES[s]).join("、")}）：这些业务在 ${doc.year} 年仍按原日历计算期限。请排除原因后逐个重试。`, "danger");
    return done();
  };
  const send = async (service) => {
    const { result, action } = slots.get(service);
    outcome.delete(service);
    replace(result, loading("正在发送…"));
    replace(action);
    update();
    try {
      const { data } = await request(yearsPath(service), { method: "POST", json: doc });
      outcome.set(service, { data });
      replace(result, tag("成功", "status"), ` ${loadedText(data)}`);
    } catch (error) {
      outcome.set(service, { error });
      replace(result, tag("失败", "danger"), ` ${rejection(error, doc)}`);
      replace(action, h("button", { type: "button", class: "small", onClick: () => send(service) }, `重试${NAMES[service]}`));
    }
    update();
  };
  TIMED.forEach(send);
  return h("div", { class: "send-results" }, h("h3", {}, "发送结果"), summary, table([
    { label: "业务", value: (s) => NAMES[s] },
    { label: "结果", value: (s) => slots.get(s).result },
    { label: "操作", value: (s) => slots.get(s).action },
  ], TIMED));
}

function previewView(doc, back, done) {
  const off = doc.days.filter((d) => d.isOffDay).length;
  const results = h("div");
  const send = h("button", { type: "button", class: "primary" }, `发送到全部 ${TIMED.length} 个业务`);
  send.addEventListener("click", () => {
    send.disabled = true; // once: a service that failed has its own retry below
    replace(results, sendAll(doc, done));
  });
  return section(`预览：${doc.year} 年节假日安排`,
    h("p", {}, `放假 ${off} 天、调休上班 ${doc.days.length - off} 天。`, doc.papers.length ? `依据：${doc.papers.join("；")}` : ""),
    h("p", { class: "muted" }, "未列出的日期按周一至周五上班、周六周日休息计算。请逐日核对后发送。"),
    table(PREVIEW_COLUMNS, doc.days),
    h("div", { class: "actions" }, send, h("button", { type: "button", onClick: back }, "返回修改")),
    results);
}

function importSection(done) {
  const editorBox = h("div");
  const previewBox = h("div");
  const fileProblem = h("p", { class: "form-error", role: "alert" });
  const file = input("file", { type: "file", accept: ".json,application/json" });
  const preview = (doc) => {
    replace(previewBox, previewView(doc, () => {
      replace(previewBox);
      editorBox.querySelector("input")?.focus();
    }, done));
    previewBox.querySelector("h2").scrollIntoView();
  };
  const edit = (doc) => replace(editorBox, editor(doc, preview));
  file.addEventListener("change", async () => {
    const chosen = file.files[0];
    fileProblem.textContent = "";
    if (!chosen) return;
    try {
      const doc = checked(parseHolidayFile(await chosen.text()));
      edit(doc);
      preview(doc);
    } catch (error) {
      replace(previewBox);
      fileProblem.textContent = `${chosen.name}：${error.message}`;
    }
  });
  edit(null);
  return section("导入一年的节假日安排",
    h("p", { class: "muted" }, "国务院办公厅公布次年节假日安排后，在此导入并发送到每个业务；同一年份再次导入即替换原安排。"),
    h("h3", {}, "方式一：选择文件"),
    field("holiday-cn 格式的 JSON 文件", file, "格式为 {year, papers, days: [{name, date, isOffDay}]}；读取后在下方列出，可逐日修改"),
    fileProblem,
    h("h3", {}, "方式二：逐日填写"),
    editorBox, previewBox);
}

export async function holidaysPage({ main }) {
  main.dataset.title = "节假日安排";
  const statusBody = h("div");
  const refresh = () => withLoading(statusBody, loadStatuses, statusView);
  replace(main,
    h("h1", {}, "节假日安排（工作日历）"),
    h("p", { class: "muted" }, "各业务按工作日计算办理时限：法定节假日不计，调休上班的周末计入。系统内置的国家节假日数据只包含已公布的年份；",
      "此后的年份须在公布后导入。未导入的年份为“临时”：期限暂按周一至周五估算，导入后各业务自动重算尚未完成的临时期限。"),
    section("各业务的日历年份", statusBody),
    mayLoad(session.position()) ? importSection(refresh)
      : section(null, h("p", {}, "节假日安排由系统管理员导入；您当前的岗位只能查看。")));
  await refresh();
}
