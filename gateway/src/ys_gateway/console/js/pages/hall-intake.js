// 收件登记 at a window of the service hall: one item, or an integrated package (一件事一次办:
// its items decided in parallel, one set of materials where a material several items need is
// asked once); each material ticked only when handed in — what is missing becomes the one 补正
// notice (一次性告知, 行政许可法 art. 32) and the limit runs from the day after the materials are
// complete; and how the applicant wants the result (送达: 窗口领取, or 免费邮寄 to an address).
// Only windows that take what is applied for are offered; a key project goes on the green
// channel (绿色通道: first in the hall's queue, under its own time limit).
import { request } from "../api.js";
import { h, replace } from "../dom.js";
import { deptName } from "../directory.js";
import { DELIVERY_METHODS } from "../labels.js";
import { navigate } from "../router.js";
import { field, input, onSubmit, select, table } from "../ui.js";

const A = "/api/v1/approvals";
const KINDS = { item: "单个事项", package: "一件事一次办（集成套餐）" };

/** What is applied for, as the form needs it: {ref, name, instant, materials, codes, trips,
 * items?}; a package needs as few trips as its least demanding item (as the service counts). */
function targetOf(kind, code, catalog, packages) {
  if (kind === "package") {
    const p = packages.find((x) => x.code === code);
    const trips = p && Math.min(...p.item_codes.map((c) => catalog.find((x) => x.code === c)?.trips_needed ?? 1));
    return p && { ref: { package: p.code }, name: p.name, instant: false, materials: p.materials, items: p.items, codes: p.item_codes, trips };
  }
  const i = catalog.find((x) => x.code === code);
  return i && { ref: { item: i.code }, name: i.name, instant: i.handling_kind === "instant", materials: i.materials, codes: [i.code], trips: i.trips_needed };
}

/** 窗口领取 of what promises 零跑腿 or 最多跑一次: the intake at the window was one trip, the
 * pickup is another (审批统计 counts both), so the clerk offers free postal delivery. */
function pickupAdvice(target, method) {
  if (!target || target.instant || method !== "pickup" || !(target.trips <= 1)) return "";
  const promise = target.trips === 0 ? "零跑腿" : "最多跑一次";
  return `该事项承诺「${promise}」：本次窗口收件已算跑动一次，窗口领取将再跑一次（审批统计按两次计）。建议向申请人推荐免费邮寄送达。`;
}

/** A window takes the target if it takes every item of it (综合窗口: any item). */
const takes = (w, target) => w.accepts_all || target.codes.every((code) => (w.item_codes || []).includes(code));

/** The hall's open windows that take the target, as options (none chosen: every open one). */
function windowOptions(hall, target) {
  const open = (hall.windows || []).filter((w) => w.active !== false);
  return (target ? open.filter((w) => takes(w, target)) : open).map((w) => [w.code, `${w.code} ${w.name}`]);
}

const demand = (m) => [m.required === false ? "非必需" : "必需", `${m.copies ?? 1} 份`, m.original ? "验原件" : null].filter(Boolean).join("，");

/** The package's items, then its materials each with a box to tick when handed in. */
function materialsTable(target) {
  const names = new Map((target.items || []).map((i) => [i.code, i.name]));
  const box = (m) => h("input", { type: "checkbox", "data-material": m.name, "data-required": m.required !== false ? "1" : null, "aria-label": `已收到：${m.name}` });
  const columns = [
    { label: "已收到", value: box },
    { label: "材料", value: (m) => m.name },
    { label: "要求", value: demand },
    target.items && { label: "用于事项", value: (m) => (m.item_codes.length ? m.item_codes.map((c) => names.get(c) || c).join("、") : "整个套餐（一表申请）") },
  ].filter(Boolean);
  return h("div", {},
    target.items ? table([
      { label: "事项", value: (i) => i.name },
      { label: "实施部门", value: (i) => deptName(i.department) },
    ], target.items) : null,
    table(columns, target.materials, "该事项无需提交材料"));
}

/** What the ticks say, as the applicant will be told it. */
function summary(box) {
  const all = [...box.querySelectorAll("[data-material]")];
  const missing = all.filter((el) => !el.checked && el.dataset.required).map((el) => el.dataset.material);
  const received = all.filter((el) => el.checked).length;
  if (!all.length) return "";
  if (!missing.length) return `已收 ${received} 项，必需材料齐全：收件后即可受理。`;
  return `已收 ${received} 项；缺少必需材料 ${missing.length} 项：${missing.join("、")}。收件后将一次性告知申请人补正，办理时限自材料补齐次日起算。`;
}

/** The window the form starts from: the first the clerk is seated at (`seats`, GET …/windows/mine)
 * among those offered; none (请选择) when she sits at none of them. */
const seatAmong = (seats, offered) => (seats || []).find((code) => offered.some(([c]) => c === code)) || "";

export function intakeForm(hall, catalog, packages, seats = []) {
  const windowSelect = select("window_code", windowOptions(hall, null), { required: true, blank: "请选择…" });
  const itemField = field("办理事项", select("item", catalog.map((i) => [i.code, `${i.name}${i.handling_kind === "instant" ? "（即办）" : ""}`]), { required: true }));
  const packageField = field("一件事（集成套餐）", select("package", packages.map((p) => [p.code, `${p.name}（${p.items.length} 个事项）`]), { required: true, blank: "请选择…" }));
  const materials = h("div");
  const status = h("p", { class: "muted", role: "status" });
  const deliveryField = field("送达方式", select("delivery_method", DELIVERY_METHODS, { required: true, blank: "请选择…" }), "问清申请人领取结果的方式；免费邮寄须登记邮寄地址。");
  const advice = h("p", { class: "notice warning delivery-advice", role: "status", hidden: true });
  const addressField = field("邮寄地址", input("postal_address", { required: true, maxlength: 300, autocomplete: "off" }), "仅邮寄送达时登记；按个人信息保护要求脱敏显示。");
  const form = h("form", { class: "grid-form", "aria-label": "收件登记" },
    field("办理类型", select("kind", KINDS)), itemField, packageField,
    field("受理窗口", windowSelect, "只列出受理该事项的窗口；须由大厅负责人安排在该窗口（窗口人员安排）。"),
    h("fieldset", { class: "repeater", "aria-label": "收到的材料" }, h("legend", {}, "申请材料（逐项勾选已收到的材料）"), materials, status),
    field("申请人类型", select("type", { person: "自然人", legal_person: "法人" })),
    field("申请人姓名", input("name", { required: true, maxlength: 80 })),
    field("联系电话", input("phone", { required: true, inputmode: "tel", maxlength: 20 })),
    field("企业名称", input("enterprise_name", { maxlength: 200 })),
    field("统一社会信用代码", input("uscc", { maxlength: 18 }), "法人申请须填写；设立企业的事项（如企业设立登记、开办企业一件事）在取得代码前可不填。"),
    deliveryField, advice, addressField,
    h("label", { class: "check" }, h("input", { type: "checkbox", name: "green_channel", id: "f-green_channel" }),
      "绿色通道（重点项目：优先办理，按绿色通道时限）"),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "primary" }, "收件")));
  const value = (name) => form.elements.namedItem(name).value; // elements.item is a method
  const show = (node, shown) => {
    node.hidden = !shown;
    for (const control of node.querySelectorAll("input,select")) control.disabled = !shown;
  };
  let target = null;
  const delivery = () => {
    show(addressField, !deliveryField.hidden && value("delivery_method") === "postal");
    advice.textContent = pickupAdvice(target, value("delivery_method"));
    advice.hidden = !advice.textContent;
  };
  const pick = () => {
    const kind = value("kind");
    show(itemField, kind === "item");
    show(packageField, kind === "package");
    target = targetOf(kind, value(kind), catalog, packages);
    const chosen = windowSelect.value;
    const offered = windowOptions(hall, target);
    replace(windowSelect, offered.length ? [h("option", { value: "" }, "请选择…"), ...offered.map(([code, text]) => h("option", { value: code }, text))]
      : h("option", { value: "" }, "本大厅没有受理该事项的窗口"));
    // kept while it still fits; otherwise the clerk's own seat, if it takes this
    windowSelect.value = offered.some(([code]) => code === chosen) ? chosen : seatAmong(seats, offered);
    replace(materials, target ? materialsTable(target) : h("p", { class: "muted" }, "请先选择一件事。"));
    status.textContent = summary(materials);
    show(deliveryField, !(target && target.instant)); // 即办件: handed over on the spot
    delivery();
  };
  form.addEventListener("change", (event) => {
    const name = event.target.name;
    if (event.target.dataset.material) status.textContent = summary(materials);
    else if (["kind", "item", "package"].includes(name)) pick();
    else if (name === "delivery_method") delivery();
  });
  pick();
  onSubmit(form, async (v) => {
    const ticked = [...materials.querySelectorAll("[data-material]:checked")].map((box) => box.dataset.material);
    const body = {
      ...target.ref, channel: "window", hall_code: hall.code, window_code: v.window_code,
      applicant: { type: v.type, name: v.name, phone: v.phone, enterprise_name: v.enterprise_name || null, uscc: v.uscc || null },
      materials: ticked,
      delivery_method: v.delivery_method || "pickup",
      postal_address: v.delivery_method === "postal" ? v.postal_address : null,
      green_channel: v.green_channel === true,
    };
    const made = await request(`${A}/applications`, { method: "POST", json: body, idempotent: form });
    // the query code is shown once on the next page; it never goes into a URL (history, logs)
    sessionStorage.setItem(`query_code:${made.data.id}`, made.data.query_code);
    navigate(`/console/applications/${made.data.id}`);
  });
  return form;
}
