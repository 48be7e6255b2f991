// A 12345 ticket (工单): its closed loop (国办发〔2020〕53号) and the steps the active position
// may take. The hotline answers no list of allowed steps, so the rules of its state machine
// (svc-hotline tickets/machine.py) are mirrored here for the buttons only: the service decides.
import { get } from "../api.js";
import { h } from "../dom.js";
import { deptName } from "../directory.js";
import { dateTime } from "../format.js";
import { EXCLUDED, LEVELS, TICKET_SOURCES, TICKET_STATUS, TICKET_TYPES, URGENCY, label } from "../labels.js";
import * as session from "../session.js";
import { section, table } from "../ui.js";
import { NOTE, noteRequired, renderCase } from "./casepage.js";

const CENTER = "HOTLINE_CENTER";
const AT_DEPARTMENT = ["dispatched", "signed", "handling"];

function who(position, ticket) {
  const at = (dept, roles) => position.dept === dept && (!roles || roles.includes(position.role));
  return {
    operator: at(CENTER),
    review: at(CENTER, ["staff", "head", "admin"]),
    head: at(ticket.department, ["head"]),
    dept: at(ticket.department) || (ticket.co_departments || []).includes(position.dept),
    oversight: at("BUREAU") || at("COMMITTEE"),
  };
}

const reason = (text = "理由") => ({ name: "reason", label: text, type: "textarea", required: true });
const decision = (approve) => (v) => ({ approve, note: v.note || null });
const levelOptions = Object.entries(LEVELS).reverse();

function dispatchAction(ticket, categories) {
  return {
    name: "dispatch", label: "派单", path: "dispatch",
    help: "按派单目录确定牵头和协办单位；也可指定承办单位。县级部门的事项不得下派乡镇。",
    fields: [
      { name: "category_code", label: "派单目录分类", type: "select", required: true, value: ticket.category_code,
        options: categories.filter((c) => c.active).map((c) => [c.code, c.name]) },
      { name: "department", label: "承办单位", type: "department", filter: (code) => code !== CENTER },
      NOTE,
    ],
    body: (v) => ({ category_code: v.category_code, department: v.department || null, note: v.note || null }),
  };
}

const STEPS = [
  [(w, t) => w.operator && t.status === "received", () => ({ name: "answer", label: "直接答复", path: "answer",
    fields: [{ name: "answer", label: "答复内容", type: "textarea", required: true }], body: (v) => ({ answer: v.answer }) })],
  [(w, t) => w.operator && t.status === "received", dispatchAction],
  [(w, t) => w.operator && t.status === "received", () => ({ name: "transfer", label: "转侵权投诉中心", path: "transfer",
    fields: [{ name: "respondent_department", label: "被投诉单位", type: "department" }, NOTE],
    body: (v) => ({ respondent_department: v.respondent_department || null, note: v.note || null }) })],
  [(w, t) => w.operator && ["received", "dispatched"].includes(t.status) && t.duplicate_hints.length, (t) => ({
    name: "merge", label: "并单", path: "merge",
    fields: [{ name: "into_ticket_id", label: "并入的在先工单", type: "select", required: true, options: t.duplicate_hints.map((id) => [id, id]) }, NOTE],
    body: (v) => ({ into_ticket_id: v.into_ticket_id, note: v.note || null }) })],
  [(w, t) => w.head && t.status === "dispatched", () => ({ name: "sign", label: "签收", path: "sign", tone: "primary", fields: [NOTE], body: (v) => ({ note: v.note || null }) })],
  [(w, t) => w.head && ["dispatched", "signed"].includes(t.status), () => ({ name: "return", label: "退单", path: "return",
    help: "退单须说明理由，由热线中心审核后重新派单。", fields: [reason("退单理由")], body: (v) => ({ reason: v.reason }) })],
  [(w, t) => w.dept && t.status === "signed", () => ({ name: "contact", label: "已联系诉求人", path: "contact", tone: "primary", fields: [NOTE], body: (v) => ({ note: v.note || null }) })],
  [(w, t) => w.dept && t.status === "handling", () => ({ name: "reply", label: "回复", path: "reply", tone: "primary",
    fields: [{ name: "body", label: "办理结果", type: "textarea", required: true }], body: (v) => ({ body: v.body }) })],
  [(w, t) => w.head && AT_DEPARTMENT.includes(t.status) && t.extension_status !== "requested", () => ({ name: "extension", label: "申请延期", path: "extension",
    help: "延期须在到期前申请，由热线中心审核。",
    fields: [{ name: "days", label: "延期工作日", type: "number", required: true, min: 1, value: 3 }, reason("延期理由")],
    body: (v) => ({ days: Number(v.days), reason: v.reason }) })],
  [(w, t) => w.review && AT_DEPARTMENT.includes(t.status) && t.extension_status === "requested", () => ({ name: "extension-ok", label: "批准延期", path: "extension-decision", fields: [NOTE], body: decision(true) })],
  [(w, t) => w.review && AT_DEPARTMENT.includes(t.status) && t.extension_status === "requested", () => ({ name: "extension-no", label: "不批准延期", path: "extension-decision", fields: [noteRequired("理由")], body: decision(false) })],
  [(w, t) => w.review && t.status === "replied", () => ({ name: "accept", label: "审核通过", path: "review", tone: "primary", fields: [NOTE], body: decision(true) })],
  [(w, t) => w.review && t.status === "replied", () => ({ name: "send-back", label: "审核退回", path: "review", fields: [noteRequired("退回理由")], body: decision(false) })],
  [(w, t) => w.review && t.status === "return_requested", () => ({ name: "return-ok", label: "同意退单", path: "return-review", fields: [NOTE], body: decision(true) })],
  [(w, t) => w.review && t.status === "return_requested", () => ({ name: "return-no", label: "不同意退单", path: "return-review", fields: [noteRequired("理由")], body: decision(false) })],
  [(w, t) => (w.review || w.oversight) && [...AT_DEPARTMENT, "replied", "return_requested"].includes(t.status), () => ({ name: "urge", label: "催办/督办", path: "urge",
    fields: [{ name: "supervise", label: "督办（比催办更严格）", type: "checkbox" }, NOTE], body: (v) => ({ supervise: v.supervise === true, note: v.note || null }) })],
  [(w, t) => w.operator && t.status === "closed", () => ({ name: "revisit", label: "回访", path: "revisit", tone: "primary",
    help: "回访即该工单的好差评（热线渠道）。",
    fields: [{ name: "level", label: "满意度", type: "select", required: true, options: levelOptions }, { name: "comment", label: "意见", type: "textarea" }],
    body: (v) => ({ level: Number(v.level), comment: v.comment || null }) })],
  [(w, t) => w.review && t.status === "revisited", () => ({ name: "reopen", label: "重新办理", path: "reopen", fields: [reason()], body: (v) => ({ reason: v.reason }) })],
  [(w, t) => w.review && ["closed", "revisited"].includes(t.status), () => ({ name: "archive", label: "归档", path: "archive", fields: [NOTE], body: (v) => ({ note: v.note || null }) })],
];

export function ticketActions(ticket, position, categories = []) {
  if (!position) return [];
  const w = who(position, ticket);
  return STEPS.filter(([allowed]) => allowed(w, ticket)).map(([, make]) => make(ticket, categories));
}

function requesterText(r) {
  if (r.hidden) return "（诉求人要求保密，对承办单位隐藏）";
  if (r.anonymous) return "匿名";
  return [r.name, r.phone, r.enterprise_name].filter(Boolean).join("，") || "—";
}

function facts(t) {
  return [
    ["诉求类型", `${label(TICKET_TYPES, t.type)}（${label(URGENCY, t.urgency)}）`],
    ["来源", label(TICKET_SOURCES, t.source)],
    ["标题", t.title],
    ["诉求内容", t.content],
    t.location && ["事发地点", t.location],
    ["诉求人", requesterText(t.requester)],
    ["承办单位", deptName(t.department)],
    t.co_departments.length && ["协办单位", t.co_departments.map(deptName).join("、")],
    ["受理时间", dateTime(t.received_at)],
    t.answer && ["直接答复", t.answer],
    t.extension_status && ["延期", `${t.extension_status === "requested" ? "已申请" : t.extension_status === "approved" ? "已批准" : "未批准"}（${t.extension_days} 个工作日）`],
    t.return_reason && ["退单理由", t.return_reason],
    t.urge_count ? ["催办次数", `${t.urge_count}${t.supervised ? "（已督办）" : ""}`] : null,
    t.satisfaction && ["回访满意度", label(LEVELS, t.satisfaction)],
    t.closed_at && ["办结时间", dateTime(t.closed_at)],
  ];
}

function replies(t) {
  if (!t.replies.length) return null;
  return section("承办单位回复", table([
    { label: "单位", value: (r) => deptName(r.department) },
    { label: "回复", value: (r) => r.body },
    { label: "回复人", value: (r) => r.author_name },
    { label: "时间", value: (r) => dateTime(r.at) },
  ], t.replies));
}

export async function ticketPage(ctx) {
  const categories = await get("/api/v1/hotline/categories").catch(() => []);
  await renderCase(ctx, {
    url: `/api/v1/hotline/tickets/${encodeURIComponent(ctx.params.id)}`,
    title: (t) => `工单 ${t.number}`,
    status: (t) => label(TICKET_STATUS, t.status),
    due: (t) => (["closed", "revisited", "archived", "merged"].includes(t.status) ? null : t.due_at),
    facts,
    extra: (t) => h("div", {}, replies(t), t.excluded_matter ? section("不予受理", label(EXCLUDED, t.excluded_matter)) : null),
    stages: (t) => t.stages,
    timeline: (t) => t.timeline,
    actions: (t) => ticketActions(t, session.position(), categories),
  });
}
