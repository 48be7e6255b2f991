// 审批统计: the hall's figures by item, department or month of submission over a date range
// (GET /api/v1/approvals/statistics, svc-approvals stats/): 网办率 (跨省通办 included), the
// shares handled with zero trips (全程网办) and at most one trip (最多跑一次), on-time rates and
// the days used against the statutory and committed limits. One group of figures at a time,
// so the table fits a tablet without scrolling sideways. For the hall, the bureau and the
// committee (the API answers a department with its own figures only).
import { get } from "../api.js";
import { h, replace } from "../dom.js";
import { departmentOptions, deptName } from "../directory.js";
import { dayAfter, dayRange, dayStart, ratio } from "../format.js";
import { navigate } from "../router.js";
import { count, number } from "../stats.js";
import { empty, field, input, section, select, table, withLoading } from "../ui.js";

export const APPROVALS_STATS_PAGE = "/console/approvals-stats";
const STATS = "/api/v1/approvals/statistics";
const READERS = ["HALL", "BUREAU", "COMMITTEE"]; // ys_approvals/stats/router.py: overall figures

/** Whether the position may read the hall's statistics (the API stays the authority). */
export const mayReadApprovalsStats = (p) => Boolean(p) && READERS.includes(p.dept);

const GROUPS = { item: "事项", department: "实施部门", month: "收件月份" };
const GROUPED = { item: "by_item", department: "by_department", month: "by_month" };

const days = (v) => number(v, 1);

// The figures, a group at a time (each a few columns: no sideways scroll on a tablet).
const VIEWS = {
  channel: { label: "网办与跑动", columns: [
    { label: "申请量", value: (r) => count(r.applications) },
    { label: "网办率", value: (r) => ratio(r.online_rate) },
    { label: "全程网办（零跑动）", value: (r) => ratio(r.zero_trip_share) },
    { label: "最多跑一次", value: (r) => ratio(r.at_most_one_trip_share) },
  ], note: "网办率：网上申请与跨省通办的申请占申请量的比例。跑动次数：窗口收件一次，窗口领取结果再一次（即办件当场领取不另计）；网上或跨省申请且免费邮寄送达为零跑动。" },
  timeliness: { label: "办理时效", columns: [
    { label: "申请量", value: (r) => count(r.applications) },
    { label: "已办结", value: (r) => count(r.finished) },
    { label: "在办", value: (r) => count(r.in_progress) },
    { label: "超期在办", value: (r) => count(r.overdue) },
    { label: "按时办结率", value: (r) => ratio(r.on_time_rate) },
    { label: "送达按时率", value: (r) => ratio(r.delivery_on_time_rate) },
  ], note: "按时办结率：已办结的办件中在承诺时限内作出决定的比例（即办件当日办结）；送达按时率：准予许可的证件在送达时限内邮寄、领取或通知领取的比例。" },
  days: { label: "办理用时", columns: [
    { label: "已办结", value: (r) => count(r.finished) },
    { label: "平均用时", value: (r) => days(r.average_working_days) },
    { label: "平均法定时限", value: (r) => days(r.average_statutory_limit) },
    { label: "平均承诺时限", value: (r) => days(r.average_committed_limit) },
    { label: "较法定压缩", value: (r) => ratio(r.compression_vs_statutory) },
    { label: "较承诺压缩", value: (r) => ratio(r.compression_vs_committed) },
  ], note: "用时与时限均以工作日计，只计已办结的办件；压缩率 = 1 − 平均用时 ÷ 平均时限。" },
};

function groupName(by, row) {
  if (by === "item") return h("span", { title: row.key }, row.name || row.key); // the 31-character code on hover
  if (by === "department") return deptName(row.key);
  return row.key; // YYYY-MM
}

function render(by, view, stats) {
  const rows = stats[GROUPED[by]];
  if (!rows.length) return empty("所选期间没有收件，暂无统计数据。请调整收件日期范围。");
  const { columns, label, note } = VIEWS[view];
  const total = { ...stats.overall, total: true };
  return h("div", {},
    section(`${label}：按${GROUPS[by]}统计`,
      table([{ label: GROUPS[by], value: (r) => (r.total ? "合计" : groupName(by, r)) }, ...columns], [...rows, total], "暂无数据",
        { rowClass: (r) => (r.total ? "total" : null) }),
      h("p", { class: "muted" }, note)));
}

function filters({ by, view, from, to, department }) {
  const form = h("form", { class: "toolbar no-print", "aria-label": "统计条件" },
    field("统计维度", select("by", GROUPS)),
    field("指标", select("view", Object.fromEntries(Object.entries(VIEWS).map(([k, v]) => [k, v.label])))),
    field("收件日期自", input("from", { type: "date", value: from, required: true })),
    field("至", input("to", { type: "date", value: to, required: true })),
    field("实施部门", select("department", departmentOptions(), { blank: "全部部门" })),
    h("button", { type: "submit", class: "primary" }, "统计"));
  Object.assign(form.elements.by, { value: by });
  Object.assign(form.elements.view, { value: view });
  Object.assign(form.elements.department, { value: department });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const f = form.elements;
    const query = new URLSearchParams({ by: f.by.value, view: f.view.value, from: f.from.value, to: f.to.value });
    if (f.department.value) query.set("department", f.department.value);
    navigate(`${APPROVALS_STATS_PAGE}?${query}`);
  });
  return form;
}

export async function approvalsStatsPage({ main, query }) {
  const by = GROUPS[query.get("by")] ? query.get("by") : "item";
  const view = VIEWS[query.get("view")] ? query.get("view") : "channel";
  const [from, to] = dayRange(query);
  const department = query.get("department") || "";
  main.dataset.title = "审批统计";
  const body = h("div");
  replace(main,
    h("div", { class: "case-head" }, h("h1", {}, "审批统计")),
    h("p", { class: "muted" }, `按收件日期 ${from} 至 ${to}（含）统计${department ? `，${deptName(department)}` : ""}。`),
    filters({ by, view, from, to, department }),
    body);
  const params = { since: dayStart(from), until: dayStart(dayAfter(to)), department: department || null };
  await withLoading(body, () => get(STATS, params), (stats) => render(by, view, stats));
}
