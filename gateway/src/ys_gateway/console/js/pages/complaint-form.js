// A complaint (涉企侵权投诉) as an enterprise states it, in the words of labels.js: the fields
// (forms.js specs) and the request body the public form (public/complaint.js) and the center's
// 登记投诉 (complaint-new.js) share. The service validates all of it again (USCC check
// character, an unpaid bill's amount and due date …) and its refusal is shown in the form.
import { COMPLAINT_CATEGORIES } from "../labels.js";

// GB 32100-2015: 18 characters (digits and capitals but I, O, Z, S, V); the check character is
// the service's to verify.
const USCC = "[0-9A-HJ-NPQRTUWXYa-hj-npqrtuwxy]{18}";
const REAL_NAME = ["anonymous", "false"];
// An unpaid bill (拖欠企业账款) states its amount and due date — unless the center registers it
// 不予受理 (登记投诉's exclusion chosen): it takes no claim then.
const BILL = [["category", "unpaid_bills"], ["exclusion", "!*"]];

export const COMPLAINT_FIELDS = [
  { name: "category", label: "投诉类别", type: "select", required: true, options: COMPLAINT_CATEGORIES },
  { name: "category_other", label: "其他类别说明", required: true, max: 200, showIf: ["category", "other"] },
  { name: "respondent", label: "被投诉单位", type: "department", blank: "（不清楚或未列出，在事实中说明）" },
  { name: "title", label: "标题", required: true, max: 200, attrs: { minlength: 2 } },
  { name: "facts", label: "事实与诉求", type: "textarea", required: true, rows: 5 },
  { name: "claimed_amount", label: "涉及金额（元）", type: "number", min: 0, step: "0.01", requiredIf: BILL },
  { name: "bill_due_date", label: "账款约定支付日期", type: "date", showIf: ["category", "unpaid_bills"], requiredIf: BILL },
  // Anonymous: no identity, so no SMS and no call from the center (ys_complaints notes.tell);
  // the result is still answered online, to whoever holds the number and query code.
  { name: "anonymous", label: "匿名投诉（不留企业信息，不会收到短信和电话回访；凭投诉编号和查询码在“办件查询”查看办理结果）", type: "checkbox" },
  { name: "enterprise_name", label: "企业名称", required: true, max: 200, showIf: REAL_NAME },
  { name: "uscc", label: "统一社会信用代码", required: true, max: 18, showIf: REAL_NAME,
    attrs: { pattern: USCC, title: "18位统一社会信用代码", autocomplete: "off" } },
  { name: "contact_name", label: "联系人", required: true, max: 80, showIf: REAL_NAME },
  { name: "contact_phone", label: "联系电话", type: "tel", required: true, max: 20, showIf: REAL_NAME,
    attrs: { inputmode: "tel", autocomplete: "off" } },
  { name: "disclose", label: "同意向被投诉单位披露企业名称（默认保密）", type: "checkbox", showIf: REAL_NAME },
];

/** The complaint's body (ComplaintIn) from the form's values: an anonymous one carries no
 * identity at all (its fields are hidden and not sent). */
export function complaintBody(v) {
  const realName = v.anonymous !== true;
  return {
    real_name: realName,
    enterprise: realName ? { name: v.enterprise_name, uscc: v.uscc, contact_name: v.contact_name, contact_phone: v.contact_phone } : null,
    disclose_to_respondent: realName && v.disclose === true,
    respondent: v.respondent || null,
    category: v.category || undefined, // not chosen: left out, and the service says it is required
    category_other: v.category_other || null,
    title: v.title,
    facts: v.facts,
    claimed_amount: v.claimed_amount || null,
    bill_due_date: v.bill_due_date || null,
  };
}
