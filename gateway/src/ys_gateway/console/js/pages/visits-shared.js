// What the pages of the enterprise service center (非公有制经济服务中心, svc-visits) share: who may
// do what — mirroring ys_visits/access.py only to decide which forms to offer (the API stays
// the authority: a refusal still reads as a Chinese message) — the list columns, and a message
// carried to the page a form lands on.
import { get } from "../api.js";
import { h } from "../dom.js";
import { deptName } from "../directory.js";
import {
  DUTY_STATES, LEADER_RANKS, PAIRING_STATES, PROBLEM_CATEGORIES, PROBLEM_SOURCES, PROBLEM_STATES, SCALES, UNITS, VISIT_CHANNELS, label,
} from "../labels.js";
import { countdownEl, link, notice, tag } from "../ui.js";

export const V = "/api/v1/visits";

const CENTER = "ENTERPRISE_CENTER";
const OVERSIGHT = ["BUREAU", "COMMITTEE"];
const MANAGER_ROLES = ["staff", "head", "admin"]; // not a front-line clerk alone

const at = (p, depts) => Boolean(p) && depts.includes(p.dept);

export const may = {
  /** The registry and problems raised directly (REGISTRARS: any post of the center or bureau). */
  register: (p) => at(p, [CENTER, "BUREAU"]),
  /** Pairings (MANAGERS). */
  pair: (p) => at(p, [CENTER, "BUREAU"]) && MANAGER_ROLES.includes(p.role),
  /** The duty schedule (SCHEDULERS). */
  schedule: (p) => at(p, [CENTER, "BUREAU", "HALL"]) && MANAGER_ROLES.includes(p.role),
  /** Everything in the registry, contacts in full for a reason, visits of any department. */
  seeAll: (p) => at(p, [CENTER, ...OVERSIGHT]),
  /** Indicators (指标长) and joint meetings (联席会议): the bureau's (STEERING). */
  steer: (p) => at(p, ["BUREAU"]) && MANAGER_ROLES.includes(p.role),
};

// ---- a problem (诉求) as found on a visit, on duty or phoned in -------------------------

export const PROBLEM_FIELDS = [
  { name: "title", label: "诉求标题", required: true, max: 200 },
  { name: "category", label: "诉求类别", type: "select", required: true, options: PROBLEM_CATEGORIES },
  { name: "description", label: "诉求描述", type: "textarea", required: true, max: 5000 },
  { name: "contact_name", label: "企业联系人", max: 50 },
  { name: "contact_phone", label: "联系人电话", type: "tel", max: 20, attrs: { inputmode: "tel", autocomplete: "off" } },
];

/** A problem's body from its fields' values (the enterprise comes from the context). */
export function problemBody(v) {
  return {
    title: v.title, category: v.category, description: v.description,
    contact_name: v.contact_name || null, contact_phone: v.contact_phone || null,
  };
}

// ---- a message for the next page (after a form navigated there) ------------------------

let flash = null;

export function setFlash(text) {
  flash = text;
}

export function showFlash(main) {
  if (flash) notice(main, flash, "ok");
  flash = null;
}

// ---- enterprises by id, indicators by code (matters, visits, tasks name them) ------------

const names = new Map();

/** A link to an enterprise's page, its text the name once the registry answers. */
export function enterpriseLink(id, name) {
  if (!id) return "—";
  const a = link(`/console/enterprises/${id}`, name || "企业详情");
  if (!name) {
    if (!names.has(id)) names.set(id, get(`${V}/enterprises/${id}`).then((e) => e.name).catch(() => null));
    names.get(id).then((found) => found && (a.textContent = found));
  }
  return a;
}

/** A link to an indicator's page (指标长), its text the indicator's name once known. */
export function indicatorLink(code) {
  if (!code) return "—";
  const a = link(`/console/indicators/${code}`, code);
  if (!names.has(code)) names.set(code, get(`${V}/indicators/${code}`).then((i) => i.name).catch(() => null));
  names.get(code).then((found) => found && (a.textContent = found));
  return a;
}

// ---- columns -----------------------------------------------------------------------------

export function frequencyText(f) {
  return f ? `每 ${f.amount} ${label(UNITS, f.unit)}至少走访一次` : "—";
}

export const ENTERPRISE_COLUMNS = [
  { label: "企业名称", value: (e) => link(`/console/enterprises/${e.id}`, e.name) },
  { label: "统一社会信用代码", value: (e) => h("span", { class: "mono" }, e.uscc) },
  { label: "行业", value: (e) => e.industry },
  { label: "园区", value: (e) => e.park || "—" },
  { label: "规模", value: (e) => label(SCALES, e.scale) },
  { label: "标签", value: (e) => (e.tags.length ? e.tags.join("、") : "—") },
];

export const PAIRING_COLUMNS = [
  { label: "挂帮编号", value: (p) => link(`/console/pairings/${p.id}`, p.number) },
  { label: "企业", value: (p) => enterpriseLink(p.enterprise.id, p.enterprise.name) },
  { label: "挂帮领导", value: (p) => `${[p.leader_name, p.leader_title].filter(Boolean).join(" ")}（${label(LEADER_RANKS, p.leader_rank)}）` },
  { label: "责任单位", value: (p) => deptName(p.department) },
  { label: "最近走访", value: (p) => p.last_visit_on || "尚未走访" },
  { label: "下次走访期限", value: (p) => (p.state === "active"
    ? h("span", {}, countdownEl(p.visit_due_at), p.overdue ? tag("走访超期", "danger") : null)
    : tag(label(PAIRING_STATES, p.state))) },
];

export const VISIT_COLUMNS = [
  { label: "走访编号", value: (v) => link(`/console/visits/${v.id}`, v.number) },
  { label: "企业", value: (v) => enterpriseLink(v.enterprise.id, v.enterprise.name) },
  { label: "走访日期", value: (v) => v.visited_on },
  { label: "方式", value: (v) => label(VISIT_CHANNELS, v.channel) },
  { label: "走访单位", value: (v) => deptName(v.department) },
  { label: "参加人员", value: (v) => v.participants.map((p) => p.name).join("、") },
  { label: "发现诉求", value: (v) => (v.problems.length ? `${v.problems.length} 件` : "无") },
];

export const PROBLEM_COLUMNS = [
  { label: "交办单", value: (p) => link(`/console/problems/${p.id}`, p.number) },
  { label: "企业", value: (p) => (p.enterprise ? p.enterprise.name : "—") },
  { label: "诉求", value: (p) => p.title },
  { label: "来源", value: (p) => label(PROBLEM_SOURCES, p.source) },
  { label: "状态", value: (p) => label(PROBLEM_STATES, p.state) },
  { label: "责任单位", value: (p) => deptName(p.department) },
  { label: "时限", value: (p) => (p.state === "closed" ? "—" : h("span", {}, countdownEl(p.due_at), p.escalation_level ? tag(`${p.escalation_level}级督办`, "danger") : null)) },
];

export const DUTY_COLUMNS = [
  { label: "坐班编号", value: (d) => link(`/console/duty/${d.id}`, d.number) },
  { label: "日期", value: (d) => d.date },
  { label: "时间", value: (d) => `${d.start}–${d.end}` },
  { label: "大厅", value: (d) => d.hall_name },
  { label: "坐班领导", value: (d) => [d.leader_name, d.leader_title].filter(Boolean).join(" ") },
  { label: "单位", value: (d) => deptName(d.department) },
  { label: "状态", value: (d) => label(DUTY_STATES, d.state) },
  { label: "办件 / 交办单", value: (d) => `${d.matters_count} / ${d.problems_count}` },
];
