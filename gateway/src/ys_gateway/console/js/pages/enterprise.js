// One enterprise of the registry: its facts, contacts (phones masked as the API returns them;
// in full only for a stated reason, audited), its pairings, visits and problems — and the
// center's work on it: edit, 新建挂帮, 记录走访, 登记诉求. Edits send If-Match; someone else's
// change first (412) is shown and the form keeps what the user typed (forms.js versionedPage).
import { get, request } from "../api.js";
import { h, replace } from "../dom.js";
import { dateTime } from "../format.js";
import { specForm, versionedPage } from "../forms.js";
import { SCALES, label } from "../labels.js";
import * as session from "../session.js";
import { kv, section, table, tag } from "../ui.js";
import { items, listSection } from "./lists.js";
import { pairingForm } from "./pairing.js";
import { contactsOf, contactsRepeater, enterpriseFields, tagsOf } from "./enterprises.js";
import { PAIRING_COLUMNS, PROBLEM_COLUMNS, V, VISIT_COLUMNS, may, showFlash } from "./visits-shared.js";

function facts(e) {
  return [
    ["企业名称", e.name],
    ["统一社会信用代码", h("span", { class: "mono" }, e.uscc)],
    ["所属行业", e.industry],
    ["企业规模", label(SCALES, e.scale)],
    ["所在园区", e.park || "—"],
    ["地址", e.address || "—"],
    ["标签", e.tags.length ? e.tags.join("、") : "—"],
    ["登记时间", dateTime(e.created_at)],
    ["更新时间", dateTime(e.updated_at)],
  ];
}

function contactsTable(contacts, revealed) {
  return h("div", {},
    table([
      { label: "姓名", value: (c) => c.name },
      { label: "职务", value: (c) => c.title || "—" },
      { label: "联系电话", value: (c) => c.phone },
    ], contacts, "未登记联系人"),
    h("p", { class: "muted" }, revealed ? "正在显示完整电话（本次查看已记入审计日志）。" : "电话按个人信息保护要求脱敏显示。"));
}

function editForm(e, save, close) {
  return specForm({ label: "编辑企业信息", fields: enterpriseFields(e), submitText: "保存", cancel: close }, (v) => save({
    name: v.name, industry: v.industry, scale: v.scale, park: v.park || null, address: v.address || null, tags: tagsOf(v.tags),
  }, "已保存企业信息"));
}

function contactsForm(e, revealed, save, close) {
  // The list is saved whole. A phone left as shown (masked) keeps the number on file, so
  // nobody has to reveal phones to rename a contact or add one.
  const initial = (revealed || e.contacts).map((c) => ({ name: c.name, title: c.title, phone: c.phone }));
  const hint = h("p", { class: "muted" }, revealed ? "联系人整体保存；删除的联系人将不再保留。"
    : "脱敏显示的电话保持不变即沿用原号码；更换号码请填写完整号码。联系人整体保存。");
  return specForm({ label: "修改联系人", fields: [], before: hint, after: contactsRepeater(initial), submitText: "保存联系人", cancel: close },
    (v) => save({ contacts: contactsOf(v) }, "已保存联系人"));
}

function revealForm(url, show, close) {
  return specForm({ label: "查看完整电话", className: "action-form", submitText: "查看", cancel: close,
    fields: [{ name: "reason", label: "查看理由（将记入审计日志）", required: true, attrs: { minlength: 4, maxlength: 500 } }] },
  async (v) => show((await get(`${url}/contacts`, { reason: v.reason })).contacts));
}

const buttonLink = (href, text) => h("a", { href, "data-link": "", class: "button" }, text);

export async function enterprisePage({ main, params }) {
  const url = `${V}/enterprises/${encodeURIComponent(params.id)}`;
  const position = session.position();
  // A write answers with the enterprise (contacts masked again after a change of them).
  const save = (body, message) => page.write(url, { method: "PATCH", json: body }, { message,
    use: (got, before) => ({ data: got.data, etag: got.etag, revealed: body.contacts ? null : before.revealed }) });
  const show = (contacts) => {
    Object.assign(page.state, { revealed: contacts });
    page.message = ["已显示完整电话", "ok"];
    page.close();
    page.draw();
  };
  const draw = ({ data: e, revealed }) => {
    main.dataset.title = e.name;
    const opener = (text, form, tone) => h("button", { type: "button", class: tone || "", onClick: () => page.open(section(text, form())) }, text);
    const buttons = [
      may.register(position) && opener("编辑企业信息", () => editForm(e, save, page.close)),
      may.register(position) && opener("修改联系人", () => contactsForm(e, revealed, save, page.close)),
      may.seeAll(position) && e.contacts.length && !revealed && opener("查看完整电话", () => revealForm(url, show, page.close)),
      may.pair(position) && opener("新建挂帮", () => pairingForm(e, page.close), "primary"),
      may.seeAll(position) && buttonLink(`/console/visits/new?enterprise=${e.id}`, "记录走访"),
      may.register(position) && buttonLink(`/console/problems/new?enterprise=${e.id}`, "登记诉求"),
    ].filter(Boolean);
    replace(main,
      h("div", { class: "case-head" }, h("h1", {}, e.name), tag(label(SCALES, e.scale), "status"),
        h("button", { type: "button", class: "link", onClick: page.load }, "刷新")),
      section("办理", buttons.length ? h("div", { class: "action-buttons" }, buttons) : h("p", { class: "muted" }, "您当前的岗位只能查看企业信息。"), page.panel),
      section("基本信息", kv(facts(e))),
      section("联系人", contactsTable(revealed || e.contacts, Boolean(revealed))),
      listSection("挂帮关系", PAIRING_COLUMNS, items(`${V}/assignments`, { enterprise_id: e.id }), "该企业没有挂帮关系"),
      listSection("走访记录", VISIT_COLUMNS, items(`${V}/visits`, { enterprise_id: e.id }), "该企业没有走访记录"),
      listSection("诉求（交办单）", PROBLEM_COLUMNS, items(`${V}/problems`, { enterprise_id: e.id }), "该企业没有诉求"));
    showFlash(main);
  };
  const page = versionedPage(main, { read: async () => ({ ...(await request(url)), revealed: null }), draw });
  await page.load();
}
