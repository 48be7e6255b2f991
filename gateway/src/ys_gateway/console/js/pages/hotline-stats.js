// 热线统计: the hotline's figures by type, department, channel or month over a receipt-date range
// (GET /api/v1/hotline/stats, svc-hotline stats/): received, closed, on-time rate of each of
// the five stages (五限时) in the first round (首轮, what the department is judged on) and,
// beside it, in the latest round of the reopened tickets (重办), working days to close, and
// the 回访 (the first is the 好差评 rating).
// For whom the API lets read them: any position of the hotline center, the bureau, the committee.
import { get } from "../api.js";
import { h } from "../dom.js";
import { deptName } from "../directory.js";
import { dayAfter, dayStart, ratio } from "../format.js";
import { STAGES, TICKET_SOURCES, TICKET_TYPES, label } from "../labels.js";
import { charts, count, figures, number, statsPage } from "../stats.js";
import { empty } from "../ui.js";

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

// The on-time rate of each stage of one round: 首轮 (on_time_rate) or 重办 (reopened_on_time_rate).
const onTime = (round, rates) => FIVE_STAGES.map((s) => ({
  label: `${STAGES[s]}按时率（${round}）`, value: (r) => ratio(r[rates][s]),
}));

// Eighteen figures a group: three tables of one theme each, so that none scrolls sideways.
const handling = (by) => [
  { label: GROUPS[by], value: (r) => groupName(by, r.key) },
  { label: "受理量", value: (r) => count(r.received) },
  { label: "办结量", value: (r) => count(r.closed) },
  ...onTime("首轮", "on_time_rate"),
  { label: "平均办结用时（工作日）", value: (r) => number(r.average_working_days_to_close, 1) },
];

// Only the groups with a reopened ticket: the others have no second round to report.
const reopens = (by) => [
  { label: GROUPS[by], value: (r) => groupName(by, r.key) },
  { label: "重办量", value: (r) => count(r.reopened) },
  ...onTime("重办", "reopened_on_time_rate"),
];

const revisits = (by) => [
  { label: GROUPS[by], value: (r) => groupName(by, r.key) },
  { label: "回访量", value: (r) => count(r.revisited) },
  { label: "满意度均值（首次回访）", value: (r) => number(r.satisfaction_average, 2) },
  { label: "好评率（首次回访）", value: (r) => ratio(r.good_rate) },
  { label: "最终好评率（最近回访）", value: (r) => ratio(r.final_good_rate) },
];

function render(rows, { by }) {
  if (!rows.length) return empty("所选期间没有受理的工单，暂无统计数据。请调整受理日期范围。");
  return h("div", {},
    charts(rows, (r) => groupName(by, r.key), [`受理量（按${GROUPS[by]}，件）`, (r) => r.received],
      ["办理按时率（首轮，%）", (r) => r.on_time_rate.handle]),
    figures("办理情况", handling(by), rows),
    figures("重办工单按时情况（最近一轮）", reopens(by), rows.filter((r) => r.reopened > 0),
      "所选期间受理的工单没有重办。"),
    figures("回访与满意度", revisits(by), rows),
    h("p", { class: "muted" },
      "按时率：各环节（签收、联系、办理、反馈、回访）已知结果中按时完成的比例。首轮按时率每件工单每个环节只计第 1 轮，即承办单位的考核口径；",
      "重办的工单各环节重新计时，其最近一轮另计为重办按时率，不计入首轮。好评率按县规则，只计满意、非常满意（基本满意就是基本不满意）；",
      "首次回访即该工单的好差评，重办后的回访另计为最终好评率。"));
}

export async function hotlineStatsPage(ctx) {
  await statsPage(ctx, {
    path: STATS_PAGE, title: "12345热线统计", dateLabel: "受理日期", groups: GROUPS,
    load: ({ by, from, to }) => get(STATS, { by, received_from: dayStart(from), received_to: dayStart(dayAfter(to)) }),
    render,
  });
}
