// Department names from the gateway's live directory: staff read it whole (inactive units too,
// which old cases name); pages without a login read the public list of names.
import { all, publicGet } from "./api.js";
import { COORDINATING } from "./labels.js";
import { signedIn } from "./session.js";

const names = new Map(Object.entries(COORDINATING));
let loaded = null;

/** Load once per page load (again after signing in: the staff list is fuller). */
export function loadDepartments() {
  const staff = signedIn();
  if (!loaded || loaded.staff !== staff) {
    const source = staff ? all("/api/v1/admin/departments", {}, 1000) : publicGet("/api/v1/public/departments");
    loaded = source
      .then((items) => {
        for (const d of items) names.set(d.code, d.name);
        return names;
      })
      .catch(() => {
        loaded = null; // try again on the next page
        return names;
      });
    loaded.staff = staff;
  }
  return loaded;
}

/** Whether the directory knows this code's name (an unknown code is better left unshown). */
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
