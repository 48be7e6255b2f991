// 指标长: the business-environment evaluation's indicators, each with the unit that leads it
// (牵头单位), the person who answers for it (指标长), its target, its score per period and the
// 交办单 linked to it. The bureau adds and edits indicators and corrects a score; a score is
// recorded by the bureau, the lead unit's head or the owner — the detail's `actions` say which
// the user may do. Edits send If-Match; someone else's change first (412) is shown and the form
// keeps what the user typed.
import { get, request } from "../api.js";
import { h, replace } from "../dom.js";
import { deptName } from "../directory.js";
import { dateTime } from "../format.js";
import { repeater, rows, specForm, versionOf, versionedPage } from "../forms.js";
import { navigate } from "../router.js";
import * as session from "../session.js";
import { busyButton, kv, link, section, table, tag, withLoading } from "../ui.js";
import { items, listSection } from "./lists.js";
import { PROBLEM_COLUMNS, V, may, setFlash, showFlash } from "./visits-shared.js";

const I = `${V}/indicators`;
const CODE = "[A-Z][A-Z0-9_]{1,39}";
const PERIOD = "20[0-9]{2}(-Q[1-4])?";

const ownerText = (i) => [i.owner_name, i.owner_title].filter(Boolean).join(" ");
const figure = (value) => String(Number(value)); // "1.00" → "1"

export function scoreText(s) {
  if (!s) return "尚未评分";
  const rank = s.rank ? `，第 ${s.rank}${s.rank_of ? `/${s.rank_of}` : ""} 名` : "";
  return `${figure(s.score)} 分（${s.period}${rank}）`;
}

function targetText(i) {
  const value = i.target_value === null ? null : `${figure(i.target_value)} ${i.target_unit || ""}`.trim();
  return [i.target, value && `目标值 ${value}`].filter(Boolean).join("；") || "—";
}

const tasksText = (t) => h("span", {}, `在办 ${t.open} 件，已销号 ${t.closed} 件`, t.overdue ? tag(`超期 ${t.overdue}`, "danger") : null);

export const INDICATOR_COLUMNS = [
  { label: "指标", value: (i) => link(`/console/indicators/${i.code}`, i.name) },
  { label: "牵头单位", value: (i) => deptName(i.lead_department) },
  { label: "指标长", value: ownerText },
  { label: "最新评分", value: (i) => scoreText(i.latest_score) },
  { label: "关联交办单", value: (i) => tasksText(i.tasks) },
  { label: "状态", value: (i) => (i.active ? "在用" : tag("停用")) },
];

// ---- forms -------------------------------------------------------------------------------

function indicatorFields(i = {}) {
  return [
    { name: "name", label: "指标名称", required: true, max: 100, value: i.name },
    { name: "lead_department", label: "牵头单位", type: "department", required: true, value: i.lead_department },
    { name: "owner_name", label: "指标长姓名", required: true, max: 100, value: i.owner_name },
    { name: "owner_title", label: "指标长职务", max: 100, value: i.owner_title, hint: "如 副县长、市场监督管理局局长" },
    { name: "owner_staff_no", label: "指标长工号", max: 40, value: i.owner_staff_no, attrs: { pattern: "[A-Za-z0-9_\\-]{1,40}" }, hint: "填写后指标长本人可登记评分" },
    { name: "target", label: "目标", type: "textarea", max: 2000, value: i.target },
    { name: "target_value", label: "目标值", type: "number", step: "0.01", value: i.target_value === null ? null : i.target_value, hint: "目标有数值时填写，如 1" },
    { name: "target_unit", label: "目标值单位", max: 20, value: i.target_unit, hint: "如 工作日、%、小时" },
    { name: "description", label: "指标说明", type: "textarea", max: 2000, value: i.description },
  ];
}

const coUnits = (initial) => repeater("co", { legend: "配合单位", item: "配合单位", max: 20, addText: "添加配合单位",
  fields: [{ name: "department", label: "配合单位", type: "department", required: true }],
  initial: initial.map((department) => ({ department })) });

function indicatorBody(v) {
  return {
    name: v.name, lead_department: v.lead_department, co_departments: rows(v, "co").map((r) => r.department),
    owner_name: v.owner_name, owner_title: v.owner_title || null, owner_staff_no: v.owner_staff_no || null,
    target: v.target || null, target_value: v.target_value === "" ? null : v.target_value,
    target_unit: v.target_unit || null, description: v.description || null,
  };
}

function createForm(close) {
  const code = { name: "code", label: "指标代码", required: true, hint: "大写字母、数字和下划线，如 STARTING_BUSINESS；添加后不能修改",
    attrs: { pattern: CODE, maxlength: 40, autocapitalize: "characters", spellcheck: "false", class: "mono" } };
  return specForm({ label: "新增指标", fields: [code, ...indicatorFields()], after: coUnits([]), submitText: "新增", cancel: close }, async (v, form) => {
    const made = await request(I, { method: "POST", json: { code: v.code, ...indicatorBody(v) }, idempotent: form });
    setFlash(`已新增指标：${made.data.name}`);
    navigate(`/console/indicators/${made.data.code}`);
  });
}

function editForm(i, save, close) {
  const fields = [...indicatorFields(i), { name: "active", label: "在用（停用后不能再关联交办单）", type: "checkbox", value: i.active }];
  return specForm({ label: "编辑指标", fields, after: coUnits(i.co_departments), submitText: "保存", cancel: close },
    (v) => save(`${I}/${i.code}`, { method: "PUT", json: { ...indicatorBody(v), active: v.active } }, { message: "已保存指标" }));
}

function scoreFields(s = {}) {
  return [
    { name: "score", label: "评分（0–100 分）", type: "number", required: true, min: 0, step: "0.01", value: s.score, attrs: { max: 100 } },
    { name: "rank", label: "排名", type: "number", min: 1, step: "1", value: s.rank },
    { name: "rank_of", label: "参评县数", type: "number", min: 1, step: "1", value: s.rank_of },
    { name: "note", label: "说明", type: "textarea", max: 2000, value: s.note },
  ];
}

const scoreBody = (v) => ({
  score: v.score, rank: v.rank === "" ? null : Number(v.rank), rank_of: v.rank_of === "" ? null : Number(v.rank_of), note: v.note || null,
});

function scoreForm(i, save, close) {
  const period = { name: "period", label: "评价期", required: true, hint: "季度如 2026-Q1，年度如 2026",
    attrs: { pattern: PERIOD, maxlength: 7, placeholder: "2026-Q1" } };
  return specForm({ label: "登记评分", fields: [period, ...scoreFields()], submitText: "登记", cancel: close },
    (v, form) => save(`${I}/${i.code}/scores`, { method: "POST", json: { period: v.period, ...scoreBody(v) }, idempotent: form, etag: null },
      { message: `已登记 ${v.period} 评分` }));
}

/** The score as read with its ETag (versionOf): a correction names the version it corrects. */
function correctForm(i, score, save, close) {
  const s = score.data;
  return specForm({ label: `更正 ${s.period} 评分`, fields: scoreFields(s), submitText: "更正", cancel: close },
    (v) => save(`${I}/${i.code}/scores/${s.period}`, { method: "PUT", json: scoreBody(v) },
      { message: `已更正 ${s.period} 评分（原值保留在修改记录中）`, version: score }));
}

// ---- pages -------------------------------------------------------------------------------

/** /console/indicators: every indicator with its owner, lead unit, latest score and tasks. */
export async function indicatorsPage({ main, query }) {
  main.dataset.title = "指标长";
  const panel = h("div");
  const open = () => {
    replace(panel, section("新增指标", createForm(() => replace(panel))));
    panel.querySelector("input")?.focus();
  };
  const body = h("div");
  const inactive = query.get("active") === "false";
  replace(main,
    h("div", { class: "case-head" }, h("h1", {}, "指标长"),
      may.steer(session.position()) ? h("button", { type: "button", class: "primary", onClick: open }, "新增指标") : null),
    h("p", { class: "muted" }, "每项营商环境评价指标由牵头单位负责、指标长负总责；评分按季度或年度登记，联席会议的决定事项关联到指标。"),
    panel,
    section(inactive ? "已停用的指标" : "在用的指标", body,
      h("p", {}, link(inactive ? "/console/indicators" : "/console/indicators?active=false", inactive ? "查看在用的指标" : "查看已停用的指标"))));
  await withLoading(body, () => get(I, { active: !inactive }), (found) => table(INDICATOR_COLUMNS, found, "没有指标"));
}

function facts(i) {
  return [
    ["指标代码", h("span", { class: "mono" }, i.code)],
    ["牵头单位", deptName(i.lead_department)],
    ["配合单位", i.co_departments.length ? i.co_departments.map(deptName).join("、") : "—"],
    ["指标长", [ownerText(i), i.owner_staff_no && `（工号 ${i.owner_staff_no}）`].filter(Boolean).join(" ")],
    ["目标", targetText(i)],
    ["最新评分", scoreText(i.latest_score)],
    ["关联交办单", tasksText(i.tasks)],
    i.description && ["指标说明", i.description],
    ["更新时间", dateTime(i.updated_at)],
  ];
}

function scoresTable(i, correct) {
  return table([
    { label: "评价期", value: (s) => s.period },
    { label: "评分", value: (s) => figure(s.score) },
    { label: "排名", value: (s) => (s.rank ? `${s.rank}${s.rank_of ? ` / ${s.rank_of}` : ""}` : "—") },
    { label: "说明", value: (s) => s.note || "—" },
    { label: "登记人", value: (s) => `${s.recorded_by_name || "—"}（${dateTime(s.recorded_at)}）` },
    i.actions.includes("correct") ? { label: "操作", value: (s) => busyButton("更正", () => correct(s), { class: "small" }) } : null,
  ].filter(Boolean), i.scores, "尚未登记评分");
}

const revisionColumns = [
  { label: "时间", value: (r) => dateTime(r.changed_at) },
  { label: "内容", value: (r) => (r.subject === "score" ? `${r.period} 评分 ${figure(r.snapshot.score)}（第 ${r.version} 版）` : `指标信息（第 ${r.version} 版）`) },
  { label: "修改人", value: (r) => (r.changed_by_name?.startsWith("system:") ? "系统" : r.changed_by_name) || "—" },
];

/** /console/indicators/:code — the indicator, its scores, its 交办单 and every version. A
 * write is followed by a fresh read; a 412 keeps the form as typed (forms.js versionedPage). */
export async function indicatorPage({ main, params }) {
  const url = `${I}/${encodeURIComponent(params.code)}`;
  const draw = ({ data: i }) => {
    main.dataset.title = `指标长 · ${i.name}`;
    const show = (text, form) => page.open(section(text, form));
    const opener = (text, form, tone) => h("button", { type: "button", class: tone || "", onClick: () => show(text, form()) }, text);
    const buttons = [
      i.actions.includes("score") && opener("登记评分", () => scoreForm(i, page.write, page.close), "primary"),
      i.actions.includes("edit") && opener("编辑指标", () => editForm(i, page.write, page.close)),
    ].filter(Boolean);
    const correct = async (s) => {
      const score = await versionOf(`${url}/scores/${s.period}`);
      show(`更正 ${s.period} 评分`, correctForm(i, score, page.write, page.close));
    };
    replace(main,
      h("div", { class: "case-head" }, h("h1", {}, i.name), tag(i.active ? "在用" : "停用", "status"),
        h("button", { type: "button", class: "link", onClick: page.load }, "刷新")),
      section("办理", buttons.length ? h("div", { class: "action-buttons" }, buttons) : h("p", { class: "muted" }, "评分由营商局、牵头单位负责人或指标长登记；您当前的岗位只能查看。"), page.panel),
      section("基本信息", kv(facts(i))),
      section("评分记录", scoresTable(i, correct)),
      listSection("关联交办单", PROBLEM_COLUMNS, items(`${V}/problems`, { indicator_code: i.code }), "没有关联的交办单"),
      listSection("修改记录", revisionColumns, async () => (await get(`${url}/revisions`)).reverse(), "没有修改记录"));
    showFlash(main);
  };
  const page = versionedPage(main, { read: () => request(url), draw });
  await page.load();
}
