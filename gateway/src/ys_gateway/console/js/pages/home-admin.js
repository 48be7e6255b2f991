// System administration: time-limit policies (时限政策) of every service are data an admin
// edits here (ARCHITECTURE.md, "Deadlines and escalation"). A policy is edited against the
// version its form was opened with: someone else's change first is a 412 that shows the
// current policies and keeps the form as typed (forms.js versionedPage).
import { get } from "../api.js";
import { h, replace } from "../dom.js";
import { versionOf, versionedPage } from "../forms.js";
import { CASE_KINDS, SERVICES, STAGES, TICKET_TYPES, UNITS, URGENCY, label } from "../labels.js";
import { navigate } from "../router.js";
import { busyButton, field, input, onSubmit, section, select, table } from "../ui.js";
import { adminTabs } from "./admin-parts.js";

const TIMED = ["hotline", "approvals", "complaints", "visits", "ratings"];

const LEVEL_NAMES = { 1: "一级", 2: "二级", 3: "三级" };
const TARGETS = { responsible_head: "责任单位一把手", bureau: "营商局", committee: "营商委" };
const urgencyText = (p) => label({ ...TICKET_TYPES, ...URGENCY }, p.urgency);

function ladderText(ladder) {
  const step = (l) => `${label(LEVEL_NAMES, l.level)}（${label(TARGETS, l.target)}）${l.after.amount ? `到期后 ${l.after.amount} ${label(UNITS, l.after.unit)}` : "到期即"}`;
  return (ladder || []).map(step).join("；") || "—";
}

/** The policy as read when the form opened (versionOf): `save(changes)` names that version. */
function editForm(policy, save, close) {
  const form = h("form", { class: "inline-form", "aria-label": `修改时限 ${policy.id}` },
    field("时限", input("amount", { type: "number", min: 1, required: true, value: policy.amount })),
    field("单位", select("unit", UNITS)),
    h("button", { type: "submit", class: "primary small" }, "保存"),
    h("button", { type: "button", class: "small", onClick: close }, "取消"));
  form.elements.unit.value = policy.unit;
  return onSubmit(form, (v) => save({ amount: Number(v.amount), unit: v.unit }));
}

function policiesTable(rows, edit) {
  return table([
    { label: "案件", value: (p) => label(CASE_KINDS, p.case_kind) },
    { label: "环节", value: (p) => label(STAGES, p.stage) },
    { label: "类别/紧急程度", value: urgencyText },
    { label: "时限", value: (p) => `${p.amount} ${label(UNITS, p.unit)}` },
    { label: "预警", value: (p) => `${Math.round(p.warning_fraction * 100)}%` },
    { label: "升级", value: (p) => ladderText(p.ladder) },
    { label: "说明", value: (p) => p.description || "—" },
    { label: "修改", value: (p) => busyButton("修改", () => edit(p), { class: "small" }) },
  ], rows, "该业务没有时限政策");
}

export async function adminHome({ main, query }) {
  main.dataset.title = "系统管理 · 时限政策";
  const service = TIMED.includes(query.get("service")) ? query.get("service") : "hotline";
  const chooser = select("service", TIMED.map((s) => [s, SERVICES[s]]));
  chooser.value = service;
  chooser.addEventListener("change", () => navigate(`/console/home?service=${chooser.value}`));
  const body = h("div");
  const draw = ({ data }) => replace(body, policiesTable(data, edit), page.panel);
  const page = versionedPage(body, { read: async () => ({ data: await get(`/api/v1/${service}/policies`) }), draw });
  const edit = async (p) => {
    const version = await versionOf(`/api/v1/${service}/policies/${p.id}`);
    const save = (changes) => page.write(version.url, { method: "PATCH", json: changes }, { message: `已修改时限政策 #${p.id}`, version });
    const what = `${label(CASE_KINDS, p.case_kind)} · ${label(STAGES, p.stage)} · ${urgencyText(p)}`;
    page.open(h("div", {}, h("h3", {}, `修改时限政策 #${p.id}（${what}）`), editForm(version.data, save, page.close)));
  };
  replace(main,
    h("h1", {}, "系统管理 · 时限政策"),
    adminTabs("policies"),
    h("p", { class: "muted" }, "时限、预警比例与升级阶梯均为数据；修改后对新开始的计时环节生效。"),
    section(null, field("业务", chooser)),
    section(`${SERVICES[service]} 的时限政策`, body),
    section("其他", h("ul", {}, h("li", {}, h("a", { href: "/console/calendar", "data-link": "" }, "节假日安排（各业务的工作日历年份）")),
      h("li", {}, h("a", { href: "/docs" }, "接口文档（/docs）")),
      h("li", {}, h("a", { href: "/console/escalations", "data-link": "" }, "督办台账")))));
  await page.load();
}
