// 联席会议: the joint meetings the bureau holds — periodic analysis, timed early warning,
// targeted diagnosis (定期研判、定时预警、靶向问诊) — with the member units present, the
// indicators discussed, the minutes, and the decisions: each becomes a 交办单 handed to its
// department at once, under the same deadlines and escalation as every 交办单.
import { get, request } from "../api.js";
import { h, replace } from "../dom.js";
import { deptName } from "../directory.js";
import { dateTime, today } from "../format.js";
import { checkboxes, checked, repeater, rows, specForm } from "../forms.js";
import { MEETING_KINDS, PROBLEM_CATEGORIES, PROBLEM_STATES, label } from "../labels.js";
import { navigate } from "../router.js";
import * as session from "../session.js";
import { countdownEl, kv, link, section, table, withLoading } from "../ui.js";
import { V, indicatorLink, may, setFlash, showFlash } from "./visits-shared.js";

const M = `${V}/meetings`;

export const MEETING_COLUMNS = [
  { label: "会议编号", value: (m) => link(`/console/meetings/${m.id}`, m.number) },
  { label: "会议日期", value: (m) => m.held_on },
  { label: "类型", value: (m) => label(MEETING_KINDS, m.kind) },
  { label: "主题", value: (m) => m.title },
  { label: "主持人", value: (m) => [m.chaired_by, m.chair_title].filter(Boolean).join(" ") },
  { label: "交办单", value: (m) => `${m.decisions.length + m.other_decisions} 件` },
];

const DECISION_COLUMNS = [
  { label: "交办单", value: (d) => link(`/console/problems/${d.id}`, d.number) },
  { label: "决定事项", value: (d) => d.title },
  { label: "责任单位", value: (d) => deptName(d.department) },
  { label: "关联指标", value: (d) => indicatorLink(d.indicator_code) },
  { label: "状态", value: (d) => label(PROBLEM_STATES, d.state) },
  { label: "时限", value: (d) => (d.state === "closed" ? "—" : countdownEl(d.due_at)) },
];

/** /console/meetings: the meetings, newest first; the bureau records one. */
export async function meetingsPage({ main }) {
  main.dataset.title = "联席会议";
  const body = h("div");
  replace(main,
    h("div", { class: "case-head" }, h("h1", {}, "联席会议"),
      may.steer(session.position()) ? h("a", { href: "/console/meetings/new", "data-link": "", class: "button primary" }, "记录联席会议") : null),
    h("p", { class: "muted" }, "定期研判、定时预警、靶向问诊；会议决定事项形成交办单，交责任单位限时办理。"),
    section("会议记录", body));
  await withLoading(body, async () => (await get(M, { limit: 200 })).items, (found) => table(MEETING_COLUMNS, found, "尚无联席会议记录"));
}

function meetingFields() {
  return [
    { name: "title", label: "会议主题", required: true, max: 200 },
    { name: "held_on", label: "会议日期", type: "date", required: true, value: today(), attrs: { max: today() } },
    { name: "kind", label: "会议类型", type: "select", required: true, options: MEETING_KINDS },
    { name: "chaired_by", label: "主持人", required: true, max: 100 },
    { name: "chair_title", label: "主持人职务", max: 100, hint: "如 副县长" },
    { name: "minutes", label: "研判情况（会议纪要）", type: "textarea", required: true, max: 5000, rows: 5 },
  ];
}

function decisionFields(indicators) {
  return [
    { name: "title", label: "决定事项", required: true, max: 200 },
    { name: "department", label: "责任单位", type: "department", required: true },
    { name: "indicator_code", label: "关联指标", type: "select", options: indicators.map((i) => [i.code, i.name]), blank: "（不关联指标）",
      hint: "须为本次会议研判的指标" },
    { name: "category", label: "类别", type: "select", required: true, options: PROBLEM_CATEGORIES, value: "other" },
    { name: "resolution_due", label: "解决时限（默认按政策）", type: "date" },
    { name: "description", label: "具体要求", type: "textarea", required: true, max: 5000 },
  ];
}

function meetingBody(v) {
  const chosen = checked(v, "indicator");
  return {
    held_on: v.held_on, title: v.title, kind: v.kind, chaired_by: v.chaired_by, chair_title: v.chair_title || null,
    minutes: v.minutes, indicator_codes: chosen,
    participants: rows(v, "participants").map((p) => p.department),
    decisions: rows(v, "decisions").map((d) => ({
      title: d.title, description: d.description, department: d.department, category: d.category,
      indicator_code: d.indicator_code || null, resolution_due: d.resolution_due || null,
    })),
  };
}

/** /console/meetings/new: record a meeting and its decisions (each a 交办单). */
export async function meetingFormPage({ main }) {
  main.dataset.title = "记录联席会议";
  const heading = h("h1", {}, "记录联席会议");
  if (!may.steer(session.position())) {
    return replace(main, heading, section(null, h("p", {}, "联席会议由营商环境建设局记录；您当前的岗位只能查看。")));
  }
  const indicators = await get(`${V}/indicators`, { active: true });
  const after = [
    repeater("participants", { legend: "参会单位", item: "参会单位", min: 1, max: 60, addText: "添加参会单位",
      fields: [{ name: "department", label: "参会单位", type: "department", required: true }] }),
    checkboxes("indicator", "研判的指标", indicators.map((i) => [i.code, i.name])),
    repeater("decisions", { legend: "决定事项（每项形成一张交办单，交责任单位办理）", item: "决定事项", max: 30, addText: "添加决定事项",
      fields: decisionFields(indicators) }),
  ];
  const form = specForm({ label: "记录联席会议", fields: meetingFields(), after, submitText: "保存会议记录" }, async (v, form) => {
    const made = await request(M, { method: "POST", json: meetingBody(v), idempotent: form });
    const count = made.data.decisions.length;
    setFlash(`已记录联席会议 ${made.data.number}${count ? `，形成交办单 ${count} 件并已交办` : ""}`);
    navigate(`/console/meetings/${made.data.id}`);
  });
  replace(main, heading, section(null, form));
}

function facts(m) {
  return [
    ["会议日期", m.held_on],
    ["会议类型", label(MEETING_KINDS, m.kind)],
    ["主持人", [m.chaired_by, m.chair_title].filter(Boolean).join(" ")],
    ["参会单位", m.participants.map(deptName).join("、")],
    ["研判的指标", m.indicator_codes.length ? h("span", {}, m.indicator_codes.map((code, n) => [n ? "、" : null, indicatorLink(code)])) : "—"],
    ["研判情况", m.minutes],
    ["记录人", m.recorded_by_name || "—"],
    ["记录时间", dateTime(m.created_at)],
  ];
}

/** /console/meetings/:id — the meeting and the 交办单 its decisions became. */
export async function meetingPage({ main, params }) {
  const m = await get(`${M}/${encodeURIComponent(params.id)}`);
  main.dataset.title = `联席会议 ${m.number}`;
  replace(main,
    h("div", { class: "case-head" }, h("h1", {}, m.title)),
    section("基本信息", kv([["会议编号", m.number], ...facts(m)])),
    section("决定事项（交办单）", table(DECISION_COLUMNS, m.decisions, m.other_decisions ? "没有您可查看的交办单" : "本次会议没有决定事项"),
      m.other_decisions ? h("p", { class: "muted" }, `另有 ${m.other_decisions} 件交办单由其他单位办理，您无权查看。`) : null));
  showFlash(main);
}
