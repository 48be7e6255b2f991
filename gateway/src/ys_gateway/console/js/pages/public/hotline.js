// Submit a 12345 request from the web (anonymous allowed). Emergencies are not for 12345.
import { publicPost } from "../../api.js";
import { h, replace } from "../../dom.js";
import { TICKET_TYPES } from "../../labels.js";
import { field, input, onSubmit, section, select, textarea } from "../../ui.js";

// A choice the person makes: no option is preselected, and the form is not sent without one.
export const CHOOSE = "请选择…"; // as every form's select (forms.js)

export function receipt(title, number, code, extra) {
  return h("div", { class: "notice ok", role: "status" }, h("h2", {}, title),
    h("p", {}, "编号：", h("strong", { class: "mono" }, number)),
    h("p", {}, "查询码：", h("strong", { class: "mono" }, code)),
    h("p", {}, "请妥善保存编号和查询码，凭此在“办件查询”中查看办理进度。"), extra || null,
    h("p", {}, h("a", { href: "/console/public/track", "data-link": "" }, "去查询进度")));
}

export async function hotlineFormPage({ main }) {
  main.dataset.title = "12345 诉求";
  const box = h("div");
  const form = h("form", { class: "grid-form", "aria-label": "12345诉求" },
    field("诉求类型", select("type", TICKET_TYPES, { required: true, blank: CHOOSE })),
    field("标题", input("title", { required: true, minlength: 2, maxlength: 200 })),
    field("诉求内容", textarea("content", { required: true, minlength: 2, maxlength: 5000, rows: 5 })),
    field("事发地点", input("location", { maxlength: 200 })),
    field("姓名", input("name", { maxlength: 80 })),
    field("联系电话", input("phone", { inputmode: "tel", maxlength: 20 }), "用于回复和回访；展示时会打码。"),
    h("label", { class: "check" }, h("input", { type: "checkbox", name: "anonymous" }), "匿名反映（不留姓名）"),
    h("label", { class: "check" }, h("input", { type: "checkbox", name: "confidential" }), "要求对承办单位保密我的姓名和电话"),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "primary" }, "提交")));
  onSubmit(form, async (v) => {
    const anonymous = v.anonymous === true;
    const body = {
      // a type not chosen is left out: the service answers that it is required
      type: v.type || undefined, title: v.title, content: v.content, location: v.location || null,
      requester: { name: anonymous ? null : v.name || null, phone: v.phone || null, anonymous, confidential: v.confidential === true },
    };
    const made = await publicPost("/api/v1/hotline/public/tickets", body, form);
    replace(box, receipt("诉求已提交", made.number, made.query_code));
    form.reset();
  });
  replace(main, h("h1", {}, "12345 政务服务便民热线 · 网上诉求"),
    h("p", { class: "notice warning" }, "紧急警情、火灾、急救、交通事故请直接拨打 110 / 119 / 120 / 122；已进入诉讼、仲裁、复议或信访程序的事项不在受理范围。"),
    box, section(null, form));
}
