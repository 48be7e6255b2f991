// 四公开: policies and regulations, power-and-responsibility lists (权责清单), procedures, fee
// standards — public, as the departments publish them.
import { publicGet } from "../../api.js";
import { h, replace } from "../../dom.js";
import { deptName } from "../../directory.js";
import { date } from "../../format.js";
import { empty, section, table, withLoading } from "../../ui.js";

const D = "/api/v1/approvals/disclosure";
export const DISCLOSURE_TABS = [
  ["policy", "政策法规"],
  ["powers", "权责清单"],
  ["procedure", "办事流程"],
  ["fee_standard", "收费标准"],
];

function documents(rows) {
  if (!rows.length) return empty("暂无公开内容");
  return h("div", { class: "documents" }, rows.map((d) => h("details", { class: "document" },
    h("summary", {}, h("strong", {}, d.title), d.doc_number ? `　${d.doc_number}` : "", `　${deptName(d.department)}`,
      d.effective_on ? `　${date(d.effective_on)} 起施行` : ""),
    d.legal_basis ? h("p", { class: "muted" }, `依据：${d.legal_basis}`) : null,
    h("p", { class: "doc-body" }, d.body))));
}

const POWER_COLUMNS = [
  { label: "部门", value: (p) => deptName(p.department) },
  { label: "权力类型", value: (p) => p.power_type },
  { label: "事项名称", value: (p) => p.name },
  { label: "设定依据", value: (p) => p.legal_basis },
  { label: "责任事项", value: (p) => p.duties },
];

async function load(tab) {
  const path = tab === "powers" ? `${D}/powers` : `${D}/documents`;
  const params = tab === "powers" ? { limit: 200 } : { kind: tab, limit: 200 };
  return (await publicGet(path, params)).items;
}

export async function disclosurePage({ main, query }) {
  const tab = DISCLOSURE_TABS.some(([key]) => key === query.get("tab")) ? query.get("tab") : "policy";
  main.dataset.title = "四公开";
  const body = h("div");
  const tabs = h("nav", { class: "tabs", "aria-label": "四公开" }, DISCLOSURE_TABS.map(([key, text]) =>
    h("a", { href: `/console/public/disclosure?tab=${key}`, "data-link": "", class: key === tab ? "current" : null, "aria-current": key === tab ? "page" : null }, text)));
  replace(main, h("h1", {}, "四公开"), h("p", { class: "muted" }, "公开政策法规、权责清单、办事流程、收费标准，接受社会监督。"), tabs, section(null, body));
  await withLoading(body, () => load(tab), (rows) => (tab === "powers" ? table(POWER_COLUMNS, rows, "暂无权责清单") : documents(rows)));
}
