// A visit (走访) to an enterprise — on a pairing (挂帮: the visit restarts its clock) or not —
// with the people who went, what they found, and the problems (诉求) found, each of which
// becomes a 交办单 for the center to hand to a department on the problem's page.
import { get, request } from "../api.js";
import { h, replace } from "../dom.js";
import { deptName } from "../directory.js";
import { dateTime, today } from "../format.js";
import { repeater, rows, specForm } from "../forms.js";
import { PAIRING_STATES, PROBLEM_STATES, VISIT_CHANNELS, label } from "../labels.js";
import { navigate } from "../router.js";
import * as session from "../session.js";
import { kv, link, section, table } from "../ui.js";
import { PROBLEM_FIELDS, V, enterpriseLink, may, problemBody, setFlash, showFlash } from "./visits-shared.js";

const PARTICIPANT_FIELDS = [
  { name: "name", label: "姓名", required: true, max: 50 },
  { name: "title", label: "职务", max: 100 },
  { name: "department", label: "单位", type: "department", blank: "（不选）" },
];

function visitFields(pairing, enterprise) {
  const where = pairing ? [] : [
    { name: "enterprise_id", label: "企业", type: "enterprise", required: true, value: enterprise },
    { name: "department", label: "走访单位", type: "department", required: true },
  ];
  return [
    ...where,
    { name: "visited_on", label: "走访日期", type: "date", required: true, value: today(), attrs: { max: today() } },
    { name: "channel", label: "走访方式", type: "select", required: true, options: VISIT_CHANNELS },
    { name: "summary", label: "走访情况", type: "textarea", required: true, max: 5000, rows: 4 },
  ];
}

function visitBody(v, pairing) {
  return {
    pairing_id: pairing ? pairing.id : null,
    enterprise_id: pairing ? null : v.enterprise_id,
    department: pairing ? null : v.department,
    visited_on: v.visited_on,
    channel: v.channel,
    summary: v.summary,
    participants: rows(v, "participants").map((p) => ({ name: p.name, title: p.title || null, department: p.department || null })),
    problems: rows(v, "problems").map(problemBody),
  };
}

function pairingSummary(p) {
  return section("挂帮关系", kv([
    ["挂帮", link(`/console/pairings/${p.id}`, p.number)],
    ["企业", p.enterprise.name],
    ["挂帮领导", [p.leader_name, p.leader_title].filter(Boolean).join(" ")],
    ["责任单位", deptName(p.department)],
    ["最近走访", p.last_visit_on || "尚未走访"],
  ]));
}

/** /console/visits/new?pairing=<id> (or ?enterprise=<id>): record a visit and its problems. */
export async function visitFormPage({ main, query }) {
  main.dataset.title = "记录走访";
  const pairingId = query.get("pairing");
  const enterpriseId = query.get("enterprise");
  const pairing = pairingId ? await get(`${V}/assignments/${encodeURIComponent(pairingId)}`) : null;
  const heading = h("h1", {}, "记录走访");
  if (pairing && pairing.state !== "active") {
    return replace(main, heading, section(null, h("p", {}, `该挂帮关系${label(PAIRING_STATES, pairing.state)}，不能再记录走访。`)));
  }
  if (!pairing && !may.seeAll(session.position())) {
    return replace(main, heading, section(null, h("p", {}, "请在本单位的挂帮关系页面记录走访。")));
  }
  const enterprise = !pairing && enterpriseId ? await get(`${V}/enterprises/${encodeURIComponent(enterpriseId)}`) : null;
  const after = [
    repeater("participants", { legend: "参加人员", item: "参加人员", fields: PARTICIPANT_FIELDS, min: 1, max: 30, addText: "添加参加人员" }),
    repeater("problems", { legend: "发现的诉求（每件形成一张交办单，待中心交办）", item: "诉求", fields: PROBLEM_FIELDS, max: 20, addText: "添加发现的诉求" }),
  ];
  const form = specForm({ label: "记录走访", fields: visitFields(pairing, enterprise), after, submitText: "保存走访记录" }, async (v, form) => {
    const made = await request(`${V}/visits`, { method: "POST", json: visitBody(v, pairing), idempotent: form });
    const found = made.data.problems.length;
    setFlash(`已记录走访 ${made.data.number}${found ? `，形成交办单 ${found} 件，请逐件交办` : ""}`);
    navigate(`/console/visits/${made.data.id}`);
  });
  replace(main, heading, pairing ? pairingSummary(pairing) : null, section("走访记录", form));
}

function facts(v) {
  return [
    ["企业", enterpriseLink(v.enterprise.id, v.enterprise.name)],
    v.pairing_id && ["挂帮关系", link(`/console/pairings/${v.pairing_id}`, "查看挂帮")],
    v.leader_name && ["挂帮领导", v.leader_name],
    ["走访单位", deptName(v.department)],
    ["走访日期", v.visited_on],
    ["走访方式", label(VISIT_CHANNELS, v.channel)],
    ["走访情况", v.summary],
    ["记录人", v.recorded_by_name || "—"],
    ["记录时间", dateTime(v.created_at)],
  ];
}

export async function visitPage({ main, params }) {
  const v = await get(`${V}/visits/${encodeURIComponent(params.id)}`);
  main.dataset.title = `走访 ${v.number}`;
  replace(main,
    h("div", { class: "case-head" }, h("h1", {}, `走访 ${v.number}`)),
    section("基本信息", kv(facts(v))),
    section("参加人员", table([
      { label: "姓名", value: (p) => p.name },
      { label: "职务", value: (p) => p.title || "—" },
      { label: "单位", value: (p) => (p.department ? deptName(p.department) : "—") },
    ], v.participants)),
    section("发现的诉求（交办单）", table([
      { label: "交办单", value: (p) => link(`/console/problems/${p.id}`, p.number) },
      { label: "诉求", value: (p) => p.title },
      { label: "状态", value: (p) => label(PROBLEM_STATES, p.state) },
    ], v.problems, "本次走访未发现诉求")));
  showFlash(main);
}
