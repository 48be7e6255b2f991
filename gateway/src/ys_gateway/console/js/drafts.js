// A session that ends (a second 401, a refused refresh) sends the user to the login page, and
// the page they were typing on is gone. What its forms held is kept in this tab's
// sessionStorage and put back into the same form (by its aria-label) once the same user is
// back on the same page — then forgotten, whichever page comes first. Passwords and files are
// never kept, and a draft is kept 30 minutes at most: it may hold a caller's name and phone,
// and a console left at the login page must not hold them for whoever sits down next.
import { h } from "./dom.js";
import * as session from "./session.js";

const KEY = "ys.console.drafts";
const RESTORED = "登录过期前填写的内容已恢复，请核对后提交";
const SKIPPED = ["password", "file", "submit", "button", "reset"];
const MAX_AGE_MS = 30 * 60 * 1000;
const edited = new WeakSet(); // forms the user typed into
let offered = null; // label → draft, for the page being shown

const here = () => location.pathname + location.search;

function draftOf(form) {
  const draft = {};
  for (const el of form.elements) {
    if (!el.name || el.disabled || SKIPPED.includes(el.type) || (el.type === "radio" && !el.checked)) continue;
    draft[el.name] = el.type === "checkbox" ? el.checked : el.value;
  }
  return draft;
}

/** The session ended for `user` (its subject): keep what the forms the user typed into hold. */
export function saveDrafts(user) {
  const forms = {};
  for (const form of document.querySelectorAll("form[aria-label]")) {
    if (edited.has(form)) forms[form.getAttribute("aria-label")] = draftOf(form);
  }
  if (!user || !Object.keys(forms).length) return;
  const at = Date.now();
  sessionStorage.setItem(KEY, JSON.stringify({ user, route: here(), forms, at }));
  setTimeout(() => {
    if (kept()?.at === at) sessionStorage.removeItem(KEY); // nobody came back for it
  }, MAX_AGE_MS);
}

function kept() {
  try {
    return JSON.parse(sessionStorage.getItem(KEY) || "null");
  } catch {
    return null;
  }
}

/** A staff page is being drawn: the drafts kept for it (same user, same page, not too old)
 * wait for its forms; any others are dropped. */
export function offerDrafts() {
  const saved = kept();
  sessionStorage.removeItem(KEY);
  const fresh = saved && Date.now() - Number(saved.at || 0) <= MAX_AGE_MS;
  offered = fresh && saved.route === here() && saved.user === session.claims().sub ? saved.forms : null;
}

/** Whether a kept draft waits for the form of this label on the page being shown: a page whose
 * form opens behind a button (登记…, 提出申诉) opens it, and the form takes the draft back. */
export function draftWaits(label) {
  return Boolean(offered && offered[label]);
}

/** A form as it is built (ui.onSubmit): note the user's input, and put back its kept draft. */
export function keepDraft(form) {
  form.addEventListener("input", () => edited.add(form));
  form.addEventListener("reset", () => edited.delete(form)); // submitted, emptied for the next entry
  const label = form.getAttribute("aria-label");
  const draft = offered && label ? offered[label] : null;
  if (!draft) return;
  delete offered[label];
  for (const el of form.elements) {
    if (!(el.name in draft) || SKIPPED.includes(el.type)) continue;
    if (el.type === "checkbox") el.checked = draft[el.name] === true;
    else if (el.type === "radio") el.checked = el.value === draft[el.name];
    else el.value = draft[el.name];
  }
  edited.add(form);
  form.dispatchEvent(new Event("change")); // fields shown only for some choices (forms.applyConditions)
  form.prepend(h("p", { class: "notice warning", role: "status" }, RESTORED));
}
