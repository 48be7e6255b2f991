// An application (办件) of the government service hall (行政许可法; GB/T 39554.1-2020).
import { get } from "../api.js";
import { h, replace } from "../dom.js";
import { deptName, windowName } from "../directory.js";
import { countdown, dateTime, dueTime } from "../format.js";
import { APPLICATION_STATUS, DELIVERY_METHODS, SUBMIT_CHANNELS, label } from "../labels.js";
import { busyButton, kv, section, table, tag } from "../ui.js";
import { NOTE, renderCase } from "./casepage.js";

const lines = (text) => String(text || "").split(/\n|，|,|；|;/).map((s) => s.trim()).filter(Boolean);
const reason = { name: "reason", label: "理由", type: "textarea", required: true };
const nothing = () => ({});

const FORMS = {
  request_materials: { label: "一次性告知补正", path: "request-supplement",
    fields: [{ name: "missing", label: "缺少的材料（每行一项，一次列全）", type: "textarea", required: true }, NOTE],
    body: (v) => ({ missing: lines(v.missing), note: v.note || null }) },
  materials_received: { label: "补正材料接收", path: "receive-supplement",
    fields: [{ name: "materials", label: "收到的材料（每行一项）", type: "textarea", required: true }, NOTE],
    body: (v) => ({ materials: lines(v.materials), note: v.note || null }) },
  accept: { label: "受理", path: "accept", tone: "primary", body: nothing },
  refuse: { label: "不予受理", path: "refuse", fields: [reason], body: (v) => ({ reason: v.reason }) },
  finish_on_the_spot: { label: "即办办结", path: "finish-on-the-spot", tone: "primary", help: "即办件：当场受理、决定并办结。", body: nothing },
  request_supplement: { label: "审查补正", path: "request-supplement",
    fields: [{ name: "missing", label: "需补正的材料（每行一项）", type: "textarea", required: true }, NOTE],
    body: (v) => ({ missing: lines(v.missing), note: v.note || null }) },
  supplement_received: { label: "补正材料接收", path: "receive-supplement",
    fields: [{ name: "materials", label: "收到的材料（每行一项）", type: "textarea", required: true }, NOTE],
    body: (v) => ({ materials: lines(v.materials), note: v.note || null }) },
  suspend: { label: "特别程序（听证/检验/专家评审）", path: "suspend",
    fields: [{ name: "kind", label: "程序", type: "select", required: true, options: { hearing: "听证", testing: "检验检测", expert_review: "专家评审" } }, NOTE],
    body: (v) => ({ kind: v.kind, note: v.note || null }) },
  resume: { label: "特别程序结束", path: "resume", body: nothing },
  request_extension: { label: "申请延期（+10个工作日）", path: "extension-request", fields: [reason], body: (v) => ({ reason: v.reason }) },
  approve_extension: { label: "批准延期", path: "extension-approval", body: nothing },
  approve: { label: "准予许可", path: "approve", tone: "primary", fields: [NOTE], body: (v) => ({ note: v.note || null }) },
  reject: { label: "不予许可", path: "reject", fields: [reason], body: (v) => ({ reason: v.reason }) },
  notify_pickup: { label: "通知领取", path: "notify-pickup", tone: "primary", help: "证件已备好：短信通知申请人到窗口领取，送达时限至此停止计时。", body: nothing },
  finish: { label: "办结", path: "finish", tone: "primary", body: nothing },
};

/** 送达 as the applicant chose at intake: by post, the tracking number (the address on file
 * unless another is given); at the window, the collection. The clerk may still record the
 * other way when the applicant changes their mind. */
function deliverForm(a) {
  const postal = a.delivery_method === "postal";
  return { label: "送达", path: "deliver", tone: "primary",
    help: postal ? "申请人选择免费邮寄：填写邮件单号，邮寄地址留空即按收件时登记的地址。" : "申请人选择窗口领取：在申请人领取证件时确认送达。",
    fields: [
      { name: "method", label: "方式", type: "select", required: true, value: a.delivery_method || "pickup", options: DELIVERY_METHODS },
      { name: "tracking_number", label: "邮件单号", required: true, showIf: ["method", "postal"], max: 60, attrs: { minlength: 4 } },
      { name: "postal_address", label: "邮寄地址（留空：按登记的地址）", showIf: ["method", "postal"], max: 300 },
    ],
    body: (v) => ({ method: v.method, tracking_number: v.tracking_number || null, postal_address: v.postal_address || null }) };
}

/** What the open 补正 asked for: the intake notice's list, or the review 补正's. */
const asked = (a) => (a.status === "awaiting_materials" ? a.missing_materials
  : a.pauses.filter((p) => !p.ended_at && p.kind === "review_supplement").flatMap((p) => p.requested));

/** 补正材料接收: each material asked for ticked as it is handed in (names as the notice gave
 * them); anything else brought, one a line. */
function receiveForm(a, base) {
  const wanted = asked(a);
  if (!wanted.length) return base;
  return { ...base, help: "逐项勾选本次收到的材料；告知补正的材料须全部收齐。",
    fields: [...wanted.map((m, n) => ({ name: `got${n}`, label: m, type: "checkbox" })),
      { name: "others", label: "其他收到的材料（每行一项，可不填）", type: "textarea" }, NOTE],
    body: (v) => ({ materials: [...wanted.filter((_, n) => v[`got${n}`]), ...lines(v.others)], note: v.note || null }) };
}

function formOf(a, name) {
  if (name === "deliver") return deliverForm(a);
  if (name === "materials_received" || name === "supplement_received") return receiveForm(a, FORMS[name]);
  return FORMS[name];
}

function facts(a) {
  return [
    ["事项", `${a.item_name}（${a.item_code}）`],
    ["办件类型", a.handling_kind === "instant" ? "即办件" : "承诺件"],
    ["实施部门", deptName(a.department)],
    ["申请人", [a.applicant_name, a.enterprise_name, a.applicant_phone].filter(Boolean).join("，")],
    ["收件渠道", label(SUBMIT_CHANNELS, a.channel)],
    a.window_code && ["窗口", windowCell(a)],
    ["时限", `法定 ${a.statutory_limit} 个工作日 / 承诺 ${a.committed_limit} 个工作日${a.extension_days ? `，延期 ${a.extension_days} 日` : ""}`],
    a.green_channel && ["绿色通道", "是（重点项目：优先办理，按绿色通道时限）"],
    ["收件时间", dateTime(a.submitted_at)],
    a.accepted_at && ["受理时间", dateTime(a.accepted_at)],
    a.due_at && ["承诺办结时限", `${dueTime(a.due_at)}${a.on_time === false ? "（超时）" : ""}`],
    ["已收材料", a.materials_received.length ? a.materials_received.join("、") : "无"],
    a.missing_materials.length && ["待补正材料", a.missing_materials.join("、")],
    a.delivery_method && ["送达方式", label(DELIVERY_METHODS, a.delivery_method)],
    a.postal_address && ["邮寄地址", a.postal_address],
    a.decided_at && ["决定时间", dateTime(a.decided_at)],
    a.decision_reason && ["决定理由", a.decision_reason],
    a.delivery_due_at && ["送达时限", `${dueTime(a.delivery_due_at)}${a.delivery_on_time === false ? "（超时）" : ""}`],
    a.pickup_ready_at && ["通知领取时间", dateTime(a.pickup_ready_at)],
    a.delivered_at && ["送达时间", dateTime(a.delivered_at)],
    a.tracking_number && ["邮件单号", a.tracking_number],
    a.finished_at && ["办结时间", dateTime(a.finished_at)],
    a.working_days_used !== null && ["实际用时", `${a.working_days_used} 个工作日${a.on_time === false ? "（超时）" : ""}`],
  ];
}

// The clock stands still in these (machine.PAUSED): 补正, 特别程序.
const PAUSED = ["awaiting_materials", "review_supplement", "suspended"];

/** A stopped clock: what was left when it stopped (counted to the due time from the open
 * pause's start), not a countdown — the due time moves when the clock resumes. */
function pausedClock(a) {
  const open = (a.pauses || []).find((p) => !p.ended_at);
  const { text } = countdown(a.due_at, open ? new Date(open.started_at).getTime() : Date.now());
  return h("span", { class: "countdown muted paused", title: `恢复计时后截止时间顺延（暂停前截止 ${dueTime(a.due_at)}）` },
    `已暂停计时（${text}）`);
}

/** The application's clock, in its header and in lists: handling until the decision (补正,
 * 特别程序: stopped, shown with what is left), then the delivery of a licence granted until
 * posted, handed over or ready to collect. */
export function runningDue(a) {
  if (a.decided_at) return a.delivery_on_time === null && a.delivery_due_at ? { at: a.delivery_due_at, stage: "delivery" } : null;
  if (["finished", "refused"].includes(a.status) || !a.due_at) return null;
  return PAUSED.includes(a.status) ? pausedClock(a) : { at: a.due_at, stage: "handling" };
}

const PART_STATUS = { pending: "待审批", approved: "准予", rejected: "不予许可" };

/** The window by its name (the hall's and the window's), its codes until the names load. */
function windowCell(a) {
  const ref = a.hall_code ? `${a.hall_code}/${a.window_code}` : a.window_code;
  const cell = h("span", {}, `${a.hall_code || ""} ${a.window_code}`);
  windowName(ref).then((name) => { if (name) cell.textContent = name; });
  return cell;
}

function parts(a) {
  if (!a.package || !a.parts.length) return null;
  return section("一件事一次办：各部门审批", table([
    { label: "事项", value: (p) => p.item_name },
    { label: "部门", value: (p) => deptName(p.department) },
    { label: "状态", value: (p) => label(PART_STATUS, p.status) },
    { label: "决定时间", value: (p) => dateTime(p.decided_at) },
  ], a.parts));
}

/** The applicant's phone, ID number and postal address in full, for whoever must contact
 * the applicant or post the licence: the API decides who may and audits every such read. */
function fullContact(url) {
  const out = h("div");
  const show = busyButton("查看完整联系信息", async () => {
    const full = await get(url, { unmask: true });
    replace(out, full.masked ? h("p", { class: "muted" }, "您的岗位不能查看完整信息。") : h("div", {},
      kv([["联系电话", full.applicant_phone], ["身份证号", full.applicant_id_no], full.postal_address && ["邮寄地址", full.postal_address]]),
      h("p", { class: "muted" }, "本次查看已记入审计日志。")));
  }, { class: "small" });
  return section("申请人联系信息", h("p", { class: "muted" }, "电话、身份证号和邮寄地址按个人信息保护要求脱敏显示；联系申请人或邮寄证件时可查看完整信息。"), show, out);
}

/** Just taken in: the number and 查询码 together at the top, where the clerk reads them out. */
function receipt(a, code) {
  return h("div", { class: "notice ok receipt", role: "status", "aria-label": "收件回执" },
    h("p", {}, "收件成功。请告知申请人，凭办件编号和查询码查询进度："),
    kv([["办件编号", h("span", { class: "mono" }, a.number)], ["查询码", h("strong", { class: "mono" }, code)]]));
}

export async function applicationPage(ctx) {
  const url = `/api/v1/approvals/applications/${encodeURIComponent(ctx.params.id)}`;
  const key = `query_code:${ctx.params.id}`;
  const code = sessionStorage.getItem(key); // left by the intake form: shown this once
  sessionStorage.removeItem(key);
  await renderCase(ctx, {
    url,
    title: (a) => `办件 ${a.number}`,
    status: (a) => label(APPLICATION_STATUS, a.status),
    marks: (a) => (a.green_channel ? tag("绿色通道", "warning green-channel") : null),
    due: runningDue,
    facts,
    lead: (a) => (code ? receipt(a, code) : null),
    extra: (a) => h("div", {}, parts(a), fullContact(url)),
    timeline: () => get(`${url}/timeline`),
    actions: (a) => a.actions.filter((name) => formOf(a, name)).map((name) => ({ name, ...formOf(a, name) })),
  });
}
