// The service catalog (事项目录) and integrated packages (一件事一次办): public.
import { publicGet } from "../../api.js";
import { h, replace } from "../../dom.js";
import { deptName } from "../../directory.js";
import { CHANNELS, ITEM_TYPES, label } from "../../labels.js";
import { navigate } from "../../router.js";
import { field, input, kv, section, table, withLoading } from "../../ui.js";

const A = "/api/v1/approvals";
const fee = (i) => (i.fee_free ? "免费" : `${(i.fee_cents / 100).toFixed(2)} 元${i.fee_basis ? `（${i.fee_basis}）` : ""}`);
const trips = (i) => (i.trips_needed === 0 ? "零跑腿" : "最多跑一次");

const ITEM_COLUMNS = [
  { label: "事项名称", value: (i) => h("a", { href: `/console/public/catalog/${encodeURIComponent(i.code)}`, "data-link": "" }, i.name) },
  { label: "实施部门", value: (i) => deptName(i.department) },
  { label: "类型", value: (i) => label(ITEM_TYPES, i.item_type) },
  { label: "办件类型", value: (i) => (i.handling_kind === "instant" ? "即办件" : "承诺件") },
  { label: "法定/承诺时限", value: (i) => `${i.statutory_limit} / ${i.committed_limit} 个工作日` },
  { label: "跑动", value: trips },
  { label: "收费", value: fee },
];

export async function catalogPage({ main, query }) {
  main.dataset.title = "政务服务事项";
  const q = query.get("q") || "";
  const search = h("form", { class: "filters", role: "search" }, field("搜索事项", input("q", { value: q, maxlength: 100 })),
    h("button", { type: "submit" }, "搜索"));
  search.addEventListener("submit", (event) => {
    event.preventDefault();
    navigate(`/console/public/catalog?q=${encodeURIComponent(search.elements.q.value.trim())}`);
  });
  const items = h("div");
  const packages = h("div");
  replace(main, h("h1", {}, "政务服务事项目录"), section(null, search), section("事项", items), section("一件事一次办（集成套餐）", packages));
  withLoading(packages, () => publicGet(`${A}/packages`), (rows) => table([
    { label: "套餐", value: (p) => p.name },
    { label: "牵头部门", value: (p) => deptName(p.lead_department) },
    { label: "涉及部门", value: (p) => p.departments.map(deptName).join("、") },
    { label: "承诺时限", value: (p) => `${p.committed_limit} 个工作日` },
  ], rows, "暂无集成套餐"));
  await withLoading(items, async () => (await publicGet(`${A}/items`, { q, limit: 200 })).items, (rows) => table(ITEM_COLUMNS, rows, "没有找到相关事项"));
}

function itemView(i) {
  return h("div", {},
    section("基本信息", kv([
      ["实施编码", i.code], ["实施部门", deptName(i.department)], ["事项类型", label(ITEM_TYPES, i.item_type)],
      ["办件类型", i.handling_kind === "instant" ? "即办件（当场办结）" : "承诺件"],
      ["法定时限", `${i.statutory_limit} 个工作日`], ["承诺时限", `${i.committed_limit} 个工作日`],
      ["跑动次数", trips(i)], ["收费", fee(i)],
      ["办理渠道", i.channels.map((c) => label(CHANNELS, c)).join("、") || "窗口办理"],
      ["咨询电话", i.contact_phone], ["监督电话", i.supervision_phone],
    ])),
    section("申请材料", table([
      { label: "材料", value: (m) => m.name },
      { label: "必需", value: (m) => (m.required ? "是" : "否") },
      { label: "份数", value: (m) => String(m.copies ?? 1) },
      { label: "原件", value: (m) => (m.original ? "需原件" : "复印件") },
      { label: "说明", value: (m) => m.note || "" },
    ], i.materials, "无需材料")),
    section("办理流程", i.steps.length ? h("ol", {}, i.steps.map((s) => h("li", {}, s))) : h("p", {}, "—")));
}

export async function itemPage({ main, params }) {
  main.dataset.title = "事项详情";
  const body = h("div");
  replace(main, h("p", {}, h("a", { href: "/console/public/catalog", "data-link": "" }, "← 返回事项目录")), body);
  await withLoading(body, () => publicGet(`${A}/items/${encodeURIComponent(params.ref)}`), (i) => {
    main.dataset.title = i.name;
    return h("div", {}, h("h1", {}, i.name), itemView(i));
  });
}
