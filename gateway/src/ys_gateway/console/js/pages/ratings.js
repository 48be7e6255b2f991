// 好差评 records (svc-ratings ratings/): every rating the position may see — the rated unit its
// own, the bureau, the committee and the ratings center all — each on its page. Ratings are
// real-name (国办发〔2019〕51号) but the rated unit never learns who rated it: the ratings
// center sees the rater in full, the bureau and the committee see them masked and reveal them
// only by giving a reason (audited), the rated unit sees nothing of them and may appeal the
// rating instead (申诉复核, decided by the bureau: appeals.js).
import { get, request } from "../api.js";
import { h, replace } from "../dom.js";
import { deptName, departmentOptions, windowName } from "../directory.js";
import { draftWaits } from "../drafts.js";
import { dateTime } from "../format.js";
import { specForm, versionedPage } from "../forms.js";
import {
  LEVELS, RATER_TYPES, RATING_CHANNELS, RATING_NODES, RATING_SOURCES, SERVICES, label,
} from "../labels.js";
import { navigate } from "../router.js";
import * as session from "../session.js";
import { field, input, kv, link, section, select, tag } from "../ui.js";
import { pagedList, filterForm } from "./lists.js";
import { setFlash, showFlash } from "./visits-shared.js";

export const RATINGS = "/api/v1/ratings/ratings";
const OVERSIGHT = ["BUREAU", "COMMITTEE", "RATINGS_CENTER"]; // ys_ratings/access.py OVERSIGHT_DEPTS
const FILTERS = ["month", "department", "service", "level", "channel", "excluded"];

/** The units the user holds any post at: the rated unit stays the rated unit whichever post it
 * acts in (交叉挂职, ys_ratings/access.py `acts_for`). */
export const heldAt = (department) => session.positions().some((q) => q.dept === department);

const identityOf = (rater) => ["name", "phone", "id_no"].filter((name) => rater[name]);

/** What the position may do with a rating (the API stays the authority: a refusal still reads
 * as a Chinese message under the form). */
export const mayRating = {
  /** Every unit's ratings, and the filter by unit. */
  seeAll: (p) => Boolean(p) && OVERSIGHT.includes(p.dept),
  /** Reveal a masked rater with a reason: oversight, never a person of the rated unit. */
  unmask: (p, r) => mayRating.seeAll(p) && !heldAt(r.department) && r.rater.masked && identityOf(r.rater).length > 0,
  /** 申诉复核: the rated unit appeals a rating that still counts. */
  appeal: (r) => heldAt(r.department) && !r.excluded,
};

const levelText = (level) => `${level} 星 ${label(LEVELS, level)}`;
const levelTag = (level) => tag(levelText(level), level <= 2 ? "danger" : "");
const caseText = (r) => `${label(SERVICES, r.service)} ${r.case_number}`;

function raterText(r) {
  const shown = identityOf(r.rater).map((name) => r.rater[name]);
  if (shown.length) return shown.join(" ");
  return heldAt(r.department) ? "不向被评价单位显示" : "未留身份信息";
}

/** The window by the hall's and the window's names (its code until they load), then the clerk
 * by name when the directory knows the 工号. */
function windowCell(r) {
  const staff = r.staff_no ? (r.staff_name ? `${r.staff_name}（${r.staff_no}）` : `工号 ${r.staff_no}`) : null;
  const cell = h("span", {}, [r.window, staff].filter(Boolean).join(" / ") || "—");
  if (r.window) windowName(r.window).then((name) => { cell.textContent = [name, staff].filter(Boolean).join(" / "); });
  return cell;
}

export const RATING_COLUMNS = [
  { label: "评价时间", value: (r) => link(`/console/ratings/${r.id}`, dateTime(r.rated_at)) },
  { label: "办件", value: caseText },
  { label: "单位", value: (r) => deptName(r.department) },
  { label: "评价环节", value: (r) => label(RATING_NODES, r.node) },
  { label: "窗口 / 工号", value: windowCell },
  { label: "评价", value: (r) => levelTag(r.level) },
  { label: "渠道", value: (r) => label(RATING_CHANNELS, r.channel) },
  { label: "评价人", value: raterText },
  { label: "统计", value: (r) => (r.excluded ? tag("已剔除统计", "warning") : "计入") },
];

function filters(params, p) {
  const { ratings, ...services } = SERVICES; // the ratings service rates no 办件 of its own
  const levels = [["bad", "差评（1–2 星）"], ...[5, 4, 3, 2, 1].map((n) => [String(n), levelText(n)])];
  return filterForm("筛选评价", "/console/ratings", params, [
    field("月份", input("month", { type: "month" })),
    mayRating.seeAll(p) ? field("单位", select("department", departmentOptions(undefined, { inactive: true }), { blank: "全部单位" })) : null,
    field("业务", select("service", services, { blank: "全部业务" })),
    field("评价", select("level", levels, { blank: "全部评价" })),
    field("渠道", select("channel", RATING_CHANNELS, { blank: "全部渠道" })),
    field("统计", select("excluded", { false: "计入统计", true: "已剔除统计" }, { blank: "全部" })),
  ]);
}

/** The query as the API filters: 差评 is `bad=true`, a number the level. */
function apiParams(params) {
  const { level, ...rest } = params;
  return level === "bad" ? { ...rest, bad: true } : { ...rest, level };
}

/** /console/ratings: the ratings, newest first, filtered as the API filters them. */
export async function ratingsPage({ main, query }) {
  main.dataset.title = "好差评";
  const p = session.position();
  const params = Object.fromEntries(FILTERS.map((name) => [name, query.get(name)]));
  replace(main,
    h("div", { class: "case-head" }, h("h1", {}, "好差评"), link("/console/appeals", "申诉复核")),
    h("p", { class: "muted" }, mayRating.seeAll(p)
      ? "评价人实名评价；评价人身份仅好差评中心可见，营商局、营商委须说明理由方可查看（记入审计日志）。"
      : "本单位收到的评价。评价人身份不向被评价单位显示；对差评有异议的，可在评价页面提出申诉，由营商局复核。"),
    section(null, filters(params, p)),
    section("评价记录", pagedList(RATINGS, apiParams(params), RATING_COLUMNS, "没有符合条件的评价")));
}

// ---- one rating ------------------------------------------------------------------------

async function indicatorNames() {
  const sets = await get("/api/v1/ratings/indicator-sets").catch(() => []);
  return new Map(sets.map((s) => [s.id, new Map(s.indicators.map((i) => [i.code, i.name]))]));
}

function scoresText(r, names) {
  const known = names.get(r.indicator_set_id) || new Map();
  const scores = Object.entries(r.scores || {});
  return scores.length ? scores.map(([code, level]) => `${known.get(code) || code}：${levelText(level)}`).join("；") : "—";
}

function facts(r, names) {
  return [
    ["办件", caseText(r)],
    ["评价环节", label(RATING_NODES, r.node)],
    r.item_name && ["事项", r.item_code ? `${r.item_name}（${r.item_code}）` : r.item_name],
    ["被评价单位", deptName(r.department)],
    r.window && ["窗口", r.window],
    r.staff_no && ["工号", r.staff_no],
    ["满意度", levelTag(r.level)],
    ["分项评价", scoresText(r, names)],
    ["评价意见", r.comment || "—"],
    ["评价渠道", label(RATING_CHANNELS, r.channel)],
    ["评价人类型", label(RATER_TYPES, r.rater_type)],
    ["来源", label(RATING_SOURCES, r.source)],
    ["评价时间", dateTime(r.rated_at)],
    ["月份", r.month],
    r.followup_level && ["最近一次回访", `${levelText(r.followup_level)}（${dateTime(r.followup_at)}）`],
    ["统计", r.excluded ? h("span", {}, tag("已剔除统计", "warning"), " ", r.excluded_reason || "") : "计入统计"],
    r.rectification_id && ["差评整改", link(`/console/rectifications/${r.rectification_id}`, "查看整改")],
  ];
}

function raterFacts(r) {
  const names = { name: "姓名", phone: "联系电话", id_no: "身份证号" };
  const shown = identityOf(r.rater);
  if (!shown.length) return h("p", { class: "muted" }, raterText(r));
  return h("div", {}, kv(shown.map((name) => [names[name], r.rater[name]])),
    h("p", { class: "muted" }, r.rater.masked ? "已脱敏显示。" : "完整身份：本次查看已记入审计日志，请勿外传。"));
}

function unmaskForm(page, url) {
  const reason = { name: "reason", label: "查看理由", type: "textarea", required: true, max: 500, attrs: { minlength: 4 },
    hint: "至少 4 个字；理由和查看人记入审计日志" };
  return specForm({ label: "查看评价人身份", fields: [reason], submitText: "查看", cancel: page.close }, (v) =>
    page.write(`${url}/unmask`, { method: "POST", json: { reason: v.reason }, etag: null }, {
      message: "已显示评价人完整身份（本次查看已记入审计日志）",
      use: (got, state) => ({ ...state, data: { ...state.data, rater: got.data } }),
    }));
}

function appealForm(page, url) {
  const reason = { name: "reason", label: "申诉理由", type: "textarea", required: true, max: 2000, rows: 5, attrs: { minlength: 4 },
    hint: "说明差评不实或不应计入的理由（至少 4 个字），由营商局复核" };
  return specForm({ label: "提出申诉", fields: [reason], submitText: "提交申诉", cancel: page.close }, async (v, form) => {
    const made = await request(`${url}/appeals`, { method: "POST", json: { reason: v.reason }, idempotent: form });
    setFlash("申诉已提交，等待营商局复核");
    navigate(`/console/appeals/${made.data.id}`);
  });
}

/** /console/ratings/:id — the rating, its rater as the position may see them, and the steps the
 * position may take: reveal the rater (with a reason), or appeal (the rated unit). */
export async function ratingPage({ main, params }) {
  const url = `${RATINGS}/${encodeURIComponent(params.id)}`;
  const names = await indicatorNames();
  const p = session.position();
  const draw = ({ data: r }) => {
    main.dataset.title = `评价 ${r.case_number}`;
    const buttons = [
      mayRating.unmask(p, r) ? h("button", { type: "button", onClick: () => page.open(unmaskForm(page, url)) }, "查看评价人身份") : null,
      mayRating.appeal(r) ? h("button", { type: "button", class: "primary", onClick: () => page.open(appealForm(page, url)) }, "提出申诉") : null,
    ].filter(Boolean);
    replace(main,
      h("div", { class: "case-head" }, h("h1", {}, main.dataset.title), levelTag(r.level),
        r.excluded ? tag("已剔除统计", "warning") : null,
        h("button", { type: "button", class: "link", onClick: page.load }, "刷新")),
      section("办理", buttons.length ? h("div", { class: "action-buttons" }, buttons) : h("p", { class: "muted" }, "您当前的岗位对该评价没有可办理的操作。"), page.panel),
      section("评价内容", kv(facts(r, names))),
      section("评价人", raterFacts(r)));
  };
  const page = versionedPage(main, { read: () => request(url), draw });
  await page.load();
  // A form filled in when the session ended: open it again, and it takes its draft back.
  const r = page.state && page.state.data;
  if (r && mayRating.appeal(r) && draftWaits("提出申诉")) page.open(appealForm(page, url));
  else if (r && mayRating.unmask(p, r) && draftWaits("查看评价人身份")) page.open(unmaskForm(page, url));
  showFlash(main);
}
