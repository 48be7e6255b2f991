// 案件查询: the staff header's search box. A caller reads out a number: the prefix names the
// kind, the kind's own list answers `?number=` with the case if the position may see it (the
// service decides, as on the case's page), and the case's page opens. Anything else — a
// caller's phone, a word of the matter — opens 工单查询 with it, for those who read every
// ticket (a phone for the operators only, as the service allows).
import { ApiError, get } from "../api.js";
import { h, replace } from "../dom.js";
import { APPLICATION_NUMBER } from "../format.js";
import { CASE_KINDS, label } from "../labels.js";
import { navigate } from "../router.js";
import * as session from "../session.js";
import { TICKETS_PAGE, mayFindTickets, maySearchByPhone } from "./tickets.js";

// prefix → [kind (labels.js CASE_KINDS), the staff list that finds it, the console page]
const BY_PREFIX = {
  RX: [["ticket", "/api/v1/hotline/tickets", "/console/tickets"]],
  TS: [["case", "/api/v1/complaints/cases", "/console/complaints"]],
  AF: [["inspection", "/api/v1/complaints/inspections", "/console/inspections"]],
  AZ: [["finding", "/api/v1/complaints/findings", "/console/findings"]],
  JB: [["problem", "/api/v1/visits/problems", "/console/problems"]],
  ZF: [["visit", "/api/v1/visits/visits", "/console/visits"]],
  GB: [["pairing", "/api/v1/visits/assignments", "/console/pairings"]],
  LX: [["meeting", "/api/v1/visits/meetings", "/console/meetings"]],
  ZB: [["duty", "/api/v1/visits/duty-shifts", "/console/duty"]],
  // 差评整改单; 暗访 findings opened before AZ kept their ZG numbers: asked second
  ZG: [["rectification", "/api/v1/ratings/rectifications", "/console/rectifications"],
    ["finding", "/api/v1/complaints/findings", "/console/findings"]],
};
const APPLICATION = [["application", "/api/v1/approvals/applications", "/console/applications"]];

export const NOT_FOUND = "未找到该编号，或您无权查看";
// each prefix by the kind it numbers now (a kind asked second under a prefix is an older
// numbering of a kind listed under its own prefix: named there only)
const SHAPES = `编号形如 RX20261126-00042：${Object.entries(BY_PREFIX)
  .map(([prefix, [[kind]]]) => `${prefix}（${label(CASE_KINDS, kind)}）`)
  .join("、")}；办件编号为 31 位实施编码（一件事为套餐代码，如 KBQY）+ 8 位日期 + 4 位流水号`;

/** What was typed as the stored number (full-width → ASCII, upper case; the hyphen after the
 * day put back) with the kinds it may be; `kinds` empty for a number of no known shape or prefix
 * (`shaped`: it has the shape of a case number, XX + day + sequence). */
export function parseNumber(text) {
  const typed = text.normalize("NFKC").trim().toUpperCase();
  const shape = /^([A-Z]{2})(\d{8})-?(\d{5,})$/.exec(typed);
  if (shape) return { number: `${shape[1]}${shape[2]}-${shape[3]}`, kinds: BY_PREFIX[shape[1]] || [], shaped: true };
  return { number: typed, kinds: APPLICATION_NUMBER.test(typed) ? APPLICATION : [] };
}

// a mobile (+86 allowed) or a landline with its area code, as typed with blanks or hyphens
const PHONE = /^(?:(?:\+|00)?86)?1[3-9]\d{9}$|^0\d{2,3}\d{7,8}$/;
export const PHONE_SEARCH_REFUSED = "只有话务员可以按来电号码查询工单";

/** The digits of what was typed when it is a phone number, else null. */
export function phoneOf(text) {
  const digits = text.normalize("NFKC").replace(/[\s\-()（）]/g, "");
  return PHONE.test(digits) ? digits : null;
}

/** 工单查询 for what was typed (a phone, or a word), or a message when the position may not. */
function searchOf(text) {
  const p = session.position();
  if (!mayFindTickets(p)) return { message: `无法识别该编号。${SHAPES}` };
  const phone = phoneOf(text);
  if (phone && !maySearchByPhone(p)) return { message: PHONE_SEARCH_REFUSED };
  const query = phone ? { phone } : { q: text.normalize("NFKC").trim().slice(0, 100) };
  return { page: `${TICKETS_PAGE}?${new URLSearchParams(query)}` };
}

/** The page of the case numbered `number`, or null (none, or not this position's to see). */
async function pageOf(number, kinds) {
  for (const [, list, page] of kinds) {
    try {
      const found = (await get(list, { number, limit: 1 })).items || [];
      if (found.length) return `${page}/${encodeURIComponent(found[0].id)}`;
    } catch (error) {
      // a list this position may not read at all hides the number like one it may not see
      if (!(error instanceof ApiError && [403, 404].includes(error.status))) throw error;
    }
  }
  return null;
}

/** The search box: type or paste a number, Enter. */
export function lookupBox() {
  const message = h("p", { class: "lookup-message", role: "status", hidden: true });
  const box = h("input", {
    type: "search", name: "number", maxlength: 60, autocomplete: "off", spellcheck: "false",
    placeholder: mayFindTickets(session.position()) ? "编号、来电号码或关键词" : "输入编号查询案件",
    "aria-label": "案件编号", enterkeyhint: "search",
  });
  const say = (text) => {
    message.hidden = !text;
    replace(message, text || "");
  };
  const form = h("form", { class: "lookup", role: "search", "aria-label": "案件查询" },
    box, h("button", { type: "submit" }, "查询"), message);
  // the answer drops over the page: gone with a new entry, Escape, or leaving the box
  box.addEventListener("input", () => say(""));
  box.addEventListener("keydown", (event) => event.key === "Escape" && say(""));
  form.addEventListener("focusout", (event) => !form.contains(event.relatedTarget) && say(""));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!box.value.trim()) return box.focus();
    const { number, kinds, shaped } = parseNumber(box.value);
    if (!kinds.length) {
      // a number of a prefix no kind has is a mistyped number, not words to search for
      const search = shaped ? { message: `无法识别该编号。${SHAPES}` } : searchOf(box.value);
      return search.page ? navigate(search.page) : say(search.message);
    }
    const submit = form.querySelector("[type=submit]");
    submit.disabled = true;
    say("正在查询…");
    try {
      const page = await pageOf(number, kinds);
      if (page) return navigate(page);
      say(NOT_FOUND);
    } catch (error) {
      say(error.message || String(error));
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}
