// 窗口评价器 (the window pad): a tablet dedicated to one window. It signs in as the window's
// integration client (client credentials, scope approvals:pad, bound to the window by the
// hall's head), asks every few seconds for the window's open 好差评 link and, when the
// applicant just served there has one, shows its rating form (./rate.js); then back to idle.
// Its setup (client id and secret, hall and window) stays in the device's localStorage: the
// device is the pad and nothing else. Nothing personal is shown: the link names the 办件 only.
import { request } from "../../api.js";
import { h, replace } from "../../dom.js";
import { loadHalls, windowName } from "../../directory.js";
import { NETWORK, describe } from "../../problems.js";
import { navigate } from "../../router.js";
import { tokenRequest } from "../../session.js";
import { errorBox, field, input, loading, onSubmit, select } from "../../ui.js";
import { rateAtWindow, tokenOf } from "./rate.js";

export const PAD_PAGE = "/console/pad";
const KEY = "ys.console.pad";
const SCOPE = "approvals:pad";
const POLL_MS = 3_000; // the applicant sees the form a few seconds after being served
const MAX_WAIT_MS = 60_000; // errors back off to one try a minute: never a storm of calls
const RENEW_MARGIN_MS = 60_000; // a new token a minute before the current one expires
const TOUCH_GRACE_MS = 30_000; // a form being filled in is not taken away under the finger
const WELCOME = "欢迎您！办理业务后，可在此对本次服务进行评价。";

function saved() {
  try {
    return JSON.parse(localStorage.getItem(KEY) || "null");
  } catch {
    return null;
  }
}

/** A problem the hall's staff must fix on the pad or in the console (the setup is offered). */
function setupProblem(message) {
  return Object.assign(new Error(message), { setup: true });
}

function tokenProblem({ status, body }) {
  const code = body && body.error;
  if (code === "invalid_client") return setupProblem("评价器的客户端ID或密钥无效，或该客户端已停用：请大厅工作人员重新设置评价器");
  if (code === "invalid_scope") return setupProblem("该客户端没有“窗口评价器”权限（approvals:pad）：请系统管理员在接口客户端中勾选");
  if (code === "unauthorized_client") return setupProblem("该客户端不允许从本设备所在的网络连接：请系统管理员核对允许的IP地址段");
  return new Error(describe(status, body)); // busy (429) or down (5xx): tried again later
}

/** The pad's client token, fetched again shortly before it expires: the client credentials
 * grant has no refresh token (RFC 6749 §4.4.3). */
function clientToken(config) {
  let current = null;
  return {
    forget: () => (current = null),
    async get() {
      if (current && current.expiresAt - Date.now() > RENEW_MARGIN_MS) return current.access;
      const fields = { grant_type: "client_credentials", client_id: config.clientId, client_secret: config.secret, scope: SCOPE };
      const result = await tokenRequest(fields).catch(() => ({ network: true }));
      if (result.network) throw new Error(NETWORK);
      if (!result.ok) throw tokenProblem(result);
      current = { access: result.body.access_token, expiresAt: Date.now() + Number(result.body.expires_in || 900) * 1000 };
      return current.access;
    },
  };
}

/** The window's open invitation, or null (404 no-open-invitation: the idle state). A refused
 * token (expired, client deactivated meanwhile) is fetched again once. */
async function openInvitation(config, token, again = true) {
  const path = `/api/v1/approvals/halls/${encodeURIComponent(config.hall)}/windows/${encodeURIComponent(config.window)}/rating-invitation`;
  try {
    return (await request(path, { bearer: await token.get() })).data;
  } catch (error) {
    const code = String((error.problem && error.problem.type) || "").split("/").pop();
    if (error.status === 404 && code === "no-open-invitation") return null;
    if (error.status === 404) throw setupProblem("未找到该窗口：请大厅工作人员重新设置评价器");
    if (error.status === 403) throw setupProblem(`客户端 ${config.clientId} 尚未绑定到窗口 ${config.window}：请大厅负责人在工作台“窗口评价器”中绑定`);
    if (error.status === 401 && again) {
      token.forget();
      return openInvitation(config, token, false);
    }
    throw error;
  }
}

/** The pad's screen: idle (a welcome), the rating form of an invitation, then thanks. */
function padScreen(box, status) {
  const rated = new Set(); // rated here: approvals hears of it a moment later
  let state = "idle";
  let shown = null;
  let touched = 0;
  box.addEventListener("input", () => (touched = Date.now()));
  box.addEventListener("pointerdown", () => (touched = Date.now()));

  const idle = () => {
    state = "idle";
    shown = null;
    replace(box, h("div", { class: "pad-idle" }, h("p", { class: "pad-welcome" }, WELCOME)));
  };
  const form = (invitation) => {
    state = "form";
    shown = invitation;
    touched = 0;
    const done = () => rated.add(invitation.invitation_id);
    const prompt = h("h2", { class: "pad-prompt" }, "请对本次服务进行评价");
    const inner = h("div");
    replace(box, prompt, inner);
    rateAtWindow(inner, tokenOf(invitation.token_url), {
      next: idle,
      rated: () => { done(); prompt.remove(); state = "thanks"; },
      back: () => { done(); idle(); },
    });
  };
  idle();
  return {
    /** What the window offers now (an invitation or null). */
    offer(invitation) {
      status.replaceChildren();
      if (!invitation) rated.clear(); // approvals has heard of them: they never come back
      const open = invitation && !rated.has(invitation.invitation_id) ? invitation : null;
      if (state === "thanks") return; // the next applicant comes after the thanks
      if (state === "form" && open && open.invitation_id === shown.invitation_id) return;
      if (state === "form" && Date.now() - touched < TOUCH_GRACE_MS) return; // someone is rating
      if (open) form(open);
      else if (state !== "idle") idle();
    },
    trouble(error, setup) {
      replace(status, h("span", {}, error.message),
        error.setup ? h("button", { type: "button", class: "small", onClick: setup }, "重新设置评价器") : null);
    },
  };
}

/** Ask every POLL_MS; after an error wait twice as long each time, up to MAX_WAIT_MS. */
function poll(config, token, screen) {
  let wait = POLL_MS;
  let timer = null;
  let stopped = false;
  const setup = () => navigate(`${PAD_PAGE}?setup=1`);
  const tick = async () => {
    try {
      screen.offer(await openInvitation(config, token));
      wait = POLL_MS;
    } catch (error) {
      if (stopped) return;
      screen.trouble(error, setup);
      wait = Math.min(MAX_WAIT_MS, wait * 2);
    }
    if (!stopped) timer = setTimeout(tick, wait);
  };
  tick();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

async function runPad(main, config, onLeave) {
  const where = await windowName(`${config.hall}/${config.window}`);
  const box = h("div", { class: "card pad-box" });
  const status = h("p", { class: "pad-status", role: "status" });
  replace(main,
    h("header", { class: "pad-head" }, h("p", { class: "pad-window" }, `${config.window} 号窗口`), h("h1", {}, where)),
    box, status);
  onLeave(poll(config, clientToken(config), padScreen(box, status)));
}

function windowOptions(hall) {
  return ((hall && hall.windows) || []).map((w) => [w.code, `${w.code} ${w.name}`]);
}

/** First use (or ?setup=1): the hall's staff enter the client and pick the window. */
async function setupPage(main, previous) {
  replace(main, loading());
  const halls = await loadHalls();
  if (!halls.length) return replace(main, errorBox(new Error("无法加载服务大厅列表，请检查网络后重试"), () => setupPage(main, previous)));
  const hallChoice = select("hall", halls.map((hall) => [hall.code, hall.name]), { required: true });
  if (previous) hallChoice.value = previous.hall;
  const windowChoice = select("window", [], { required: true });
  const fill = () => replace(windowChoice, windowOptions(halls.find((x) => x.code === hallChoice.value)).map(([v, t]) => h("option", { value: v }, t)));
  hallChoice.addEventListener("change", fill);
  fill();
  if (previous) windowChoice.value = previous.window;
  const form = h("form", { class: "pad-setup", "aria-label": "评价器设置" },
    h("p", { class: "notice warning" }, "本设备将专用作所选窗口的评价器：客户端ID和密钥保存在本设备的浏览器中（localStorage），请勿在其他用途的设备上设置。"),
    field("客户端ID", input("client_id", { required: true, maxlength: 64, autocomplete: "off", value: previous ? previous.clientId : null }),
      "系统管理员在“接口客户端”中创建，权限范围为“窗口评价器”"),
    field("客户端密钥", input("client_secret", { type: "password", required: true, autocomplete: "off" })),
    field("服务大厅", hallChoice),
    field("窗口", windowChoice, "大厅负责人须在工作台“窗口评价器”中将该客户端绑定到此窗口"),
    h("button", { type: "submit", class: "primary big" }, "保存并启用"));
  onSubmit(form, async (v) => {
    const config = { clientId: v.client_id, secret: v.client_secret, hall: v.hall, window: v.window };
    await openInvitation(config, clientToken(config)); // the client signs in and is the window's
    localStorage.setItem(KEY, JSON.stringify(config));
    navigate(PAD_PAGE, { replace: true });
  });
  replace(main, h("header", { class: "pad-head" }, h("h1", {}, "窗口评价器设置")), h("div", { class: "card pad-box" }, form));
}

export async function padPage({ main, query, onLeave }) {
  main.dataset.title = "窗口评价器";
  main.classList.add("pad");
  const config = saved();
  if (!config || query.get("setup")) return setupPage(main, config);
  return runPad(main, config, onLeave);
}
