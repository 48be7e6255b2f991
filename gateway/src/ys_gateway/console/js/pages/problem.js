// An enterprise's problem (诉求) handed to a department (交办单) until 销号, which needs the
// enterprise's confirmation or the bureau's override with a reason (DOMAIN.md). The
// department's head signs for it personally (签收, 一把手亲自接单), then the department contacts
// the enterprise (联系) and proposes a solution; the clocks (五限时) show under 时限. A joint
// meeting's task (联席会议) may have no enterprise: no 联系, and the bureau confirms its 销号.
import { get, request } from "../api.js";
import { h, replace } from "../dom.js";
import { deptName } from "../directory.js";
import { dateTime } from "../format.js";
import { specForm } from "../forms.js";
import { CONFIRM_CHANNELS, CONTACT_CHANNELS, PROBLEM_CATEGORIES, PROBLEM_SOURCES, PROBLEM_STATES as STATES, label } from "../labels.js";
import { navigate } from "../router.js";
import * as session from "../session.js";
import { link, section, table } from "../ui.js";
import { NOTE, firstDue, noteRequired, renderCase } from "./casepage.js";
import {
  PROBLEM_FIELDS, V, enterpriseLink, indicatorLink, may, problemBody, setFlash, showFlash,
} from "./visits-shared.js";

const FORMS = {
  assign: { label: "交办", path: "assign", tone: "primary",
    fields: [{ name: "department", label: "责任单位", type: "department", required: true },
      { name: "resolution_due", label: "解决时限（默认按政策）", type: "date" }, NOTE],
    body: (v) => ({ department: v.department, resolution_due: v.resolution_due || null, note: v.note || null }) },
  sign: { label: "签收", path: "sign", tone: "primary", help: "一把手亲自接单：签收后请尽快联系企业。",
    fields: [NOTE], body: (v) => ({ note: v.note || null }) },
  return: { label: "退回", path: "return", fields: [noteRequired("退回理由")], body: (v) => ({ note: v.note }) },
  contact: { label: "联系企业", path: "contact", tone: "primary",
    fields: [{ name: "channel", label: "联系方式", type: "select", required: true, options: CONTACT_CHANNELS }, NOTE],
    body: (v) => ({ channel: v.channel, note: v.note || null }) },
  propose: { label: "提出解决方案", path: "propose", tone: "primary",
    fields: [{ name: "proposal", label: "解决方案", type: "textarea", required: true }, NOTE],
    body: (v) => ({ proposal: v.proposal, note: v.note || null }) },
  progress: { label: "报送月度进展", path: "progress",
    fields: [{ name: "text", label: "进展", type: "textarea", required: true }, { name: "percent", label: "完成比例（%）", type: "number", min: 0 }],
    body: (v) => ({ text: v.text, percent: v.percent === "" ? null : Number(v.percent) }) },
  solve: { label: "办结", path: "solve", tone: "primary",
    fields: [{ name: "resolution", label: "解决情况", type: "textarea", required: true }, NOTE],
    body: (v) => ({ resolution: v.resolution, note: v.note || null }) },
  confirm: { label: "企业确认销号", path: "confirm", tone: "primary",
    fields: [{ name: "confirmed_by", label: "确认的企业联系人", required: true }, { name: "channel", label: "确认方式", type: "select", required: true, options: CONFIRM_CHANNELS }, NOTE],
    body: (v) => ({ confirmed_by: v.confirmed_by, channel: v.channel, note: v.note || null }) },
  dispute: { label: "企业有异议", path: "dispute", fields: [noteRequired("异议内容")], body: (v) => ({ note: v.note }) },
  accept: { label: "营商局确认销号", path: "accept", tone: "primary", fields: [NOTE], body: (v) => ({ note: v.note || null }) },
  reject: { label: "营商局退回重办", path: "reject", fields: [noteRequired("退回理由")], body: (v) => ({ note: v.note }) },
  override_close: { label: "营商局决定销号", path: "override-close", fields: [noteRequired("销号理由")], body: (v) => ({ note: v.note }) },
};

function facts(p) {
  return [
    ["企业", p.enterprise ? enterpriseLink(p.enterprise.id, p.enterprise.name) : "—"],
    ["诉求", p.title],
    ["类别", label(PROBLEM_CATEGORIES, p.category)],
    ["来源", label(PROBLEM_SOURCES, p.source)],
    p.meeting_id && ["联席会议", link(`/console/meetings/${p.meeting_id}`, "查看会议纪要")],
    p.indicator_code && ["关联指标", indicatorLink(p.indicator_code)],
    ["描述", p.description],
    ["责任单位", deptName(p.department)],
    ["企业联系人", [p.contact_name, p.contact_phone].filter(Boolean).join("，") || "—"],
    ["登记时间", dateTime(p.received_at)],
    p.resolution_due_on && ["解决时限", p.resolution_due_on],
    p.signed_at && ["签收", signer(p)],
    p.contacted_at && ["联系企业", `${dateTime(p.contacted_at)}（${label(CONTACT_CHANNELS, p.contact_channel)}）`],
    p.proposal && ["解决方案", p.proposal],
    p.resolution && ["解决情况", p.resolution],
    p.confirmed_by && ["确认人", p.confirmed_by],
    p.closure_note && ["销号说明", p.closure_note],
  ];
}

/** Who signed for it and when; a problem handed on before 签收 existed has no signer. */
function signer(p) {
  const who = [p.signed_by_name, p.signed_by_staff_no && `（${p.signed_by_staff_no}）`].filter(Boolean).join("");
  return [dateTime(p.signed_at), who].filter(Boolean).join(" ");
}

/** Waiting for the head's 签收: said to everyone who cannot sign for it themselves. */
function awaitingSignature(p) {
  if (p.state !== "assigned" || (p.actions || []).includes("sign")) return null;
  return h("p", { class: "muted", "data-hint": "sign" }, `待${deptName(p.department)}一把手签收（一把手亲自接单）。`);
}

function progress(p) {
  if (!p.progress || !p.progress.length) return null;
  return section("月度进展", table([
    { label: "时间", value: (e) => dateTime(e.at) },
    { label: "进展", value: (e) => e.text },
    { label: "完成", value: (e) => (e.percent === null ? "—" : `${e.percent}%`) },
    { label: "报送人", value: (e) => e.by_name },
  ], p.progress));
}

export async function problemPage(ctx) {
  const url = `/api/v1/visits/problems/${encodeURIComponent(ctx.params.id)}`;
  await renderCase(ctx, {
    url,
    title: (p) => `交办单 ${p.number}`,
    // no enterprise to confirm a joint meeting's task: the bureau does
    status: (p) => (p.state === "solved" && !p.enterprise ? "待营商局确认" : STATES[p.state] || p.state),
    due: (p) => (p.state === "closed" ? null : firstDue(p.stages)),
    facts,
    extra: (p) => h("div", {}, awaitingSignature(p), progress(p)),
    stages: (p) => (p.stages || []).map((s) => ({ ...s, state: s.status })),
    timeline: () => get(`${url}/timeline`),
    actions: (p) => (p.actions || []).filter((name) => FORMS[name]).map((name) => ({ name, ...FORMS[name] })),
  });
  showFlash(ctx.main);
}

/** /console/problems/new?enterprise=<id>: a problem raised directly at the center (an
 * enterprise phones in); it waits in 待交办的诉求 until the center hands it on. */
export async function problemFormPage({ main, query }) {
  main.dataset.title = "登记诉求";
  const heading = h("h1", {}, "登记诉求");
  if (!may.register(session.position())) {
    return replace(main, heading, section(null, h("p", {}, "诉求由非公有制经济服务中心登记；您当前的岗位无权登记诉求。")));
  }
  const id = query.get("enterprise");
  const enterprise = id ? await get(`${V}/enterprises/${encodeURIComponent(id)}`) : null;
  const fields = [{ name: "enterprise_id", label: "企业", type: "enterprise", required: true, value: enterprise }, ...PROBLEM_FIELDS];
  const form = specForm({ label: "登记诉求", fields, submitText: "登记" }, async (v, form) => {
    const made = await request(`${V}/problems`, { method: "POST", json: { enterprise_id: v.enterprise_id, ...problemBody(v) }, idempotent: form });
    setFlash(`已登记诉求：交办单 ${made.data.number}，请交办给责任单位`);
    navigate(`/console/problems/${made.data.id}`);
  });
  replace(main, heading,
    h("p", { class: "muted" }, "企业来电、来访或来信反映的诉求在此登记；走访、坐班中发现的诉求随走访记录、坐班办件登记。"),
    section(null, form));
}
