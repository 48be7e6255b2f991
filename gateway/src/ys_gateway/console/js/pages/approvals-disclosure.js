// 四公开 publishing (svc-approvals disclosure): a unit publishes its own policies and
// regulations, power-and-responsibility list (权责清单), procedures and fee standards — its
// head or admin does; the county's administrators publish for any unit. The page lists what
// the unit has published (retired records too), publishes a new one (Idempotency-Key), and
// revises or retires one against the version it read (If-Match: someone else's revision first
// is said, the list is shown afresh and the form keeps what was typed). The public reads the
// same lists on /console/public/disclosure; every version is kept there.
import { all, request } from "../api.js";
import { h, replace } from "../dom.js";
import { deptName, departmentOptions } from "../directory.js";
import { dateTime } from "../format.js";
import { repeater, rows, specForm, versionOf, versionedPage } from "../forms.js";
import { POWER_TYPES } from "../labels.js";
import * as session from "../session.js";
import { busyButton, field, input, link, section, select, table, tag } from "../ui.js";
import { A, mayPublish, notYours } from "./approvals-shared.js";
import { filterForm } from "./lists.js";
import { DISCLOSURE_TABS } from "./public/disclosure.js";

const D = `${A}/disclosure`;
const PAGE = "/console/approvals/disclosure";
const brief = (text, n = 60) => (text && text.length > n ? `${text.slice(0, n)}…` : text || "—");
const stateTag = (r) => (r.active ? tag("公开中", "status") : tag("已停用", "danger"));

// ---- what a record is, in its form and in the list ---------------------------------------

const DOCUMENTS = {
  path: `${D}/documents`,
  fields: (d) => [
    { name: "title", label: "标题", required: true, max: 300, value: d.title },
    { name: "doc_number", label: "文号", max: 100, value: d.doc_number, hint: "如 凤府办发〔2024〕12号" },
    { name: "effective_on", label: "施行日期", type: "date", value: d.effective_on },
    { name: "legal_basis", label: "依据", type: "textarea", max: 10000, value: d.legal_basis },
    { name: "body", label: "正文", type: "textarea", required: true, max: 100000, rows: 8, value: d.body },
  ],
  extras: () => null,
  body: (v) => ({ title: v.title, doc_number: v.doc_number || null, effective_on: v.effective_on || null,
    legal_basis: v.legal_basis || null, body: v.body }),
  name: (d) => d.title,
  columns: [
    { label: "标题", value: (d) => d.title },
    { label: "文号", value: (d) => d.doc_number || "—" },
    { label: "施行日期", value: (d) => d.effective_on || "—" },
    { label: "正文", value: (d) => brief(d.body) },
  ],
};

const POWERS = {
  path: `${D}/powers`,
  fields: (p) => [
    { name: "power_type", label: "权力类型", type: "select", required: true, options: POWER_TYPES.map((t) => [t, t]), value: p.power_type },
    { name: "name", label: "事项名称", required: true, max: 300, value: p.name },
    { name: "legal_basis", label: "设定依据", type: "textarea", required: true, max: 10000, value: p.legal_basis },
    { name: "duties", label: "责任事项", type: "textarea", required: true, max: 10000, value: p.duties, hint: "如 受理、审查、决定、送达、事后监管" },
  ],
  extras: (p) => repeater("accountability", { legend: "追责情形", item: "追责情形", max: 50, addText: "添加追责情形",
    fields: [{ name: "situation", label: "情形", required: true, max: 1000 }, { name: "basis", label: "依据", max: 1000 }],
    initial: p.accountability || [] }),
  body: (v) => ({ power_type: v.power_type, name: v.name, legal_basis: v.legal_basis, duties: v.duties,
    accountability: rows(v, "accountability").map((a) => ({ situation: a.situation, basis: a.basis || null })) }),
  name: (p) => p.name,
  columns: [
    { label: "权力类型", value: (p) => p.power_type },
    { label: "事项名称", value: (p) => p.name },
    { label: "设定依据", value: (p) => brief(p.legal_basis) },
    { label: "责任事项", value: (p) => brief(p.duties) },
    { label: "追责情形", value: (p) => `${p.accountability.length} 项` },
  ],
};

function recordForm(kind, record, [text, submitText], handler, close) {
  return specForm({ label: text, fields: kind.fields(record), after: kind.extras(record), submitText, cancel: close }, handler);
}

// ---- the page ---------------------------------------------------------------------------

/** The county's administrators choose the unit; anyone else publishes for their own. */
function unitChooser(query, own) {
  return filterForm("选择发布单位", PAGE, query, [
    field("发布单位", select("department", departmentOptions(), { blank: `${deptName(own)}（本单位）` })),
    input("tab", { type: "hidden" }),
  ]);
}

function tabs(current, department) {
  const href = (key) => `${PAGE}?${new URLSearchParams({ tab: key, ...(department ? { department } : {}) })}`;
  return h("nav", { class: "tabs", "aria-label": "四公开" }, DISCLOSURE_TABS.map(([key, text]) =>
    h("a", { href: href(key), "data-link": "", class: key === current ? "current" : null, "aria-current": key === current ? "page" : null }, text)));
}

export async function disclosureAdminPage({ main, query }) {
  const p = session.position();
  if (!mayPublish(p)) {
    return notYours(main, "四公开", "四公开由各单位负责人（或管理员）发布本单位的内容", "/console/public/disclosure", "查看公开的四公开内容");
  }
  const county = session.isCountyAdmin(p);
  const chosen = county ? query.get("department") || "" : "";
  const dept = chosen || p.dept;
  const tab = DISCLOSURE_TABS.some(([key]) => key === query.get("tab")) ? query.get("tab") : "policy";
  const tabName = DISCLOSURE_TABS.find(([key]) => key === tab)[1];
  const kind = tab === "powers" ? POWERS : DOCUMENTS;
  const filter = tab === "powers" ? {} : { kind: tab };
  main.dataset.title = `四公开 · ${deptName(dept)}`;

  const body = h("div");
  const read = async () => ({ data: await all(kind.path, { ...filter, department: dept, include_retired: true }, 1000) });
  const page = versionedPage(body, { read, draw: ({ data }) => replace(body, actions(), page.panel, listing(data)) });
  const publish = () => page.open(section(`发布${tabName}`, recordForm(kind, {}, [`发布${tabName}`, "发布"], async (v, form) => {
    const json = { ...kind.body(v), ...filter, department: dept };
    const made = await request(kind.path, { method: "POST", json, idempotent: form });
    page.message = [`已发布：${kind.name(made.data)}`, "ok"];
    await page.load();
  }, page.close)));
  // A row's change names the version read when its form opened (versionOf): a 412 reads it again.
  const change = async (record, open) => open(await versionOf(`${kind.path}/${record.id}`));
  const write = (version, json, message) => page.write(version.url, { method: "PATCH", json }, { version, message });
  const edit = (record) => change(record, (version) => page.open(section(`修改：${kind.name(record)}`,
    recordForm(kind, version.data, [`修改${tabName}`, "保存"], (v) => write(version, kind.body(v), `已保存：${kind.name(record)}`), page.close))));
  const setActive = (record, active) => change(record, (version) => page.open(section(null, specForm({
    label: active ? "重新公开" : "停止公开", className: "action-form", fields: [], submitText: active ? "确认重新公开" : "确认停止公开", cancel: page.close,
    before: h("p", {}, active ? `重新公开“${kind.name(record)}”。` : `停止公开“${kind.name(record)}”：公众页面不再列出，历史版本仍保留。`),
  }, () => write(version, { active }, `${active ? "已重新公开" : "已停止公开"}：${kind.name(record)}`)))));
  const actions = () => h("div", { class: "action-buttons" }, h("button", { type: "button", class: "primary", onClick: publish }, `发布${tabName}`));
  const listing = (records) => table([...kind.columns,
    { label: "状态", value: stateTag },
    { label: "版本", value: (r) => `第 ${r.version} 版 · ${dateTime(r.updated_at)}` },
    { label: "维护", value: (r) => (r.active
      ? [busyButton("修改", () => edit(r), { class: "small" }), busyButton("停止公开", () => setActive(r, false), { class: "small" })]
      : busyButton("重新公开", () => setActive(r, true), { class: "small" })) },
  ], records, `本单位还没有发布${tabName}`);

  replace(main,
    h("h1", {}, `四公开 · ${deptName(dept)}`),
    h("p", { class: "muted" }, "公开政策法规、权责清单、办事流程、收费标准，接受社会监督。各单位发布本单位的内容，每次修改都保留历史版本。",
      link(`/console/public/disclosure?tab=${tab}`, "查看公众页面")),
    county ? section(null, unitChooser(query, p.dept)) : null,
    tabs(tab, chosen),
    section(`${tabName}（${deptName(dept)}）`, body));
  await page.load();
}
