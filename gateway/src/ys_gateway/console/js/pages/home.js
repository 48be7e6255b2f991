// 工作台: the home page of the active position (each role sees its own queues).
import { h, replace } from "../dom.js";
import { deptName } from "../directory.js";
import { ROLES, label } from "../labels.js";
import * as session from "../session.js";
import { countdownEl, tag } from "../ui.js";
import { adminHome } from "./home-admin.js";
import { bureauHome } from "./home-bureau.js";
import { hallHome } from "./home-hall.js";
import { hotlineHome } from "./home-hotline.js";
import {
  APPLICATION_COLUMNS, COMPLAINT_COLUMNS, RECTIFICATION_COLUMNS, TICKET_COLUMNS, items, listSection,
} from "./lists.js";
import { PROBLEM_STATES } from "./problem.js";
import { FINDING_COLUMNS } from "./finding.js";

const T = "/api/v1/hotline/tickets";
const C = "/api/v1/complaints/cases";

export const PROBLEM_COLUMNS = [
  { label: "交办单", value: (p) => h("a", { href: `/console/problems/${p.id}`, "data-link": "" }, p.number) },
  { label: "企业", value: (p) => (p.enterprise ? p.enterprise.name : "—") },
  { label: "诉求", value: (p) => p.title },
  { label: "状态", value: (p) => PROBLEM_STATES[p.state] || p.state },
  { label: "责任单位", value: (p) => deptName(p.department) },
  { label: "时限", value: (p) => (p.state === "closed" ? "—" : h("span", {}, countdownEl(p.due_at), p.escalation_level ? tag(`${p.escalation_level}级督办`, "danger") : null)) },
];

const PAIRING_COLUMNS = [
  { label: "挂帮编号", value: (p) => p.number },
  { label: "企业", value: (p) => (p.enterprise ? p.enterprise.name : "—") },
  { label: "挂帮领导", value: (p) => [p.leader_name, p.leader_title].filter(Boolean).join(" ") },
  { label: "责任单位", value: (p) => deptName(p.department) },
  { label: "最近走访", value: (p) => p.last_visit_on || "尚未走访" },
  { label: "下次走访期限", value: (p) => h("span", {}, countdownEl(p.visit_due_at), p.overdue ? tag("走访超期", "danger") : null) },
];

function title(main, text) {
  main.dataset.title = text;
  return h("h1", {}, text);
}

function departmentHome({ main }, p) {
  const dept = p.dept;
  const head = p.role === "head";
  replace(main,
    title(main, `${deptName(dept)} · 工作台`),
    head ? h("p", { class: "muted" }, "12345工单由一把手亲自签收（一把手亲自接单）。") : null,
    listSection("12345 待签收", TICKET_COLUMNS, items(T, { queue: "to_sign" }), "没有待签收的工单"),
    listSection("12345 待办理", TICKET_COLUMNS, items(T, { queue: "to_handle" }), "没有待办理的工单"),
    listSection("已超时", TICKET_COLUMNS, items(T, { overdue: true }), "没有超时工单"),
    listSection("涉企投诉 待办理", COMPLAINT_COLUMNS, items(C, { department: dept, status: ["assigned", "investigating"] }), "没有交办给本单位的投诉"),
    listSection("政务服务 审查中的办件", APPLICATION_COLUMNS, items("/api/v1/approvals/applications", { department: dept, status: "in_review" }), "没有审查中的办件"),
    listSection("差评整改", RECTIFICATION_COLUMNS, items("/api/v1/ratings/rectifications", { department: dept, state: "rectifying" }), "没有待整改的差评"),
    listSection("暗访问题整改", FINDING_COLUMNS, items("/api/v1/complaints/findings", { department: dept, state: "open" }), "没有待整改的暗访问题"),
    listSection("企业诉求 交办单", PROBLEM_COLUMNS, items("/api/v1/visits/problems", { department: dept, status: ["assigned", "in_progress"] }), "没有交办给本单位的企业诉求"),
  );
}

function complaintsHome({ main }) {
  replace(main,
    title(main, "侵权投诉中心 · 工作台"),
    listSection("待受理", COMPLAINT_COLUMNS, items(C, { status: "registered" }), "没有待受理的投诉"),
    listSection("待审核答复", COMPLAINT_COLUMNS, items(C, { status: "replied" }), "没有待审核的答复"),
    listSection("企业有异议 / 已回访", COMPLAINT_COLUMNS, items(C, { status: ["disputed", "revisited"] }), "没有"),
    listSection("办理中", COMPLAINT_COLUMNS, items(C, { status: ["accepted", "assigned", "investigating", "resolved"] }), "没有办理中的投诉"),
    listSection("已超时", COMPLAINT_COLUMNS, items(C, { overdue: true }), "没有超时案件"),
    listSection("暗访问题（待验证）", FINDING_COLUMNS, items("/api/v1/complaints/findings", { state: "rectified" }), "没有待验证的暗访问题"),
  );
}

function enterpriseHome({ main }) {
  const P = "/api/v1/visits/problems";
  replace(main,
    title(main, "非公经济服务中心 · 工作台"),
    listSection("走访超期的挂帮", PAIRING_COLUMNS, items("/api/v1/visits/assignments", { status: "active", overdue: true }), "没有走访超期的挂帮企业"),
    listSection("挂帮企业（待走访）", PAIRING_COLUMNS, items("/api/v1/visits/assignments", { status: "active" }), "没有挂帮关系"),
    listSection("待交办的诉求", PROBLEM_COLUMNS, items(P, { status: "raised" }), "没有待交办的诉求"),
    listSection("未销号的诉求", PROBLEM_COLUMNS, items(P, { status: ["assigned", "in_progress", "solved"] }), "没有未销号的诉求"),
  );
}

const HOMES = {
  HOTLINE_CENTER: hotlineHome,
  HALL: hallHome,
  COMPLAINTS_CENTER: complaintsHome,
  ENTERPRISE_CENTER: enterpriseHome,
  BUREAU: bureauHome,
  COMMITTEE: bureauHome,
};

export async function homePage(ctx) {
  const p = session.position();
  const home = p.role === "admin" ? adminHome : HOMES[p.dept] || departmentHome;
  await home(ctx, p);
  ctx.main.prepend(h("p", { class: "whoami" }, `${session.claims().name || ""}，您正在以「${deptName(p.dept)} · ${label(ROLES, p.role)}」岗位办理业务。`));
}
