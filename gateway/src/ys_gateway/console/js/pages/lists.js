// Case lists shared by the home pages: each kind's columns, links and a loader per section.
import { download, get, withQuery } from "../api.js";
import { h, replace } from "../dom.js";
import { deptName } from "../directory.js";
import { dateTime, dueTime } from "../format.js";
import {
  APPLICATION_STATUS, COMPLAINT_CATEGORIES, ESCALATION, RECTIFICATION_STATUS, SERVICES, STAGES,
  TICKET_STATUS, TICKET_TYPES, URGENCY, label,
} from "../labels.js";
import { navigate } from "../router.js";
import { busyButton, countdownEl, errorBox, loading, section, table, tag, values, withLoading } from "../ui.js";
import { runningDue } from "./application.js";

const caseLink = (href, text) => h("a", { href, "data-link": "" }, text);

function escalated(row) {
  return row.escalation_level ? tag(`${row.escalation_level}级督办`, "danger") : null;
}

function dueCell(row, open = true) {
  if (!open) return "—";
  return h("span", { class: "due" }, countdownEl(row.due_at), escalated(row));
}

/** The clock of the stage a case is at, named (签收 剩余 1 个工作日), as its page's header has
 * it: {at, stage}, an element (a stopped clock) or none. */
function stageDueCell(row, due) {
  if (!due) return "—";
  if (due instanceof Node) return due;
  return h("span", { class: "due" }, `${label(STAGES, due.stage)} `, countdownEl(due.at), escalated(row));
}

/** A ticket's clock now (五限时): the running one due first — 签收 while it waits for 签收,
 * 联系 then 办理, 回访 once closed — not the 办理 limit alone. */
export function ticketDue(t) {
  const clock = t.current_clock;
  return clock ? { at: clock.due_at, stage: clock.stage } : null;
}

export const TICKET_COLUMNS = [
  { label: "工单编号", value: (t) => caseLink(`/console/tickets/${t.id}`, t.number) },
  { label: "标题", value: (t) => t.title },
  { label: "类型", value: (t) => `${label(TICKET_TYPES, t.type)}${t.urgency === "urgent" ? `·${URGENCY.urgent}` : ""}` },
  { label: "状态", value: (t) => label(TICKET_STATUS, t.status) },
  { label: "承办单位", value: (t) => deptName(t.department) },
  { label: "受理时间", value: (t) => dateTime(t.received_at) },
  { label: "时限", value: (t) => stageDueCell(t, ticketDue(t)) },
];

export const APPLICATION_COLUMNS = [
  { label: "办件编号", value: (a) => [caseLink(`/console/applications/${a.id}`, a.number), a.green_channel ? tag("绿色通道", "warning") : null] },
  { label: "事项", value: (a) => a.item_name },
  { label: "申请人", value: (a) => a.enterprise_name || a.applicant_name },
  { label: "状态", value: (a) => label(APPLICATION_STATUS, a.status) },
  { label: "部门", value: (a) => deptName(a.department) },
  { label: "收件时间", value: (a) => dateTime(a.submitted_at) },
  { label: "时限", value: (a) => stageDueCell(a, runningDue(a)) },
];

export const COMPLAINT_COLUMNS = [
  { label: "案件编号", value: (c) => caseLink(`/console/complaints/${c.id}`, c.number) },
  { label: "标题", value: (c) => c.title },
  { label: "类别", value: (c) => label(COMPLAINT_CATEGORIES, c.category) },
  { label: "状态", value: (c) => c.state_label },
  { label: "责任单位", value: (c) => deptName(c.department) },
  { label: "登记时间", value: (c) => dateTime(c.received_at) },
  { label: "时限", value: (c) => dueCell(c, !["closed", "checked_back", "not_accepted"].includes(c.state)) },
];

export const RECTIFICATION_COLUMNS = [
  { label: "整改编号", value: (r) => caseLink(`/console/rectifications/${r.id}`, r.number) },
  { label: "办件", value: (r) => `${label(SERVICES, r.service)} ${r.case_number}` },
  { label: "评价", value: (r) => `${r.level} 星` },
  { label: "状态", value: (r) => label(RECTIFICATION_STATUS, r.state) },
  { label: "责任单位", value: (r) => deptName(r.department) },
  { label: "整改时限", value: (r) => dueCell(r, r.state !== "closed") },
];

export function caseHref(entry) {
  const kinds = { hotline: "tickets", approvals: "applications", complaints: "complaints", visits: "problems" };
  return kinds[entry.service] ? `/console/${kinds[entry.service]}/${entry.case_id}` : null;
}

export const LEDGER_COLUMNS = [
  { label: "业务", value: (e) => label(SERVICES, e.service) },
  { label: "编号", value: (e) => (caseHref(e) ? caseLink(caseHref(e), e.case_number) : e.case_number) },
  { label: "环节", value: (e) => label(STAGES, e.stage) },
  { label: "责任单位", value: (e) => deptName(e.department) },
  { label: "督办级别", value: (e) => tag(label(ESCALATION, e.level), e.level >= 2 ? "danger" : "warning") },
  { label: "应办结", value: (e) => dueTime(e.due_at) },
  { label: "督办起始", value: (e) => dateTime(e.since) },
];

export const LEDGER_BRIEF = LEDGER_COLUMNS.filter((c) => ["编号", "环节", "责任单位", "督办级别"].includes(c.label));

/**
 * A card whose table loads on its own (loading / empty / error states), so one failing
 * service never blanks the whole home page. `load` resolves to the rows.
 */
export function listSection(title, columns, load, emptyText, extra) {
  const body = h("div", {}, loading());
  const count = h("span", { class: "count" });
  const card = section(null, h("h2", {}, title, count), extra || null, body);
  const run = async () => {
    replace(body, loading());
    try {
      const rows = await load();
      count.textContent = rows.length ? ` ${rows.length}` : "";
      replace(body, table(columns, rows, emptyText));
    } catch (error) {
      replace(body, errorBox(error, run));
    }
  };
  run();
  card.refresh = run; // e.g. after the page itself added a row
  return card;
}

export const items = (path, params) => async () => (await get(path, params)).items || [];

/** 导出 CSV of a list: the API's `<path>/export` with the list's own filters, as `filename`
 * (a list's name, without what a file name may not hold). */
export function exportButton(path, params, filename) {
  const name = `${filename.replace(/[\\/:*?"<>|\s]+/g, "")}.csv`;
  return h("div", { class: "actions no-print" },
    busyButton("导出 CSV", () => download(withQuery(`${path}/export`, params), name)));
}

const COMPLAINTS = "/api/v1/complaints/cases";

/** A list of complaint cases with its 导出 CSV (the export of the same filters). */
export function complaintList(title, params, emptyText) {
  return listSection(title, COMPLAINT_COLUMNS, items(COMPLAINTS, params), emptyText,
    exportButton(COMPLAINTS, params, `涉企投诉-${title}`));
}

/**
 * A list the API pages with a cursor, `limit` rows at a time, with "加载更多" while it has more
 * (loading, empty and error states as every list).
 */
export function pagedList(path, params, columns, emptyText, limit = 50) {
  const body = h("div");
  const more = h("button", { type: "button", hidden: true }, "加载更多");
  const shown = [];
  let cursor = null;
  const load = () => withLoading(body, async () => {
    const page = await get(path, { ...params, limit, cursor });
    shown.push(...page.items);
    cursor = page.next_cursor;
    more.hidden = !cursor;
    return shown;
  }, (found) => table(columns, found, emptyText));
  more.addEventListener("click", load);
  load();
  return h("div", {}, body, h("div", { class: "actions" }, more));
}

/**
 * A list's filters, kept in the page's address: `controls` (fields named as the API's query
 * parameters) are filled from `query` (the address's, an object or URLSearchParams), and 筛选
 * opens `path` with what is chosen (checkboxes as "true").
 */
export function filterForm(label, path, query, controls) {
  const form = h("form", { class: "filters", "aria-label": label }, controls,
    h("div", { class: "actions" }, h("button", { type: "submit", class: "primary" }, "筛选"),
      h("a", { href: path, "data-link": "" }, "清除条件")));
  const given = (name) => (typeof query.get === "function" ? query.get(name) : query[name]);
  for (const el of form.elements) {
    if (!el.name) continue;
    if (el.type === "checkbox") el.checked = String(given(el.name)) === "true";
    else el.value = given(el.name) || "";
  }
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(values(form))) {
      const text = typeof value === "string" ? value.trim() : value;
      if (text !== "" && text !== false) params.set(name, String(text));
    }
    navigate(params.toString() ? `${path}?${params}` : path);
  });
  return form;
}
