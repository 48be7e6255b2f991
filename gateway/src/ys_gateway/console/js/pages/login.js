// Login (password grant) and the choice of the position to act in (交叉挂职: several).
import { h, replace } from "../dom.js";
import { loadDepartments } from "../directory.js";
import { field, input, notice, onSubmit } from "../ui.js";
import { navigate } from "../router.js";
import * as session from "../session.js";
import { positionText } from "./chrome.js";

function safeNext(query) {
  const next = query.get("next") || "";
  return next.startsWith("/console/") && !next.startsWith("/console/login") ? next : "/console/home";
}

export async function loginPage({ main, query }) {
  main.dataset.title = "登录";
  const form = h(
    "form",
    { class: "card narrow", "aria-labelledby": "login-title" },
    h("h1", { id: "login-title" }, "营商环境服务平台 · 工作人员登录"),
    field("用户名", input("username", { autocomplete: "username", required: true, autofocus: true })),
    field("密码", input("password", { type: "password", autocomplete: "current-password", required: true })),
    h("button", { type: "submit", class: "primary" }, "登录"),
    h("p", { class: "muted" }, h("a", { href: "/console/public", "data-link": "" }, "公众服务（无需登录）")),
  );
  onSubmit(form, async ({ username, password }) => {
    const problem = await session.login(username, password);
    if (problem) throw new Error(problem);
    await loadDepartments();
    const next = safeNext(query);
    navigate(session.position() ? next : `/console/positions?next=${encodeURIComponent(next)}`, { replace: true });
  });
  replace(main, h("div", { class: "login-wrap" }, form));
  const flash = session.takeFlash();
  if (flash) notice(form, flash, "warning");
}

export async function positionsPage({ main, query }) {
  main.dataset.title = "选择岗位";
  const list = session.positions();
  const next = safeNext(query);
  const choose = (index) => {
    session.choosePosition(index);
    navigate(next, { replace: true });
  };
  if (list.length === 1) return choose(0);
  const buttons = list.map((p, i) =>
    h("button", { type: "button", class: "position", onClick: () => choose(i) },
      h("strong", {}, positionText(p)), p.title ? h("small", {}, p.title) : null));
  replace(
    main,
    h("div", { class: "login-wrap" }, h("section", { class: "card narrow" },
      h("h1", {}, "请选择本次办理业务的岗位"),
      h("p", { class: "muted" }, `${session.claims().name || ""}，您在以下岗位任职（交叉挂职）：`),
      list.length ? h("div", { class: "positions" }, buttons) : h("p", {}, "您的账号没有任何岗位，请联系系统管理员。"))),
  );
}
