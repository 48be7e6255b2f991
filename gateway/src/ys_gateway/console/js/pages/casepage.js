// A case's detail page, the same for every kind: facts, clocks, timeline, and only the actions
// the user may take now. Every action sends If-Match with the ETag of the detail it was shown
// from; a 412 says someone else changed the case, and the page reloads.
import { request } from "../api.js";
import { h, replace } from "../dom.js";
import { deptName } from "../directory.js";
import { dateTime, dueTime } from "../format.js";
import { applyConditions, specField } from "../forms.js";
import { CLOCK_STATE, STAGES, label } from "../labels.js";
import { STALE } from "../problems.js";
import { countdownEl, errorBox, kv, loading, notice, onSubmit, section, table, tag } from "../ui.js";

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

function stagesTable(stages) {
  return table([
    { label: "环节", value: (s) => label(STAGES, s.stage) },
    { label: "状态", value: (s) => label(CLOCK_STATE, stageState(s)) },
    { label: "时限", value: stageDue },
    { label: "完成时间", value: (s) => (s.completed_at ? dateTime(s.completed_at) : "—") },
    { label: "按时", value: (s) => (s.on_time === true ? "是" : s.on_time === false ? tag("超时", "danger") : "—") },
    { label: "督办", value: (s) => (s.level || s.level_emitted ? tag(`${s.level || s.level_emitted}级`, "danger") : "—") },
  ], stages, "没有计时环节");
}

// Steps a service took itself (an event consumed, a deadline swept) carry its name as actor.
const SYSTEM_ACTORS = {
  hotline: "系统（12345热线）", approvals: "系统（政务服务）", complaints: "系统（侵权投诉）",
  visits: "系统（走访挂帮）", ratings: "系统（好差评）", gateway: "系统",
};

/** A case's timeline: each step in the words its service gives it (`label`, zh-CN). */
export function timelineList(entries) {
  if (!entries || !entries.length) return h("p", { class: "muted" }, "暂无记录");
  return h("ol", { class: "timeline" }, entries.map((e) =>
    h("li", {},
      h("time", { datetime: e.at }, dateTime(e.at)),
      h("strong", {}, e.label),
      h("span", { class: "who" }, [SYSTEM_ACTORS[e.actor_name] || e.actor_name, e.staff_no && `（${e.staff_no}）`, e.position_dept && ` · ${deptName(e.position_dept)}`].filter(Boolean).join("")),
      e.note ? h("p", {}, e.note) : null)));
}

/**
 * renderCase(ctx, spec): spec = {url, title(c), status(c), due(c), facts(c), extra(c)?, stages(c)?,
 * timeline(c)? → entries | Promise, actions(c) → [{name, label, path, fields, body(values)}],
 * keep(before, after)? → the case to show after an action (`after` is the write's response)}.
 */
export async function renderCase({ main }, spec) {
  const state = { data: null, etag: null, message: null };
  const load = async () => {
    replace(main, loading());
    try {
      const got = await request(spec.url);
      Object.assign(state, { data: got.data, etag: got.etag });
      await draw();
    } catch (error) {
      replace(main, errorBox(error, load));
    }
  };
  const act = async (action, values) => {
    try {
      const before = state.data;
      const got = await request(`${spec.url}/${action.path}`, { method: "POST", json: action.body ? action.body(values) : {}, etag: state.etag });
      // Responses to writes mask personal data even for those whose reads show it in full:
      // `keep` carries over what the last read showed, so the view does not change under them.
      const data = spec.keep && before && got.data ? spec.keep(before, got.data) : got.data;
      Object.assign(state, { data, etag: got.etag, message: [`已完成：${action.label}`, "ok"] });
      if (spec.refetch) return load(); // the action answers with a different shape
      await draw();
    } catch (error) {
      if (error.status !== 412) throw error;
      state.message = [STALE, "danger"];
      await load();
    }
  };
  const draw = async () => {
    const c = state.data;
    main.dataset.title = spec.title(c);
    const panel = h("div", { class: "action-panel" });
    const buttons = spec.actions(c).map((action) => h("button", { type: "button", class: action.tone || "", onClick: () => {
      replace(panel, actionForm(action, (values) => act(action, values), () => replace(panel)));
      panel.querySelector("input,select,textarea,button")?.focus();
    } }, action.label));
    const timeline = spec.timeline ? await Promise.resolve(spec.timeline(c)).catch(() => null) : null;
    replace(main,
      h("div", { class: "case-head" }, h("h1", {}, spec.title(c)), tag(spec.status(c), "status"),
        spec.due && spec.due(c) ? countdownEl(spec.due(c)) : null,
        h("button", { type: "button", class: "link", onClick: load }, "刷新")),
      section("办理", buttons.length ? h("div", { class: "action-buttons" }, buttons) : h("p", { class: "muted" }, "您当前的岗位在此状态下没有可办理的操作。"), panel),
      section("基本信息", kv(spec.facts(c))),
      spec.extra ? spec.extra(c) : null,
      spec.stages ? section("时限（计时环节）", stagesTable(spec.stages(c))) : null,
      spec.timeline ? section("办理过程（时间线）", timelineList(timeline)) : null);
    if (state.message) notice(main, ...state.message);
    state.message = null;
  };
  await load();
}

export const NOTE = { name: "note", label: "说明", type: "textarea" };
export const noteRequired = (text = "说明") => ({ name: "note", label: text, type: "textarea", required: true });
