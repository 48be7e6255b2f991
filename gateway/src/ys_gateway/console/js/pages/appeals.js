// 申诉复核 (svc-ratings appeals/): the rated unit appeals a rating (from the rating's page); the
// bureau reviews it — 申诉成立: the rating leaves every statistic but is never deleted, and its
// 差评整改 closes; 驳回: the rating counts as before. A unit never decides its own appeal.
import { get } from "../api.js";
import { h, replace } from "../dom.js";
import { deptName, departmentOptions } from "../directory.js";
import { dateTime } from "../format.js";
import { APPEAL_STATES, label } from "../labels.js";
import * as session from "../session.js";
import { field, kv, link, section, select, tag, withLoading } from "../ui.js";
import { noteRequired, renderCase } from "./casepage.js";
import { pagedList, filterForm } from "./lists.js";
import { RATINGS, RATING_COLUMNS, heldAt, mayRating } from "./ratings.js";
import { showFlash } from "./visits-shared.js";

export const APPEALS = "/api/v1/ratings/appeals";
const DECIDERS = ["head", "staff"]; // ys_ratings/appeals/service.py DECIDING_ROLES, at BUREAU

/** The bureau's head or staff decides a pending appeal of a unit they hold no post at. */
export const mayDecide = (p, a) => Boolean(p) && p.dept === "BUREAU" && DECIDERS.includes(p.role)
  && a.state === "pending" && !heldAt(a.department);

const stateTag = (a) => tag(label(APPEAL_STATES, a.state), a.state === "pending" ? "warning" : "");

export const APPEAL_COLUMNS = [
  { label: "申诉时间", value: (a) => link(`/console/appeals/${a.id}`, dateTime(a.filed_at)) },
  { label: "被评价单位", value: (a) => deptName(a.department) },
  { label: "申诉理由", value: (a) => a.reason },
  { label: "申诉人", value: (a) => a.filed_by_name || "—" },
  { label: "状态", value: stateTag },
  { label: "复核时间", value: (a) => dateTime(a.decided_at) },
];

const SHOWN = { ...APPEAL_STATES, all: "全部状态" };

/** /console/appeals: the pending ones unless asked otherwise; the bureau opens each to decide. */
export async function appealsPage({ main, query }) {
  main.dataset.title = "申诉复核";
  const p = session.position();
  const params = { state: query.get("state") || "pending", department: query.get("department") };
  const filters = filterForm("筛选申诉", "/console/appeals", params, [
    field("状态", select("state", SHOWN)),
    mayRating.seeAll(p) ? field("被评价单位", select("department", departmentOptions(undefined, { inactive: true }), { blank: "全部单位" })) : null,
  ]);
  const listed = { ...params, state: params.state === "all" ? null : params.state };
  replace(main,
    h("div", { class: "case-head" }, h("h1", {}, "申诉复核"), link("/console/ratings", "好差评记录")),
    h("p", { class: "muted" }, "被评价单位对评价有异议的，在评价页面提出申诉，由营商局复核：申诉成立的，该评价不再计入统计（评价记录保留，不删除）；驳回的，照常计入。"),
    section(null, filters),
    section(`申诉（${label(SHOWN, params.state)}）`, pagedList(APPEALS, listed, APPEAL_COLUMNS, "没有符合条件的申诉")));
}

const DECISIONS = {
  uphold: { label: "申诉成立", path: "uphold", tone: "primary", help: "该评价将不再计入任何统计（记录保留，不删除），相关差评整改随之办结。",
    fields: [noteRequired("复核意见")], body: (v) => ({ note: v.note }) },
  reject: { label: "驳回申诉", path: "reject", help: "该评价照常计入统计。", fields: [noteRequired("驳回理由")], body: (v) => ({ note: v.note }) },
};

function facts(a) {
  return [
    ["被评价单位", deptName(a.department)],
    ["申诉理由", a.reason],
    ["申诉人", a.filed_by_name || "—"],
    ["申诉时间", dateTime(a.filed_at)],
    a.decided_at && ["复核结果", label(APPEAL_STATES, a.state)],
    a.decision_note && ["复核意见", a.decision_note],
    a.decided_at && ["复核时间", dateTime(a.decided_at)],
  ];
}

/** The rating appealed against, as the position may see it (loads on its own). */
function appealed(a) {
  const body = h("div");
  withLoading(body, () => get(`${RATINGS}/${a.rating_id}`), (r) =>
    kv(RATING_COLUMNS.map((c) => [c.label, c.value(r)])));
  return section("被申诉的评价", body);
}

/** /console/appeals/:id — the appeal, the rating, and the bureau's decision (If-Match). */
export async function appealPage(ctx) {
  const p = session.position();
  await renderCase(ctx, {
    url: `${APPEALS}/${encodeURIComponent(ctx.params.id)}`,
    title: (a) => `申诉复核 · ${deptName(a.department)}`,
    status: (a) => label(APPEAL_STATES, a.state),
    facts,
    extra: appealed,
    actions: (a) => (mayDecide(p, a) ? Object.entries(DECISIONS).map(([name, spec]) => ({ name, ...spec })) : []),
  });
  showFlash(ctx.main);
}
