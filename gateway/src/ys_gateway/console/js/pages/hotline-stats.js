// 热线统计: the hotline's figures by type, department, channel or month over a receipt-date range
// (GET /api/v1/hotline/stats, svc-hotline stats/): received, closed, on-time rate of each of
// the five stages (五限时), working days to close, and the 回访 (the first is the 好差评 rating).
// For whom the API lets read them: any position of the hotline center, the bureau, the committee.
import { get } from "../api.js";
import { barChart } from "../charts.js";
import { h, replace } from "../dom.js";
import { deptName } from "../directory.js";
import { dayAfter, dayRange, dayStart, pct, ratio } from "../format.js";
import { STAGES, TICKET_SOURCES, TICKET_TYPES, label } from "../labels.js";
import { navigate } from "../router.js";
import { empty, field, input, section, select, table, withLoading } from "../ui.js";

export const STATS_PAGE = "/console/hotline-stats";
const STATS = "/api/v1/hotline/stats";
const READERS = ["HOTLINE_CENTER", "BUREAU", "COMMITTEE"]; // ys_hotline/stats/router.py

/** Whether the position may read the statistics (the API stays the authority). */
export const mayReadHotlineStats = (p) => Boolean(p) && READERS.includes(p.dept);

const GROUPS = { type: "诉求类型", department: "承办单位", channel: "受理渠道", month: "受理月份" };
const FIVE_STAGES = ["sign", "contact", "handle", "feedback", "revisit"]; // 五限时

function groupName(by, key) {
  if (key === "-") return "（未定）"; // e.g. a ticket not yet given a department
  if (by === "type") return label(TICKET_TYPES, key);
  if (by === "department") return deptName(key);
  if (by === "channel") return label(TICKET_SOURCES, key);
  return key; // YYYY-MM
}

const count = (v) => String(v ?? 0);
const number = (v, digits) => (v === null || v === undefined ? "—" : Number(v).toFixed(digits));

function columns(by) {
  return [
    { label: GROUPS[by], value: (r) => groupName(by, r.key) },
    { label: "受理量", value: (r) => count(r.received) },
    { label: "办结量", value: (r) => count(r.closed) },
    ...FIVE_STAGES.map((s) => ({ label: `${STAGES[s]}按时率`, value: (r) => ratio(r.on_time_rate[s]) })),
    { label: "平均办结用时（工作日）", value: (r) => number(r.average_working_days_to_close, 1) },
    { label: "回访量", value: (r) => count(r.revisited) },
    { label: "满意度均值（首次回访）", value: (r) => number(r.satisfaction_average, 2) },
    { label: "好评率（首次回访）", value: (r) => ratio(r.good_rate) },
    { label: "重办量", value: (r) => count(r.reopened) },
    { label: "最终好评率（最近回访）", value: (r) => ratio(r.final_good_rate) },
  ];
}

const percent = (v) => (v === null || v === undefined ? null : Math.round(v * 1000) / 10);

function charts(by, rows) {
  const named = (value) => rows.map((r) => ({ label: groupName(by, r.key), value: value(r) }));
  return h("div", { class: "charts" },
    section(null, barChart(`受理量（按${GROUPS[by]}，件）`, named((r) => r.received), { format: (v) => `${v ?? 0} 件` })),
    section(null, barChart("办理按时率（%）", named((r) => percent(r.on_time_rate.handle)), { max: 100, format: pct })));
}

function render(by, rows) {
  if (!rows.length) return empty("所选期间没有受理的工单，暂无统计数据。请调整受理日期范围。");
  return h("div", {},
    charts(by, rows),
    section("统计表", table(columns(by), rows)),
    h("p", { class: "muted" },
      "按时率：各环节（签收、联系、办理、反馈、回访）已知结果中按时完成的比例。好评率按县规则，只计满意、非常满意（基本满意就是基本不满意）；",
      "首次回访即该工单的好差评，重办后的回访另计为最终好评率。"));
}

function filters(by, from, to) {
  const form = h("form", { class: "toolbar no-print", "aria-label": "统计条件" },
    field("统计维度", select("by", GROUPS)),
    field("受理日期自", input("from", { type: "date", value: from, required: true })),
    field("至", input("to", { type: "date", value: to, required: true })),
    h("button", { type: "submit", class: "primary" }, "统计"));
  form.elements.by.value = by;
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const f = form.elements;
    const query = new URLSearchParams({ by: f.by.value, from: f.from.value, to: f.to.value });
    navigate(`${STATS_PAGE}?${query}`);
  });
  return form;
}

export async function hotlineStatsPage({ main, query }) {
  const by = GROUPS[query.get("by")] ? query.get("by") : "type";
  const [from, to] = dayRange(query);
  main.dataset.title = "12345热线统计";
  const body = h("div");
  replace(main,
    h("div", { class: "case-head" }, h("h1", {}, "12345热线统计")),
    h("p", { class: "muted" }, `按受理日期 ${from} 至 ${to}（含）统计。`),
    filters(by, from, to),
    body);
  const params = { by, received_from: dayStart(from), received_to: dayStart(dayAfter(to)) };
  await withLoading(body, () => get(STATS, params), (rows) => render(by, rows));
}
