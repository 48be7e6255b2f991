// 走访统计: the enterprise service center's figures over a period (GET /api/v1/visits/stats,
// svc-visits stats/): visits of each leader against the plan of their pairings (挂帮), the
// problems (诉求) raised and closed (销号) by category, month and handling unit with their
// on-time rates (五限时), days to 销号 and 好差评, and the hall duty (坐班).
// For whom the API lets read them: the center, the bureau, the committee.
import { get } from "../api.js";
import { h } from "../dom.js";
import { deptName } from "../directory.js";
import { ratio } from "../format.js";
import { LEADER_RANKS, PROBLEM_CATEGORIES, STAGES, label } from "../labels.js";
import { charts, count, figures, headline, number, statsPage } from "../stats.js";
import { empty } from "../ui.js";
import { may } from "./visits-shared.js";

export const VISITS_STATS_PAGE = "/console/visits-stats";

/** ANALYSTS (ys_visits/access.py): any position of the center, the bureau, the committee. */
export const mayReadVisitsStats = (p) => may.seeAll(p);

const days = (v) => (v === null || v === undefined ? "—" : `${number(v, 1)} 天`);

const LEADERS = [
  { label: "领导", value: (l) => l.leader_name },
  { label: "类别", value: (l) => label(LEADER_RANKS, l.leader_rank) },
  { label: "挂帮企业", value: (l) => count(l.pairings) },
  { label: "应走访", value: (l) => count(l.planned_visits) },
  { label: "已到期", value: (l) => count(l.due_visits) },
  { label: "已走访", value: (l) => count(l.visits) },
  { label: "完成率", value: (l) => ratio(l.completion_rate) },
  { label: "走访超期", value: (l) => count(l.overdue_pairings) },
];

const UNITS = [
  { label: "承办单位", value: (d) => deptName(d.department) },
  { label: "交办", value: (d) => count(d.assigned) },
  { label: "销号", value: (d) => count(d.closed) },
  { label: "在办超时", value: (d) => count(d.open_overdue) },
  { label: "按时率", value: (d) => ratio(d.on_time_rate) },
  { label: "平均销号用时", value: (d) => days(d.average_days_to_close) },
  { label: "好评率", value: (d) => ratio(d.good_rate) },
];

const CATEGORIES = [
  { label: "诉求类别", value: ([key]) => label(PROBLEM_CATEGORIES, key) },
  { label: "登记量", value: ([, n]) => count(n) },
];

const MONTHS = [
  { label: "月份", value: (m) => m.month },
  { label: "登记", value: (m) => count(m.raised) },
  { label: "销号", value: (m) => count(m.closed) },
];

const STAGE_RATES = [
  { label: "环节", value: ([stage]) => label(STAGES, stage) },
  { label: "按时率", value: ([, rate]) => ratio(rate) },
];

const DUTY = [
  { label: "领导", value: (d) => d.leader_name },
  { label: "坐班次数", value: (d) => count(d.sittings) },
  { label: "办理事项", value: (d) => count(d.matters_handled) },
  { label: "发现诉求", value: (d) => count(d.problems_raised) },
];

function overall(s) {
  const p = s.problems;
  const rated = s.satisfaction;
  return headline("总体情况", [
    ["诉求登记 / 销号", `${p.raised} 件 / ${p.closed} 件`],
    ["解决率（本期登记的已销号）", `${ratio(p.resolution_rate)}（${p.solved_of_raised}/${p.raised}）`],
    ["按时率（本期完成的计时环节）", ratio(p.on_time_rate)],
    ["平均销号用时", days(p.average_days_to_close)],
    ["在办超时", `${p.open_overdue} 件`],
    ["营商局决定销号", `${p.overrides} 件`],
    ["好差评（本期销号的诉求）", rated.rated ? `${rated.rated} 件，平均 ${number(rated.average_level, 2)} 分，好评率 ${ratio(rated.good_rate)}` : "暂无评价"],
  ]);
}

function nothing(s) {
  const p = s.problems;
  return !s.leaders.length && !s.duty.length && !s.departments.length && !p.raised && !p.closed;
}

function render(s) {
  if (nothing(s)) return empty("所选期间没有走访、诉求和坐班记录，暂无统计数据。请调整日期范围。");
  const p = s.problems;
  return h("div", {},
    overall(s),
    charts(s.departments, (d) => deptName(d.department), ["交办诉求（按承办单位，件）", (d) => d.assigned],
      ["按时率（按承办单位，%）", (d) => d.on_time_rate]),
    figures("领导走访（挂帮）", LEADERS, s.leaders, "所选期间没有挂帮走访计划"),
    figures("承办单位", UNITS, s.departments, "所选期间没有交办的诉求"),
    h("div", { class: "split" },
      figures("诉求类别", CATEGORIES, Object.entries(p.by_category), "所选期间没有登记的诉求"),
      figures("按月", MONTHS, p.by_month, "所选期间没有登记或销号的诉求")),
    figures("各环节按时率（五限时）", STAGE_RATES, Object.entries(p.on_time_by_stage), "所选期间没有完成的计时环节"),
    figures("坐班", DUTY, s.duty, "所选期间没有完成的坐班"),
    h("p", { class: "muted" },
      "应走访：挂帮关系按走访频次在本期应走访的次数；已到期：其中走访期限已满的次数（本期尚未期满的走访周期，已走访的也计入）；完成率 = 已完成 / 已到期，按每个挂帮企业分别计算（多走访一家不能抵另一家），新建的挂帮关系在第一次走访到期前不计为未完成。",
      "按时率：本期完成的计时环节（签收、联系、提出方案、解决、月度进展、企业确认）中按时完成的比例，计入负责该环节的单位。",
      "好评率按县规则，只计满意、非常满意。"));
}

export async function visitsStatsPage(ctx) {
  await statsPage(ctx, {
    path: VISITS_STATS_PAGE, title: "走访与企业诉求统计", dateLabel: "日期",
    load: ({ from, to }) => get("/api/v1/visits/stats", { date_from: from, date_to: to }),
    render,
  });
}
