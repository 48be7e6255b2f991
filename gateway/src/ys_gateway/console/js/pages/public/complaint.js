// An enterprise complains about infringement by a public body (涉企侵权投诉). The identity is
// seen only by the complaints center; the body complained about sees a redacted case.
import { publicPost } from "../../api.js";
import { h, replace } from "../../dom.js";
import { specForm } from "../../forms.js";
import { COMPLAINTS_CENTER_FORMAL, COMPLAINTS_CENTER_SHORT } from "../../labels.js";
import { section } from "../../ui.js";
import { COMPLAINT_FIELDS, complaintBody } from "../complaint-form.js";
import { receipt } from "./hotline.js";

export async function complaintFormPage({ main }) {
  main.dataset.title = "涉企侵权投诉";
  const box = h("div");
  const form = specForm({ label: "涉企侵权投诉", fields: COMPLAINT_FIELDS, submitText: "提交投诉" }, async (v) => {
    const made = await publicPost("/api/v1/complaints/public/cases", complaintBody(v), form);
    replace(box, receipt("投诉已提交", made.number, made.query_code, h("p", {}, "受理决定将在3个工作日内作出。")));
    form.reset();
    form.dispatchEvent(new Event("change")); // the fields shown again for the next one
  });
  replace(main, h("h1", {}, "非公有制经济发展侵权投诉"),
    h("p", {}, `由${COMPLAINTS_CENTER_FORMAL}（以下简称${COMPLAINTS_CENTER_SHORT}）受理办理；投诉企业的身份仅${COMPLAINTS_CENTER_SHORT}可见。`),
    h("p", { class: "muted" }, "受理：不当执法、推诿拖延与吃拿卡要、乱收费乱罚款乱摊派、强制购买、不作为、惠企政策不兑现、拖欠企业账款、强制参加评比培训等。企业之间的民事纠纷及已进入诉讼、仲裁、复议、信访的事项不予受理。"),
    box, section(null, form));
}
