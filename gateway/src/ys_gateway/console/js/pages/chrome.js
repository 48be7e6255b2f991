// The page header: who is signed in, in which position, and the navigation of that position.
import { h } from "../dom.js";
import { deptName } from "../directory.js";
import { ROLES, label } from "../labels.js";
import { navigate } from "../router.js";
import * as session from "../session.js";
import { may } from "./visits-shared.js";
import { myDutyLink } from "./duty.js";
import { mustChangePassword } from "./password.js";
import { lookupBox } from "./lookup.js";
import { TICKETS_PAGE, mayFindTickets } from "./tickets.js";
import { STATS_PAGE, mayReadHotlineStats } from "./hotline-stats.js";
import { mayReadInspections } from "./inspections.js";
import { mayReadEnforcement } from "./enforcement.js";
import { mayKeepCatalogue, mayPublish } from "./approvals-shared.js";
import { APPROVALS_STATS_PAGE, mayReadApprovalsStats } from "./approvals-stats.js";
import { COMPLAINTS_STATS_PAGE, mayReadComplaintsStats } from "./complaints-stats.js";
import { VISITS_STATS_PAGE, mayReadVisitsStats } from "./visits-stats.js";

function navLink(href, text) {
  const exact = ["/console/home", "/console/public"].includes(href);
  const current = location.pathname === href || (!exact && location.pathname.startsWith(`${href}/`));
  return h("a", { href, "data-link": "", class: current ? "current" : null, "aria-current": current ? "page" : null }, text);
}

export function positionText(p) {
  return p ? `${deptName(p.dept)} · ${label(ROLES, p.role)}` : "未选择岗位";
}

// A group of the staff navigation, labelled; left out when the position has none of its pages.
function navGroup(name, links) {
  const shown = links.flat().filter(Boolean);
  return shown.length ? h("div", { class: "nav-group", role: "group", "aria-label": name },
    h("span", { class: "nav-group-label", "aria-hidden": "true" }, name), shown) : null;
}

// The staff navigation in groups (one band under the brand; it wraps group by group): 办理,
// 监督考核, 统计, 管理. Each page shows to the positions its API allows (the API decides).
function staffNav() {
  const p = session.position();
  if (mustChangePassword()) return []; // the password page is the only one open to them
  return [
    navGroup("办理", [
      navLink("/console/home", "工作台"),
      mayFindTickets(p) ? navLink(TICKETS_PAGE, "工单查询") : null,
      // the enterprise service center's registry and hall duty (svc-visits): for the center,
      // oversight and, for the duty schedule, the hall
      may.seeAll(p) ? navLink("/console/enterprises", "企业库") : null,
      may.seeAll(p) || may.schedule(p) ? navLink("/console/duty", "坐班") : myDutyLink(navLink("/console/duty", "坐班")),
      p && p.dept === "HOTLINE_CENTER" ? [navLink("/console/knowledge", "知识库"), navLink("/console/catalogue", "派单目录")] : null,
      navLink("/console/public", "公众服务"),
    ]),
    navGroup("监督考核", [
      // indicators (指标长) concern every unit; the joint meetings are oversight's and the center's
      navLink("/console/indicators", "指标长"),
      may.seeAll(p) ? navLink("/console/meetings", "联席会议") : null,
      navLink("/console/escalations", "督办台账"),
      navLink("/console/bulletin", "月通报"),
      // 好差评 and 申诉复核: every unit its own ratings and appeals, oversight all of them
      navLink("/console/ratings", "好差评"),
      navLink("/console/appeals", "申诉复核"),
      // 暗访 records: the complaints center and oversight; 三为主: the enforcing units too
      mayReadInspections(p) ? navLink("/console/inspections", "暗访") : null,
      mayReadEnforcement(p) ? navLink("/console/enforcement", "三为主") : null,
    ]),
    navGroup("统计", [
      mayReadHotlineStats(p) ? navLink(STATS_PAGE, "热线统计") : null,
      mayReadApprovalsStats(p) ? navLink(APPROVALS_STATS_PAGE, "审批统计") : null,
      mayReadComplaintsStats(p) ? navLink(COMPLAINTS_STATS_PAGE, "投诉统计") : null,
      mayReadVisitsStats(p) ? navLink(VISITS_STATS_PAGE, "走访统计") : null,
    ]),
    navGroup("管理", [
      mayKeepCatalogue(p) ? [navLink("/console/approvals/items", "事项目录"), navLink("/console/approvals/packages", "一件事一次办")] : null,
      mayPublish(p) ? navLink("/console/approvals/disclosure", "四公开") : null,
      session.isCountyAdmin(p) ? navLink("/console/calendar", "节假日安排") : null,
    ]),
  ];
}

function publicNav() {
  const home = navLink("/console/public", "首页");
  home.classList.add("home-link"); // a phone leaves it out: the brand leads home as well
  return [
    home,
    navLink("/console/public/hotline", "12345诉求"),
    navLink("/console/public/complaint", "涉企投诉"),
    navLink("/console/public/track", "办件查询"),
    navLink("/console/public/catalog", "服务事项"),
    navLink("/console/public/disclosure", "四公开"),
  ];
}

function userBox() {
  const claims = session.claims();
  const several = session.positions().length > 1;
  return h(
    "div",
    { class: "user" },
    h("span", { class: "user-name" }, claims.name || claims.sub || ""),
    h("span", { class: "user-position" }, positionText(session.position())),
    several ? h("a", { href: "/console/positions", "data-link": "" }, "切换岗位") : null,
    h("a", { href: "/console/password", "data-link": "" }, "修改密码"),
    h("button", {
      type: "button",
      class: "link",
      onClick: async () => {
        await session.logout();
        navigate("/console/login");
      },
    }, "退出"),
  );
}

export function header(publicPage) {
  const staff = session.signedIn() && !publicPage;
  // 案件查询 by number (a phone or a word: 工单查询, for those who read every ticket): every
  // staff position (not before a position is picked or the password changed)
  const lookup = staff && session.position() && !mustChangePassword();
  return h(
    "header",
    { class: staff ? "top staff" : "top" },
    h("a", { class: "brand", href: staff ? "/console/home" : "/console/public", "data-link": "", "aria-label": "营商环境服务平台" },
      h("span", { class: "brand-mark", "aria-hidden": "true" }, "营"), h("span", { class: "brand-text" }, "营商环境服务平台")),
    lookup ? lookupBox() : null,
    staff ? menuToggle() : null,
    h("nav", { id: staff ? "staff-menu" : null, "aria-label": "主导航", class: staff ? "staff-nav" : null }, staff ? staffNav() : publicNav()),
    session.signedIn() ? userBox() : h("a", { class: "login-link", href: "/console/login", "data-link": "" }, "工作人员登录"),
  );
}

/** 菜单: on a phone the staff header is one row (the brand's mark, the search box, this
 * button); the pages and the user's box open under it. Wider screens never show it. */
function menuToggle() {
  return h("button", {
    type: "button",
    class: "menu-toggle",
    "aria-expanded": "false",
    "aria-controls": "staff-menu",
    onClick: (event) => {
      const button = event.currentTarget;
      const open = button.closest("header").classList.toggle("menu-open");
      button.setAttribute("aria-expanded", String(open));
    },
  }, "菜单");
}
