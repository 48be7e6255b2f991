// 用户管理 (bureau administrators): find people, create an account with its positions (交叉挂职:
// several), edit name and positions, deactivate / reactivate, reset a password. A password the
// administrator sets is generated here and shown once; the person must change it at the next
// sign-in (the gateway holds them to it), so nobody but them knows their password afterwards.
// The 工作手机 receives the deadline ladder's SMS (督办); lists show it masked, the full number
// only for a stated reason (audited); people the ladder named but could not text are listed.
import { get, request } from "../api.js";
import { h, replace } from "../dom.js";
import { departmentOptions, deptName } from "../directory.js";
import { specForm } from "../forms.js";
import { ROLES, label } from "../labels.js";
import { navigate } from "../router.js";
import * as session from "../session.js";
import { busyButton, field, input, notice, onSubmit, section, select, table, tag } from "../ui.js";
import { adminTabs, confirmStep, explained, openPanel, shownOnce, temporaryPassword } from "./admin-parts.js";

const USERS = "/api/v1/admin/users";
const PAGE_SIZE = 50;
const NAMES = { username: "用户名", name: "姓名", staff_no: "工号", mobile: "工作手机", positions: "岗位", dept: "单位", role: "角色", title: "职务" };
const UNREACHABLE = "/api/v1/admin/deadline-notices/unreachable";
const TAKEN = "该用户名已存在";
const ACTIVE = { true: "在用", false: "已停用" };

function positionsText(u) {
  if (!u.positions.length) return "（无岗位）";
  return u.positions.map((p) => `${p.dept_name || deptName(p.dept)} · ${label(ROLES, p.role)}${p.title ? `（${p.title}）` : ""}`).join("；");
}

function statusCell(u) {
  return h("span", {}, u.active ? tag("在用", "status") : tag("已停用", "danger"),
    u.password_change_required ? tag("待本人修改密码", "warning") : null);
}

/** One box per position (department + role, a title if any): a person may hold several. */
function positionsEditor(initial) {
  const rows = h("div");
  let made = 0;
  const renumber = () => rows.querySelectorAll("legend").forEach((legend, i) => (legend.textContent = `岗位 ${i + 1}`));
  const add = (p = {}) => {
    const i = made++;
    const dept = select(`dept-${i}`, departmentOptions(), { blank: "请选择单位", required: true });
    const role = select(`role-${i}`, ROLES, { blank: "请选择角色", required: true });
    dept.value = p.dept || "";
    role.value = p.role || "";
    const box = h("fieldset", { "data-position": "" }, h("legend", {}),
      h("div", { class: "filters" }, field("单位", dept), field("角色", role),
        field("职务（选填）", input(`title-${i}`, { maxlength: 60, value: p.title || null }))),
      h("button", { type: "button", class: "small", onClick: () => { box.remove(); renumber(); } }, "删除此岗位"));
    rows.append(box);
    renumber();
  };
  (initial.length ? initial : [{}]).forEach(add);
  const read = () => [...rows.querySelectorAll("[data-position]")].map((box) => {
    const [dept, role, title] = box.querySelectorAll("select, input");
    return { dept: dept.value, role: role.value, title: title.value.trim() || null };
  });
  const node = h("div", { role: "group", "aria-label": "岗位" }, h("p", { class: "field-label" }, "岗位（可兼任多个）"), rows,
    h("p", {}, h("button", { type: "button", class: "small", onClick: () => add() }, "添加岗位")));
  return { node, read };
}

/** The 工作手机 fields: a new number, or (a number on file) blank to keep it or a box to remove it. */
function mobileFields(user) {
  const held = user && user.mobile;
  return [
    field(held ? "工作手机（留空则不变）" : "工作手机（选填）", input("mobile", { type: "tel", inputmode: "tel", maxlength: 20, autocomplete: "off",
      placeholder: held ? `已登记 ${user.mobile}` : "11 位手机号" }), "接收超期预警、催办等督办短信；列表中只显示脱敏号码"),
    held ? h("label", { class: "check" }, h("input", { type: "checkbox", name: "remove_mobile", id: "f-remove_mobile" }), "删除已登记的工作手机") : null,
  ];
}

/** The PATCH's part for the 工作手机: absent keeps the number on file. */
function mobileChange(v) {
  if (v.remove_mobile === true) return { mobile: null };
  return v.mobile ? { mobile: v.mobile } : {};
}

function userForm(title, user, submit, cancel) {
  const positions = positionsEditor(user ? user.positions : []);
  const form = h("form", { class: "action-form", "aria-label": title },
    h("h3", {}, title),
    user ? null : field("用户名", input("username", { required: true, maxlength: 64, pattern: "[a-z][a-z0-9_.\\-]{1,63}", autocomplete: "off" }),
      "小写字母开头，可含小写字母、数字和 _ . -，用于登录"),
    field("姓名", input("name", { required: true, maxlength: 120, value: user ? user.name : null })),
    field("工号（选填）", input("staff_no", { maxlength: 40, pattern: "[A-Za-z0-9\\-]{2,40}", value: user ? user.staff_no : null })),
    ...mobileFields(user),
    positions.node,
    user ? null : h("p", { class: "muted" }, "系统将生成临时密码并只显示一次；该用户首次登录时须修改密码。"),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "primary" }, user ? "保存" : "创建用户"),
      h("button", { type: "button", onClick: cancel }, "取消")));
  return onSubmit(form, (v) => submit({ name: v.name, staff_no: v.staff_no || null, positions: positions.read(), username: v.username,
    mobile: v.mobile, remove_mobile: v.remove_mobile }));
}

/** The full number for a stated reason (the gateway audits the read). */
function revealForm(u, show, close) {
  return specForm({ label: `查看 ${u.name} 的工作手机`, className: "action-form", submitText: "查看", cancel: close,
    fields: [{ name: "reason", label: "查看理由（将记入审计日志）", required: true, attrs: { minlength: 4, maxlength: 500 } }] },
  async (v) => show((await get(`${USERS}/${encodeURIComponent(u.username)}/mobile`, { reason: v.reason })).mobile));
}

/** People the deadline ladder named whose SMS could not go out: no 工作手机 on file. */
async function unreachableNotice() {
  const people = await get(UNREACHABLE);
  if (!people.length) return null;
  return h("div", { class: "notice warning", role: "status", "data-unreachable": "" },
    h("p", {}, "以下人员被督办短信点名，但没有登记工作手机，短信未能发出。请为其登记工作手机："),
    h("ul", {}, people.map((p) => h("li", {}, `${p.name}（${p.staff_no || p.username}）：未发出 ${p.missed} 条`))));
}

function filtersForm(filter) {
  const form = h("form", { class: "filters", role: "search", "aria-label": "查找用户" },
    field("查找", input("q", { value: filter.q, maxlength: 64, placeholder: "用户名、姓名或工号" })),
    field("单位", select("dept", departmentOptions(undefined, { inactive: true }), { blank: "全部单位" })),
    field("状态", select("active", ACTIVE, { blank: "全部" })),
    h("button", { type: "submit" }, "查找"));
  form.elements.dept.value = filter.dept;
  form.elements.active.value = filter.active;
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const params = new URLSearchParams();
    for (const name of ["q", "dept", "active"]) if (form.elements[name].value.trim()) params.set(name, form.elements[name].value.trim());
    const text = params.toString();
    navigate(`/console/admin/users${text ? `?${text}` : ""}`);
  });
  return form;
}

export async function adminUsersPage({ main, query }) {
  main.dataset.title = "系统管理 · 用户管理";
  const filter = { q: query.get("q") || "", dept: query.get("dept") || "", active: query.get("active") || "" };
  const me = session.claims().username;
  const panel = h("div", { class: "action-panel" });
  const list = h("div");
  const state = { rows: [], cursor: null };
  const close = () => replace(panel);

  const patch = (u, body) => request(`${USERS}/${encodeURIComponent(u.username)}`, { method: "PATCH", json: body });

  const resetPassword = (u) => openPanel(panel, confirmStep(`重置 ${u.name} 的密码`,
    "系统将生成新的临时密码（只显示一次）。该用户已登录的会话全部失效，下次登录时须修改密码。", "确认重置", async () => {
      const password = temporaryPassword();
      await explained(() => patch(u, { password }), NAMES, TAKEN);
      openPanel(panel, shownOnce(`已重置 ${u.name}（${u.username}）的密码`, "临时密码", password, "请当面或通过可靠渠道告知本人；本人登录后须立即修改。", close));
      await load(true);
    }, close));

  const deactivate = (u) => openPanel(panel, confirmStep(`停用 ${u.name}`,
    "停用后该用户立即无法登录，已登录的会话全部失效；记录保留，可随时重新启用。", "确认停用", async () => {
      await explained(() => patch(u, { active: false }), NAMES, TAKEN);
      close();
      await load(true, `已停用用户 ${u.username}`);
    }, close));

  const edit = (u) => openPanel(panel, userForm(`编辑用户 ${u.username}`, u, async (v) => {
    await explained(() => patch(u, { name: v.name, staff_no: v.staff_no, positions: v.positions, ...mobileChange(v) }), NAMES, TAKEN);
    close();
    await load(true, `已保存用户 ${u.username}`);
  }, close));

  const create = () => openPanel(panel, userForm("新建用户", null, async (v) => {
    const password = temporaryPassword();
    const body = { username: v.username, name: v.name, staff_no: v.staff_no, positions: v.positions, mobile: v.mobile || null, password };
    await explained(() => request(USERS, { method: "POST", json: body }), NAMES, TAKEN);
    openPanel(panel, shownOnce(`已创建用户 ${v.name}（${v.username}）`, "初始密码", password, "请当面或通过可靠渠道告知本人；本人首次登录时须修改密码。", close));
    await load(true);
  }, close));

  const reveal = (u) => openPanel(panel, revealForm(u, (mobile) => openPanel(panel,
    h("div", { class: "notice ok", role: "status" }, h("p", {}, `${u.name} 的工作手机：`, h("code", { class: "mono", "data-mobile": "" }, mobile || "未登记")),
      h("button", { type: "button", onClick: close }, "关闭"))), close));

  const actions = (u) => h("div", { class: "row-actions" },
    h("button", { type: "button", class: "small", onClick: () => edit(u) }, "编辑"),
    u.mobile ? h("button", { type: "button", class: "small", onClick: () => reveal(u) }, "查看手机号") : null,
    h("button", { type: "button", class: "small", onClick: () => resetPassword(u) }, "重置密码"),
    u.active
      ? (u.username === me ? null : h("button", { type: "button", class: "small", onClick: () => deactivate(u) }, "停用"))
      : busyButton("启用", async () => {
        await explained(() => patch(u, { active: true }), NAMES, TAKEN);
        await load(true, `已启用用户 ${u.username}`);
      }, { class: "small" }));

  const columns = [
    { label: "用户名", value: (u) => h("span", { class: "mono" }, u.username) },
    { label: "姓名", value: (u) => u.name },
    { label: "工号", value: (u) => u.staff_no || "—" },
    { label: "工作手机", value: (u) => (u.mobile ? h("span", { class: "mono" }, u.mobile) : "—") },
    { label: "岗位", value: positionsText },
    { label: "状态", value: statusCell },
    { label: "操作", value: actions },
  ];

  const draw = (message) => {
    const more = state.cursor ? busyButton("加载更多", () => load(false), { class: "small" }) : null;
    replace(list, table(columns, state.rows, "没有符合条件的用户"), more);
    if (message) notice(list, message, "ok");
  };

  /** The first page again (`fresh`) or the next one, under the filters in the address. */
  async function load(fresh, message) {
    if (fresh) Object.assign(state, { rows: [], cursor: null });
    const page = await get(USERS, { ...filter, limit: PAGE_SIZE, cursor: state.cursor });
    state.rows.push(...page.items);
    state.cursor = page.next_cursor;
    draw(message);
  }

  replace(main,
    h("h1", {}, "系统管理 · 用户管理"),
    adminTabs("users"),
    await unreachableNotice(),
    section(null, h("div", { class: "toolbar" }, h("button", { type: "button", class: "primary", onClick: create }, "新建用户")), panel),
    section("用户", filtersForm(filter), list));
  await load(true);
}
