// 工作台: the home page of the active position (each role sees its own queues).
import { h, replace } from "../dom.js";
import { deptName } from "../directory.js";
import { COMPLAINTS_CENTER_SHORT, ROLES, label } from "../labels.js";
import { today } from "../format.js";
import * as session from "../session.js";
import { section } from "../ui.js";
import { adminHome } from "./home-admin.js";
import { bureauHome } from "./home-bureau.js";
import { hallHome } from "./home-hall.js";
import { hotlineHome } from "./home-hotline.js";
import {
  APPLICATION_COLUMNS, COMPLAINT_COLUMNS, TICKET_COLUMNS, complaintList, items, listSection,
} from "./lists.js";
import { ownRectifications } from "./own-rectifications.js";
import { FINDING_COLUMNS } from "./finding.js";
import { NEW_COMPLAINT_PAGE } from "./complaint-new.js";
import { COMPLAINTS_STATS_PAGE } from "./complaints-stats.js";
import { VISITS_STATS_PAGE } from "./visits-stats.js";
import { myDutySection, myShifts } from "./duty.js";
import { DUTY_COLUMNS, PAIRING_COLUMNS, PROBLEM_COLUMNS, V, VISIT_COLUMNS, may } from "./visits-shared.js";

const T = "/api/v1/hotline/tickets";
const C = "/api/v1/complaints/cases";

function title(main, text) {
  main.dataset.title = text;
  return h("h1", {}, text);
}

function departmentHome({ main }, p) {
  const dept = p.dept;
  const head = p.role === "head";
  replace(main,
    title(main, `${deptName(dept)} · 工作台`),
    head ? h("p", { class: "muted" }, "12345工单和企业诉求交办单由一把手亲自签收（一把手亲自接单）。") : null,
    listSection("12345 待签收", TICKET_COLUMNS, items(T, { queue: "to_sign" }), "没有待签收的工单"),
    listSection("12345 待办理", TICKET_COLUMNS, items(T, { queue: "to_handle" }), "没有待办理的工单"),
    listSection("已超时", TICKET_COLUMNS, items(T, { overdue: true }), "没有超时工单"),
    listSection("涉企投诉 待办理", COMPLAINT_COLUMNS, items(C, { department: dept, status: ["assigned", "investigating"] }), "没有交办给本单位的投诉"),
    listSection("政务服务 审查中的办件", APPLICATION_COLUMNS, items("/api/v1/approvals/applications", { department: dept, status: "in_review", order: "queue" }), "没有审查中的办件"),
    ...ownRectifications(dept),
    listSection("企业诉求 待签收", PROBLEM_COLUMNS, items("/api/v1/visits/problems", { department: dept, status: "assigned" }), "没有待签收的交办单"),
    listSection("企业诉求 交办单", PROBLEM_COLUMNS, items("/api/v1/visits/problems", { department: dept, status: ["signed", "contacted", "in_progress"] }), "没有交办给本单位的企业诉求"),
  );
}

const go = (href, text, tone = "button secondary") => h("a", { href, "data-link": "", class: tone }, text);

function complaintsHome({ main }) {
  replace(main,
    title(main, `${COMPLAINTS_CENTER_SHORT} · 工作台`),
    h("nav", { class: "action-buttons", "aria-label": "中心业务" },
      go(NEW_COMPLAINT_PAGE, "登记投诉", "button"), go(COMPLAINTS_STATS_PAGE, "投诉统计")),
    complaintList("待受理", { status: "registered" }, "没有待受理的投诉"),
    complaintList("待审核答复", { status: "replied" }, "没有待审核的答复"),
    complaintList("企业有异议 / 已回访", { status: ["disputed", "revisited"] }, "没有"),
    complaintList("办理中", { status: ["accepted", "assigned", "investigating", "resolved"] }, "没有办理中的投诉"),
    complaintList("已超时", { overdue: true }, "没有超时案件"),
    listSection("暗访问题（待验证）", FINDING_COLUMNS, items("/api/v1/complaints/findings", { state: "rectified" }), "没有待验证的暗访问题"),
  );
}

/** The center's own work, one click from its home (each only where the API allows it). */
function enterpriseTasks(p) {
  return h("nav", { class: "action-buttons", "aria-label": "中心业务" },
    go("/console/enterprises", "企业库", "button"),
    may.register(p) ? go("/console/enterprises?register=1", "登记企业") : null,
    may.register(p) ? go("/console/problems/new", "登记诉求") : null,
    go("/console/visits/new", "记录走访"),
    go("/console/duty", "坐班安排"),
    go(VISITS_STATS_PAGE, "走访统计"));
}

function enterpriseHome({ main }, p) {
  const P = `${V}/problems`;
  replace(main,
    title(main, "非公经济服务中心 · 工作台"),
    section(null, enterpriseTasks(p),
      h("p", { class: "muted" }, "挂帮在企业详情页建立；走访发现的诉求和直接登记的诉求进入“待交办的诉求”，在交办单页面交办给责任单位。")),
    listSection("待交办的诉求", PROBLEM_COLUMNS, items(P, { status: "raised" }), "没有待交办的诉求"),
    listSection("走访超期的挂帮", PAIRING_COLUMNS, items(`${V}/assignments`, { status: "active", overdue: true }), "没有走访超期的挂帮企业"),
    listSection("挂帮企业（待走访）", PAIRING_COLUMNS, items(`${V}/assignments`, { status: "active" }), "没有挂帮关系"),
    listSection("未销号的诉求", PROBLEM_COLUMNS, items(P, { status: ["assigned", "signed", "contacted", "in_progress", "solved"] }), "没有未销号的诉求"),
    listSection("今日坐班", DUTY_COLUMNS, items(`${V}/duty-shifts`, { date_from: today(), date_to: today() }), "今天没有坐班安排"),
    listSection("近期走访", VISIT_COLUMNS, items(`${V}/visits`, { limit: 10 }), "没有走访记录"),
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
  const home = session.isCountyAdmin(p) ? adminHome : HOMES[p.dept] || departmentHome;
  await home(ctx, p);
  // a leader on the duty schedule (坐班): his sittings today and next, 签到/签退 from here
  const mine = await myShifts().catch(() => []);
  if (mine.length) ctx.main.querySelector("h1").after(myDutySection(mine));
  ctx.main.prepend(h("p", { class: "whoami" }, `${session.claims().name || ""}，您正在以「${deptName(p.dept)} · ${label(ROLES, p.role)}」岗位办理业务。`));
}
