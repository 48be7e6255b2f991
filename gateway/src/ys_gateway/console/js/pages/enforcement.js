// 三为主 (svc-complaints enforcement/): enforcement toward enterprises is mostly service, then
// education, penalty last — by default at least 70% service, 20% education, at most 10% penalty
// (targets the county admin may change). Each enforcing unit records its own actions (首违不罚
// is education); the complaints center may record for any unit; the center, the bureau and the
// committee see every unit's actions and the mix report that flags a unit above the penalty
// maximum. The service centers of the hall, the hotline and enterprise services enforce nothing.
import { get, request } from "../api.js";
import { h, replace } from "../dom.js";
import { deptName, departmentOptions } from "../directory.js";
import { draftWaits } from "../drafts.js";
import { dateTime, today } from "../format.js";
import { specForm } from "../forms.js";
import { COORDINATING, ENFORCEMENT_KINDS, label } from "../labels.js";
import { navigate } from "../router.js";
import * as session from "../session.js";
import { field, input, section, select, table, tag, withLoading } from "../ui.js";
import { pagedList, filterForm } from "./lists.js";
import { setFlash, showFlash } from "./visits-shared.js";

const A = "/api/v1/complaints/enforcement-actions";
const PAGE = "/console/enforcement";
const CENTER = "COMPLAINTS_CENTER";
const SEE_ALL = [CENTER, "BUREAU", "COMMITTEE"]; // ys_complaints/enforcement/service.py sees_all
const NOT_ENFORCING = ["HALL", "HOTLINE_CENTER", "ENTERPRISE_CENTER"];

const seesAll = (p) => Boolean(p) && SEE_ALL.includes(p.dept);
/** The page: enforcing units (their own actions), the center and oversight (every unit's). */
export const mayReadEnforcement = (p) => Boolean(p) && !NOT_ENFORCING.includes(p.dept);
/** Recording: an enforcing unit for itself, the center for any unit (not the bureau or the
 * committee, which oversee and enforce nothing). */
const mayRecord = (p) => Boolean(p) && (p.dept === CENTER || !(p.dept in COORDINATING));

const share = (part, whole) => `${part}（${Math.round(whole * 1000) / 10}%）`;
const percent = (x) => `${Math.round(x * 1000) / 10}%`;

const ACTION_COLUMNS = [
  { label: "执法日期", value: (a) => a.acted_on },
  { label: "执法单位", value: (a) => deptName(a.department) },
  { label: "执法方式", value: (a) => h("span", {}, label(ENFORCEMENT_KINDS, a.kind), a.first_offence_waived ? tag("首违不罚") : null) },
  { label: "企业", value: (a) => [a.enterprise_name, a.enterprise_uscc].filter(Boolean).join(" ") || "—" },
  { label: "执法情况", value: (a) => a.description },
  { label: "法律依据", value: (a) => a.legal_basis || "—" },
  { label: "罚款（元）", value: (a) => a.fine_amount ?? "—" },
  { label: "登记时间", value: (a) => dateTime(a.recorded_at) },
];

const MIX_COLUMNS = [
  { label: "单位", value: (m) => m.name || deptName(m.department) },
  { label: "合计", value: (m) => String(m.total) },
  { label: "服务", value: (m) => share(m.service, m.service_share) },
  { label: "教育", value: (m) => share(m.education, m.education_share) },
  { label: "处罚", value: (m) => share(m.penalty, m.penalty_share) },
  { label: "其中首违不罚", value: (m) => String(m.first_offence_waived) },
  { label: "评估", value: (m) => h("span", {},
    m.flagged ? tag("处罚占比超过上限", "danger") : null,
    m.warnings.includes("service_below_min") ? tag("服务占比低于目标", "warning") : null,
    !m.flagged && !m.warnings.length ? "符合" : null) },
];

function mix(report) {
  const t = report.targets;
  return h("div", {},
    h("p", { class: "muted" }, `${report.period_from} 至 ${report.period_to}；目标：服务不低于 ${percent(t.service_min)}，教育约 ${percent(t.education_share)}，处罚不超过 ${percent(t.penalty_max)}。`),
    table(MIX_COLUMNS, report.departments, "该期间没有登记执法行为"));
}

function recordForm(p, close) {
  const fields = [
    p.dept === CENTER ? { name: "department", label: "执法单位", type: "department", required: true } : null,
    { name: "acted_on", label: "执法日期", type: "date", required: true, value: today(), attrs: { max: today() } },
    { name: "kind", label: "执法方式", type: "select", required: true, options: ENFORCEMENT_KINDS },
    { name: "first_offence_waived", label: "首违不罚（初次违法、及时改正，不予处罚）", type: "checkbox", showIf: ["kind", "education"] },
    { name: "fine_amount", label: "罚款金额（元）", type: "number", min: 0, step: "0.01", showIf: ["kind", "penalty"] },
    { name: "enterprise_name", label: "企业名称", max: 200, attrs: { minlength: 2 } },
    { name: "enterprise_uscc", label: "统一社会信用代码", hint: "18 位，可不填",
      attrs: { minlength: 18, maxlength: 18, pattern: "[0-9A-Za-z]{18}", autocapitalize: "characters", spellcheck: "false", class: "mono" } },
    { name: "description", label: "执法情况", type: "textarea", required: true, max: 5000, attrs: { minlength: 2 } },
    { name: "legal_basis", label: "法律依据", max: 300, hint: "处罚必填", requiredIf: [["kind", "penalty"]] },
  ].filter(Boolean);
  const own = p.dept === CENTER ? null : h("p", { class: "muted" }, `执法单位：${deptName(p.dept)}`);
  return specForm({ label: "登记执法行为", fields, before: own, submitText: "登记", cancel: close }, async (v, form) => {
    const body = {
      department: v.department || p.dept, acted_on: v.acted_on, kind: v.kind,
      first_offence_waived: v.first_offence_waived === true, fine_amount: v.fine_amount || null,
      enterprise_name: v.enterprise_name || null, enterprise_uscc: v.enterprise_uscc ? v.enterprise_uscc.toUpperCase() : null,
      description: v.description, legal_basis: v.legal_basis || null,
    };
    const made = await request(A, { method: "POST", json: body, idempotent: form });
    setFlash(`已登记：${deptName(made.data.department)} ${made.data.acted_on} ${label(ENFORCEMENT_KINDS, made.data.kind)}`);
    navigate(location.pathname + location.search, { replace: true });
  });
}

const firstOfMonth = () => `${today().slice(0, 8)}01`;

/** /console/enforcement: the mix of the period, the actions, and 登记执法行为. */
export async function enforcementPage({ main, query }) {
  main.dataset.title = "三为主";
  const p = session.position();
  const params = {
    from: query.get("from") || firstOfMonth(), to: query.get("to") || today(),
    department: query.get("department"), kind: query.get("kind"),
  };
  const panel = h("div");
  const open = () => {
    replace(panel, section("登记执法行为", recordForm(p, () => replace(panel))));
    panel.querySelector("select,input")?.focus();
  };
  const report = h("div");
  replace(main,
    h("div", { class: "case-head" }, h("h1", {}, "三为主（涉企执法）"),
      mayRecord(p) ? h("button", { type: "button", class: "primary", onClick: open }, "登记执法行为") : null),
    h("p", { class: "muted" }, "涉企执法以服务为主、教育为主、处罚为辅（三为主）；各执法单位登记本单位的执法行为，首违不罚按教育登记。"),
    panel,
    section(null, filterForm("筛选执法行为", PAGE, params, [
      field("起始日期", input("from", { type: "date" })),
      field("截止日期", input("to", { type: "date" })),
      seesAll(p) ? field("执法单位", select("department", departmentOptions((code) => !(code in COORDINATING), { inactive: true }), { blank: "全部单位" })) : null,
      field("执法方式", select("kind", ENFORCEMENT_KINDS, { blank: "全部方式" })),
    ])),
    section("执法结构", report),
    section("执法行为", pagedList(A, params, ACTION_COLUMNS, "没有符合条件的执法行为")));
  withLoading(report, () => get(`${A}/report`, { from: params.from, to: params.to }), mix);
  if (mayRecord(p) && draftWaits("登记执法行为")) open();
  showFlash(main);
}
