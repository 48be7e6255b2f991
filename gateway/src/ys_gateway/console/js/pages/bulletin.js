// 月通报: the monthly 好差评 bulletin with rankings and charts; printable; CSV download.
// County rule: only 满意 and 非常满意 are good (基本满意就是基本不满意); the national rate is shown too.
import { download, get } from "../api.js";
import { barChart, lineChart } from "../charts.js";
import { h, replace } from "../dom.js";
import { deptName, windowName } from "../directory.js";
import { dateTime, monthBefore, pct, thisMonth } from "../format.js";
import { SERVICES, label } from "../labels.js";
import { navigate } from "../router.js";
import { busyButton, field, input, kv, section, table, tag, withLoading } from "../ui.js";

const REPORT = "/api/v1/ratings/reports/monthly";
const TREND_MONTHS = 6;

/** The bulletin names what it ranks (department, window, staff member); the code otherwise. */
function lineName(line) {
  if (line.scope === "department") return line.label || deptName(line.key);
  if (line.name) return line.name; // a window: its hall's name and its own
  return line.label && line.label !== line.key ? `${line.label}（${line.key}）` : line.key;
}

function lineColumns(name) {
  return [
    { label: "排名", value: (l) => (l.rank ? String(l.rank) : "—") },
    { label: name, value: (l) => h("span", {}, lineName(l), l.flagged ? tag("连续两月末位·约谈", "danger") : null) },
    { label: "评价数", value: (l) => String(l.count) },
    { label: "好评率（县规则 4–5）", value: (l) => pct(l.county_good_rate) },
    { label: "好评率（国家规则 3–5）", value: (l) => pct(l.national_good_rate) },
    { label: "差评", value: (l) => String(l.bad) },
    { label: "按期整改", value: (l) => `${l.rectified_on_time}/${l.rectifications_due}` },
    { label: "回访率", value: (l) => pct(l.callback_rate) },
  ];
}

const ranked = (lines) => [...lines].sort((a, b) => (a.rank ?? 1e9) - (b.rank ?? 1e9));

function onTimeByService(scorecards) {
  const totals = {};
  for (const card of scorecards.items) {
    for (const s of card.stages) {
      const t = (totals[s.service] ||= { done: 0, onTime: 0 });
      t.done += s.completed;
      t.onTime += s.on_time;
    }
  }
  return Object.entries(totals).map(([service, t]) => ({
    label: label(SERVICES, service),
    value: t.done ? Math.round((1000 * t.onTime) / t.done) / 10 : null,
  }));
}

async function load(month) {
  const months = Array.from({ length: TREND_MONTHS }, (_, i) => monthBefore(month, TREND_MONTHS - 1 - i));
  const [report, trend, cards] = await Promise.all([
    get(REPORT, { month }),
    Promise.all(months.map((m) => get(REPORT, { month: m }).then((r) => r.total).catch(() => null))),
    get("/api/v1/ratings/scorecards", { month }).catch(() => ({ items: [] })),
  ]);
  // a window by its hall and its name (凤冈县政务服务中心大厅 · 综合受理窗口1), never its code
  const windowCode = (l) => l.key.split("/").pop();
  await Promise.all(report.windows.map(async (l) => {
    const named = await windowName(l.key);
    l.name = named === `窗口 ${windowCode(l)}` ? l.label || named : named;
  }));
  return { report, months, trend, cards };
}

function summary(report) {
  const t = report.total;
  return kv([
    ["月份", `${report.month}（${report.status === "closed" ? "已关账" : "实时统计，未关账"}）`],
    ["评价总数", String(t.count)],
    ["好评率（县规则：满意、非常满意）", pct(t.county_good_rate)],
    ["好评率（国家规则：基本满意及以上）", pct(t.national_good_rate)],
    ["差评数", String(t.bad)],
    ["差评按期整改", `${t.rectified_on_time}/${t.rectifications_due}`],
    ["差评回访率", pct(t.callback_rate)],
    ["统计时间", dateTime(report.computed_at)],
  ]);
}

function render({ report, months, trend, cards }) {
  const trendPoints = months.map((m, i) => ({ label: m.slice(2), value: trend[i] ? trend[i].county_good_rate : null }));
  const byDept = ranked(report.departments).map((l) => ({ label: lineName(l), value: l.county_good_rate, tone: l.flagged ? "danger" : "" }));
  return h("div", { class: "bulletin" },
    section("总体情况", summary(report)),
    h("div", { class: "charts" },
      section(null, lineChart("好评率趋势（县规则，%）", trendPoints, { format: (v) => `${Math.round(v)}` })),
      section(null, barChart("各部门好评率（%）", byDept, { max: 100, format: pct })),
      section(null, barChart("各业务按时办结率（%）", onTimeByService(cards), { max: 100, format: pct }))),
    section("部门排名", table(lineColumns("部门"), ranked(report.departments), "本月没有部门评价")),
    section("窗口排名", table(lineColumns("窗口"), ranked(report.windows), "本月没有窗口评价")),
    section("工作人员排名（工号）", table(lineColumns("工号"), ranked(report.staff), "本月没有工作人员评价")),
    h("p", { class: "muted" }, "评价人身份不向被评价单位公开。连续两个月排名末位的对象标记为约谈。"));
}

export async function bulletinPage({ main, query }) {
  const month = /^\d{4}-\d{2}$/.test(query.get("month") || "") ? query.get("month") : thisMonth();
  main.dataset.title = `月通报 ${month}`;
  const picker = input("month", { type: "month", value: month, max: thisMonth() });
  picker.addEventListener("change", () => picker.value && navigate(`/console/bulletin?month=${picker.value}`));
  const body = h("div");
  replace(main,
    h("div", { class: "case-head" }, h("h1", {}, `好差评月通报（${month}）`)),
    h("div", { class: "toolbar no-print" }, field("月份", picker),
      h("button", { type: "button", onClick: () => window.print() }, "打印"),
      busyButton("下载 CSV", () => download(`${REPORT}?month=${month}&format=csv`, `bulletin-${month}.csv`))),
    body);
  await withLoading(body, () => load(month), render);
}
