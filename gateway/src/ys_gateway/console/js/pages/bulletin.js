// 月通报: the monthly 好差评 bulletin with rankings and charts; printable; CSV download; 关账
// (month-end closing) for the positions the API allows.
// County rule: only 满意 and 非常满意 are good (基本满意就是基本不满意); the national rate is shown too.
import { download, get, request } from "../api.js";
import { barChart, lineChart } from "../charts.js";
import { h, replace } from "../dom.js";
import { deptName, windowName } from "../directory.js";
import { dateTime, monthBefore, pct, thisMonth } from "../format.js";
import { SERVICES, label } from "../labels.js";
import { navigate } from "../router.js";
import * as session from "../session.js";
import { busyButton, field, input, kv, notice, section, table, tag, withLoading } from "../ui.js";
import { confirmStep, openPanel } from "./admin-parts.js";

const REPORT = "/api/v1/ratings/reports/monthly";
const TREND_MONTHS = 6;
// 关账: the bureau's and the ratings center's staff and heads (ys_ratings/access.py
// MONTH_CLOSERS, bulletin/router.py close_month).
const CLOSERS = ["BUREAU", "RATINGS_CENTER"];
const CLOSING_ROLES = ["head", "staff"];
const mayClose = (p) => Boolean(p) && CLOSERS.includes(p.dept) && CLOSING_ROLES.includes(p.role);
const CLOSE_TEXT = "关账后，本月通报固定为当前数据的快照：此后到达的评价、申诉结果不再改变本月的排名和比率。关账不能撤销。";

/** The bulletin names what it ranks (department, window, staff member); the code otherwise. */
function lineName(line) {
  if (line.scope === "department") return line.label || deptName(line.key);
  if (line.name) return line.name; // a window: its hall's name and its own
  return line.label && line.label !== line.key ? `${line.label}（${line.key}）` : line.key;
}

function lineColumns(name) {
  return [
    { label: "排名", value: (l) => (l.rank ? String(l.rank) : "—") },
    { label: name, value: (l) => h("span", {}, lineName(l), l.flagged ? tag("连续两月末位·约谈", "danger") : null) },
    { label: "评价数", value: (l) => String(l.count) },
    { label: "好评率（县规则 4–5）", value: (l) => pct(l.county_good_rate) },
    { label: "好评率（国家规则 3–5）", value: (l) => pct(l.national_good_rate) },
    { label: "差评", value: (l) => String(l.bad) },
    { label: "按期整改", value: (l) => `${l.rectified_on_time}/${l.rectifications_due}` },
    { label: "回访率", value: (l) => pct(l.callback_rate) },
  ];
}

const ranked = (lines) => [...lines].sort((a, b) => (a.rank ?? 1e9) - (b.rank ?? 1e9));

function onTimeByService(scorecards) {
  const totals = {};
  for (const card of scorecards.items) {
    for (const s of card.stages) {
      const t = (totals[s.service] ||= { done: 0, onTime: 0 });
      t.done += s.completed;
      t.onTime += s.on_time;
    }
  }
  return Object.entries(totals).map(([service, t]) => ({
    label: label(SERVICES, service),
    value: t.done ? Math.round((1000 * t.onTime) / t.done) / 10 : null,
  }));
}

async function load(month) {
  const months = Array.from({ length: TREND_MONTHS }, (_, i) => monthBefore(month, TREND_MONTHS - 1 - i));
  const [report, trend, cards] = await Promise.all([
    get(REPORT, { month }),
    Promise.all(months.map((m) => get(REPORT, { month: m }).then((r) => r.total).catch(() => null))),
    get("/api/v1/ratings/scorecards", { month }).catch(() => ({ items: [] })),
  ]);
  // a window by its hall and its name (凤冈县政务服务中心大厅 · 综合受理窗口1), never its code
  const windowCode = (l) => l.key.split("/").pop();
  await Promise.all(report.windows.map(async (l) => {
    const named = await windowName(l.key);
    l.name = named === `窗口 ${windowCode(l)}` ? l.label || named : named;
  }));
  return { report, months, trend, cards };
}

function summary(report) {
  const t = report.total;
  return kv([
    ["月份", `${report.month}（${report.status === "closed" ? "已关账" : "实时统计，未关账"}）`],
    ["评价总数", String(t.count)],
    ["好评率（县规则：满意、非常满意）", pct(t.county_good_rate)],
    ["好评率（国家规则：基本满意及以上）", pct(t.national_good_rate)],
    ["差评数", String(t.bad)],
    ["差评按期整改", `${t.rectified_on_time}/${t.rectifications_due}`],
    ["差评回访率", pct(t.callback_rate)],
    ["统计时间", dateTime(report.computed_at)],
    report.status === "closed" && ["关账人", report.closed_by_name || "（未记录）"],
  ]);
}

/** POST …/close; a refusal (409: 2026-10 已结账, 2026-11 尚未结束) in the API's own words. */
async function closeMonth(month) {
  try {
    await request(`${REPORT}/${month}/close`, { method: "POST", idempotent: true });
  } catch (error) {
    if (error.status === 409 && error.problem.detail) throw new Error(`无法关账：${error.problem.detail}`);
    throw error;
  }
}

/** 关账 for an open month that has ended, after a confirmation in `panel`; `closed()` then. */
function closeControl(report, panel, closed) {
  if (report.status === "closed" || !mayClose(session.position())) return null;
  if (report.month >= thisMonth()) return h("span", { class: "muted" }, "本月结束后方可关账");
  const confirm = () => confirmStep(`关账 ${report.month}`, CLOSE_TEXT, "确认关账", async () => {
    await closeMonth(report.month);
    replace(panel);
    await closed();
  }, () => replace(panel));
  return h("button", { type: "button", onClick: () => openPanel(panel, confirm()) }, "关账");
}

function render({ report, months, trend, cards }) {
  const trendPoints = months.map((m, i) => ({ label: m.slice(2), value: trend[i] ? trend[i].county_good_rate : null }));
  const byDept = ranked(report.departments).map((l) => ({ label: lineName(l), value: l.county_good_rate, tone: l.flagged ? "danger" : "" }));
  return h("div", { class: "bulletin" },
    section("总体情况", summary(report)),
    h("div", { class: "charts" },
      section(null, lineChart("好评率趋势（县规则，%）", trendPoints, { format: (v) => `${Math.round(v)}` })),
      section(null, barChart("各部门好评率（%）", byDept, { max: 100, format: pct })),
      section(null, barChart("各业务按时办结率（%）", onTimeByService(cards), { max: 100, format: pct }))),
    section("部门排名", table(lineColumns("部门"), ranked(report.departments), "本月没有部门评价")),
    section("窗口排名", table(lineColumns("窗口"), ranked(report.windows), "本月没有窗口评价")),
    section("工作人员排名（工号）", table(lineColumns("工号"), ranked(report.staff), "本月没有工作人员评价")),
    h("p", { class: "muted" }, "评价人身份不向被评价单位公开。连续两个月排名末位的对象标记为约谈。"));
}

export async function bulletinPage({ main, query }) {
  const month = /^\d{4}-\d{2}$/.test(query.get("month") || "") ? query.get("month") : thisMonth();
  main.dataset.title = `月通报 ${month}`;
  const picker = input("month", { type: "month", value: month, max: thisMonth() });
  picker.addEventListener("change", () => picker.value && navigate(`/console/bulletin?month=${picker.value}`));
  const body = h("div");
  const closing = h("span"); // 关账, once the report says the month is open
  const panel = h("div", { class: "no-print" }); // its confirmation
  const show = (data) => {
    replace(closing, closeControl(data.report, panel, async () => {
      replace(body, show(await load(month)));
      notice(body, `${month} 已关账：本月通报已固定为快照`, "ok");
    }));
    return render(data);
  };
  replace(main,
    h("div", { class: "case-head" }, h("h1", {}, `好差评月通报（${month}）`)),
    h("div", { class: "toolbar no-print" }, field("月份", picker),
      h("button", { type: "button", onClick: () => window.print() }, "打印"),
      busyButton("下载 CSV", () => download(`${REPORT}?month=${month}&format=csv`, `bulletin-${month}.csv`)),
      closing),
    panel,
    body);
  await withLoading(body, () => load(month), show);
}
