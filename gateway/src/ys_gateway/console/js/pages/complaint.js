// An enterprise complaint case (涉企侵权投诉). The complainant's identity is shown only as the
// service masks it for this position (DOMAIN.md: confidentiality). Categories, exclusions and
// note kinds read as labels.js names them, the same words as the public form's.
import { get } from "../api.js";
import { h } from "../dom.js";
import { deptName } from "../directory.js";
import { dateTime } from "../format.js";
import { COMPLAINT_CATEGORIES, COMPLAINT_EXCLUSIONS, COMPLAINT_NOTE_KINDS, COMPLAINT_OUTCOMES, COMPLAINT_VERDICTS, label } from "../labels.js";
import { section, table } from "../ui.js";
import { NOTE, firstDue, noteRequired, renderCase } from "./casepage.js";

const withNote = (v) => ({ note: v.note });
// 受理's 说明 is not kept among the staff: the enterprise reads it after the acceptance notice.
const TOLD_ON_ACCEPT = { ...NOTE, label: "告知企业的说明（可不填）",
  hint: "投诉企业查询时可见，附在“您反映的问题已受理，将交责任单位调查处理。”之后" };
// 不予受理's reason, 说明 and route all reach the enterprise as one decision note.
const TOLD_ON_REJECT = { ...noteRequired("告知企业的说明"),
  hint: "投诉企业查询时可见：不予受理（原因）：说明 建议途径：解决途径" };

const FORMS = {
  accept: { label: "受理", path: "accept", tone: "primary",
    fields: [{ name: "category", label: "类别（可更正）", type: "select", options: COMPLAINT_CATEGORIES },
      { name: "respondent", label: "被投诉单位", type: "department" },
      // a case accepted as 拖欠企业账款 needs both (unless they came with the complaint)
      { name: "claimed_amount", label: "拖欠金额（元，拖欠账款类）", type: "number", min: 0, step: "0.01" },
      { name: "bill_due_date", label: "账款约定支付日期（拖欠账款类）", type: "date" }, TOLD_ON_ACCEPT],
    body: (v) => ({
      category: v.category || null, respondent: v.respondent || null, note: v.note || null,
      claimed_amount: v.claimed_amount || null, bill_due_date: v.bill_due_date || null,
    }) },
  reject: { label: "不予受理", path: "reject",
    fields: [{ name: "exclusion", label: "不予受理原因", type: "select", required: true, options: COMPLAINT_EXCLUSIONS },
      { name: "referral", label: "告知的解决途径", type: "textarea", required: true }, TOLD_ON_REJECT],
    body: (v) => ({ exclusion: v.exclusion, referral: v.referral, note: v.note }) },
  assign: { label: "交办", path: "assign", tone: "primary",
    fields: [{ name: "department", label: "责任单位", type: "department" }, NOTE],
    body: (v) => ({ department: v.department || null, note: v.note || null }) },
  investigate: { label: "调查核实", path: "investigate", fields: [noteRequired("核实情况")], body: withNote },
  reply: { label: "答复", path: "reply", tone: "primary", fields: [{ name: "reply", label: "答复内容", type: "textarea", required: true }], body: (v) => ({ reply: v.reply }) },
  send_back: { label: "审核退回", path: "send-back", fields: [noteRequired("退回理由")], body: withNote },
  resolve: { label: "反馈结果", path: "resolve", tone: "primary",
    fields: [{ name: "result", label: "反馈给企业的结果", type: "textarea", required: true }, { name: "recovered_amount", label: "挽回金额（元）", type: "number", min: 0, step: "0.01" }],
    body: (v) => ({ result: v.result, recovered_amount: v.recovered_amount || null }) },
  confirm: { label: "企业确认", path: "confirm", fields: [NOTE], body: (v) => ({ note: v.note || null }) },
  dispute: { label: "企业有异议", path: "dispute", fields: [noteRequired("异议理由")], body: withNote },
  revisit: { label: "回访", path: "revisit", fields: [noteRequired("回访情况")], body: withNote },
  reopen: { label: "重新交办", path: "reopen", fields: [noteRequired("理由")], body: withNote },
  close: { label: "办结", path: "close", tone: "primary", fields: [noteRequired("办结说明")], body: withNote },
  check_back: { label: "回访核查", path: "check-back",
    fields: [{ name: "retaliation_found", label: "发现打击报复", type: "checkbox" }, noteRequired("核查情况")],
    body: (v) => ({ note: v.note, retaliation_found: v.retaliation_found === true }) },
  urge: { label: "催办/督办", path: "urge", fields: [noteRequired()], body: withNote },
};

// How much of the complainant's identity this position sees (the service's `identity`).
const IDENTITY = {
  center: "—",
  masked: "已脱敏",
  redacted: "已隐去（被投诉单位和责任单位不可见投诉人身份）",
  consented: "经企业同意向承办单位公开",
};
const IDENTITY_NOTE = { masked: "（已脱敏）", consented: "（经企业同意向承办单位公开）" };

/** The complainant as the service shows it to this position, with how much is hidden. */
function complainant(c) {
  if (!c.real_name) return "匿名";
  const e = c.enterprise || {};
  const shown = [e.name, e.uscc, e.contact_name, e.contact_phone].filter(Boolean).join("，");
  if (!shown) return IDENTITY[c.identity] || "已隐去";
  return shown + (IDENTITY_NOTE[c.identity] || "");
}

/** A write's response masks the contact even for the center (nothing to audit there): keep
 * the block the last read showed while this position's view of the identity is the same. */
function keepEnterprise(before, after) {
  const same = before.id === after.id && before.identity === after.identity && before.real_name === after.real_name;
  return same ? { ...after, enterprise: before.enterprise } : after;
}

function facts(c) {
  return [
    ["类别", label(COMPLAINT_CATEGORIES, c.category) + (c.category_other ? `（${c.category_other}）` : "")],
    ["标题", c.title],
    ["事实与诉求", c.facts],
    ["投诉企业", complainant(c)],
    ["被投诉单位", deptName(c.respondent)],
    ["责任单位", deptName(c.department)],
    ["登记时间", dateTime(c.received_at)],
    c.claimed_amount && ["涉及金额（元）", c.claimed_amount],
    c.payment_overdue_days !== null && ["账款逾期天数", String(c.payment_overdue_days)],
    c.origin_ticket_number && ["来源工单", c.origin_ticket_number],
    c.exclusion && ["不予受理", `${label(COMPLAINT_EXCLUSIONS, c.exclusion)}；${c.referral || ""}`],
    c.verdict && ["企业评价", label(COMPLAINT_VERDICTS, c.verdict)],
    c.outcome && ["办理结果", label(COMPLAINT_OUTCOMES, c.outcome)],
    c.closed_at && ["办结时间", dateTime(c.closed_at)],
  ];
}

function notes(c) {
  if (!c.notes.length) return null;
  return section("答复与意见", table([
    { label: "类型", value: (n) => label(COMPLAINT_NOTE_KINDS, n.kind) },
    { label: "内容", value: (n) => n.body },
    { label: "单位", value: (n) => deptName(n.department) },
    { label: "记录人", value: (n) => n.author_name || "—" },
    { label: "时间", value: (n) => dateTime(n.at) },
  ], c.notes));
}

export async function complaintPage(ctx) {
  const url = `/api/v1/complaints/cases/${encodeURIComponent(ctx.params.id)}`;
  await renderCase(ctx, {
    url,
    title: (c) => `投诉案件 ${c.number}`,
    status: (c) => c.state_label,
    due: (c) => (["closed", "checked_back", "not_accepted"].includes(c.state) ? null : firstDue(c.stages)),
    facts,
    extra: (c) => h("div", {}, notes(c)),
    stages: (c) => c.stages,
    timeline: () => get(`${url}/timeline`),
    actions: (c) => c.actions.filter((name) => FORMS[name]).map((name) => ({ name, ...FORMS[name] })),
    keep: keepEnterprise,
  });
}
