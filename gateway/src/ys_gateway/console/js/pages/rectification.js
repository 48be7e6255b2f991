// A 差评 rectification (差评整改): 回访核实 → 分类 → 整改 → 反馈 → the rater's verdict
// (国办发〔2019〕51号) → 抽查回访 by the ratings center or the bureau (a failed spot check sends
// it back to 整改中 with the reason). The rater's identity is never shown to the rated department.
import { get } from "../api.js";
import { deptName } from "../directory.js";
import { dateTime } from "../format.js";
import { LEVELS, RECTIFICATION_STATUS, SERVICES, label } from "../labels.js";
import { NOTE, noteRequired, renderCase } from "./casepage.js";

const CLASSES = { immediate: "立行立改", deadline: "限期整改", explanation: "解释说明" };
const VERDICTS = { satisfied: "满意", basically_satisfied: "基本满意", dissatisfied: "不满意" };
const SPOT_CHECK = { passed: "合格", failed: "不合格" };
const optionalNote = (v) => ({ note: v.note || null });
const spotCheck = (passed) => (v) => ({ passed, note: v.note || null });

const FORMS = {
  call_back: { label: "回访核实", path: "call-back", tone: "primary",
    fields: [{ name: "reached", label: "已联系上评价人", type: "checkbox" }, { name: "verified", label: "差评情况属实", type: "checkbox" }, noteRequired("回访记录")],
    body: (v) => ({ reached: v.reached === true, verified: v.verified === true, note: v.note }) },
  classify: { label: "分类", path: "classify", tone: "primary",
    fields: [{ name: "classification", label: "整改类型", type: "select", required: true, options: CLASSES }, NOTE],
    body: (v) => ({ classification: v.classification, note: v.note || null }) },
  claim_invalid: { label: "申请无效差评", path: "claim-invalid", fields: [{ name: "reason", label: "理由", type: "textarea", required: true }], body: (v) => ({ reason: v.reason }) },
  claim_unfixable: { label: "申请无法整改", path: "claim-unfixable", fields: [{ name: "reason", label: "理由", type: "textarea", required: true }], body: (v) => ({ reason: v.reason }) },
  approve_claim: { label: "审核通过", path: "approve-claim", fields: [NOTE], body: optionalNote },
  reject_claim: { label: "审核驳回", path: "reject-claim", fields: [NOTE], body: optionalNote },
  complete: { label: "整改完成", path: "complete", tone: "primary", fields: [noteRequired("整改情况")], body: (v) => ({ note: v.note }) },
  feed_back: { label: "反馈评价人", path: "feed-back", tone: "primary", fields: [noteRequired("反馈内容")], body: (v) => ({ note: v.note }) },
  record_verdict: { label: "评价整改", path: "verdict", tone: "primary",
    fields: [{ name: "verdict", label: "评价人对整改的评价", type: "select", required: true, options: VERDICTS }, NOTE],
    body: (v) => ({ verdict: v.verdict, note: v.note || null }) },
  pass_spot_check: { label: "抽查回访合格", path: "spot-check", tone: "primary", help: "抽查回访评价人或现场核查，整改确已落实：办结。",
    fields: [NOTE], body: spotCheck(true) },
  fail_spot_check: { label: "抽查回访不合格", path: "spot-check", help: "整改未落实：退回责任单位重新整改，重新计算整改时限，不计入按期整改。",
    fields: [noteRequired("不合格原因")], body: spotCheck(false) },
};

function facts(r) {
  return [
    ["办件", `${label(SERVICES, r.service)} ${r.case_number}`],
    ["评价", `${r.level} 星（${label(LEVELS, r.level)}）`],
    ["责任单位", deptName(r.department)],
    r.window && ["窗口", r.window],
    r.staff_no && ["工号", r.staff_no],
    ["月份", r.month],
    r.callback_note && ["回访记录", r.callback_note],
    r.classification && ["整改类型", CLASSES[r.classification] || r.classification],
    r.claim_reason && ["申请理由", r.claim_reason],
    r.rectification_note && ["整改情况", r.rectification_note],
    r.feedback_note && ["反馈内容", r.feedback_note],
    r.verdict && ["评价人评价", VERDICTS[r.verdict] || r.verdict],
    r.spot_check_result && ["抽查回访", `${label(SPOT_CHECK, r.spot_check_result)}（${dateTime(r.spot_checked_at)}）`],
    r.spot_check_note && ["抽查回访说明", r.spot_check_note],
    r.closed_at && ["办结时间", dateTime(r.closed_at)],
  ];
}

export async function rectificationPage(ctx) {
  const url = `/api/v1/ratings/rectifications/${encodeURIComponent(ctx.params.id)}`;
  await renderCase(ctx, {
    url,
    title: (r) => `差评整改 ${r.number}`,
    status: (r) => label(RECTIFICATION_STATUS, r.state),
    due: (r) => (r.state === "closed" || !r.due_at ? null : { at: r.due_at, stage: "rectification" }),
    facts,
    timeline: () => get(`${url}/timeline`),
    actions: (r) => (r.actions || []).filter((name) => FORMS[name]).map((name) => ({ name, ...FORMS[name] })),
  });
}
