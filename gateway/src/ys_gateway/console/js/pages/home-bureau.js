// The bureau (and the committee): the 督办 ledger, escalations by level, department scorecards.
import { all, get } from "../api.js";
import { barChart } from "../charts.js";
import { h, replace } from "../dom.js";
import { deptName } from "../directory.js";
import { pct, thisMonth } from "../format.js";
import { COMPLAINTS_CENTER_SHORT, ESCALATION } from "../labels.js";
import { section, table, tag, withLoading } from "../ui.js";
import { STATS_PAGE } from "./hotline-stats.js";
import { COMPLAINTS_STATS_PAGE } from "./complaints-stats.js";
import { VISITS_STATS_PAGE } from "./visits-stats.js";
import { LEDGER_BRIEF, RECTIFICATION_COLUMNS, complaintList, items, listSection } from "./lists.js";
import { APPEALS, APPEAL_COLUMNS } from "./appeals.js";

// A complaint against the complaints center itself is the bureau's to decide (no one judges
// their own cause): the states where the handling center acts.
const AGAINST_THE_CENTER = { respondent: "COMPLAINTS_CENTER", status: ["registered", "accepted", "replied", "disputed", "revisited"] };

function card(title, load, render, extra) {
  const body = h("div");
  withLoading(body, load, render);
  return section(title, extra || null, body);
}

export function levelChart(entries) {
  const rows = [1, 2, 3].map((level) => ({
    label: ESCALATION[level],
    value: entries.filter((e) => e.level === level).length,
    tone: level >= 2 ? "danger" : "warning",
  }));
  return barChart("在办督办事项（按级别）", rows, { format: (v) => `${v} 件` });
}

const sum = (object) => Object.values(object || {}).reduce((a, b) => a + b, 0);

export const SCORECARD_COLUMNS = [
  { label: "单位", value: (s) => deptName(s.department) },
  { label: "本月受理", value: (s) => String(sum(s.received)) },
  { label: "本月办结", value: (s) => String(sum(s.closed)) },
  // the on-time share of the timed stages completed in the month, not of the matters finished
  { label: "环节按时率", value: (s) => pct(s.on_time_rate) },
  { label: "在办督办", value: (s) => (s.overdue_now ? tag(String(s.overdue_now), "danger") : "0") },
  { label: "好评率（县规则）", value: (s) => pct(s.ratings.county_good_rate) },
  { label: "差评", value: (s) => String(s.ratings.bad) },
  { label: "排名", value: (s) => (s.ratings.rank ? String(s.ratings.rank) : "—") },
  { label: "约谈", value: (s) => (s.ratings.flagged ? tag("连续两月末位", "danger") : "") },
];

export const SCORECARD_NOTE = "本月受理：派单、交办到本单位的事项（未派单、直接答复的12345工单计入12345热线中心，"
  + "并单、转侵权投诉中心的不计）。环节按时率：本月完成的各时限环节（签收、联系、办理、回复、回访等）中按时完成的比例；"
  + "本月没有完成的环节时为“—”。";

export async function bureauHome({ main }, p) {
  const month = thisMonth();
  main.dataset.title = p.dept === "COMMITTEE" ? "营商委 · 督办总览" : "营商局 · 督办总览";
  const ledger = all("/api/v1/ratings/escalations", { status: "open" }, 400);
  replace(main,
    h("h1", {}, main.dataset.title),
    h("div", { class: "split" },
      card("督办级别分布", () => ledger, levelChart),
      card("督办台账（最新）", () => ledger, (rows) => h("div", {}, table(LEDGER_BRIEF, rows.slice(-10).reverse(), "当前没有督办事项"),
        h("p", {}, h("a", { href: "/console/escalations", "data-link": "" }, `查看全部督办台账（${rows.length} 件）`))))),
    p.dept === "BUREAU" ? complaintList(`${COMPLAINTS_CENTER_SHORT}被投诉案件（由营商局办理）`,
      AGAINST_THE_CENTER, "没有待营商局办理的投诉") : null,
    // two paths to undo a 差评, told apart: the rated unit's 申诉 of the rating itself, and its
    // 申请无效差评 on the rectification the 差评 opened (审核 by the head of the bureau/center)
    p.dept === "BUREAU" ? listSection("评价申诉待复核（对好差评评价的申诉）", APPEAL_COLUMNS, items(APPEALS, { state: "pending" }), "没有待复核的评价申诉") : null,
    p.dept === "BUREAU" ? listSection("无效差评申请待审核（差评整改中提出）", RECTIFICATION_COLUMNS,
      items("/api/v1/ratings/rectifications", { state: "invalid_review" }), "没有待审核的无效差评申请") : null,
    card("差评整改（在办）", async () => (await all("/api/v1/ratings/rectifications", {}, 400)).filter((r) => r.state !== "closed"),
      (rows) => table(RECTIFICATION_COLUMNS, rows, "没有在办的差评整改")),
    card(`部门考核（${month}）`, () => get("/api/v1/ratings/scorecards", { month }), (s) => h("div", {}, table(SCORECARD_COLUMNS, s.items, "本月暂无考核数据"),
      h("p", { class: "muted scorecard-note" }, SCORECARD_NOTE)),
      h("p", { class: "muted" }, h("a", { href: "/console/bulletin", "data-link": "" }, "查看月通报"), "　",
        h("a", { href: STATS_PAGE, "data-link": "" }, "查看12345热线统计"), "　",
        h("a", { href: COMPLAINTS_STATS_PAGE, "data-link": "" }, "涉企投诉统计"), "　",
        h("a", { href: VISITS_STATS_PAGE, "data-link": "" }, "走访与企业诉求统计"))),
  );
}
