// Forms built from field specs ({name, label, type, options, required, value, hint, ...}): a
// case's action forms and the registration forms draw the same controls the same way — a
// required choice starts blank, every control sits in its label, repeated rows (contacts,
// participants, problems found) are named `group.n.field` and read back as a list. A page of
// one versioned object changes it with If-Match and never loses a form the user filled in.
import { ApiError, get, request } from "./api.js";
import { h, replace } from "./dom.js";
import { departmentOptions } from "./directory.js";
import { STALE_KEPT } from "./problems.js";
import { errorBox, field, input, loading, notice, onSubmit, select, textarea } from "./ui.js";

/** A form control for one field spec. */
export function control(spec) {
  const id = spec.id || `f-${spec.name}`;
  const required = spec.required || null;
  if (spec.type === "textarea") {
    return textarea(spec.name, { id, required, maxlength: spec.max || null, rows: spec.rows || 3, value: spec.value ?? null, ...(spec.attrs || {}) });
  }
  if (spec.type === "select" || spec.type === "department") {
    // A required choice starts empty: submitting without one is refused by the browser,
    // never recorded as the first option (立行立改, 非常满意 …) by default.
    const options = spec.type === "department" ? departmentOptions(spec.filter) : spec.options;
    const unset = spec.type === "department" ? ["请选择单位", "（按目录默认）"] : ["请选择…", "（不选）"];
    const blank = spec.required ? (spec.value ? undefined : unset[0]) : spec.blank ?? unset[1];
    const el = select(spec.name, options, { id, blank, required });
    if (spec.value) el.value = spec.value;
    return el;
  }
  if (spec.type === "checkbox") return h("input", { type: "checkbox", name: spec.name, id, checked: spec.value === true });
  return input(spec.name, {
    id, required, type: spec.type || "text", maxlength: spec.max || null, min: spec.min ?? null,
    step: spec.step ?? null, value: spec.value ?? null, ...(spec.attrs || {}),
  });
}

/** A spec as it sits in a form: a labelled control (a checkbox after its box); `showIf:
 * [name, value]` shows it only while that control has that value ("true" / "false" for a
 * checkbox, "*" for any choice made); `requiredIf: [[name, value], …]` makes it required only
 * while all those hold (the same words; "!*" for no choice made, or no such control). */
export function specField(spec) {
  let node;
  if (spec.type === "checkbox") node = h("label", { class: "check" }, control(spec), spec.label);
  else if (spec.type === "enterprise") node = enterpriseField(spec);
  else node = field(spec.label, control(spec), spec.hint);
  if (spec.showIf) node.dataset.showIf = spec.showIf.join("=");
  if (spec.requiredIf) node.dataset.requiredIf = spec.requiredIf.map((c) => c.join("=")).join("&");
  return node;
}

function holds(form, condition) {
  const [name, wanted] = condition.split("=");
  const by = form.elements[name];
  const current = !by ? null : by.type === "checkbox" ? String(by.checked) : by.value;
  if (wanted === "*") return Boolean(current);
  if (wanted === "!*") return !current;
  return current === wanted;
}

/** Hide (and disable: no validation, no value) the fields whose `showIf` does not hold;
 * require those whose `requiredIf` holds. */
export function applyConditions(form) {
  const update = () => {
    for (const node of form.querySelectorAll("[data-show-if]")) {
      const shown = holds(form, node.dataset.showIf);
      node.hidden = !shown;
      for (const el of node.querySelectorAll("input,select,textarea")) el.disabled = !shown;
    }
    for (const node of form.querySelectorAll("[data-required-if]")) {
      const required = node.dataset.requiredIf.split("&").every((c) => holds(form, c));
      for (const el of node.querySelectorAll("input,select,textarea")) el.required = required;
    }
  };
  form.addEventListener("change", update);
  update();
  return form;
}

/**
 * A form of specs with its submit button: spec = {label (aria-label), fields, submitText,
 * before?, after?, cancel?}. `handler(values)` runs on submit (errors show under the form).
 */
export function specForm(spec, handler) {
  const form = h("form", { class: spec.className || "grid-form", "aria-label": spec.label },
    spec.before || null, spec.fields.map(specField), spec.after || null,
    h("div", { class: "actions" }, h("button", { type: "submit", class: "primary" }, spec.submitText),
      spec.cancel ? h("button", { type: "button", onClick: spec.cancel }, "取消") : null));
  return onSubmit(applyConditions(form), handler);
}

// ---- repeated rows --------------------------------------------------------------------

/**
 * A fieldset of like rows: {legend, item (one row's name), fields, min, max, addText,
 * initial: [values]}. Each row's controls are named `${group}.${n}.${field}`; `rows(values,
 * group)` reads them back.
 */
export function repeater(group, { legend, item = legend, fields, min = 0, max = 10, addText, initial = [] }) {
  let next = 0;
  const list = h("div", { class: "rows" });
  const add = h("button", { type: "button", class: "small" }, addText);
  const update = () => {
    add.disabled = list.children.length >= max;
    for (const button of list.querySelectorAll(".remove")) button.disabled = list.children.length <= min;
  };
  const addRow = (preset = {}) => {
    const n = next++;
    const row = h("div", { class: "row grid-form", role: "group", "aria-label": `${item} ${n + 1}` },
      fields.map((spec) => specField({ ...spec, name: `${group}.${n}.${spec.name}`, id: `f-${group}-${n}-${spec.name}`, value: preset[spec.name] ?? spec.value })),
      h("div", { class: "actions" }, h("button", { type: "button", class: "small remove", onClick: () => {
        row.remove();
        update();
        add.focus();
      } }, `删除此${item}`)));
    list.append(row);
    update();
    return row;
  };
  add.addEventListener("click", () => addRow().querySelector("input,select,textarea")?.focus());
  const presets = initial.length ? initial : Array.from({ length: min }, () => ({}));
  presets.forEach((preset) => addRow(preset));
  update();
  return h("fieldset", { class: "repeater" }, h("legend", {}, legend), list, add);
}

/** The rows of `group` among a form's values, in order, as objects of their fields. */
export function rows(values, group) {
  const found = new Map();
  for (const [key, value] of Object.entries(values)) {
    const parts = key.split(".");
    if (parts.length !== 3 || parts[0] !== group) continue;
    const n = Number(parts[1]);
    if (!found.has(n)) found.set(n, {});
    found.get(n)[parts[2]] = value;
  }
  return [...found.keys()].sort((a, b) => a - b).map((n) => found.get(n));
}

// ---- several choices ----------------------------------------------------------------------

/** A fieldset of checkboxes, one per option ([[value, text]]), named `${group}.${value}`;
 * `chosen` (values) start checked. `checked(values, group)` reads the chosen back. */
export function checkboxes(group, legend, options, chosen = []) {
  return h("fieldset", { class: "repeater choices" }, h("legend", {}, legend),
    options.map(([value, text]) => h("label", { class: "check" },
      h("input", { type: "checkbox", name: `${group}.${value}`, id: `f-${group}-${value}`, checked: chosen.includes(value) }), text)));
}

export function checked(values, group) {
  const prefix = `${group}.`;
  return Object.keys(values).filter((key) => key.startsWith(prefix) && values[key] === true).map((key) => key.slice(prefix.length));
}

// ---- an enterprise from the registry ------------------------------------------------------

const ENTERPRISES = "/api/v1/visits/enterprises";
const SHOWN = 50;

/**
 * A choice of enterprise: a select of the registry, narrowed by typing part of the name (the
 * API's `q`). spec.value may be an enterprise ({id, name, uscc}) chosen beforehand.
 */
function enterpriseField(spec) {
  const id = spec.id || `f-${spec.name}`;
  const blank = spec.required ? "请选择企业" : "（不涉及企业）";
  const choice = select(spec.name, [], { id, blank, required: spec.required || null });
  const search = input(null, { id: `${id}-q`, type: "search", maxlength: 100, placeholder: "输入企业名称中的字", autocomplete: "off", "aria-controls": id });
  const status = h("small", { class: "hint", role: "status" });
  const optionOf = (e) => h("option", { value: e.id }, `${e.name}（${e.uscc}）`);
  const fill = async (q) => {
    try {
      const page = await get(ENTERPRISES, { q: q || null, limit: SHOWN });
      const kept = choice.value;
      replace(choice, h("option", { value: "" }, blank), page.items.map(optionOf));
      if (page.items.some((e) => e.id === kept)) choice.value = kept;
      else if (q && page.items.length === 1) choice.value = page.items[0].id;
      choice.dispatchEvent(new Event("change", { bubbles: true }));
      const more = page.next_cursor ? `（仅列出最新 ${SHOWN} 家，输入名称可缩小范围）` : "";
      status.textContent = page.items.length ? `可选 ${page.items.length} 家企业${more}` : "没有名称含这些字的企业";
    } catch (error) {
      status.textContent = error.message;
    }
  };
  if (spec.value && spec.value.id) {
    choice.append(optionOf(spec.value));
    choice.value = spec.value.id;
  } else {
    fill("");
  }
  let timer = null;
  search.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(() => fill(search.value.trim()), 300);
  });
  search.addEventListener("keydown", (event) => {
    if (event.key === "Enter") event.preventDefault(); // searching, not submitting the form
  });
  const chosen = field(spec.label, choice, spec.hint);
  chosen.append(status);
  return h("div", { class: "picker" }, field(`查找${spec.label}`, search), chosen);
}

// ---- a page of one versioned object (ETag, If-Match) ------------------------------------

/** A thing of its own version on a page (a score on its indicator's page), for write's `version`. */
export async function versionOf(url) {
  const got = await request(url);
  return { url, data: got.data, etag: got.etag };
}

/**
 * The page of one object the API versions: `read()` → its state ({data, etag, …}, what `draw`
 * needs), `draw(state)` fills `main` and puts `page.panel` (where forms open) in it. Forms open
 * in the panel (`page.open`), which outlives every redraw: a form stays as the user typed it.
 *
 * page.write(path, options, {message, use, version}) sends the version last read (If-Match;
 * `version` from versionOf for a thing versioned on its own, `options.etag: null` for none).
 * Done: the form closes and the page shows `use(got, state)` (the write's answer as the new
 * state) or reads afresh. Someone else changed it meanwhile (412): the current version is read
 * and drawn around the form, which keeps the draft, and the error under it says so; submitting
 * again sends the version now shown, so a second submit deliberately overwrites. Any other
 * refusal leaves the page and the form as they are. A read that fails shows `failed(error)`
 * where it gives a page for it (e.g. not found), else the error with 重试.
 */
export function versionedPage(main, { read, draw, failed = () => null, panelClass = "action-panel" }) {
  const panel = h("div", { class: panelClass });
  const page = { panel, state: null, message: null };
  page.draw = async () => {
    await draw(page.state);
    if (page.message) notice(main, ...page.message);
    page.message = null;
  };
  page.load = async () => {
    replace(main, loading());
    try {
      page.state = await read();
      replace(panel); // read afresh (刷新, or after a write): start from what is there now
      await page.draw();
    } catch (error) {
      replace(main, failed(error) || errorBox(error, page.load));
    }
  };
  page.open = (node) => {
    replace(panel, node);
    panel.querySelector("input,select,textarea,button")?.focus();
  };
  page.close = () => replace(panel);
  const stale = async (error, version) => {
    const focused = document.activeElement;
    if (version) Object.assign(version, await versionOf(version.url));
    page.state = await read();
    await page.draw(); // the panel, and the form in it, are put back untouched
    if (panel.contains(focused)) focused.focus();
    return new ApiError(412, error.problem, STALE_KEPT);
  };
  page.write = async (path, options, { message, use, version } = {}) => {
    const etag = "etag" in options ? options.etag : (version || page.state).etag;
    let got;
    try {
      got = await request(path, { ...options, etag });
    } catch (error) {
      throw error.status === 412 ? await stale(error, version) : error;
    }
    const next = use ? use(got, page.state) : null;
    page.message = message ? [message, "ok"] : null;
    if (!next) return page.load();
    page.state = next;
    replace(panel);
    return page.draw();
  };
  return page;
}
