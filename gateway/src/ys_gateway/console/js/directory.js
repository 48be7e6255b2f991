// Department names from the gateway's live directory (any signed-in user may read it).
import { all } from "./api.js";
import { COORDINATING } from "./labels.js";
import { signedIn } from "./session.js";

const names = new Map(Object.entries(COORDINATING));
let loaded = null;

/** Load once per page load; public pages (no token) keep the built-in coordinating names. */
export function loadDepartments() {
  if (!signedIn()) return Promise.resolve(names);
  if (!loaded) {
    loaded = all("/api/v1/admin/departments", {}, 1000)
      .then((items) => {
        for (const d of items) names.set(d.code, d.name);
        return names;
      })
      .catch(() => {
        loaded = null; // try again on the next page
        return names;
      });
  }
  return loaded;
}

/** Whether the directory knows this code's name (public pages only know the coordinating bodies). */
export function knownDept(code) {
  return names.has(code);
}

export function deptName(code) {
  if (!code) return "—";
  return names.get(code) || code;
}

/** [[code, name]] of departments of a kind (as loaded), sorted by name. */
export function departmentOptions(filter = () => true) {
  return [...names.entries()].filter(([code]) => filter(code)).sort((a, b) => a[1].localeCompare(b[1], "zh-CN"));
}
