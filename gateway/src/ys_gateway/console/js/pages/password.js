// 修改密码: every signed-in person changes their own password here (POST /auth/password). A
// person whose password an administrator set (new account, reset) is sent here right after
// signing in and may go nowhere else until it is done: the gateway refuses their token
// everywhere else (problem type password-change-required).
import { request } from "../api.js";
import { h, replace } from "../dom.js";
import { navigate } from "../router.js";
import * as session from "../session.js";
import { field, input, notice, onSubmit } from "../ui.js";

export const PASSWORD_PAGE = "/console/password";
const MIN_LENGTH = 10; // the gateway's rule for every password (directory.schemas.Password)
const MAX_LENGTH = 200;

const BY_CODE = {
  "wrong-password": "当前密码不正确",
  "same-password": "新密码不能与当前密码相同",
  locked: "密码错误次数过多，账号已被暂时锁定，请稍后再试",
  validation: `新密码长度须为 ${MIN_LENGTH}–${MAX_LENGTH} 个字符`,
  changed: "密码已被系统管理员重置，请使用新的临时密码重新登录",
};

/** The signed-in person must replace a password an administrator set before anything else. */
export function mustChangePassword() {
  return session.signedIn() && session.claims().password_change_required === true;
}

function problemCode(error) {
  const type = String((error && error.problem && error.problem.type) || "");
  return type.slice(type.lastIndexOf("/") + 1);
}

/** Change, then sign this tab in afresh with the new password (the change ended every session,
 * this one included); the position the person acted in stays chosen. */
async function change(current, next) {
  const { username } = session.claims();
  const acting = session.position();
  let issued;
  try {
    issued = (await request("/auth/password", { method: "POST", json: { current_password: current, new_password: next } })).data;
  } catch (error) {
    throw new Error(BY_CODE[problemCode(error)] || error.message);
  }
  const problem = await session.login(username, next);
  // The console keeps the session it just signed in; the pair the change answered with is
  // not needed here: revoke it rather than leave it valid.
  const body = new URLSearchParams({ refresh_token: issued.refresh_token || "" });
  fetch("/auth/logout", { method: "POST", body }).catch(() => {});
  if (problem) throw new Error(`密码已修改，但重新登录失败：${problem}`);
  const index = session.positions().findIndex((p) => acting && p.dept === acting.dept && p.role === acting.role);
  if (index >= 0) session.choosePosition(index);
}

function form(forced) {
  const intro = forced
    ? h("p", { class: "notice warning" }, "您的密码由系统管理员设置（新账号或重置密码）。请先修改为只有您本人知道的新密码，修改后才能使用其他功能。")
    : h("p", { class: "muted" }, "修改后，您在其他设备或浏览器上的登录将全部失效。");
  return h(
    "form",
    { class: "card narrow", "aria-labelledby": "password-title" },
    h("h1", { id: "password-title" }, "修改密码"),
    intro,
    field(forced ? "当前密码（管理员告知的临时密码）" : "当前密码",
      input("current_password", { type: "password", autocomplete: "current-password", required: true, autofocus: true })),
    field("新密码", input("new_password", { type: "password", autocomplete: "new-password", required: true, minlength: MIN_LENGTH, maxlength: MAX_LENGTH }),
      `至少 ${MIN_LENGTH} 个字符，不能与当前密码相同`),
    field("再次输入新密码", input("confirm_password", { type: "password", autocomplete: "new-password", required: true, maxlength: MAX_LENGTH })),
    h("div", { class: "actions" },
      h("button", { type: "submit", class: "primary" }, "确认修改"),
      forced ? null : h("a", { href: "/console/home", "data-link": "" }, "返回工作台")),
  );
}

export async function passwordPage({ main }) {
  main.dataset.title = "修改密码";
  const forced = mustChangePassword();
  const page = form(forced);
  onSubmit(page, async (v) => {
    if (v.new_password !== v.confirm_password) throw new Error("两次输入的新密码不一致");
    if (v.new_password === v.current_password) throw new Error(BY_CODE["same-password"]);
    await change(v.current_password, v.new_password);
    if (forced) return navigate("/console/home", { replace: true });
    page.reset();
    for (const old of page.querySelectorAll(".notice.ok")) old.remove();
    notice(page, "密码已修改。其他设备上的登录已失效，下次登录请使用新密码。", "ok");
  });
  replace(main, h("div", { class: "login-wrap" }, page));
}
