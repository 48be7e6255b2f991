// 好差评 through a one-time link (SMS), and at a window: the kiosk that waits for a scanned or
// typed code, and the window pad (./pad.js) that is handed its window's link. Five levels
// (GB/T 39735-2020); the link already names the 办件.
import { publicGet, publicPost } from "../../api.js";
import { h, replace } from "../../dom.js";
import { deptName, knownDept, windowName } from "../../directory.js";
import { dateTime } from "../../format.js";
import { LEVELS, RATER_TYPES, SERVICES, label } from "../../labels.js";
import { errorBox, field, loading, onSubmit, select, textarea } from "../../ui.js";

const NODES = { accept: "受理", finish: "办结", revisit: "回访" };
const KIOSK_RESET_MS = 8000;

/** The token of a link or a bare token (what a scanner or a keyboard types). */
export function tokenOf(text) {
  const value = String(text || "").trim();
  const match = /\/rate\/([A-Za-z0-9_-]+)/.exec(value);
  return match ? match[1] : value;
}

function levelPicker() {
  return h("fieldset", { class: "levels" }, h("legend", {}, "总体评价"),
    Object.entries(LEVELS).reverse().map(([level, text]) =>
      h("label", { class: `level level-${level}` },
        h("input", { type: "radio", name: "level", value: level, required: true }),
        h("span", { class: "stars", "aria-hidden": "true" }, "★".repeat(Number(level))), h("span", {}, text))));
}

function indicatorFields(indicators) {
  const options = Object.entries(LEVELS).reverse();
  return (indicators || []).map((i) => field(i.name, select(`score:${i.code}`, options, { blank: "（可不评）" })));
}

function scoresOf(values) {
  const scores = {};
  for (const [key, value] of Object.entries(values)) {
    if (key.startsWith("score:") && value) scores[key.slice(6)] = Number(value);
  }
  return scores;
}

function what(invitation, where) {
  return h("dl", { class: "kv" },
    h("dt", {}, "办件编号"), h("dd", {}, invitation.case_number),
    h("dt", {}, "事项"), h("dd", {}, invitation.item_name || label(SERVICES, invitation.service)),
    h("dt", {}, "评价环节"), h("dd", {}, label(NODES, invitation.node)),
    knownDept(invitation.department) ? [h("dt", {}, "办理单位"), h("dd", {}, deptName(invitation.department))] : null,
    where ? [h("dt", {}, "窗口"), h("dd", {}, where)] : null,
    h("dt", {}, "办理时间"), h("dd", {}, dateTime(invitation.completed_at)));
}

function thanks(receipt) {
  return h("div", { class: "thanks", role: "status" }, h("h2", {}, "感谢您的评价！"),
    receipt.rectification_opened
      ? h("p", {}, "我们已收到您的差评，将尽快回访核实并整改，整改结果会反馈给您。")
      : h("p", {}, "您的评价将用于政务服务改进与考核。"));
}

function rateForm(token, invitation, channel, done) {
  // the applicant's type as the case names it (a 法人 applicant rates as one), still changeable
  const raterType = select("rater_type", RATER_TYPES);
  if (RATER_TYPES[invitation.rater_type]) raterType.value = invitation.rater_type;
  const form = h("form", { class: "rate-form", "aria-label": "评价" },
    levelPicker(),
    indicatorFields(invitation.indicators),
    field("意见建议", textarea("comment", { maxlength: 2000, placeholder: "不满意的，请告诉我们原因" })),
    field("评价人类型", raterType),
    h("button", { type: "submit", class: "primary big" }, "提交评价"));
  onSubmit(form, async (v) => {
    if (!v.level) throw new Error("请选择总体评价");
    const body = { level: Number(v.level), scores: scoresOf(v), comment: v.comment || null, channel, rater_type: v.rater_type };
    done(await publicPost(`/api/v1/ratings/invitations/${encodeURIComponent(token)}/rating`, body, form));
  });
  return form;
}

/** A link the service does not know (404) or cannot even read (422: too short, wrong
 * characters — a mistyped or cut-off link) is, for the citizen, the same invalid link. */
function linkProblem(error) {
  if ([400, 404, 422].includes(error.status)) return "评价链接无效或已过期，请核对后重试。";
  if (error.status === 410) return "评价链接已过期。";
  return error.message;
}

/** Show the invitation behind `token` and its form inside `box`; `done(receipt)` after rating. */
async function showInvitation(box, token, channel, done, back = null) {
  replace(box, loading("正在打开评价…"));
  try {
    const invitation = await publicGet(`/api/v1/ratings/invitations/${encodeURIComponent(token)}`);
    if (invitation.rated) {
      return replace(box, h("div", { class: "thanks" }, h("h2", {}, "该办件已评价"), h("p", {}, "每个办件每个环节只能评价一次，感谢您的参与。"),
        back ? h("button", { type: "button", onClick: back }, "返回") : null));
    }
    const where = await windowName(invitation.window);
    replace(box, what(invitation, where), rateForm(token, invitation, channel, (receipt) => done(receipt)));
  } catch (error) {
    replace(box, errorBox({ message: linkProblem(error) }, back));
  }
}

/**
 * Rating at a window (the kiosk, the window pad): the form of `token` in `box`, then thanks
 * and `next()` a few seconds later, for the next applicant. `rated(receipt)` runs as soon as
 * the rating is in; `back` is the way out of a link that cannot be rated (default `next`).
 */
export function rateAtWindow(box, token, { next, rated = () => {}, back = next }) {
  return showInvitation(box, token, "window_pad", (receipt) => {
    rated(receipt);
    replace(box, thanks(receipt), h("p", { class: "muted" }, "即将返回，等待下一位办事群众…"));
    setTimeout(next, KIOSK_RESET_MS);
  }, back);
}

export async function ratePage({ main, params }) {
  main.dataset.title = "服务评价";
  main.classList.add("public-rate");
  const box = h("div", { class: "card narrow" });
  replace(main, h("header", { class: "rate-head" }, h("h1", {}, "政务服务“好差评”"), h("p", {}, "请对本次服务进行评价")), box);
  await showInvitation(box, params.token, "sms", (receipt) => replace(box, thanks(receipt)));
}

function waiting(box, start) {
  const code = h("input", { name: "code", autofocus: true, autocomplete: "off", placeholder: "扫描或输入评价码", "aria-label": "评价码" });
  const form = h("form", { class: "kiosk-wait" }, h("p", { class: "kiosk-hint" }, "请扫描办件回执上的评价二维码，或输入评价码"), code,
    h("button", { type: "submit", class: "primary big" }, "开始评价"));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (tokenOf(code.value)) start(tokenOf(code.value));
  });
  replace(box, form);
  code.focus();
}

export async function kioskPage({ main, query }) {
  main.dataset.title = "窗口评价器";
  main.classList.add("kiosk");
  const box = h("div", { class: "card narrow" });
  const where = (await windowName(query.get("window"))) || "政务服务窗口";
  replace(main, h("header", { class: "rate-head" }, h("h1", {}, "办事好不好，请您来评价"), h("p", {}, where)), box);
  const reset = () => waiting(box, start);
  const start = (token) => rateAtWindow(box, token, { next: reset });
  reset();
}
