// 一件事一次办 (集成套餐) administration (svc-approvals packages): several items of several
// departments behind one application, one set of materials and one committed limit, kept by
// the county's administrators (BUREAU/admin). A package is added (Idempotency-Key) with items
// chosen from the catalogue, changed against the version shown (If-Match: someone else's
// change first is said and shown, the form keeps what was typed), retired and offered again.
// Its statutory limit is the slowest item's; the committed one 40% of it unless it sets its own.
import { get, request } from "../api.js";
import { h, replace } from "../dom.js";
import { deptName } from "../directory.js";
import { dateTime } from "../format.js";
import { repeater, rows, specForm, versionedPage } from "../forms.js";
import { navigate } from "../router.js";
import * as session from "../session.js";
import { kv, link, section, table } from "../ui.js";
import {
  A, MATERIAL_COLUMNS, catalogueStateTag, catalogueStateText, committedField, committedValue, historyTable,
  limitsPreview, limitsText, materialsOf, materialsRepeater, mayKeepCatalogue, notYours, offeredItems, upkeep,
} from "./approvals-shared.js";
import { listSection } from "./lists.js";
import { setFlash, showFlash } from "./visits-shared.js";

const PACKAGES = `${A}/packages`;
const PAGE = "/console/approvals/packages";
const packageHref = (p) => `${PAGE}/${encodeURIComponent(p.code)}`;

const COLUMNS = [
  { label: "套餐名称", value: (p) => link(packageHref(p), p.name) },
  { label: "代码", value: (p) => h("span", { class: "mono" }, p.code) },
  { label: "牵头部门", value: (p) => deptName(p.lead_department) },
  { label: "事项", value: (p) => `${p.items.length} 项（${p.departments.map(deptName).join("、")}）` },
  { label: "时限", value: limitsText },
  { label: "状态", value: catalogueStateTag },
];

/**
 * The catalogue as the forms choose from it: the items offered, and those of the package shown
 * even if retired since (said so). `options` for the selects, `byCode` for their limits.
 */
function catalogueOf(offered, shown = []) {
  const byCode = new Map(offered.map((i) => [i.code, i]));
  const options = offered.map((i) => [i.code, `${i.name}（${deptName(i.department)}）`]);
  for (const i of shown) {
    if (!byCode.has(i.code)) options.push([i.code, `${i.name}（${deptName(i.department)}，已停用）`]);
  }
  return { byCode, options };
}

// ---- the form (new and change) -------------------------------------------------------

function packageFields(p) {
  return [
    { name: "name", label: "套餐名称", required: true, max: 200, value: p.name, hint: "如 开办企业一件事" },
    { name: "lead_department", label: "牵头部门", type: "department", required: true, value: p.lead_department },
    committedField({ ...p, what: "套餐" }),
    { name: "description", label: "说明", type: "textarea", max: 4000, value: p.description },
  ];
}

function packageExtras(p, catalogue) {
  const pick = { name: "code", label: "事项", type: "select", required: true, options: catalogue.options };
  return [
    repeater("items", { legend: "套餐中的事项（从事项目录中选择，2–30 项，并联办理）", item: "事项", min: 2, max: 30, addText: "添加事项",
      fields: [pick], initial: (p.item_codes || []).map((code) => ({ code })) }),
    materialsRepeater(p.own_materials ? p.materials : [], "套餐的一套材料（一表申请；不填则合并各事项的材料，同名只收一次）"),
    repeater("fee_waivers", { legend: "收费减免", item: "减免", max: 30, addText: "添加减免",
      fields: [{ ...pick, name: "item_code" }, { name: "waiver", label: "减免内容", required: true, max: 200, hint: "如 新办企业免费刻制公章5枚" }],
      initial: p.fee_waivers || [] }),
  ];
}

/** What both forms send; what the service would refuse in English is said here first. */
function packageBody(v, catalogue) {
  const codes = rows(v, "items").map((r) => r.code);
  if (codes.length < 2) throw new Error("一件事一次办至少包含两个事项");
  const twice = codes.find((code, n) => codes.indexOf(code) !== n);
  if (twice) throw new Error(`事项“${catalogue.options.find(([c]) => c === twice)?.[1] || twice}”选了两次：每个事项只选一次`);
  const waivers = rows(v, "fee_waivers").map((r) => ({ item_code: r.item_code, waiver: r.waiver }));
  if (waivers.some((w) => !codes.includes(w.item_code))) throw new Error("收费减免所指的事项须在套餐的事项之中");
  return { name: v.name, description: v.description || null, lead_department: v.lead_department, item_codes: codes,
    committed_limit: committedValue(v), materials: materialsOf(v), fee_waivers: waivers };
}

/** The package's statutory limit as chosen so far: the slowest chosen item's (null: none yet). */
function slowestChosen(catalogue) {
  return (form) => {
    const limits = [...form.querySelectorAll("select[name^='items.']")]
      .map((s) => catalogue.byCode.get(s.value)?.statutory_limit).filter((n) => n !== undefined);
    return limits.length ? Math.max(...limits) : null;
  };
}

function packageForm(spec, catalogue, handler) {
  return limitsPreview(specForm(spec, handler), slowestChosen(catalogue));
}

function createForm(catalogue, close) {
  const code = { name: "code", label: "套餐代码", required: true, hint: "大写字母开头，大写字母、数字和下划线，如 KBQY",
    attrs: { minlength: 2, maxlength: 40, pattern: "[A-Z][A-Z0-9_]*", spellcheck: "false", autocomplete: "off", class: "mono" } };
  const spec = { label: "新增一件事一次办套餐", fields: [code, ...packageFields({})], after: packageExtras({}, catalogue), submitText: "新增", cancel: close };
  return packageForm(spec, catalogue, async (v, form) => {
    const json = { code: v.code, ...packageBody(v, catalogue) };
    const made = await request(PACKAGES, { method: "POST", json, idempotent: form });
    setFlash(`已新增套餐：${made.data.name}`);
    navigate(packageHref(made.data));
  });
}

export async function packagesAdminPage({ main }) {
  if (!mayKeepCatalogue(session.position())) {
    return notYours(main, "一件事一次办", "一件事一次办套餐由县营商局系统管理员维护", "/console/public/catalog", "查看公开的事项目录和套餐");
  }
  main.dataset.title = "一件事一次办";
  const catalogue = catalogueOf(await offeredItems());
  const panel = h("div");
  const open = () => {
    replace(panel, section("新增套餐", createForm(catalogue, () => replace(panel))));
    panel.querySelector("input")?.focus();
  };
  replace(main,
    h("div", { class: "case-head" }, h("h1", {}, "一件事一次办（集成套餐）"), h("button", { type: "button", class: "primary", onClick: open }, "新增套餐")),
    h("p", { class: "muted" }, "多个部门的事项一次申请、一套材料、并联办理、一个承诺时限。套餐的法定时限取其中最长的事项，承诺时限默认为其40%。"),
    panel,
    listSection("套餐（含已停用）", COLUMNS, () => get(PACKAGES, { include_retired: true }), "还没有套餐"));
}

// ---- one package -----------------------------------------------------------------------

function facts(p) {
  return [
    ["代码", h("span", { class: "mono" }, p.code)],
    ["说明", p.description],
    ["牵头部门", deptName(p.lead_department)],
    ["涉及部门", p.departments.map(deptName).join("、")],
    ["时限", `${limitsText(p)}；法定时限取套餐中最长的事项`],
    ["申请材料", p.own_materials ? "套餐自有的一套材料" : "合并各事项的材料（同名只收一次）"],
    ["当前版本", `第 ${p.version} 版（${dateTime(p.updated_at)}）`],
  ];
}

const itemName = (p, code) => p.items.find((i) => i.code === code)?.name || code;

const HISTORY = [
  { label: "名称", value: (s) => s.name },
  { label: "事项", value: (s) => s.items.map((i) => i.name).join("、") },
  { label: "时限", value: limitsText },
  { label: "状态", value: (s) => catalogueStateText(s) },
];

export async function packageAdminPage({ main, params }) {
  if (!mayKeepCatalogue(session.position())) {
    return notYours(main, "一件事一次办", "一件事一次办套餐由县营商局系统管理员维护", "/console/public/catalog", "查看公开的事项目录和套餐");
  }
  const url = `${PACKAGES}/${encodeURIComponent(params.code)}`;
  const offered = await offeredItems();
  const read = async () => {
    const [got, revisions] = await Promise.all([request(url), get(`${url}/history`)]);
    return { data: got.data, etag: got.etag, revisions };
  };
  const draw = ({ data: p, revisions }) => {
    main.dataset.title = `一件事一次办 · ${p.name}`;
    const catalogue = catalogueOf(offered, p.items);
    const save = (v) => page.write(url, { method: "PATCH", json: packageBody(v, catalogue) }, { message: "已保存套餐" });
    const editForm = () => packageForm({ label: "修改套餐", fields: packageFields(p), after: packageExtras(p, catalogue), submitText: "保存", cancel: page.close },
      catalogue, save);
    const retireText = "停用后不再受理该套餐的新申请，也不在公开的事项目录中列出；已受理的办件照常办理。套餐和它的历史版本都保留，可以重新启用。";
    replace(main,
      h("div", { class: "case-head" }, h("h1", {}, p.name), catalogueStateTag(p),
        h("button", { type: "button", class: "link", onClick: page.load }, "刷新")),
      h("p", {}, link(PAGE, "← 返回一件事一次办")),
      section("维护", h("div", { class: "action-buttons" }, upkeep(page, url, p, { what: "套餐", editForm, retireText })), page.panel),
      section("基本信息", kv(facts(p))),
      section("套餐中的事项（并联办理）", table([
        { label: "事项", value: (i) => link(`/console/approvals/items/${encodeURIComponent(i.code)}`, i.name) },
        { label: "实施编码", value: (i) => h("span", { class: "mono" }, i.code) },
        { label: "实施部门", value: (i) => deptName(i.department) },
      ], p.items, "没有事项")),
      section("申请材料（一次告知）", table([...MATERIAL_COLUMNS,
        { label: "涉及事项", value: (m) => (m.item_codes.length ? m.item_codes.map((c) => itemName(p, c)).join("、") : "套餐自有") },
      ], p.materials, "无需材料")),
      section("收费减免", table([
        { label: "事项", value: (w) => itemName(p, w.item_code) },
        { label: "减免内容", value: (w) => w.waiver },
      ], p.fee_waivers, "没有收费减免")),
      section("历史版本", historyTable(revisions, HISTORY)));
    showFlash(main);
  };
  const page = versionedPage(main, { read, draw });
  await page.load();
}
