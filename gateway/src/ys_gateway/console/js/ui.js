// Shared widgets: loading / empty / error states, tables, forms, live countdowns.
import { h, replace } from "./dom.js";
import { keepDraft } from "./drafts.js";
import { countdown, dueTime } from "./format.js";
import { defaultLabel, describe, refusedFields } from "./problems.js";

export function loading(text = "正在加载…") {
  return h("div", { class: "state loading", role: "status" }, h("span", { class: "spinner" }), text);
}

export function empty(text = "暂无数据") {
  return h("div", { class: "state empty" }, text);
}

export function errorBox(error, retry) {
  return h(
    "div",
    { class: "state error", role: "alert" },
    h("p", {}, error && error.message ? error.message : String(error)),
    retry ? h("button", { type: "button", onClick: retry }, "重试") : null,
  );
}

/** A message strip at the top of `container` (tone: info | ok | warning | danger). */
export function notice(container, message, tone = "info") {
  const strip = h("div", { class: `notice ${tone}`, role: tone === "danger" ? "alert" : "status" }, message);
  container.prepend(strip);
  return strip;
}

/** Render `load()`'s result into `container` with loading and error states. */
export async function withLoading(container, load, render) {
  replace(container, loading());
  try {
    const data = await load();
    replace(container, render(data));
  } catch (error) {
    replace(container, errorBox(error, () => withLoading(container, load, render)));
  }
}

export function section(title, ...children) {
  return h("section", { class: "card" }, title ? h("h2", {}, title) : null, ...children);
}

/** columns: [{label, value: row => string|Node, class?}]; rowClass: row => a class or null */
export function table(columns, rows, emptyText = "暂无数据", { rowClass = () => null } = {}) {
  if (!rows || rows.length === 0) return empty(emptyText);
  const head = h("tr", {}, columns.map((c) => h("th", { scope: "col", class: c.class }, c.label)));
  const body = rows.map((row) =>
    h("tr", { class: rowClass(row) }, columns.map((c) => h("td", { class: c.class, "data-label": c.label }, c.value(row) ?? "—"))),
  );
  return h("div", { class: "table-wrap" }, h("table", {}, h("thead", {}, head), h("tbody", {}, body)));
}

export function kv(pairs) {
  return h(
    "dl",
    { class: "kv" },
    pairs.filter(Boolean).map(([k, v]) => [h("dt", {}, k), h("dd", {}, v ?? "—")]),
  );
}

export function tag(text, tone = "") {
  return h("span", { class: `tag ${tone}` }, text);
}

export function link(href, text) {
  return h("a", { href, "data-link": "" }, text);
}

/** A page with nothing to show at its address (no such page, no such case): what it is, why,
 * and the way back. */
export function notFoundCard(title, { text = null, href = "/console/", back = "返回首页" } = {}) {
  return h("section", { class: "card not-found", role: "alert" }, h("h1", {}, title),
    text ? h("p", { class: "muted" }, text) : null, h("p", {}, link(href, back)));
}

// ---- forms ---------------------------------------------------------------------------

export function field(labelText, control, hint) {
  return h("label", { class: "field" }, h("span", { class: "field-label" }, labelText), control,
    hint ? h("small", { class: "hint" }, hint) : null);
}

export function input(name, props = {}) {
  return h("input", { name, id: props.id || `f-${name}`, ...props });
}

export function textarea(name, props = {}) {
  return h("textarea", { name, id: props.id || `f-${name}`, rows: 3, ...props });
}

/** options: {value: label} or [[value, label]]; a leading blank when `blank` is given. */
export function select(name, options, props = {}) {
  const { blank, ...rest } = props;
  const pairs = Array.isArray(options) ? options : Object.entries(options);
  return h(
    "select",
    { name, id: rest.id || `f-${name}`, ...rest },
    blank !== undefined ? h("option", { value: "" }, blank) : null,
    pairs.map(([value, text]) => h("option", { value }, text)),
  );
}

/** The form's named controls as an object of trimmed strings (checkboxes as booleans; radios
 * only when checked; disabled controls, like a browser's submission, not at all). */
export function values(form) {
  const out = {};
  for (const el of form.elements) {
    if (!el.name || el.disabled || (el.type === "radio" && !el.checked)) continue;
    out[el.name] = el.type === "checkbox" ? el.checked : String(el.value).trim();
  }
  return out;
}

/** A button that disables itself while its async handler runs. */
export function busyButton(text, handler, props = {}) {
  const button = h("button", { type: "button", ...props }, text);
  const problem = h("span", { class: "form-error", role: "alert" });
  button.addEventListener("click", async () => {
    button.disabled = true;
    problem.textContent = "";
    try {
      await handler();
    } catch (error) {
      problem.textContent = error && error.message ? error.message : String(error);
    } finally {
      button.disabled = false;
    }
  });
  return h("span", { class: "busy" }, button, problem);
}

/** The form's control for a field a service refused (`applicant.uscc`, `contacts.1.phone`):
 * the one of that name, else of its last parts (`uscc`), among those in use. */
function controlFor(form, path) {
  const parts = path.split(".");
  for (let i = 0; i < parts.length; i += 1) {
    const found = form.elements.namedItem(parts.slice(i).join("."));
    const el = found instanceof RadioNodeList ? found[0] : found;
    if (el && !el.disabled && el.type !== "hidden") return el;
  }
  return null;
}

/** What the form calls a control: its field's label, a checkbox's words, its aria-label. */
function labelOf(el) {
  const text = el.closest(".field")?.querySelector(".field-label")?.textContent
    || el.getAttribute("aria-label") || el.closest("label")?.textContent || "";
  return text.trim();
}

/** A refusal shown on the form: each field a 422 names is marked (aria-invalid, styled) and
 * called by the form's own label (the hotline's 来电号码, not the API's 联系电话); the first in
 * the form gets the focus. What was typed stays. Returns the message for the error line. */
function showRefusal(form, error) {
  if (!error || error.status !== 422) return error && error.message ? error.message : String(error);
  const controls = new Map();
  for (const path of refusedFields(error.problem)) {
    const el = controlFor(form, path);
    if (el) controls.set(path, el);
  }
  const marked = [...new Set(controls.values())];
  for (const el of marked) el.setAttribute("aria-invalid", "true");
  const first = marked.sort((a, b) => (a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1))[0];
  first?.focus();
  // a page's own words for the refusal (admin-parts.js explain) stay as they are
  if (!marked.length || error.message !== describe(422, error.problem)) return error.message;
  return describe(422, error.problem, (path) => (controls.has(path) && labelOf(controls.get(path))) || defaultLabel(path));
}

/** Submit handler with a disabled submit button and an error line while it runs: `handler(values,
 * form)` (the form, for the Idempotency-Key of a creation: api.request's `idempotent`). What
 * the user typed outlives an ended session (drafts.js); a field the service refused is marked
 * until it is changed. */
export function onSubmit(form, handler) {
  const status = h("p", { class: "form-error", role: "alert" });
  form.append(status);
  keepDraft(form);
  const changed = (event) => event.target.removeAttribute?.("aria-invalid");
  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const submit = form.querySelector("[type=submit]");
    status.textContent = "";
    for (const el of form.querySelectorAll("[aria-invalid]")) el.removeAttribute("aria-invalid");
    if (submit) submit.disabled = true;
    try {
      await handler(values(form), form);
    } catch (error) {
      status.textContent = showRefusal(form, error);
    } finally {
      if (submit) submit.disabled = false;
    }
  });
  return form;
}

// ---- live countdowns (one ticker for the whole page) -----------------------------------

let ticker = null;

function paint(el, { text, tone, note = "" }) {
  el.textContent = text;
  el.className = `countdown ${tone}`;
  el.title = `截止 ${dueTime(el.dataset.due)}${note}`;
}

function tick() {
  const clocks = document.querySelectorAll("[data-due]");
  for (const el of clocks) {
    paint(el, countdown(el.dataset.due));
  }
  if (!clocks.length) {
    clearInterval(ticker);
    ticker = null;
  }
}

export function countdownEl(dueIso) {
  if (!dueIso) return h("span", { class: "countdown muted" }, "无时限");
  const el = h("span", { "data-due": dueIso });
  paint(el, countdown(dueIso));
  if (!ticker) ticker = setInterval(tick, 1000);
  return el;
}
