// Track a case by number + query code (查询码): hotline ticket, complaint, or application.
import { publicPost } from "../../api.js";
import { h, replace } from "../../dom.js";
import { APPLICATION_NUMBER, dateTime, dueTime } from "../../format.js";
import { specForm } from "../../forms.js";
import { TICKET_STATUS, TICKET_TYPES, label } from "../../labels.js";
import { errorBox, field, input, kv, loading, section, select } from "../../ui.js";

const KINDS = { hotline: "12345 工单", complaint: "涉企投诉", application: "政务服务办件" };

async function lookup(kind, number, code) {
  if (kind === "hotline") return publicPost("/api/v1/hotline/public/track", { number, query_code: code });
  if (kind === "complaint") return publicPost("/api/v1/complaints/public/track", { number, query_code: code });
  return publicPost("/api/v1/approvals/public/applications/track", { number, query_code: code });
}

function hotlineView(t) {
  return h("div", {}, kv([["编号", t.number], ["类型", label(TICKET_TYPES, t.type)], ["标题", t.title],
    ["状态", label(TICKET_STATUS, t.status)], ["受理时间", dateTime(t.received_at)],
    t.due_at && ["承诺办结时限", dueTime(t.due_at)], t.closed_at && ["办结时间", dateTime(t.closed_at)]]),
  t.replies.length ? h("div", {}, h("h3", {}, "答复"), t.replies.map((r) => h("p", { class: "reply" }, r))) : null);
}

// The enterprise's answer closes the case or reopens it: no answer is chosen for it (请选择…),
// and a dispute states its reason (as the service requires: two characters or more).
const RESPOND_FIELDS = [
  { name: "verdict", label: "您对办理结果", type: "select", required: true, options: { confirmed: "认可（确认办结）", disputed: "有异议" } },
  { name: "reason", label: "异议理由", type: "textarea", required: true, max: 2000, showIf: ["verdict", "disputed"] },
];

function respondForm(number, code, redraw) {
  const form = specForm({ label: "对办理结果的意见", fields: RESPOND_FIELDS, submitText: "提交" }, async (v) =>
    redraw(await publicPost("/api/v1/complaints/public/respond", { number, query_code: code, verdict: v.verdict, reason: v.reason || null })));
  form.elements.reason.minLength = 2;
  return form;
}

function complaintView(c, number, code, redraw) {
  return h("div", {}, kv([["编号", c.number], ["状态", c.state_label], ["登记时间", dateTime(c.received_at)], c.closed_at && ["办结时间", dateTime(c.closed_at)]]),
    c.messages.length ? h("div", {}, h("h3", {}, "办理情况"), c.messages.map((m) => h("p", { class: "reply" }, `${dateTime(m.at)}　${m.body}`))) : null,
    c.may_respond ? respondForm(number, code, redraw) : null);
}

/** What a waiting 补正 asks for (一次性告知): the materials and the clerk's note. */
function supplementView(s) {
  const when = s.stage === "review" ? "审查中需补正以下材料（补正期间不计入办理时限）" : "受理前需补正以下材料（材料补齐后起算办理时限）";
  return h("div", { class: "supplement", "aria-label": "补正告知" }, h("h3", {}, "补正告知"),
    h("p", {}, `${when}：`), h("ul", {}, s.materials.map((m) => h("li", {}, m))),
    s.note ? h("p", {}, `说明：${s.note}`) : null,
    s.requested_at ? h("p", { class: "muted" }, `告知时间：${dateTime(s.requested_at)}`) : null);
}

function applicationView(a) {
  return h("div", {}, kv([["办件编号", a.number], ["事项", a.item_name], ["状态", a.status_label], ["收件时间", dateTime(a.submitted_at)],
    a.due_at && ["承诺办结时限", dueTime(a.due_at)],
    a.delivery_due_at && ["证照送达时限", dueTime(a.delivery_due_at)],
    a.pickup_ready_at && ["可到窗口领取", dateTime(a.pickup_ready_at)],
    a.finished_at && ["办结时间", dateTime(a.finished_at)]]),
  a.supplement ? supplementView(a.supplement) : null);
}

/** A number as the services write it, however it was typed: no blanks around it, full-width
 * letters and digits (ＲＸ２０２６…) as ASCII, lower case as upper (rx2026… → RX2026…). */
function normalNumber(number) {
  return number.trim().normalize("NFKC").toUpperCase();
}

/** The kind a number's shape names: 12345 工单 RX…, 涉企投诉 TS…, 办件 the 31-character
 * implementation code (or a package's code, KBQY…) + date + sequence; `null` while it says
 * nothing yet. */
function kindOf(number) {
  const n = normalNumber(number);
  if (/^RX\d/.test(n)) return "hotline";
  if (/^TS\d/.test(n)) return "complaint";
  if (APPLICATION_NUMBER.test(n) || (n.length >= 31 && /^[0-9A-Z]{31}/.test(n))) return "application";
  return null;
}

function notFound(error) {
  return error.status === 404 ? { message: "未找到：请核对编号和查询码。" } : error;
}

export async function trackPage({ main, query }) {
  main.dataset.title = "办件查询";
  const result = h("div", { "aria-live": "polite" });
  const form = h("form", { class: "grid-form", "aria-label": "办件查询" },
    field("类型", select("kind", KINDS)),
    field("编号", input("number", { required: true, maxlength: 80, value: query.get("number") || null })),
    field("查询码", input("query_code", { required: true, maxlength: 40 })),
    h("button", { type: "submit", class: "primary" }, "查询"));
  if (KINDS[query.get("kind")]) form.elements.kind.value = query.get("kind");
  // the number says which kind it is: the type follows it (it can still be chosen by hand)
  form.elements.number.addEventListener("input", () => {
    const kind = kindOf(form.elements.number.value);
    if (kind) form.elements.kind.value = kind;
  });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const { kind, number: typed, query_code: code } = Object.fromEntries(new FormData(form));
    const number = normalNumber(typed);
    replace(result, loading("正在查询…"));
    try {
      const found = await lookup(kind, number, code.trim());
      const redraw = (c) => replace(result, section("查询结果", complaintView(c, number, code.trim(), redraw)));
      if (kind === "complaint") return redraw(found);
      replace(result, section("查询结果", kind === "hotline" ? hotlineView(found) : applicationView(found)));
    } catch (error) {
      replace(result, errorBox(notFound(error)));
    }
  });
  replace(main, h("h1", {}, "办件查询"), section(null, form), result);
}
