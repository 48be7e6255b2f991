// 登记投诉: the complaints center registers a complaint brought in person (来访) or by phone
// (来电) — POST /api/v1/complaints/cases, open to any position of the center. A matter the
// center does not take (in litigation, a civil dispute …) is answered 不予受理 as it is
// registered, with where to go instead: the acceptance decision, so its staff or head only.
// The answer says plainly what happened: registered, or registered and not accepted; the
// enterprise's other open complaints (疑似重复); a resubmit of the same content replayed, not
// registered twice (Idempotency-Key per content, api.js). What was typed survives an ended
// session (drafts.js); the contact reads masked once saved.
import { request } from "../api.js";
import { h, replace } from "../dom.js";
import { dateTime } from "../format.js";
import { specForm } from "../forms.js";
import { COMPLAINTS_CENTER_SHORT, COMPLAINT_EXCLUSIONS, COMPLAINT_REFERRALS, COMPLAINT_SOURCES, label } from "../labels.js";
import * as session from "../session.js";
import { empty, link, section } from "../ui.js";
import { COMPLAINT_FIELDS, complaintBody } from "./complaint-form.js";

export const NEW_COMPLAINT_PAGE = "/console/complaints/new";
const CASES = "/api/v1/complaints/cases";
const DECIDERS = ["staff", "head"]; // ys_complaints.access.DECIDERS: 受理决定

/** Whether the position may register complaints (the API stays the authority). */
export const mayRegisterComplaints = (p) => Boolean(p) && p.dept === "COMPLAINTS_CENTER";
const mayDecide = (p) => mayRegisterComplaints(p) && DECIDERS.includes(p.role);

const SOURCE = { name: "source", label: "来源", type: "select", required: true,
  options: [["walk_in", COMPLAINT_SOURCES.walk_in], ["phone", COMPLAINT_SOURCES.phone]] };
const REFUSED = ["exclusion", "*"];
const REFUSAL = [
  { name: "exclusion", label: "不属于受理范围", type: "select", options: COMPLAINT_EXCLUSIONS, blank: "（属于受理范围：登记后作受理决定）" },
  { name: "referral", label: "告知企业的解决途径", type: "textarea", required: true, max: 2000, showIf: REFUSED },
  { name: "note", label: "不予受理说明", type: "textarea", required: true, max: 2000, showIf: REFUSED },
];

function body(v) {
  const refusal = v.exclusion ? { exclusion: v.exclusion, referral: v.referral, note: v.note } : null;
  return { ...complaintBody(v), source: v.source, not_accepted: refusal };
}

/** The referral starts as the usual route for the matter chosen; the member's own words stay. */
function suggestReferrals(form) {
  let suggested = "";
  form.elements.exclusion.addEventListener("change", () => {
    const referral = form.elements.referral;
    if (referral.value.trim() && referral.value !== suggested) return;
    suggested = COMPLAINT_REFERRALS[form.elements.exclusion.value] || "";
    referral.value = suggested;
  });
}

function identity(c) {
  const e = c.enterprise;
  if (!c.real_name || !e) return "匿名投诉";
  return `投诉企业：${e.name}（${e.uscc}），联系人 ${e.contact_name || "—"}，电话 ${e.contact_phone || "—"}`;
}

function registered(c, replayed) {
  const refused = c.state === "not_accepted";
  return h("div", { class: `notice ${refused ? "warning" : "ok"}`, role: "status" },
    h("h2", {}, refused ? `已登记并不予受理：${c.number}` : `已登记：${c.number}`),
    replayed ? h("p", {}, h("strong", {}, "该投诉此前已提交登记，本次未重复登记"), "（以下为当时的登记结果）。") : null,
    h("p", {}, "查询码：", h("strong", { class: "mono" }, c.query_code), "（请告知企业，仅显示一次）"),
    h("p", {}, identity(c)),
    refused
      ? [h("p", {}, `不予受理原因：${label(COMPLAINT_EXCLUSIONS, c.exclusion)}`), h("p", {}, `告知企业的解决途径：${c.referral}`)]
      : h("p", {}, "受理决定须在3个工作日内作出（待受理）。"),
    h("p", {}, link(`/console/complaints/${c.id}`, "查看案件")));
}

function duplicates(list) {
  if (!list || !list.length) return null;
  return h("div", { class: "notice warning duplicates", role: "status" },
    h("p", {}, h("strong", {}, `疑似重复：该企业另有 ${list.length} 件投诉正在办理，请核对是否为同一事项`)),
    h("ul", {}, list.map((d) => h("li", {}, link(`/console/complaints/${d.id}`, d.number),
      ` ${d.title}（${d.state_label}，${dateTime(d.received_at)} 登记）`))));
}

function intakeForm(p, result) {
  const fields = [SOURCE, ...COMPLAINT_FIELDS, ...(mayDecide(p) ? REFUSAL : [])];
  const after = mayDecide(p) ? null : h("p", { class: "muted" }, "不属于受理范围的事项，登记后由工作人员或负责人作出不予受理决定。");
  const form = specForm({ label: "登记投诉", fields, after, submitText: "登记" }, async (v) => {
    const got = await request(CASES, { method: "POST", json: body(v), idempotent: form });
    const replayed = got.response.headers.get("Idempotent-Replayed") === "true";
    replace(result, registered(got.data, replayed), duplicates(got.data.duplicates));
    form.reset(); // the next complaint: its own Idempotency-Key, no draft kept
    form.dispatchEvent(new Event("change"));
    result.scrollIntoView({ block: "nearest" });
  });
  if (mayDecide(p)) suggestReferrals(form);
  return form;
}

export async function newComplaintPage({ main }) {
  const p = session.position();
  main.dataset.title = "登记投诉";
  if (!mayRegisterComplaints(p)) {
    replace(main, h("h1", {}, "登记投诉"), empty(`投诉由${COMPLAINTS_CENTER_SHORT}登记；您当前的岗位不能登记投诉。`));
    return;
  }
  const result = h("div", { class: "result" });
  replace(main, h("h1", {}, "登记投诉"),
    h("p", { class: "muted" }, "登记企业来访、来电反映的侵权投诉。投诉企业的身份仅本中心可见，保存后联系人和电话脱敏显示。"),
    result, section(null, intakeForm(p, result)));
}
