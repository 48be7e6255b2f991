// What the approvals administration pages share (事项目录, 一件事一次办, 四公开): who may keep
// them, the committed limit against the statutory one (the county's 40% rule, DOMAIN.md), the
// materials a form edits as rows, a record's kept versions, a maintenance panel's buttons.
import { all } from "../api.js";
import { h, replace } from "../dom.js";
import { dateTime, ratio } from "../format.js";
import { repeater, rows, specForm } from "../forms.js";
import { CATALOGUE_STATES, RECORD_CHANGES, label } from "../labels.js";
import * as session from "../session.js";
import { link, section, table, tag } from "../ui.js";

export const A = "/api/v1/approvals";

/** The catalogue and its packages are the county's: BUREAU/admin (yingshang.auth.county_admin). */
export const mayKeepCatalogue = (p) => session.isCountyAdmin(p);

/** 四公开: a unit's head or admin publishes the unit's own lists (disclosure/router.py
 * PUBLISHERS); the county's administrators publish for any unit. */
export const mayPublish = (p) => Boolean(p) && ["head", "admin"].includes(p.role);

/** Where a position may not keep what a page keeps: said, with the public page instead. */
export function notYours(main, title, who, publicHref, publicText) {
  main.dataset.title = title;
  replace(main, h("h1", {}, title),
    section(null, h("p", { class: "notice info", role: "status" }, `${who}；您当前的岗位不能维护。`),
      h("p", {}, link(publicHref, publicText))));
}

// ---- limits: committed against statutory ------------------------------------------------

// DOMAIN.md: compressed 50%, then a further 20% → 40% of the statutory limit, rounded down to
// whole working days, at least 1 (catalog/service.py default_committed).
const COMMITTED_PERCENT = 40;

export function defaultCommitted(statutory) {
  return statutory <= 0 ? 0 : Math.max(1, Math.floor((statutory * COMMITTED_PERCENT) / 100));
}

const compression = (statutory, committed) => (statutory > 0 ? ratio(1 - committed / statutory) : "—");

/** "法定 20 / 承诺 8 个工作日（压缩 60%，按县默认）" of an item or a package as the API has it. */
export function limitsText(x) {
  const own = x.committed_limit !== defaultCommitted(x.statutory_limit);
  return `法定 ${x.statutory_limit} / 承诺 ${x.committed_limit} 个工作日（压缩 ${compression(x.statutory_limit, x.committed_limit)}，${own ? "自定承诺" : "按县默认40%"}）`;
}

/** The form's committed limit: the number typed, or null (the default, 40% of statutory). */
export const committedValue = (v) => (v.committed_limit === "" ? null : Number(v.committed_limit));

/** A committed-limit field: blank while the limit is the default, so it follows the statutory. */
export function committedField(x) {
  const own = x.committed_limit !== undefined && x.committed_limit !== defaultCommitted(x.statutory_limit);
  return { name: "committed_limit", label: "承诺时限（工作日）", type: "number", min: 0, value: own ? x.committed_limit : null,
    attrs: { max: 3650 }, hint: `留空：按法定时限的${COMMITTED_PERCENT}%（向下取整，至少1个工作日），法定时限改变时随之改变；填写：本${x.what || "事项"}自定的承诺时限，不得超过法定时限` };
}

/**
 * A line under a form saying what the committed limit comes to against the statutory one, as
 * the user types: `statutoryOf(form)` → the statutory limit (null while unknown). A committed
 * limit above it is said here; the service refuses it on saving, and its refusal shows under
 * the form.
 */
export function limitsPreview(form, statutoryOf) {
  const line = h("p", { class: "hint limits-preview", "aria-live": "polite" });
  const update = () => {
    const statutory = statutoryOf(form);
    const typed = form.elements.committed_limit.value.trim();
    line.className = "hint limits-preview";
    if (statutory === null || Number.isNaN(statutory)) {
      line.textContent = "填写法定时限后，这里显示承诺时限与法定时限的对比";
      return;
    }
    if (typed === "") {
      const committed = defaultCommitted(statutory);
      line.textContent = `承诺时限 ${committed} 个工作日：按县默认，法定时限 ${statutory} 个工作日的${COMMITTED_PERCENT}%，压缩 ${compression(statutory, committed)}`;
      return;
    }
    const committed = Number(typed);
    if (committed > statutory) {
      line.className = "hint limits-preview warning";
      line.textContent = `承诺时限 ${committed} 个工作日超过了法定时限 ${statutory} 个工作日`;
      return;
    }
    line.textContent = `承诺时限 ${committed} 个工作日（自定）：法定时限 ${statutory} 个工作日，压缩 ${compression(statutory, committed)}`;
  };
  form.addEventListener("input", update);
  form.addEventListener("change", update);
  form.elements.committed_limit.closest("label").after(line);
  update();
  return form;
}

// ---- materials (申请材料) as rows ----------------------------------------------------------

const MATERIAL_FIELDS = [
  { name: "name", label: "材料名称", required: true, max: 200 },
  { name: "required", label: "必需", type: "checkbox", value: true },
  { name: "copies", label: "份数", type: "number", required: true, min: 0, value: 1, attrs: { max: 20 } },
  { name: "original", label: "需原件核验", type: "checkbox" },
  { name: "note", label: "说明", max: 500 },
];

export function materialsRepeater(initial, legend = "申请材料") {
  const list = repeater("materials", { legend, item: "材料", max: 100, addText: "添加材料", fields: MATERIAL_FIELDS,
    initial: initial.map((m) => ({ ...m, copies: String(m.copies ?? 1), note: m.note || "" })) });
  list.classList.add("materials"); // one line a material
  return list;
}

/** The materials rows as the API takes them; a name twice is refused here (intake matches by name). */
export function materialsOf(values) {
  const list = rows(values, "materials").map((m) => ({ name: m.name, required: m.required, copies: Number(m.copies),
    original: m.original, note: m.note || null }));
  const names = list.map((m) => m.name);
  const twice = names.find((name, i) => names.indexOf(name) !== i);
  if (twice) throw new Error(`材料“${twice}”填写了两次：同名材料只列一次`);
  return list;
}

export const MATERIAL_COLUMNS = [
  { label: "材料", value: (m) => m.name },
  { label: "必需", value: (m) => (m.required ? "是" : "否") },
  { label: "份数", value: (m) => String(m.copies ?? 1) },
  { label: "原件", value: (m) => (m.original ? "需原件" : "复印件") },
  { label: "说明", value: (m) => m.note || "" },
];

// ---- a record's kept versions and its maintenance --------------------------------------

/** Every version of a record, newest first: `columns` say what each snapshot held. */
export function historyTable(revisions, columns) {
  return table([
    { label: "版本", value: (r) => `第 ${r.version} 版` },
    { label: "时间", value: (r) => dateTime(r.changed_at) },
    { label: "修改人", value: (r) => r.changed_by },
    { label: "变更", value: (r) => label(RECORD_CHANGES, r.change) },
    ...columns.map((c) => ({ label: c.label, value: (r) => c.value(r.snapshot) })),
  ], [...revisions].reverse(), "没有历史版本");
}

/**
 * The buttons that keep one versioned record (forms.versionedPage `page`): 修改 opens
 * `editForm()`, 停用 / 重新启用 send `{active}` with If-Match after a confirmation.
 */
export function upkeep(page, url, record, { what, editForm, retireText }) {
  const write = (active, message) => page.write(url, { method: "PATCH", json: { active } }, { message });
  const confirm = (title, text, submitText, active, message) => specForm({ label: title, className: "action-form", fields: [],
    submitText, cancel: page.close, before: h("p", {}, text) }, () => write(active, message));
  const opener = (text, node, tone = "") => h("button", { type: "button", class: tone, onClick: () => page.open(section(text, node())) }, text);
  if (!record.active) {
    return [opener("重新启用", () => confirm(`重新启用${what}`, `重新启用后，该${what}重新对外提供。`, "确认重新启用", true, `已重新启用${what}`), "primary")];
  }
  return [opener("修改", editForm, "primary"),
    opener("停用", () => confirm(`停用${what}`, retireText, "确认停用", false, `已停用${what}`))];
}

/** The catalogue's items still offered, for choosing (a package's items): [{code, name, …}]. */
/** An item's or a package's state (in its snapshots too): 在用, or 已停用 once retired. */
export const catalogueStateText = (x) => CATALOGUE_STATES[x.active ? "active" : "retired"];
export const catalogueStateTag = (x) => tag(catalogueStateText(x), x.active ? "status" : "danger");

export const offeredItems = () => all(`${A}/items`, {}, 2000);
