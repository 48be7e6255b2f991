// 投诉统计: the complaints center's figures over a registration-date range
// (GET /api/v1/complaints/statistics, svc-complaints stats/): cases by category, respondent or
// month, each with its on-time and satisfaction rates and working days to 办结; acceptance,
// on-time rate per stage, unpaid bills recovered. Counts only: no complainant is named.
// For whom the API lets read them: the center, the bureau, the committee.
import { get } from "../api.js";
import { h } from "../dom.js";
import { deptName } from "../directory.js";
import { ratio } from "../format.js";
import { COMPLAINT_CATEGORIES, STAGES, label } from "../labels.js";
import { charts, count, figures, headline, number, statsPage } from "../stats.js";
import { empty } from "../ui.js";

export const COMPLAINTS_STATS_PAGE = "/console/complaints-stats";
const READERS = ["COMPLAINTS_CENTER", "BUREAU", "COMMITTEE"]; // ys_complaints/stats/router.py

export const mayReadComplaintsStats = (p) => Boolean(p) && READERS.includes(p.dept);

const GROUPS = { category: "投诉类别", respondent: "被投诉单位", month: "登记月份" };

const LISTS = {
  category: { rows: (s) => s.by_category, name: (r) => label(COMPLAINT_CATEGORIES, r.key), closed: "已办结" },
  respondent: { rows: (s) => s.by_respondent, name: (r) => r.label || deptName(r.key), closed: "已办结" },
  month: { rows: (s) => s.by_month, name: (r) => r.month, closed: "当月办结" },
};

const received = (r) => r.count ?? r.received; // a month says `received`, a group `count`

function columns(by) {
  const list = LISTS[by];
  return [
    { label: GROUPS[by], value: list.name },
    { label: "登记量", value: (r) => count(received(r)) },
    { label: list.closed, value: (r) => count(r.closed) },
    { label: "按时率", value: (r) => ratio(r.on_time_rate) },
    { label: "满意率", value: (r) => ratio(r.satisfaction_rate) },
    { label: "平均办结用时（工作日）", value: (r) => number(r.average_working_days_to_close, 1) },
  ];
}

const STAGE_COLUMNS = [
  { label: "环节", value: ([stage]) => label(STAGES, stage) },
  { label: "已完成", value: ([, r]) => count(r.denominator) },
  { label: "按时完成", value: ([, r]) => count(r.numerator) },
  { label: "按时率", value: ([, r]) => ratio(r.rate) },
];

const share = (r) => `${ratio(r.rate)}（${r.numerator}/${r.denominator}）`;

function overall(s) {
  const bills = s.unpaid_bills;
  return headline("总体情况", [
    ["登记量", `${s.received} 件`],
    ["受理率", share(s.acceptance_rate)],
    ["按时率（已完成的计时环节）", share(s.on_time_rate)],
    ["满意率（企业确认 / 企业答复）", share(s.satisfaction_rate)],
    ["平均办结用时", s.average_working_days_to_close === null ? "—" : `${number(s.average_working_days_to_close, 1)} 个工作日`],
    ["回访核查发现打击报复", `${s.retaliation_found} 件`],
    ["拖欠企业账款", `${bills.cases} 件，涉及 ${bills.claimed} 元，已挽回 ${bills.recovered} 元（挽回率 ${ratio(bills.recovery_rate)}）`],
  ]);
}

function render(s, { by }) {
  if (!s.received) return empty("所选期间没有登记的投诉，暂无统计数据。请调整登记日期范围。");
  const rows = LISTS[by].rows(s);
  return h("div", {},
    overall(s),
    charts(rows, LISTS[by].name, [`登记量（按${GROUPS[by]}，件）`, received], ["按时率（%）", (r) => r.on_time_rate]),
    figures(`按${GROUPS[by]}`, columns(by), rows, "没有可统计的案件（未确定被投诉单位的不计）"),
    figures("各环节按时率", STAGE_COLUMNS, Object.entries(s.on_time_by_stage), "所选期间没有已完成的计时环节"),
    h("p", { class: "muted" },
      "按时率：已完成的计时环节（受理决定、单位答复、反馈、督办、回访核查）中按时完成的比例；满意率：企业对办理结果作出答复的案件中确认满意的比例；",
      "平均办结用时：自登记次日起至办结之日的工作日数，不予受理的案件不计。"));
}

export async function complaintsStatsPage(ctx) {
  await statsPage(ctx, {
    path: COMPLAINTS_STATS_PAGE, title: "涉企投诉统计", dateLabel: "登记日期", groups: GROUPS,
    load: ({ from, to }) => get("/api/v1/complaints/statistics", { from, to }),
    render,
  });
}
