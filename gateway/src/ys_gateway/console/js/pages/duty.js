// Hall duty (坐班): leaders sit in the county and town halls on a schedule; on the day they sign
// in (签到), the matters handled are recorded — a problem found becomes a 交办单 — and they sign
// out (签退). The schedulers (center, bureau, hall) plan sittings and cancel them with a reason.
import { all, get, request } from "../api.js";
import { h, replace } from "../dom.js";
import { deptName } from "../directory.js";
import { dateTime, today } from "../format.js";
import { specForm } from "../forms.js";
import { DUTY_OUTCOMES, DUTY_STATES, label } from "../labels.js";
import { navigate } from "../router.js";
import * as session from "../session.js";
import { field, input, link, section, select, table, withLoading } from "../ui.js";
import { NOTE, noteRequired, renderCase } from "./casepage.js";
import { listSection } from "./lists.js";
import {
  DUTY_COLUMNS, PROBLEM_FIELDS, V, enterpriseLink, may, problemBody, setFlash, showFlash,
} from "./visits-shared.js";

const D = `${V}/duty-shifts`;
const FILTERS = ["date_from", "date_to", "hall", "status", "leader_name"];
const withNote = (v) => ({ note: v.note || null });

function scheduleForm(halls, close) {
  const fields = [
    { name: "hall", label: "坐班大厅", type: "select", required: true, options: halls.map((x) => [x.code, x.name]) },
    { name: "date", label: "日期", type: "date", required: true, value: today(), attrs: { min: today() } },
    { name: "start", label: "开始时间", type: "time", required: true, value: "09:00" },
    { name: "end", label: "结束时间", type: "time", required: true, value: "12:00" },
    { name: "leader_name", label: "坐班领导姓名", required: true, max: 100 },
    { name: "leader_title", label: "领导职务", max: 100 },
    { name: "leader_staff_no", label: "领导工号", max: 40, attrs: { pattern: "[A-Za-z0-9_\\-]{1,40}" }, hint: "填写后领导本人可签到、签退" },
    { name: "department", label: "领导所在单位", type: "department", required: true },
  ];
  return specForm({ label: "排班", fields, submitText: "排班", cancel: close }, async (v, form) => {
    const body = { ...v, leader_title: v.leader_title || null, leader_staff_no: v.leader_staff_no || null };
    const made = await request(D, { method: "POST", json: body, idempotent: form });
    setFlash(`已排班：${made.data.number}（${made.data.date} ${made.data.start}–${made.data.end}）`);
    navigate(`/console/duty/${made.data.id}`);
  });
}

function filterForm(query, halls, params) {
  const form = h("form", { class: "filters", "aria-label": "筛选坐班" },
    field("起始日期", input("date_from", { type: "date" })),
    field("截止日期", input("date_to", { type: "date" })),
    field("大厅", select("hall", halls.map((x) => [x.code, x.name]), { blank: "全部大厅" })),
    field("状态", select("status", DUTY_STATES, { blank: "全部状态" })),
    field("坐班领导", input("leader_name", { maxlength: 100 })),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "primary" }, "查询")));
  for (const name of FILTERS) form.elements[name].value = params[name] || "";
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const chosen = new URLSearchParams({ date_from: "" }); // an empty start: every date
    for (const name of FILTERS) if (form.elements[name].value.trim()) chosen.set(name, form.elements[name].value.trim());
    navigate(`/console/duty?${chosen}`);
  });
  return form;
}

/** /console/duty: the schedule (from today unless asked otherwise), and 排班. */
export async function dutyPage({ main, query }) {
  main.dataset.title = "坐班安排";
  const halls = await get(`${V}/halls`);
  const params = Object.fromEntries(FILTERS.map((name) => [name, query.get(name)]));
  if (!query.has("date_from")) params.date_from = today();
  const panel = h("div");
  const open = () => {
    replace(panel, section("排班", scheduleForm(halls, () => replace(panel))));
    panel.querySelector("select,input")?.focus();
  };
  const body = h("div");
  replace(main,
    h("div", { class: "case-head" }, h("h1", {}, "坐班安排"),
      may.schedule(session.position()) ? h("button", { type: "button", class: "primary", onClick: open }, "排班") : null),
    panel,
    section(null, filterForm(query, halls, params)),
    section(params.date_from && !query.has("date_from") ? "坐班表（今日及以后）" : "坐班表", body));
  // the API lists sittings in the order they start (date, start time), page after page
  await withLoading(body, () => all(D, params, 400), (found) => table(DUTY_COLUMNS, found, "没有符合条件的坐班安排"));
}

// ---- the leader's own sittings (mine=true: by his 工号), on his 工作台 and in the nav --------

const LIVE = ["scheduled", "on_duty"];
const STEPS = { check_in: ["签到", "check-in"], check_out: ["签退", "check-out"] };
let known = null; // {sub, promise}: whether the signed-in person leads any sitting to come

/** The signed-in leader's sittings to sit: today's, and the next one after today. */
export async function myShifts() {
  const found = ((await get(D, { mine: true, date_from: today(), limit: 20 })).items || [])
    .filter((d) => LIVE.includes(d.state));
  const later = found.find((d) => d.date > today());
  return [...found.filter((d) => d.date <= today()), ...(later ? [later] : [])];
}

/** 坐班 in the nav of a leader who is no scheduler: shown once he is known to lead a sitting. */
export function myDutyLink(link) {
  const sub = session.claims().sub;
  if (!known || known.sub !== sub) known = { sub, promise: myShifts().then((l) => l.length > 0, () => false) };
  link.hidden = true;
  known.promise.then((any) => { link.hidden = !any; });
  return link;
}

/** 我的坐班 on a leader's 工作台 (rows: his sittings as already read), 签到/签退 in place. */
export function myDutySection(rows) {
  let first = rows;
  const load = async () => {
    const got = first || (await myShifts());
    first = null;
    return got;
  };
  const step = (d, name) => {
    const [text, path] = STEPS[name];
    return h("button", { type: "button", class: "primary", onClick: async (event) => {
      const cell = event.target.parentNode;
      event.target.disabled = true;
      try {
        await request(`${D}/${d.id}/${path}`, { method: "POST", json: { note: null }, etag: `"duty-${d.id}-${d.version}"` });
        card.refresh();
      } catch (error) {
        event.target.disabled = false;
        cell.append(h("p", { class: "form-error", role: "alert" }, error.message));
      }
    } }, text);
  };
  const steps = { label: "签到/签退", value: (d) => h("span", { class: "action-buttons" },
    Object.keys(STEPS).filter((name) => d.actions.includes(name)).map((name) => step(d, name))) };
  const columns = [...DUTY_COLUMNS.filter((c) => c.label !== "坐班领导"), steps];
  const card = listSection("我的坐班", columns, load, "没有待坐班的安排");
  return card;
}

const FORMS = {
  check_in: { label: "签到", path: "check-in", tone: "primary", help: "坐班当天签到后即可登记办件。", fields: [NOTE], body: withNote },
  matters: { label: "登记办件", path: "matters", tone: "primary",
    help: "坐班中接待的事项逐件登记；需部门解决的企业诉求选“形成交办单”，由中心交办。",
    fields: [
      { name: "summary", label: "办件情况", type: "textarea", required: true, max: 5000 },
      { name: "outcome", label: "处理结果", type: "select", required: true, options: DUTY_OUTCOMES },
      { name: "enterprise_id", label: "企业", type: "enterprise", hint: "涉及企业时选择；形成交办单时必选" },
      ...PROBLEM_FIELDS.map((spec) => ({ ...spec, showIf: ["outcome", "problem"] })),
    ],
    body: (v) => ({
      summary: v.summary, outcome: v.outcome, enterprise_id: v.enterprise_id || null,
      problem: v.outcome === "problem" ? problemBody(v) : null,
    }) },
  check_out: { label: "签退", path: "check-out", fields: [NOTE], body: withNote },
  cancel: { label: "取消坐班", path: "cancel", fields: [noteRequired("取消理由")], body: (v) => ({ note: v.note }) },
};

function facts(d) {
  return [
    ["坐班大厅", d.hall_name],
    ["坐班领导", [d.leader_name, d.leader_title, d.leader_staff_no && `（工号 ${d.leader_staff_no}）`].filter(Boolean).join(" ")],
    ["领导所在单位", deptName(d.department)],
    ["时间", `${d.date} ${d.start}–${d.end}`],
    d.checked_in_at && ["签到时间", dateTime(d.checked_in_at)],
    d.checked_out_at && ["签退时间", dateTime(d.checked_out_at)],
    ["办件", `${d.matters_count} 件`],
    ["形成交办单", `${d.problems_count} 件`],
    d.cancel_reason && ["取消理由", d.cancel_reason],
  ];
}

// A matter's 交办单 by its number and title; the API names it only to those who may read it,
// so anyone else learns only that one was raised.
function matterProblem(m) {
  if (m.problem_number) return h("span", {}, link(`/console/problems/${m.problem_id}`, m.problem_number), " ", m.problem_title);
  return m.problem_id ? "已形成交办单" : "—";
}

function matters(d) {
  return section("坐班办件", table([
    { label: "时间", value: (m) => dateTime(m.at) },
    { label: "办件情况", value: (m) => m.summary },
    { label: "处理结果", value: (m) => label(DUTY_OUTCOMES, m.outcome) },
    { label: "企业", value: (m) => enterpriseLink(m.enterprise_id) },
    { label: "交办单", value: matterProblem },
    { label: "登记人", value: (m) => m.recorded_by_name || "—" },
  ], d.matters, "尚未登记办件"));
}

export async function shiftPage(ctx) {
  const url = `${D}/${encodeURIComponent(ctx.params.id)}`;
  await renderCase(ctx, {
    url,
    title: (d) => `坐班 ${d.number}`,
    status: (d) => label(DUTY_STATES, d.state),
    facts,
    extra: matters,
    timeline: () => get(`${url}/timeline`),
    actions: (d) => Object.keys(FORMS).filter((name) => d.actions.includes(name)).map((name) => ({ name, ...FORMS[name] })),
  });
  showFlash(ctx.main);
}
