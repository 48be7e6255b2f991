// 工单查询: the hotline's tickets as the API filters them — 来电号码, 工单编号, 关键词, 状态,
// 受理日期 — kept in the page's address, so the header's search box leads here with a phone or
// a word. 来电号码 is the operators' (they see phones in full; the service audits each search).
import { h, replace } from "../dom.js";
import { dayAfter, dayStart } from "../format.js";
import { TICKET_STATUS } from "../labels.js";
import * as session from "../session.js";
import { field, input, section, select } from "../ui.js";
import { TICKET_COLUMNS, filterForm, pagedList } from "./lists.js";

export const TICKETS_PAGE = "/console/tickets";
const TICKETS = "/api/v1/hotline/tickets";
const CENTER = "HOTLINE_CENTER";
const OVERSIGHT = ["BUREAU", "COMMITTEE"];
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** 来电号码: the operators (话务员, a clerk of the center) only, as the service allows. */
export const maySearchByPhone = (p) => Boolean(p) && p.dept === CENTER && p.role === "clerk";

/** The page: the center and oversight, who read every ticket (a department works from the
 * queues of its 工作台). */
export const mayFindTickets = (p) => Boolean(p) && [CENTER, ...OVERSIGHT].includes(p.dept);

/** The list's query from the page's address: the days chosen as instants in the county's
 * time, the last day included. */
function apiQuery(query) {
  const params = {};
  for (const name of ["phone", "number", "q", "status"]) if (query.get(name)) params[name] = query.get(name);
  const [from, to] = [query.get("from") || "", query.get("to") || ""];
  if (DAY.test(from)) params.received_from = dayStart(from);
  if (DAY.test(to)) params.received_to = dayStart(dayAfter(to));
  return params;
}

function filters(query) {
  const phone = maySearchByPhone(session.position())
    ? field("来电号码", input("phone", { type: "tel", inputmode: "tel", maxlength: 30, autocomplete: "off" }),
      "该来电人的全部工单；每次查询记入审计日志")
    : null;
  return filterForm("查询工单", TICKETS_PAGE, query, [
    phone,
    field("工单编号", input("number", { maxlength: 40, autocomplete: "off", spellcheck: "false", class: "mono", placeholder: "RX20261128-00042" })),
    field("关键词", input("q", { type: "search", maxlength: 100, placeholder: "标题或内容中的字词" })),
    field("状态", select("status", TICKET_STATUS, { blank: "全部状态" })),
    field("受理日期自", input("from", { type: "date" })),
    field("至", input("to", { type: "date" })),
  ].filter(Boolean));
}

export async function ticketsPage({ main, query }) {
  main.dataset.title = "工单查询";
  replace(main, h("h1", {}, "工单查询"), section(null, filters(query)),
    section("查询结果", pagedList(TICKETS, apiQuery(query), TICKET_COLUMNS, "没有符合条件的工单")));
}
