// A finding of an undercover inspection (暗访: 不诚信、不规范、不担当) against a department:
// rectification with a deadline, then verification by the inspectors.
import { h } from "../dom.js";
import { deptName } from "../directory.js";
import { dateTime } from "../format.js";
import { FINDING_STATES, label } from "../labels.js";
import { countdownEl, tag } from "../ui.js";
import { NOTE, noteRequired, renderCase } from "./casepage.js";

const FORMS = {
  rectify: { label: "报告整改情况", path: "rectify", tone: "primary", fields: [noteRequired("整改情况（至少5个字）")], body: (v) => ({ note: v.note }) },
  verify: { label: "验证通过", path: "verify", tone: "primary", fields: [NOTE], body: (v) => ({ note: v.note || null }) },
  reject: { label: "验证不通过", path: "reject",
    fields: [noteRequired("不通过的理由"), { name: "deadline_days", label: "重新整改期限（天）", type: "number", min: 1 }],
    body: (v) => ({ note: v.note, deadline_days: v.deadline_days ? Number(v.deadline_days) : null }) },
};

export const FINDING_COLUMNS = [
  { label: "编号", value: (f) => h("a", { href: `/console/findings/${f.id}`, "data-link": "" }, f.number) },
  { label: "问题类型", value: (f) => f.class_label },
  { label: "问题", value: (f) => f.description },
  { label: "责任单位", value: (f) => deptName(f.department) },
  { label: "状态", value: (f) => label(FINDING_STATES, f.state) },
  { label: "整改期限", value: (f) => (f.state === "closed" ? "—" : h("span", {}, countdownEl(f.due_at), f.overdue ? tag("超期", "danger") : null)) },
];

function facts(f) {
  return [
    ["问题类型", f.class_label],
    ["问题", f.description],
    ["责任单位", deptName(f.department)],
    ["发现时间", dateTime(f.created_at)],
    f.rectification && ["整改情况", f.rectification],
    f.rectified_at && ["整改时间", dateTime(f.rectified_at)],
    f.verification_note && ["验证意见", f.verification_note],
    f.closed_at && ["销号时间", dateTime(f.closed_at)],
  ];
}

export async function findingPage(ctx) {
  await renderCase(ctx, {
    url: `/api/v1/complaints/findings/${encodeURIComponent(ctx.params.id)}`,
    title: (f) => `暗访问题 ${f.number}`,
    status: (f) => label(FINDING_STATES, f.state),
    due: (f) => (f.state === "closed" || !f.due_at ? null : { at: f.due_at, stage: "rectification" }),
    facts,
    timeline: null, // its steps are its facts: the service keeps no separate timeline
    actions: (f) => f.actions.filter((name) => FORMS[name]).map((name) => ({ name, ...FORMS[name] })),
  });
}
