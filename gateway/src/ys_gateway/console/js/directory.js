// Department names from the gateway's live directory: staff read it whole (inactive units too,
// which old cases name); pages without a login read the public list of names.
import { all, publicGet } from "./api.js";
import { COORDINATING } from "./labels.js";
import { signedIn } from "./session.js";

const names = new Map(Object.entries(COORDINATING));
/** The position a background component acts in (a service, the deadline sweeper, the
 * enterprise on the public page): no department; its name (系统（…）) says who it is. */
export const SYSTEM_DEPT = "SYSTEM";
const inactive = new Set(); // deactivated (撤销, merged): named on old cases, offered for no new work
let loaded = null;

/** Load once per page load (again after signing in: the staff list is fuller). */
export function loadDepartments() {
  const staff = signedIn();
  if (!loaded || loaded.staff !== staff) {
    const source = staff ? all("/api/v1/admin/departments", {}, 1000) : publicGet("/api/v1/public/departments");
    loaded = source
      .then((items) => {
        for (const d of items) {
          names.set(d.code, d.name);
          if (d.active === false) inactive.add(d.code);
          else inactive.delete(d.code);
        }
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
  if (!code || code === SYSTEM_DEPT) return "—";
  return names.get(code) || code;
}

/** [[code, name]] of the active departments of a kind (as loaded), sorted by name: what a
 * form may name for new work (the services refuse a deactivated one). A filter over old
 * records asks for the deactivated ones too (`{ inactive: true }`). */
export function departmentOptions(filter = () => true, { inactive: withInactive = false } = {}) {
  return [...names.entries()]
    .filter(([code]) => (withInactive || !inactive.has(code)) && filter(code))
    .sort((a, b) => a[1].localeCompare(b[1], "zh-CN"));
}

let halls = null; // [{code, name, windows: [{code, name}]}] once loaded (public names)

/** The service halls and their windows by name (public), loaded once when a page needs them. */
export function loadHalls() {
  if (!halls) {
    halls = publicGet("/api/v1/public/halls").catch(() => {
      halls = null; // try again next time
      return [];
    });
  }
  return halls;
}

/**
 * A window by name: "HALL_COUNTY/W01" (or "W01" when one hall has it) → "凤冈县政务服务中心大厅 ·
 * 综合受理窗口1"; "窗口 W09" when unknown.
 */
export async function windowName(ref) {
  if (!ref) return null;
  const [hallCode, windowCode] = ref.includes("/") ? ref.split("/", 2) : [null, ref];
  const found = (await loadHalls()).flatMap((hall) =>
    hall.code === hallCode || hallCode === null
      ? hall.windows.filter((w) => w.code === windowCode).map((w) => `${hall.name} · ${w.name}`)
      : []);
  return found.length === 1 ? found[0] : `窗口 ${windowCode}`;
}
