// An enterprise complains about infringement by a public body (涉企侵权投诉). The identity is
// seen only by the complaints center; the body complained about sees a redacted case.
import { publicPost } from "../../api.js";
import { h, replace } from "../../dom.js";
import { departmentOptions } from "../../directory.js";
import { COMPLAINT_CATEGORIES } from "../../labels.js";
import { field, input, onSubmit, section, select, textarea } from "../../ui.js";
import { receipt } from "./hotline.js";

function body(v) {
  const realName = v.anonymous !== true;
  return {
    real_name: realName,
    enterprise: realName ? { name: v.enterprise_name, uscc: v.uscc, contact_name: v.contact_name, contact_phone: v.contact_phone } : null,
    disclose_to_respondent: v.disclose === true,
    respondent: v.respondent || null,
    category: v.category,
    category_other: v.category === "other" ? v.category_other || null : null,
    title: v.title,
    facts: v.facts,
    claimed_amount: v.claimed_amount || null,
    bill_due_date: v.bill_due_date || null,
  };
}

export async function complaintFormPage({ main }) {
  main.dataset.title = "涉企侵权投诉";
  const box = h("div");
  const form = h("form", { class: "grid-form", "aria-label": "涉企侵权投诉" },
    field("投诉类别", select("category", COMPLAINT_CATEGORIES)),
    field("其他类别说明", input("category_other", { maxlength: 200 })),
    field("被投诉单位", select("respondent", departmentOptions(), { blank: "（不清楚或未列出，在事实中说明）" })),
    field("标题", input("title", { required: true, maxlength: 200 })),
    field("事实与诉求", textarea("facts", { required: true, rows: 5 })),
    field("涉及金额（元）", input("claimed_amount", { type: "number", min: 0, step: "0.01" })),
    field("账款约定支付日期（拖欠账款时填写）", input("bill_due_date", { type: "date" })),
    field("企业名称", input("enterprise_name", { maxlength: 200 })),
    field("统一社会信用代码", input("uscc", { maxlength: 18 })),
    field("联系人", input("contact_name", { maxlength: 80 })),
    field("联系电话", input("contact_phone", { inputmode: "tel", maxlength: 20 })),
    h("label", { class: "check" }, h("input", { type: "checkbox", name: "anonymous" }), "匿名投诉（无法回复办理结果）"),
    h("label", { class: "check" }, h("input", { type: "checkbox", name: "disclose" }), "同意向被投诉单位披露企业名称（默认保密）"),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "primary" }, "提交投诉")));
  onSubmit(form, async (v) => {
    const made = await publicPost("/api/v1/complaints/public/cases", body(v), form);
    replace(box, receipt("投诉已提交", made.number, made.query_code, h("p", {}, "受理决定将在3个工作日内作出。")));
    form.reset();
  });
  replace(main, h("h1", {}, "非公有制经济发展侵权投诉"),
    h("p", { class: "muted" }, "受理：不当执法、推诿拖延与吃拿卡要、乱收费乱罚款乱摊派、强制购买、不作为、惠企政策不兑现、拖欠企业账款、强制参加评比培训等。企业之间的民事纠纷及已进入诉讼、仲裁、复议、信访的事项不予受理。"),
    box, section(null, form));
}
