// 企业库: the registry of the enterprise service center — search it as the API filters it
// (name, industry, park, scale, tag) and register an enterprise (USCC checked by the service,
// GB 32100-2015; one entry per USCC) with its contacts.
import { request } from "../api.js";
import { h, replace } from "../dom.js";
import { repeater, rows, specForm } from "../forms.js";
import { SCALES } from "../labels.js";
import { navigate } from "../router.js";
import * as session from "../session.js";
import { field, input, section, select } from "../ui.js";
import { pagedList, filterForm } from "./lists.js";
import { ENTERPRISE_COLUMNS, V, may, setFlash } from "./visits-shared.js";

const E = `${V}/enterprises`;
const FILTERS = ["q", "industry", "park", "scale", "tag"];
const PAGE = 50;

/** The registry facts a form edits (the USCC only at registration: it never changes). */
export function enterpriseFields(e = {}) {
  return [
    { name: "name", label: "企业名称", required: true, max: 200, value: e.name },
    { name: "industry", label: "所属行业", required: true, max: 60, value: e.industry },
    { name: "scale", label: "企业规模", type: "select", required: true, options: SCALES, value: e.scale },
    { name: "park", label: "所在园区", max: 100, value: e.park, hint: "如 彰教工业园区；不在园区可不填" },
    { name: "address", label: "地址", max: 300, value: e.address },
    { name: "tags", label: "标签", value: (e.tags || []).join("、"), hint: "多个标签用顿号或逗号分隔，如 龙头企业、专精特新（至多 10 个）" },
  ];
}

export const CONTACT_FIELDS = [
  { name: "name", label: "姓名", required: true, max: 50 },
  { name: "title", label: "职务", max: 50 },
  { name: "phone", label: "联系电话", type: "tel", required: true, max: 20, attrs: { inputmode: "tel", autocomplete: "off" } },
];

export function contactsRepeater(initial) {
  return repeater("contacts", { legend: "联系人", fields: CONTACT_FIELDS, addText: "添加联系人", initial });
}

export const tagsOf = (text) => String(text || "").split(/[,，、;；\s]+/).filter(Boolean);

export const contactsOf = (v) => rows(v, "contacts").map((c) => ({ name: c.name, title: c.title || null, phone: c.phone }));

function registerForm(close) {
  const uscc = { name: "uscc", label: "统一社会信用代码", required: true, hint: "18 位，由系统按国家标准核验校验位",
    attrs: { minlength: 18, maxlength: 18, pattern: "[0-9A-Za-z]{18}", autocapitalize: "characters", spellcheck: "false", class: "mono" } };
  const [name, ...rest] = enterpriseFields();
  return specForm({ label: "登记企业", fields: [name, uscc, ...rest], after: contactsRepeater([{}]), submitText: "登记", cancel: close }, async (v, form) => {
    const body = {
      name: v.name, uscc: v.uscc.toUpperCase(), industry: v.industry, scale: v.scale, park: v.park || null,
      address: v.address || null, tags: tagsOf(v.tags), contacts: contactsOf(v),
    };
    const made = await request(E, { method: "POST", json: body, idempotent: form });
    setFlash(`已登记企业：${made.data.name}`);
    navigate(`/console/enterprises/${made.data.id}`);
  });
}

function filters(params) {
  return filterForm("查找企业", "/console/enterprises", params, [
    field("企业名称或信用代码", input("q", { type: "search", maxlength: 100, placeholder: "名称中的字，或统一社会信用代码" })),
    field("所属行业", input("industry", { maxlength: 60 })),
    field("所在园区", input("park", { maxlength: 100 })),
    field("企业规模", select("scale", SCALES, { blank: "全部规模" })),
    field("标签", input("tag", { maxlength: 20 })),
  ]);
}

export async function enterprisesPage({ main, query }) {
  main.dataset.title = "企业库";
  const position = session.position();
  const params = Object.fromEntries(FILTERS.map((name) => [name, query.get(name)]));
  const panel = h("div");
  const open = () => {
    replace(panel, section("登记企业", registerForm(() => replace(panel))));
    panel.querySelector("input")?.focus();
  };
  replace(main,
    h("div", { class: "case-head" }, h("h1", {}, "企业库"),
      may.register(position) ? h("button", { type: "button", class: "primary", onClick: open }, "登记企业") : null),
    panel,
    section(null, filters(params)),
    section("企业", pagedList(E, params, ENTERPRISE_COLUMNS, "没有符合条件的企业", PAGE)));
  if (may.register(position) && query.get("register")) open();
}
