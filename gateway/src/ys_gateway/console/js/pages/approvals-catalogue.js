// 事项目录 administration (svc-approvals catalog): the county's service items, kept by its
// administrators (BUREAU/admin). The list is filtered by unit, channel and name, retired items
// included on request; an item is added (Idempotency-Key), changed against the version shown
// (If-Match: someone else's change first is said, shown, and the form keeps what was typed),
// retired and offered again; every version is kept. The committed limit is shown against the
// statutory one (40% by default, DOMAIN.md); a committed limit the service refuses is said
// under the form in the service's words.
import { get, request } from "../api.js";
import { h, replace } from "../dom.js";
import { deptName, departmentOptions } from "../directory.js";
import { dateTime } from "../format.js";
import { checkboxes, checked, specForm, versionedPage } from "../forms.js";
import {
  CHANNELS, CROSS_PROVINCE_MODES, HANDLING_KINDS, ITEM_TYPES, ONLINE_DEPTHS, TRIPS, label,
} from "../labels.js";
import { navigate } from "../router.js";
import * as session from "../session.js";
import { field, input, kv, link, section, select, table } from "../ui.js";
import {
  A, MATERIAL_COLUMNS, catalogueStateTag, catalogueStateText, committedField, committedValue, historyTable, limitsPreview, limitsText,
  materialsOf, materialsRepeater, mayKeepCatalogue, notYours, upkeep,
} from "./approvals-shared.js";
import { filterForm, pagedList } from "./lists.js";
import { setFlash, showFlash } from "./visits-shared.js";

const ITEMS = `${A}/items`;
const PAGE = "/console/approvals/items";
const itemHref = (i) => `${PAGE}/${encodeURIComponent(i.code)}`;
const channelsText = (i) => i.channels.map((c) => label(CHANNELS, c)).join("、") || "—";
const feeText = (i) => (i.fee_free ? "免费" : `${(i.fee_cents / 100).toFixed(2)} 元${i.fee_basis ? `（${i.fee_basis}）` : ""}`);

const COLUMNS = [
  { label: "事项名称", value: (i) => link(itemHref(i), i.name) },
  { label: "实施编码", value: (i) => h("span", { class: "mono" }, i.code) },
  { label: "实施部门", value: (i) => deptName(i.department) },
  { label: "类型", value: (i) => `${label(ITEM_TYPES, i.item_type)} · ${label(HANDLING_KINDS, i.handling_kind)}` },
  { label: "时限", value: limitsText },
  { label: "办理渠道", value: channelsText },
  { label: "状态", value: catalogueStateTag },
];

// ---- the form (new and change) -------------------------------------------------------

/** The fields both forms have; `i` is the item shown ({} for a new one). */
function itemFields(i) {
  return [
    { name: "name", label: "事项名称", required: true, max: 200, value: i.name },
    { name: "item_type", label: "事项类型", type: "select", required: true, options: ITEM_TYPES, value: i.item_type },
    { name: "handling_kind", label: "办件类型", type: "select", required: true, options: HANDLING_KINDS, value: i.handling_kind || "promised",
      hint: "即办件当场办结；承诺件在承诺时限内办结" },
    { name: "trips_needed", label: "跑动次数", type: "select", required: true, options: TRIPS, value: String(i.trips_needed ?? 1) },
    { name: "statutory_limit", label: "法定时限（工作日）", type: "number", required: true, min: 0, value: i.statutory_limit, attrs: { max: 3650 } },
    committedField(i),
    { name: "fee_free", label: "免费办理", type: "checkbox", value: i.fee_free !== false },
    { name: "fee_yuan", label: "收费金额（元）", type: "number", min: 0, step: "0.01", value: i.fee_cents ? (i.fee_cents / 100).toFixed(2) : null,
      hint: "不免费的事项填写" },
    { name: "fee_basis", label: "收费依据", max: 1000, value: i.fee_basis },
    { name: "online_depth", label: "网办深度", type: "select", required: true, options: ONLINE_DEPTHS, value: String(i.online_depth ?? 1) },
    { name: "cross_province_mode", label: "跨省通办模式", type: "select", options: CROSS_PROVINCE_MODES, value: i.cross_province_mode,
      blank: "（不跨省通办）", hint: "勾选“跨省通办”渠道的事项选择" },
    { name: "contact_phone", label: "咨询电话", max: 40, value: i.contact_phone },
    { name: "supervision_phone", label: "监督电话", max: 40, value: i.supervision_phone },
    { name: "registers_enterprise", label: "设立企业（办理后新设法人）", type: "checkbox", value: i.registers_enterprise === true,
      hint: "如企业设立登记：申请人为筹建中的企业，尚无统一社会信用代码，法人申请可不填代码（填写的仍予核验）" },
    { name: "steps", label: "办理流程（每行一步）", type: "textarea", rows: 4, value: (i.steps || []).join("\n") },
  ];
}

/** The fieldsets after the fields: channels, then the materials as rows. */
const itemExtras = (i) => [
  checkboxes("channel", "办理渠道", Object.entries(CHANNELS), i.channels || ["window"]),
  materialsRepeater(i.materials || []),
];

/** What both forms send (an item's change names every field it shows). */
function itemBody(v) {
  const fee = v.fee_free ? 0 : Math.round(Number(v.fee_yuan || 0) * 100);
  if (!v.fee_free && fee <= 0) throw new Error("不免费的事项请填写收费金额");
  const steps = v.steps.split("\n").map((s) => s.trim()).filter(Boolean);
  return {
    name: v.name, item_type: v.item_type, handling_kind: v.handling_kind, trips_needed: Number(v.trips_needed),
    statutory_limit: Number(v.statutory_limit), committed_limit: committedValue(v),
    fee_free: v.fee_free, fee_cents: fee, fee_basis: v.fee_basis || null, online_depth: Number(v.online_depth),
    channels: checked(v, "channel"), cross_province_mode: v.cross_province_mode || null,
    contact_phone: v.contact_phone || null, supervision_phone: v.supervision_phone || null,
    registers_enterprise: v.registers_enterprise, steps, materials: materialsOf(v),
  };
}

const statutoryTyped = (form) => (form.elements.statutory_limit.value === "" ? null : Number(form.elements.statutory_limit.value));

function itemForm(spec, handler) {
  return limitsPreview(specForm(spec, handler), statutoryTyped);
}

function createForm(close) {
  const head = [
    { name: "code", label: "实施编码", required: true, hint: "31位：实施机构的18位统一社会信用代码＋13位",
      attrs: { minlength: 31, maxlength: 31, pattern: "[0-9A-Za-z]{31}", spellcheck: "false", autocomplete: "off", class: "mono" } },
    { name: "department", label: "实施部门", type: "department", required: true },
  ];
  return itemForm({ label: "新增事项", fields: [...head, ...itemFields({})], after: itemExtras({}), submitText: "新增", cancel: close },
    async (v, form) => {
      const json = { ...itemBody(v), code: v.code.toUpperCase(), department: v.department };
      const made = await request(ITEMS, { method: "POST", json, idempotent: form });
      setFlash(`已新增事项：${made.data.name}`);
      navigate(itemHref(made.data));
    });
}

// ---- the list ---------------------------------------------------------------------------

const FILTERS = ["department", "channel", "q", "include_retired"];

function filters(query) {
  return filterForm("筛选事项", PAGE, query, [
    field("实施部门", select("department", departmentOptions(undefined, { inactive: true }), { blank: "全部部门" })),
    field("办理渠道", select("channel", CHANNELS, { blank: "全部渠道" })),
    field("事项名称", input("q", { type: "search", maxlength: 50, placeholder: "名称中的字词" })),
    h("label", { class: "check" }, h("input", { type: "checkbox", name: "include_retired", id: "f-include_retired" }), "含已停用的事项"),
  ]);
}

export async function itemsAdminPage({ main, query }) {
  if (!mayKeepCatalogue(session.position())) {
    return notYours(main, "事项目录", "事项目录由县营商局系统管理员维护", "/console/public/catalog", "查看公开的政务服务事项目录");
  }
  main.dataset.title = "事项目录";
  const panel = h("div");
  const open = () => {
    replace(panel, section("新增事项", createForm(() => replace(panel))));
    panel.querySelector("input")?.focus();
  };
  const params = Object.fromEntries(FILTERS.map((name) => [name, query.get(name)]));
  replace(main,
    h("div", { class: "case-head" }, h("h1", {}, "事项目录"), h("button", { type: "button", class: "primary", onClick: open }, "新增事项")),
    h("p", { class: "muted" }, "全县的政务服务事项，由营商局系统管理员维护，每次修改都保留历史版本。",
      "承诺时限默认为法定时限的40%（法定时限压缩50%后再压缩20%，向下取整，至少1个工作日）；事项可另定承诺时限，但不得超过法定时限。"),
    panel,
    section(null, filters(query)),
    section("事项", pagedList(ITEMS, params, COLUMNS, "没有符合条件的事项")));
}

// ---- one item ---------------------------------------------------------------------------

function facts(i) {
  return [
    ["实施编码", h("span", { class: "mono" }, i.code)],
    ["实施部门", deptName(i.department)],
    ["事项类型", label(ITEM_TYPES, i.item_type)],
    ["办件类型", label(HANDLING_KINDS, i.handling_kind)],
    ["时限", limitsText(i)],
    ["跑动次数", label(TRIPS, i.trips_needed)],
    ["收费", feeText(i)],
    ["办理渠道", channelsText(i)],
    ["跨省通办模式", label(CROSS_PROVINCE_MODES, i.cross_province_mode)],
    ["网办深度", label(ONLINE_DEPTHS, i.online_depth)],
    ["设立企业", i.registers_enterprise ? "是（法人申请可不填统一社会信用代码）" : "否"],
    ["咨询电话", i.contact_phone],
    ["监督电话", i.supervision_phone],
    ["当前版本", `第 ${i.version} 版（${dateTime(i.updated_at)}）`],
  ];
}

const HISTORY = [
  { label: "名称", value: (s) => s.name },
  { label: "时限", value: limitsText },
  { label: "材料", value: (s) => `${s.materials.length} 项` },
  { label: "设立企业", value: (s) => (s.registers_enterprise ? "是" : "否") },
  { label: "状态", value: (s) => catalogueStateText(s) },
];

export async function itemAdminPage({ main, params }) {
  if (!mayKeepCatalogue(session.position())) {
    return notYours(main, "事项目录", "事项目录由县营商局系统管理员维护", `/console/public/catalog/${encodeURIComponent(params.ref)}`, "查看该事项的公开信息");
  }
  const url = `${ITEMS}/${encodeURIComponent(params.ref)}`;
  const read = async () => {
    const [got, revisions] = await Promise.all([request(url), get(`${url}/history`)]);
    return { data: got.data, etag: got.etag, revisions };
  };
  const save = (v) => page.write(url, { method: "PATCH", json: itemBody(v) }, { message: "已保存事项" });
  const draw = ({ data: i, revisions }) => {
    main.dataset.title = `事项目录 · ${i.name}`;
    const editForm = () => itemForm({ label: "修改事项", fields: itemFields(i), after: itemExtras(i), submitText: "保存", cancel: page.close }, save);
    const retireText = "停用后该事项不再受理新的申请，也不在公开的事项目录中列出；已受理的办件照常办理。事项和它的历史版本都保留，可以重新启用。";
    replace(main,
      h("div", { class: "case-head" }, h("h1", {}, i.name), catalogueStateTag(i),
        h("button", { type: "button", class: "link", onClick: page.load }, "刷新")),
      h("p", {}, link(PAGE, "← 返回事项目录")),
      section("维护", h("div", { class: "action-buttons" }, upkeep(page, url, i, { what: "事项", editForm, retireText })), page.panel),
      section("基本信息", kv(facts(i))),
      section("申请材料", table(MATERIAL_COLUMNS, i.materials, "无需材料")),
      section("办理流程", i.steps.length ? h("ol", {}, i.steps.map((s) => h("li", {}, s))) : h("p", { class: "muted" }, "未填写")),
      section("历史版本", historyTable(revisions, HISTORY)));
    showFlash(main);
  };
  const page = versionedPage(main, { read, draw });
  await page.load();
}
