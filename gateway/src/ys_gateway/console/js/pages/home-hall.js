// The government service hall (政务服务中心): today's appointments, applications in progress,
// and intake at the window (收件: one item or a 一件事一次办 package, ./hall-intake.js).
import { all, get, request } from "../api.js";
import { h, replace } from "../dom.js";
import { dateTime, today } from "../format.js";
import { APPOINTMENT_STATUS, label } from "../labels.js";
import { busyButton, field, input, onSubmit, section, select, table, withLoading } from "../ui.js";
import { intakeForm } from "./hall-intake.js";
import { APPLICATION_COLUMNS } from "./lists.js";
import { ownRectifications } from "./own-rectifications.js";

const A = "/api/v1/approvals";
const OPEN = ["received", "awaiting_materials", "in_review", "review_supplement", "suspended", "approved", "rejected", "delivered"];

function appointmentColumns(reload) {
  const act = (a, action) => busyButton(label({ attend: "到场", no_show: "未到", cancel: "取消" }, action), async () => {
    // each step names the version it changes (If-Match): the booking as read now
    const path = `${A}/appointments/${a.id}`;
    const fresh = await request(path);
    await request(`${path}/${action}`, { method: "POST", json: {}, etag: fresh.etag });
    reload();
  }, { class: "small" });
  return [
    { label: "时间", value: (a) => a.start },
    { label: "窗口", value: (a) => a.window_code },
    { label: "预约人", value: (a) => a.applicant_name },
    { label: "电话", value: (a) => a.applicant_phone },
    { label: "状态", value: (a) => label(APPOINTMENT_STATUS, a.status) },
    { label: "操作", value: (a) => (a.status === "booked" ? h("span", { class: "row-actions" }, act(a, "attend"), act(a, "no_show"), act(a, "cancel")) : "—") },
  ];
}

function appointments(hall) {
  const body = h("div");
  const load = () => withLoading(body, () => get(`${A}/appointments`, { hall_code: hall.code, day: today() }),
    (rows) => table(appointmentColumns(load), rows, "今天没有预约"));
  load();
  return section(`今日预约（${hall.name}，${today()}）`, body);
}

function intake(hall, catalog, packages, seats) {
  return section("收件登记", intakeForm(hall, catalog, packages, seats));
}

/** A setting of one window the hall's head makes (PUT …/windows/{w}/{what}): the window, the
 * `control`, 保存; `said(values, answer)` is the line that confirms it. `current` (optional)
 * shows what the windows have now: {line (the chosen window's, beside the choice), list
 * (every window's, below the form), show(window), load()}; loaded again after each save. */
function windowSetting(hall, { title, what, control, body, said, hint, current }) {
  const windows = (hall.windows || []).map((w) => [w.code, `${w.code} ${w.name}`]);
  const done = h("p", { class: "muted", role: "status" });
  const form = h("form", { class: "grid-form", "aria-label": title },
    field("窗口", select("window", windows, { id: `f-${what}-window` })), current ? current.line : null, control,
    hint ? h("p", { class: "muted" }, hint) : null,
    h("div", { class: "actions" }, h("button", { type: "submit" }, "保存")), done);
  onSubmit(form, async (v) => {
    const path = `${A}/halls/${encodeURIComponent(hall.code)}/windows/${encodeURIComponent(v.window)}/${what}`;
    done.textContent = said(v, (await request(path, { method: "PUT", json: body(v) })).data);
    if (current) current.load();
  });
  if (current) {
    const chosen = () => current.show(form.elements.window.value);
    form.addEventListener("change", chosen); // also after a restored draft (drafts.js)
    chosen();
    current.load();
  }
  return section(title, form, current ? current.list : null);
}

const staffNos = (v) => v.staff_nos.split(/[,，\s]+/).filter(Boolean);

function seating(hall) {
  return windowSetting(hall, {
    title: "窗口人员安排",
    what: "clerks",
    control: field("在岗工号（逗号分隔，整体替换）", input("staff_nos", { required: true, placeholder: "ZW2001, ZW2002" })),
    body: (v) => ({ staff_nos: staffNos(v) }),
    said: (v) => `已安排 ${staffNos(v).join("、")} 在窗口 ${v.window} 受理。`,
  });
}

/** Which client each window's pad signs in as now, and since when (GET …/halls/{h}/pads, the
 * hall's staff only): the chosen window's beside the form, what saving an empty id would
 * remove, and every bound window below it. */
function padBindings(hall) {
  const names = new Map((hall.windows || []).map((w) => [w.code, `${w.code} ${w.name}`]));
  const since = (b) => (b.bound_at ? `${dateTime(b.bound_at)} 绑定` : "绑定时间未记录");
  const line = h("p", { class: "muted", role: "status", "aria-label": "当前绑定" });
  const list = h("div");
  let bound = null; // window code → its binding, once read
  let chosen = null;
  const show = (code) => {
    chosen = code;
    const b = bound && bound.get(code);
    if (!bound) line.textContent = "";
    else if (b && b.client_id) line.textContent = `当前绑定：${b.client_id}（${since(b)}）；留空保存将解除此绑定。`;
    else line.textContent = `窗口 ${code} 当前未绑定评价器。`;
  };
  const columns = [
    { label: "窗口", value: (b) => names.get(b.window_code) || b.window_code },
    { label: "评价器客户端ID", value: (b) => b.client_id },
    { label: "绑定时间", value: (b) => (b.bound_at ? dateTime(b.bound_at) : "未记录") },
  ];
  const load = () => withLoading(list, () => get(`${A}/halls/${encodeURIComponent(hall.code)}/pads`), (rows) => {
    bound = new Map(rows.map((b) => [b.window_code, b]));
    show(chosen);
    return h("div", {}, h("h3", {}, "已绑定的评价器"),
      table(columns, rows.filter((b) => b.client_id), "尚无窗口绑定评价器。"));
  });
  return { line, list, show, load };
}

/** 窗口评价器: the integration client (scope approvals:pad) the window's pad signs in as. */
function padBinding(hall) {
  return windowSetting(hall, {
    title: "窗口评价器",
    what: "pad",
    current: padBindings(hall),
    control: field("评价器客户端ID（留空：解除绑定）", input("client_id", { maxlength: 64, pattern: "[a-z][a-z0-9_\\-]{1,63}", autocomplete: "off", placeholder: "pad-county-w01" })),
    hint: `客户端由系统管理员在“接口客户端”中创建（权限范围“窗口评价器”）；绑定后，在该窗口的平板上打开 ${location.origin}/console/pad，输入客户端ID和密钥并选择本窗口。`,
    body: (v) => ({ client_id: v.client_id || null }),
    said: (v, bound) => (bound.client_id
      ? `已将评价器客户端 ${bound.client_id} 绑定到窗口 ${v.window}。`
      : `已解除窗口 ${v.window} 的评价器绑定。`),
  });
}

/** The hall's queue (order=queue): 绿色通道 first, then the soonest due, closed ones last. */
function inProgress() {
  const body = h("div");
  withLoading(body, async () => (await all(`${A}/applications`, { order: "queue" }, 400)).filter((a) => OPEN.includes(a.status)),
    (rows) => table(APPLICATION_COLUMNS, rows, "没有在办的办件"));
  return section("在办办件（绿色通道优先，其余按办理时限先后）", body);
}

export async function hallHome({ main }, position) {
  main.dataset.title = "政务服务大厅 · 工作台";
  const [halls, catalog, packages] = await Promise.all([get(`${A}/halls`), all(`${A}/items`, {}, 400), get(`${A}/packages`)]);
  const mine = halls.find((hall) => hall.department === position.dept) || halls[0];
  const [hall, seats] = mine ? await Promise.all([get(`${A}/halls/${encodeURIComponent(mine.code)}`),
    get(`${A}/halls/${encodeURIComponent(mine.code)}/windows/mine`)]) : [null, []];
  replace(main,
    h("h1", {}, `${hall ? hall.name : "政务服务大厅"} · 工作台`),
    hall ? h("div", { class: "split" }, intake(hall, catalog, packages, seats), appointments(hall)) : h("p", {}, "未找到本单位的服务大厅。"),
    inProgress(),
    ...ownRectifications(position.dept),
    hall && ["head", "admin"].includes(position.role) ? h("div", { class: "split" }, seating(hall), padBinding(hall)) : null,
    h("p", { class: "muted" }, `数据更新于 ${dateTime(Date.now())}`),
  );
}
