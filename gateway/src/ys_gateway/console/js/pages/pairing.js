// A pairing (挂帮): a county leader and a responsible department paired with an enterprise, with
// a visit frequency by the leader's rank (DOMAIN.md defaults: quarterly for county leaders,
// monthly for department cadres); each visit restarts the clock, a missed one escalates.
import { get, request } from "../api.js";
import { h } from "../dom.js";
import { deptName } from "../directory.js";
import { dueTime } from "../format.js";
import { specForm } from "../forms.js";
import { LEADER_RANKS, PAIRING_STATES, label } from "../labels.js";
import { navigate } from "../router.js";
import { tag } from "../ui.js";
import { noteRequired, renderCase } from "./casepage.js";
import { items, listSection } from "./lists.js";
import { V, VISIT_COLUMNS, enterpriseLink, frequencyText, setFlash, showFlash } from "./visits-shared.js";

const A = `${V}/assignments`;

const FORMS = {
  end: { label: "结束挂帮", path: "end", help: "结束后停止走访计时；须说明理由。",
    fields: [noteRequired("结束理由")], body: (v) => ({ note: v.note }) },
};

/** 新建挂帮 for `enterprise` ({id, name}). */
export function pairingForm(enterprise, close) {
  const fields = [
    { name: "leader_name", label: "挂帮领导姓名", required: true, max: 100 },
    { name: "leader_title", label: "领导职务", max: 100, hint: "如 县委常委、副县长" },
    { name: "leader_rank", label: "领导类别", type: "select", required: true, options: LEADER_RANKS,
      hint: "决定走访频次：县领导每季度、部门干部每月（以时限政策为准）" },
    { name: "leader_staff_no", label: "领导工号", max: 40, attrs: { pattern: "[A-Za-z0-9_\\-]{1,40}" }, hint: "填写后领导本人可查看自己的挂帮" },
    { name: "department", label: "责任单位", type: "department", required: true },
    { name: "starts_on", label: "开始日期", type: "date", hint: "不填为今天" },
    { name: "ends_on", label: "结束日期", type: "date", hint: "不填为长期挂帮" },
  ];
  const before = h("p", { class: "muted" }, `企业：${enterprise.name}`);
  return specForm({ label: "新建挂帮", fields, before, submitText: "建立挂帮", cancel: close }, async (v, form) => {
    const body = {
      enterprise_id: enterprise.id, leader_name: v.leader_name, leader_title: v.leader_title || null,
      leader_staff_no: v.leader_staff_no || null, leader_rank: v.leader_rank, department: v.department,
      starts_on: v.starts_on || null, ends_on: v.ends_on || null,
    };
    const made = await request(A, { method: "POST", json: body, idempotent: form });
    setFlash(`已建立挂帮：${made.data.number}`);
    navigate(`/console/pairings/${made.data.id}`);
  });
}

function facts(p) {
  return [
    ["企业", enterpriseLink(p.enterprise.id, p.enterprise.name)],
    ["挂帮领导", [p.leader_name, p.leader_title, p.leader_staff_no && `（工号 ${p.leader_staff_no}）`].filter(Boolean).join(" ")],
    ["领导类别", label(LEADER_RANKS, p.leader_rank)],
    ["责任单位", deptName(p.department)],
    ["走访频次", frequencyText(p.frequency)],
    ["挂帮期间", `${p.starts_on} 至 ${p.ends_on || "长期"}`],
    ["走访次数", `${p.visits_count} 次`],
    ["最近走访", p.last_visit_on || "尚未走访"],
    p.state === "active" && ["下次走访期限", h("span", {}, p.visit_due_at ? dueTime(p.visit_due_at) : "—",
      p.overdue ? tag("走访超期", "danger") : null, p.escalation_level ? tag(`${p.escalation_level}级督办`, "danger") : null)],
    p.end_reason && ["结束理由", p.end_reason],
  ];
}

function visits(p) {
  const record = p.state === "active"
    ? h("a", { href: `/console/visits/new?pairing=${p.id}`, "data-link": "", class: "button" }, "记录走访")
    : null;
  return listSection("走访记录", VISIT_COLUMNS, items(`${V}/visits`, { assignment_id: p.id }), "尚未走访", record);
}

export async function pairingPage(ctx) {
  const url = `${A}/${encodeURIComponent(ctx.params.id)}`;
  await renderCase(ctx, {
    url,
    title: (p) => `挂帮 ${p.number}`,
    status: (p) => label(PAIRING_STATES, p.state),
    due: (p) => (p.state === "active" && p.visit_due_at ? { at: p.visit_due_at, stage: "visit" } : null),
    facts,
    extra: visits,
    timeline: () => get(`${url}/timeline`),
    actions: (p) => (p.actions || []).filter((name) => FORMS[name]).map((name) => ({ name, ...FORMS[name] })),
  });
  showFlash(ctx.main);
}
