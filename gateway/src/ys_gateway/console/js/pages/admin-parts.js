// Pieces the system-administration pages share: their tabs, the panel a row action opens, the
// one-time display of a password or secret, and API errors in the administrator's words.
import { h, replace } from "../dom.js";
import { fieldText } from "../problems.js";

const TABS = [
  ["policies", "/console/home", "时限政策"],
  ["users", "/console/admin/users", "用户管理"],
  ["clients", "/console/admin/clients", "接口客户端"],
];

export function adminTabs(current) {
  return h("nav", { class: "tabs", "aria-label": "系统管理" }, TABS.map(([key, href, text]) =>
    h("a", { href, "data-link": "", class: key === current ? "current" : null, "aria-current": key === current ? "page" : null }, text)));
}

/** Show `node` in the action panel (one form at a time) and put the focus in it. */
export function openPanel(panel, node) {
  replace(panel, node);
  panel.querySelector("input,select,textarea,button")?.focus();
}

// No 0/O, 1/l/I: read out over the phone or copied from paper without doubt.
const ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789";

/** A random temporary password (12 of 56 characters: ~70 bits), from the browser's CSPRNG. */
export function temporaryPassword(length = 12) {
  const limit = 256 - (256 % ALPHABET.length); // no modulo bias
  const out = [];
  while (out.length < length) {
    for (const byte of crypto.getRandomValues(new Uint8Array(length))) {
      if (byte < limit && out.length < length) out.push(ALPHABET[byte % ALPHABET.length]);
    }
  }
  return out.join("");
}

/** A password or secret shown this once: the gateway keeps only its hash. */
export function shownOnce(title, what, secret, note, done) {
  return h("div", { class: "notice ok", role: "status", "aria-live": "polite" },
    h("h2", {}, title),
    h("p", {}, `${what}（只显示这一次，关闭后无法再查看，请立即妥善转交）：`),
    h("p", {}, h("code", { class: "mono", "data-secret": "" }, secret)),
    note ? h("p", {}, note) : null,
    h("button", { type: "button", onClick: done }, "已记下，关闭"));
}

/** A confirmation step in the panel: `text`, then the action's button, or 取消. */
export function confirmStep(title, text, label, action, cancel) {
  const status = h("p", { class: "form-error", role: "alert" });
  const go = h("button", { type: "button", class: "primary" }, label);
  go.addEventListener("click", async () => {
    go.disabled = true;
    status.textContent = "";
    try {
      await action();
    } catch (error) {
      status.textContent = error && error.message ? error.message : String(error);
      go.disabled = false;
    }
  });
  return h("div", { class: "action-form", role: "group", "aria-label": title },
    h("h3", {}, title), h("p", {}, text),
    h("div", { class: "actions" }, go, h("button", { type: "button", onClick: cancel }, "取消")), status);
}

function codeOf(problem) {
  const type = String((problem && problem.type) || "");
  return type.slice(type.lastIndexOf("/") + 1);
}

/**
 * The admin API's refusal in words: `names` labels the request's fields ({staff_no: "工号"}),
 * `duplicate` says what already exists. Anything else keeps api.js's message.
 */
export function explain(error, names, duplicate) {
  const p = (error && error.problem) || {};
  if (codeOf(p) === "duplicate") return p.field && names[p.field] ? `该${names[p.field]}已被使用` : duplicate;
  if (error && error.status === 422) {
    const named = (path) => String(path || "").split(".").find((part) => names[part]);
    const entries = Array.isArray(p.errors) ? p.errors : [{ field: p.field, message: p.detail }];
    const said = entries.filter((e) => named(e.field)).map((e) => fieldText(names[named(e.field)], e));
    if (said.length) return `填写的内容有误：${[...new Set(said)].join("；")}`;
  }
  return error && error.message ? error.message : String(error);
}

/** Run `fn`; an API refusal is rethrown in the administrator's words (its status and problem
 * kept: the form marks the fields refused). */
export async function explained(fn, names, duplicate) {
  try {
    return await fn();
  } catch (error) {
    throw Object.assign(new Error(explain(error, names, duplicate)), { status: error.status, problem: error.problem });
  }
}
