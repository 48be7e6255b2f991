// A case's detail page, the same for every kind: facts, clocks, timeline, and only the actions
// the user may take now. Every action sends If-Match with the ETag of the detail it was shown
// from; a 412 says someone else changed the case: the page shows it as it is now and the open
// form keeps what the user typed (forms.js versionedPage).
import { request } from "../api.js";
import { h, replace } from "../dom.js";
import { draftWaits } from "../drafts.js";
import { SYSTEM_DEPT, deptName } from "../directory.js";
import { dateTime, dueTime } from "../format.js";
import { applyConditions, specField, versionedPage } from "../forms.js";
import { CLOCK_STATE, STAGES, label } from "../labels.js";
import { countdownEl, kv, notFoundCard, onSubmit, section, table, tag } from "../ui.js";

function actionForm(action, submit, cancel) {
  const fields = (action.fields || []).map(specField);
  const form = h("form", { class: "action-form", "aria-label": action.label },
    h("h3", {}, action.label), action.help ? h("p", { class: "muted" }, action.help) : null, fields,
    h("div", { class: "actions" }, h("button", { type: "submit", class: "primary" }, `确认${action.label}`),
      h("button", { type: "button", onClick: cancel }, "取消")));
  return onSubmit(applyConditions(form), submit);
}

/** A stage's clock state: the hotline says `state` (with "overdue"), the other services
 * `status`. */
const stageState = (s) => s.state || s.status;

/** Done: a completion time, or a `completed` status (the visits service's stages carry no
 * `completed_at`). */
const stageDone = (s) => Boolean(s.completed_at) || stageState(s) === "completed";

/** A stage's limit: its due time once done, a live countdown while it runs, none while the
 * clock is stopped (a paused stage's due time moves when it resumes). */
function stageDue(s) {
  const state = stageState(s);
  if (stageDone(s)) return s.due_at ? dueTime(s.due_at) : "—";
  if (state === "paused") return tag("暂停计时", "muted");
  if (state === "cancelled") return "—";
  return countdownEl(s.due_at);
}

const roundOf = (s) => s.round || 1;

/** A reopened case runs its stages again (the hotline's rows say their `round`): each row is
 * marked 第 n 轮, the current round's rows come first, the earlier rounds' rows are muted. */
function stagesTable(stages) {
  const current = Math.max(1, ...stages.map(roundOf));
  const rows = current > 1 ? [...stages].sort((a, b) => roundOf(b) - roundOf(a)) : stages; // stable
  const roundColumn = { label: "轮次", value: (s) => (roundOf(s) === current ? `第 ${current} 轮（本轮）` : `第 ${roundOf(s)} 轮`) };
  return table([
    { label: "环节", value: (s) => label(STAGES, s.stage) },
    current > 1 ? roundColumn : null,
    { label: "状态", value: (s) => label(CLOCK_STATE, stageState(s)) },
    { label: "时限", value: stageDue },
    { label: "完成时间", value: (s) => (s.completed_at ? dateTime(s.completed_at) : "—") },
    { label: "按时", value: (s) => (s.on_time === true ? "是" : s.on_time === false ? tag("超时", "danger") : "—") },
    { label: "督办", value: (s) => (s.level || s.level_emitted ? tag(`${s.level || s.level_emitted}级`, "danger") : "—") },
  ].filter(Boolean), rows, "没有计时环节", { rowClass: (s) => (roundOf(s) < current ? "earlier-round" : null) });
}

/** A case's timeline: each step in the words its service gives it (`label`, zh-CN). */
export function timelineList(entries) {
  if (!entries || !entries.length) return h("p", { class: "muted" }, "暂无记录");
  return h("ol", { class: "timeline" }, entries.map((e) =>
    h("li", {},
      h("time", { datetime: e.at }, dateTime(e.at)),
      h("strong", {}, e.stage ? `${e.label}（${label(STAGES, e.stage)}）` : e.label), // a clock's entry names its stage
      // a step a service took itself (an event consumed, a deadline swept) reads as the
      // service names it (系统（好差评）), in no department
      h("span", { class: "who" }, [e.actor_name, e.staff_no && `（${e.staff_no}）`, e.position_dept && e.position_dept !== SYSTEM_DEPT && ` · ${deptName(e.position_dept)}`].filter(Boolean).join("")),
      e.note ? h("p", {}, e.note) : null)));
}

/** The clock the header counts when a case runs several (五限时): of the running stages, the
 * one due first, as the services' `due_at` is (the first listed of a tie) → {at, stage}. */
export function firstDue(stages) {
  const running = (stages || []).filter((s) => ["running", "overdue"].includes(stageState(s)) && s.due_at);
  const first = running.reduce((a, s) => (!a || Date.parse(s.due_at) < Date.parse(a.due_at) ? s : a), null);
  return first ? { at: first.due_at, stage: first.stage } : null;
}

/** The header's clock: spec.due(c) is {at, stage} (a live countdown named by its stage:
 * 联系时限：剩余 …), an element (a clock the page draws itself, e.g. a stopped one) or
 * nothing. */
function headClock(spec, c) {
  const due = spec.due ? spec.due(c) : null;
  if (!due) return null;
  if (due instanceof Node) return due;
  return h("span", { class: "head-clock" }, `${label(STAGES, due.stage)}时限：`, countdownEl(due.at));
}

/** The address names no case this caller may see: not found (404: also a case they may not
 * see), or an id of the wrong form (422 on the path, e.g. /console/tickets/not-a-uuid). */
function noSuchCase(error) {
  if (error.status === 404) return true;
  const errors = (error.problem && error.problem.errors) || [];
  return error.status === 422 && errors.length > 0 && errors.every((e) => String(e.field || "").startsWith("path."));
}

const caseNotFound = (error) => (noSuchCase(error)
  ? notFoundCard("未找到该案件", { text: "链接中的编号有误，或该案件不存在、您无权查看。", href: "/console/home", back: "返回工作台" })
  : null);

/**
 * renderCase(ctx, spec): spec = {url, title(c), status(c), marks(c)? → tags beside the status,
 * lead(c)? → what is read out first, under the heading (e.g. a receipt's number and 查询码),
 * due(c) → {at, stage} (the due time and the stage it limits) | element | null, facts(c), extra(c)?, stages(c)?,
 * timeline(c)? → entries | Promise, actions(c) → [{name, label, path, fields, body(values)}],
 * keep(before, after)? → the case to show after an action (`after` is the write's response),
 * refetch? (an action answers with another shape: read the case again)}.
 */
export async function renderCase({ main }, spec) {
  const draw = async ({ data: c }) => {
    main.dataset.title = spec.title(c);
    const buttons = spec.actions(c).map((action) => h("button", { type: "button", class: action.tone || "", onClick: () =>
      open(action) }, action.label));
    const timeline = spec.timeline ? await Promise.resolve(spec.timeline(c)).catch(() => null) : null;
    replace(main,
      h("div", { class: "case-head" }, h("h1", {}, spec.title(c)), tag(spec.status(c), "status"),
        spec.marks ? spec.marks(c) : null,
        headClock(spec, c),
        h("button", { type: "button", class: "link", onClick: page.load }, "刷新")),
      spec.lead ? spec.lead(c) : null,
      section("办理", buttons.length ? h("div", { class: "action-buttons" }, buttons) : h("p", { class: "muted" }, "您当前的岗位在此状态下没有可办理的操作。"), page.panel),
      section("基本信息", kv(spec.facts(c))),
      spec.extra ? spec.extra(c) : null,
      spec.stages ? section("时限（计时环节）", stagesTable(spec.stages(c))) : null,
      spec.timeline ? section("办理过程（时间线）", timelineList(timeline)) : null);
  };
  const page = versionedPage(main, { read: () => request(spec.url), draw, failed: caseNotFound });
  // Responses to writes mask personal data even for those whose reads show it in full:
  // `keep` carries over what the last read showed, so the view does not change under them.
  const use = (got, before) => (spec.refetch ? null
    : { data: spec.keep && got.data ? spec.keep(before.data, got.data) : got.data, etag: got.etag });
  const act = (action, values) => page.write(`${spec.url}/${action.path}`,
    { method: "POST", json: action.body ? action.body(values) : {} }, { message: `已完成：${action.label}`, use });
  const open = (action) => page.open(actionForm(action, (values) => act(action, values), page.close));
  await page.load();
  // A form filled in when the session ended: open it again, and it takes its draft back.
  const waiting = page.state && spec.actions(page.state.data).find((action) => draftWaits(action.label));
  if (waiting) open(waiting);
}

export const NOTE = { name: "note", label: "说明", type: "textarea" };
// A step's reason (退单, 审核退回, 不予受理 …): the services' one rule (yingshang.validators.Reason),
// at least this many characters once trimmed; a note a step requires is such a reason.
export const REASON_MIN_LENGTH = 2;
export const noteRequired = (text = "说明") => ({ name: "note", label: text, type: "textarea", required: true,
  attrs: { minlength: REASON_MIN_LENGTH } });
/** A required reason in the step's body (`reason`), the rule said under it. */
export const reasonField = (text = "理由") => ({ ...noteRequired(text), name: "reason", hint: `至少 ${REASON_MIN_LENGTH} 个字` });
