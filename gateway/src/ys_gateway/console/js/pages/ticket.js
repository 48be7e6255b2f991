// A 12345 ticket (工单): its closed loop (国办发〔2020〕53号) and only the steps the service
// lists in the detail's `actions` for the active position (svc-hotline tickets/allowed.py):
// the console draws a form per listed step, never decides who may do what.
import { get, request } from "../api.js";
import { h } from "../dom.js";
import { deptName } from "../directory.js";
import { dateTime } from "../format.js";
import { COMPLAINTS_CENTER_SHORT, EXCLUDED, EXTENSION_STATUS, LEVELS, TICKET_SOURCES, TICKET_STATUS, TICKET_TYPES, URGENCY, label } from "../labels.js";
import { field, onSubmit, section, table, textarea } from "../ui.js";
import { NOTE, noteRequired, reasonField as reason, renderCase } from "./casepage.js";
import { ticketDue } from "./lists.js";

const CENTER = "HOTLINE_CENTER";

const decision = (approve) => (v) => ({ approve, note: v.note || null });
const withNote = (v) => ({ note: v.note || null });
const levelOptions = Object.entries(LEVELS).reverse();

function dispatchForm(ticket, categories) {
  return {
    label: "派单", path: "dispatch",
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

/** The service's action name → the form(s) it takes here (a decision is two buttons). */
const FORMS = {
  answer: () => [{ label: "直接答复", path: "answer",
    fields: [{ name: "answer", label: "答复内容", type: "textarea", required: true }], body: (v) => ({ answer: v.answer }) }],
  dispatch: (t, categories) => [dispatchForm(t, categories)],
  transfer: () => [{ label: `转${COMPLAINTS_CENTER_SHORT}`, path: "transfer",
    fields: [{ name: "respondent_department", label: "被投诉单位", type: "department" }, NOTE],
    body: (v) => ({ respondent_department: v.respondent_department || null, note: v.note || null }) }],
  merge: (t) => (t.duplicate_hints.length ? [{ label: "并单", path: "merge",
    fields: [{ name: "into_ticket_id", label: "并入的在先工单", type: "select", required: true,
      options: t.duplicate_hints.map((id) => [id, hintNumbers.get(id) || `工单 ${id.slice(0, 8)}…`]) }, NOTE],
    body: (v) => ({ into_ticket_id: v.into_ticket_id, note: v.note || null }) }] : []),
  sign: () => [{ label: "签收", path: "sign", tone: "primary", fields: [NOTE], body: withNote }],
  return: () => [{ label: "退单", path: "return",
    help: "退单须说明理由，由热线中心审核后重新派单。", fields: [reason("退单理由")], body: (v) => ({ reason: v.reason }) }],
  contact: () => [{ label: "已联系诉求人", path: "contact", tone: "primary", fields: [NOTE], body: withNote }],
  reply: () => [{ label: "回复", path: "reply", tone: "primary",
    fields: [{ name: "body", label: "办理结果", type: "textarea", required: true }], body: (v) => ({ body: v.body }) }],
  request_extension: () => [{ label: "申请延期", path: "extension",
    help: "延期须在到期前申请，由热线中心审核。",
    fields: [{ name: "days", label: "延期工作日", type: "number", required: true, min: 1, value: 3 }, reason("延期理由")],
    body: (v) => ({ days: Number(v.days), reason: v.reason }) }],
  decide_extension: () => [
    { label: "批准延期", path: "extension-decision", fields: [NOTE], body: decision(true) },
    { label: "不批准延期", path: "extension-decision", fields: [noteRequired("理由")], body: decision(false) }],
  accept: () => [{ label: "审核通过", path: "review", tone: "primary", fields: [NOTE], body: decision(true) }],
  send_back: () => [{ label: "审核退回", path: "review", fields: [noteRequired("退回理由")], body: decision(false) }],
  approve_return: () => [{ label: "同意退单", path: "return-review", fields: [NOTE], body: decision(true) }],
  reject_return: () => [{ label: "不同意退单", path: "return-review", fields: [noteRequired("理由")], body: decision(false) }],
  urge: () => [{ label: "催办/督办", path: "urge",
    fields: [{ name: "supervise", label: "督办（比催办更严格）", type: "checkbox" }, NOTE], body: (v) => ({ supervise: v.supervise === true, note: v.note || null }) }],
  revisit: () => [{ label: "回访", path: "revisit", tone: "primary",
    help: "回访即该工单的好差评（热线渠道）。",
    fields: [{ name: "level", label: "满意度", type: "select", required: true, options: levelOptions }, { name: "comment", label: "意见", type: "textarea" }],
    body: (v) => ({ level: Number(v.level), comment: v.comment || null }) }],
  reopen: () => [{ label: "重新办理", path: "reopen", fields: [reason()], body: (v) => ({ reason: v.reason }) }],
  // Offered before the 回访 only where the service lists it (no number to call, or the 回访
  // limit has run out): then with the reason it was not made.
  archive: (t) => [t.status === "closed"
    ? { label: "归档", path: "archive", help: "未经回访归档：须说明未能回访的原因（如未留联系电话、回访时限内未能联系上诉求人）。",
      fields: [noteRequired("未回访原因")], body: withNote }
    : { label: "归档", path: "archive", fields: [NOTE], body: withNote }],
};

const hintNumbers = new Map(); // ticket id → number, from the intake's duplicate hints

/** Remember the numbers of tickets shown as duplicate hints (the 并单 choice names them). */
export function rememberTicketNumbers(tickets) {
  for (const t of tickets) hintNumbers.set(String(t.id), t.number);
}

/** The forms of the actions the service listed for this user (unknown names are skipped). */
export function ticketActions(ticket, categories = []) {
  return (ticket.actions || []).flatMap((name) => (FORMS[name] ? FORMS[name](ticket, categories).map((form) => ({ name, ...form })) : []));
}

/** Tickets taken in before the intake wrote its note in words ("受理 (phone)"): in words here. */
function readableNote(entry) {
  const source = /^受理 \((\w+)\)$/.exec(entry.note || "");
  return source ? { ...entry, note: `来源：${label(TICKET_SOURCES, source[1])}` } : entry;
}

function requesterText(r) {
  if (r.hidden) return "（诉求人要求保密，对承办单位隐藏）";
  if (r.anonymous) return "匿名";
  return [r.name, r.phone, r.enterprise_name].filter(Boolean).join("，") || "—";
}

/** 查看完整号码: the lead department must 联系 the requester, so it may read the number in
 * full, giving a reason (the service audits it; never a confidential requester's). */
function requesterCell(t) {
  const text = h("span", { class: "requester" }, requesterText(t.requester));
  if (!t.phone_revealable) return text;
  const reason = textarea("reason", { required: true, minLength: 4, maxLength: 500 });
  const form = h("form", { class: "reveal-phone", "aria-label": "查看完整号码" },
    field("查看理由", reason, "至少 4 个字；理由和查看人记入审计日志"),
    h("button", { type: "submit", class: "primary" }, "确认查看"));
  form.hidden = true;
  const open = h("button", { type: "button", class: "secondary" }, "查看完整号码");
  open.addEventListener("click", () => { form.hidden = false; open.hidden = true; reason.focus(); });
  onSubmit(form, async (v) => {
    const got = await request(`/api/v1/hotline/tickets/${encodeURIComponent(t.id)}/requester-phone`,
      { method: "POST", json: { reason: v.reason } });
    text.textContent = `${requesterText({ ...t.requester, phone: got.data.phone })}（已显示完整号码，本次查看已记入审计日志）`;
    form.remove();
  });
  return h("span", {}, text, " ", open, form);
}

/** How the ticket's `answer` came to be: 直接答复 when an operator answered it at intake (the
 * `answer` step, outcome "answered"), else the department's reply the center accepted
 * (`accept`, outcome "resolved"). The latest of those steps in the timeline decides, so a
 * ticket reopened and handled again is labelled by how it was last closed. */
function answerLabel(t) {
  const steps = (t.timeline || []).filter((e) => e.action === "answer" || e.action === "accept");
  const last = steps.length ? steps[steps.length - 1].action : null;
  if (last === "answer" || (!last && t.outcome === "answered")) return "直接答复";
  return "办理答复";
}

/** A write's response masks the requester even for operators (nothing to audit there): keep
 * the block the operator's last read showed, and the text the requester gave (title, content,
 * place: the phone in it reads as in the block); steps never change them. */
function keepRequester(before, after) {
  const same = before.id === after.id && before.requester && after.requester
    && before.requester.hidden === after.requester.hidden;
  if (!same) return after;
  const { requester, title, content, location } = before;
  return { ...after, requester, title, content, location };
}

function facts(t) {
  return [
    ["诉求类型", `${label(TICKET_TYPES, t.type)}（${label(URGENCY, t.urgency)}）`],
    ["来源", label(TICKET_SOURCES, t.source)],
    ["标题", t.title],
    ["诉求内容", t.content],
    t.location && ["事发地点", t.location],
    ["诉求人", requesterCell(t)],
    ["承办单位", deptName(t.department)],
    t.co_departments.length && ["协办单位", t.co_departments.map(deptName).join("、")],
    ["受理时间", dateTime(t.received_at)],
    t.answer && [answerLabel(t), t.answer],
    t.extension_status && ["延期", `${label(EXTENSION_STATUS, t.extension_status)}（${t.extension_days} 个工作日）`],
    t.return_reason && ["退单理由", t.return_reason],
    t.urge_count ? ["催办次数", `${t.urge_count}${t.supervised ? "（已督办）" : ""}`] : null,
    t.rating_level && ["好差评（首次回访）", label(LEVELS, t.rating_level)],
    t.reopen_count > 0 && t.satisfaction && ["重办后回访", label(LEVELS, t.satisfaction)],
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
    // the limit due first among the running ones (签收, then 联系, 办理 … 回访), as the lists
    // show it; none while no clock runs (已转办: the complaints center times the case)
    due: ticketDue,
    facts,
    extra: (t) => h("div", {}, replies(t), t.excluded_matter ? section("不予受理", label(EXCLUDED, t.excluded_matter)) : null),
    stages: (t) => t.stages,
    timeline: (t) => t.timeline.map(readableNote),
    actions: (t) => ticketActions(t, categories),
    keep: keepRequester,
  });
}
