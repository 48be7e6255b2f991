// 派单目录: where the hotline dispatches each category of matter — the lead and co-handling
// units and the level (county or town) — and every kept version of an entry (ys_hotline/
// catalogue). Any staff reads it; the hotline center's head and admin edit it. A county matter
// is never pushed down to a town (国办函〔2025〕66号): the service refuses it and the refusal
// reads in Chinese under the form. A save sends If-Match with the ETag of the revision shown:
// when someone changed the entry meanwhile (412) the page says so and shows the current one,
// and the form keeps what the user typed.
import { get, request } from "../api.js";
import { h, replace } from "../dom.js";
import { deptName } from "../directory.js";
import { dateTime } from "../format.js";
import { repeater, rows, specForm, versionedPage } from "../forms.js";
import { COMPLAINTS_CENTER_SHORT, label } from "../labels.js";
import { navigate } from "../router.js";
import * as session from "../session.js";
import { kv, link, section, table, tag } from "../ui.js";
import { setFlash, showFlash } from "./visits-shared.js";

const C = "/api/v1/hotline/categories";
const LEVELS = { county: "县级部门事项", town: "乡镇（街道）事项" };

export const mayEditCatalogue = (p) => Boolean(p) && p.dept === "HOTLINE_CENTER" && ["head", "admin"].includes(p.role);

/** Units that handle tickets (not the coordinating bodies), towns marked as such. */
async function handlingUnits() {
  const list = await get("/api/v1/hotline/departments");
  return list.filter((d) => d.kind !== "coordinating")
    .sort((a, b) => (a.kind === "town") - (b.kind === "town") || a.name.localeCompare(b.name, "zh-CN"))
    .map((d) => [d.code, d.kind === "town" ? `${d.name}（乡镇）` : d.name]);
}

const routeText = (c) => (c.transfer_to_complaints ? `转${COMPLAINTS_CENTER_SHORT}` : "派单");
const coText = (list) => (list && list.length ? list.map(deptName).join("、") : "—");

/** Who changed a version: the user ids the API keeps, as far as the console can name them. */
function actorText(sub) {
  if (!sub) return "—";
  if (sub.startsWith("system:")) return "系统（初始数据）";
  if (sub === session.claims().sub) return "本人";
  return `用户 ${sub.slice(0, 8)}`;
}

const COLUMNS = [
  { label: "代码", value: (c) => link(`/console/catalogue/${encodeURIComponent(c.code)}`, c.code) },
  { label: "分类名称", value: (c) => c.name },
  { label: "层级", value: (c) => label(LEVELS, c.level) },
  { label: "牵头单位", value: (c) => (c.lead_department ? deptName(c.lead_department) : c.level === "town" ? "按事发地乡镇" : "—") },
  { label: "协办单位", value: (c) => coText(c.co_departments) },
  { label: "去向", value: routeText },
  { label: "状态", value: (c) => (c.active ? "启用" : tag("已停用", "danger")) },
  { label: "版本", value: (c) => `第 ${c.revision} 版 · ${dateTime(c.updated_at)}` },
];

function categoryFields(c, units) {
  return [
    { name: "name", label: "分类名称", required: true, max: 120, attrs: { minlength: 2 }, value: c.name, hint: "如 市场监管/食品安全" },
    { name: "level", label: "事项层级", type: "select", required: true, options: LEVELS, value: c.level,
      hint: "县级部门的事项不得下派乡镇（国办函〔2025〕66号）" },
    { name: "lead_department", label: "牵头单位", type: "select", options: units, blank: "（不指定）", value: c.lead_department,
      hint: "县级事项必须指定；乡镇事项不指定时由话务员按事发地派给乡镇" },
    { name: "transfer_to_complaints", label: `涉企侵权：转${COMPLAINTS_CENTER_SHORT}办理（不派单）`, type: "checkbox", value: c.transfer_to_complaints === true },
    { name: "active", label: "启用（受理时可选择该分类）", type: "checkbox", value: c.active !== false },
  ];
}

function coRepeater(c, units) {
  return repeater("co", { legend: "协办单位（至多 10 个）", item: "协办单位", max: 10, addText: "添加协办单位",
    fields: [{ name: "department", label: "协办单位", type: "select", required: true, options: units }],
    initial: (c.co_departments || []).map((department) => ({ department })) });
}

/** The body to PUT, refusing here what the service would refuse with an English sentence. */
function categoryBody(v) {
  const co = rows(v, "co").map((r) => r.department);
  const lead = v.lead_department || null;
  if (v.level === "county" && !v.transfer_to_complaints && !lead) throw new Error("县级部门事项须指定牵头单位（涉企侵权转办的除外）");
  if (lead && co.includes(lead)) throw new Error("牵头单位不能同时作为协办单位");
  if (new Set(co).size !== co.length) throw new Error("协办单位重复");
  return { name: v.name, lead_department: lead, co_departments: co, level: v.level,
    transfer_to_complaints: v.transfer_to_complaints, active: v.active };
}

function createForm(units, close) {
  const code = { name: "code", label: "分类代码", required: true, hint: "大写字母开头，字母、数字和下划线，如 SCJG_FOOD",
    attrs: { minlength: 2, maxlength: 60, pattern: "[A-Z][A-Z0-9_]*", autocapitalize: "characters", spellcheck: "false", class: "mono" } };
  const fields = [code, ...categoryFields({}, units)];
  return specForm({ label: "新增派单目录分类", fields, after: coRepeater({}, units), submitText: "新增", cancel: close }, async (v) => {
    const body = categoryBody(v);
    try {
      await request(`${C}/${encodeURIComponent(v.code)}`, { method: "PUT", json: body });
    } catch (error) {
      // A PUT without If-Match creates and never overwrites: 428 means the code is taken.
      if (error.status === 428) throw new Error(`代码 ${v.code} 已在目录中，请在列表中打开该分类修改`);
      throw error;
    }
    setFlash(`已新增派单目录分类：${v.name}`);
    navigate(`/console/catalogue/${encodeURIComponent(v.code)}`);
  });
}

export async function cataloguePage({ main }) {
  main.dataset.title = "派单目录";
  const editor = mayEditCatalogue(session.position());
  const [list, units] = await Promise.all([get(C, { include_inactive: true }), editor ? handlingUnits() : []]);
  const panel = h("div");
  const open = () => {
    replace(panel, section("新增派单目录分类", createForm(units, () => replace(panel))));
    panel.querySelector("input")?.focus();
  };
  replace(main,
    h("div", { class: "case-head" }, h("h1", {}, "派单目录"),
      editor ? h("button", { type: "button", class: "primary", onClick: open }, "新增分类") : null),
    h("p", { class: "muted" }, "受理时选择的分类决定派给哪个牵头单位及协办单位；每次修改都保留历史版本。",
      editor ? "" : "由12345热线中心负责人维护；您当前的岗位只能查看。"),
    panel,
    section(`分类（${list.length}）`, table(COLUMNS, list, "目录为空")));
}

// ---- one category and its history ---------------------------------------------------------

const CHANGED = { name: "名称", level: "层级", lead_department: "牵头单位", co_departments: "协办单位",
  transfer_to_complaints: "去向", active: "状态" };

function changes(snapshot, before) {
  if (!before) return "新增";
  const differ = Object.keys(CHANGED).filter((k) => JSON.stringify(snapshot[k]) !== JSON.stringify(before[k]));
  return differ.length ? `修改${differ.map((k) => CHANGED[k]).join("、")}` : "未变化";
}

function history(revisions) {
  const shown = revisions.map((r, i) => ({ ...r, change: changes(r.snapshot, i ? revisions[i - 1].snapshot : null) })).reverse();
  return table([
    { label: "版本", value: (r) => `第 ${r.revision} 版` },
    { label: "时间", value: (r) => dateTime(r.changed_at) },
    { label: "修改人", value: (r) => actorText(r.changed_by) },
    { label: "变更", value: (r) => r.change },
    { label: "名称", value: (r) => r.snapshot.name },
    { label: "层级", value: (r) => label(LEVELS, r.snapshot.level) },
    { label: "牵头单位", value: (r) => deptName(r.snapshot.lead_department) },
    { label: "协办单位", value: (r) => coText(r.snapshot.co_departments) },
    { label: "去向", value: (r) => routeText(r.snapshot) },
    { label: "状态", value: (r) => (r.snapshot.active ? "启用" : "已停用") },
  ], shown, "没有历史版本");
}

function facts(c) {
  return [
    ["代码", h("span", { class: "mono" }, c.code)],
    ["分类名称", c.name],
    ["事项层级", label(LEVELS, c.level)],
    ["牵头单位", c.lead_department ? deptName(c.lead_department) : "—"],
    ["协办单位", coText(c.co_departments)],
    ["去向", routeText(c)],
    ["当前版本", `第 ${c.revision} 版（${dateTime(c.updated_at)}，${actorText(c.updated_by)}）`],
  ];
}

export async function categoryPage({ main, params }) {
  const url = `${C}/${encodeURIComponent(params.code)}`;
  const editor = mayEditCatalogue(session.position());
  const units = editor ? await handlingUnits() : [];
  const read = async () => {
    const [got, revisions] = await Promise.all([request(url), get(`${url}/revisions`)]);
    return { data: got.data, etag: got.etag, revisions };
  };
  // Saved: read again, for the new version in the history. Someone else's save first (412):
  // the current one and its history are shown, the form keeps what the user typed (forms.js).
  const save = (v) => page.write(url, { method: "PUT", json: categoryBody(v) }, { message: "已保存派单目录分类" });
  const draw = ({ data: c, revisions }) => {
    main.dataset.title = `派单目录 · ${c.name}`;
    // The form stays drawn: filled in from the version shown, until saved or read afresh.
    if (editor && !page.panel.firstChild) {
      page.panel.append(specForm({ label: "修改派单目录分类", fields: categoryFields(c, units), after: coRepeater(c, units), submitText: "保存" }, save));
    }
    replace(main,
      h("div", { class: "case-head" }, h("h1", {}, c.name), tag(c.active ? label(LEVELS, c.level) : "已停用", c.active ? "status" : "danger"),
        h("button", { type: "button", class: "link", onClick: page.load }, "刷新")),
      h("p", {}, link("/console/catalogue", "← 返回派单目录")),
      section("当前设置", kv(facts(c))),
      editor ? section("修改", page.panel) : section(null, h("p", { class: "muted" }, "派单目录由12345热线中心负责人维护；您当前的岗位只能查看。")),
      section("历史版本", history(revisions)));
    showFlash(main);
  };
  const page = versionedPage(main, { read, draw, panelClass: "edit-panel" });
  await page.load();
}
