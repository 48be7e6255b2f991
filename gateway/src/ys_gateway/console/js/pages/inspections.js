// 暗访 (svc-complaints inspections/): undercover inspection teams of the complaints center and
// the bureau look for "不诚信、不规范、不担当"; each problem found is a finding against a unit,
// rectified by a deadline and verified by the inspectors (finding.js). The center and oversight
// read the records; the center's and the bureau's staff and heads record them.
import { get, request } from "../api.js";
import { h, replace } from "../dom.js";
import { draftWaits } from "../drafts.js";
import { dateTime, today } from "../format.js";
import { repeater, rows, specForm } from "../forms.js";
import { FINDING_CLASSES } from "../labels.js";
import { navigate } from "../router.js";
import * as session from "../session.js";
import { kv, link, section, table } from "../ui.js";
import { FINDING_COLUMNS } from "./finding.js";
import { listSection, pagedList } from "./lists.js";
import { setFlash, showFlash } from "./visits-shared.js";

const C = "/api/v1/complaints";
const READERS = ["COMPLAINTS_CENTER", "BUREAU", "COMMITTEE"]; // ys_complaints/inspections/router.py
const INSPECTORS = ["COMPLAINTS_CENTER", "BUREAU"];
const INSPECTOR_ROLES = ["staff", "head"];

export const mayReadInspections = (p) => Boolean(p) && READERS.includes(p.dept);
const mayInspect = (p) => Boolean(p) && INSPECTORS.includes(p.dept) && INSPECTOR_ROLES.includes(p.role);

const INSPECTION_COLUMNS = [
  { label: "暗访编号", value: (i) => link(`/console/inspections/${i.id}`, i.number) },
  { label: "暗访日期", value: (i) => i.conducted_on },
  { label: "暗访范围", value: (i) => i.scope },
  { label: "记录时间", value: (i) => dateTime(i.created_at) },
];

const FINDING_FIELDS = [
  { name: "department", label: "责任单位", type: "department", required: true },
  { name: "finding_class", label: "问题类型", type: "select", required: true, options: FINDING_CLASSES },
  { name: "description", label: "问题描述", type: "textarea", required: true, max: 5000, attrs: { minlength: 5 } },
  { name: "deadline_days", label: "整改期限（工作日）", type: "number", min: 1, attrs: { max: 120 }, hint: "不填按政策默认期限" },
];

function findingBody(f) {
  return {
    department: f.department, finding_class: f.finding_class, description: f.description,
    deadline_days: f.deadline_days ? Number(f.deadline_days) : null,
  };
}

function recordForm(close) {
  const fields = [
    { name: "conducted_on", label: "暗访日期", type: "date", required: true, value: today(), attrs: { max: today() } },
    { name: "scope", label: "暗访范围（单位、窗口、事项）", type: "textarea", required: true, max: 5000, attrs: { minlength: 2 } },
    { name: "summary", label: "暗访情况", type: "textarea", max: 5000 },
  ];
  const after = [
    repeater("team", { legend: "暗访组成员", item: "成员", min: 1, max: 20, addText: "添加成员",
      fields: [{ name: "name", label: "姓名", required: true, max: 80 }] }),
    repeater("findings", { legend: "发现的问题（每项交责任单位限期整改）", item: "问题", max: 100, addText: "添加问题", fields: FINDING_FIELDS }),
  ];
  return specForm({ label: "记录暗访", fields, after, submitText: "保存暗访记录", cancel: close }, async (v, form) => {
    const body = {
      conducted_on: v.conducted_on, scope: v.scope, summary: v.summary || null,
      team: rows(v, "team").map((m) => m.name), findings: rows(v, "findings").map(findingBody),
    };
    const made = await request(`${C}/inspections`, { method: "POST", json: body, idempotent: form });
    const count = made.data.findings.length;
    setFlash(`已记录暗访 ${made.data.number}${count ? `，${count} 个问题已交责任单位整改` : ""}`);
    navigate(`/console/inspections/${made.data.id}`);
  });
}

/** Findings not yet closed: being rectified, or awaiting the inspectors' verification. */
const unclosed = async () => (await Promise.all(["open", "rectified"].map((state) =>
  get(`${C}/findings`, { state, limit: 200 })))).flatMap((page) => page.items);

/** /console/inspections: the records, newest first, the open findings, and 记录暗访. */
export async function inspectionsPage({ main }) {
  main.dataset.title = "暗访";
  const p = session.position();
  const panel = h("div");
  const open = () => {
    replace(panel, section("记录暗访", recordForm(() => replace(panel))));
    panel.querySelector("input,textarea")?.focus();
  };
  replace(main,
    h("div", { class: "case-head" }, h("h1", {}, "暗访"),
      mayInspect(p) ? h("button", { type: "button", class: "primary", onClick: open }, "记录暗访") : null),
    h("p", { class: "muted" }, "暗访组针对“不诚信、不规范、不担当”开展暗访；发现的问题交责任单位限期整改，整改后由暗访组验证销号。"),
    panel,
    section("暗访记录", pagedList(`${C}/inspections`, {}, INSPECTION_COLUMNS, "尚无暗访记录")),
    listSection("未销号的暗访问题", FINDING_COLUMNS, unclosed, "没有未销号的暗访问题"));
  if (mayInspect(p) && draftWaits("记录暗访")) open();
}

function addFindingForm(inspection, close) {
  return specForm({ label: "补充暗访问题", fields: FINDING_FIELDS, submitText: "添加问题", cancel: close }, async (v, form) => {
    const made = await request(`${C}/inspections/${inspection.id}/findings`, { method: "POST", json: findingBody(v), idempotent: form });
    setFlash(`已添加问题 ${made.data.number}，已交责任单位整改`);
    navigate(`/console/inspections/${inspection.id}`, { replace: true });
  });
}

/** /console/inspections/:id — the record and its findings; the inspectors add one found later. */
export async function inspectionPage({ main, params }) {
  const i = await get(`${C}/inspections/${encodeURIComponent(params.id)}`);
  main.dataset.title = `暗访 ${i.number}`;
  const panel = h("div");
  const open = () => {
    replace(panel, section("补充暗访问题", addFindingForm(i, () => replace(panel))));
    panel.querySelector("select,input,textarea")?.focus();
  };
  replace(main,
    h("div", { class: "case-head" }, h("h1", {}, main.dataset.title),
      mayInspect(session.position()) ? h("button", { type: "button", onClick: open }, "补充问题") : null),
    panel,
    section("基本信息", kv([
      ["暗访日期", i.conducted_on], ["暗访组", i.team.join("、")], ["暗访范围", i.scope],
      ["暗访情况", i.summary || "—"], ["记录时间", dateTime(i.created_at)],
    ])),
    section("发现的问题", h("p", { class: "muted" }, "点击编号查看整改和验证情况。"),
      table(FINDING_COLUMNS, i.findings, "本次暗访未发现问题")));
  if (mayInspect(session.position()) && draftWaits("补充暗访问题")) open();
  showFlash(main);
}
