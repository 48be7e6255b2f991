// 督办台账: open escalations of every service (departments see their own), by level.
import { all } from "../api.js";
import { h, replace } from "../dom.js";
import { dateTime } from "../format.js";
import { ESCALATION, SERVICES } from "../labels.js";
import { navigate } from "../router.js";
import { field, section, select, table, withLoading } from "../ui.js";
import { levelChart } from "./home-bureau.js";
import { LEDGER_COLUMNS } from "./lists.js";

const STATUS = { open: "在办", closed: "已销号", all: "全部" };
const CLOSED_COLUMNS = [...LEDGER_COLUMNS, { label: "销号", value: (e) => (e.closed_at ? dateTime(e.closed_at) : "—") }];

function filters(query) {
  const form = h("form", { class: "filters", "aria-label": "筛选" },
    field("状态", select("status", STATUS)),
    field("级别", select("level", ESCALATION, { blank: "全部级别" })),
    field("业务", select("service", SERVICES, { blank: "全部业务" })));
  for (const name of ["status", "level", "service"]) form.elements[name].value = query.get(name) || (name === "status" ? "open" : "");
  form.addEventListener("change", () => {
    const params = new URLSearchParams();
    for (const name of ["status", "level", "service"]) if (form.elements[name].value) params.set(name, form.elements[name].value);
    navigate(`/console/escalations?${params}`);
  });
  return form;
}

export async function escalationsPage({ main, query }) {
  main.dataset.title = "督办台账";
  const params = { status: query.get("status") || "open", level: query.get("level"), service: query.get("service") };
  const body = h("div");
  replace(main, h("h1", {}, "督办台账"), section(null, filters(query)), body);
  await withLoading(body, () => all("/api/v1/ratings/escalations", params, 1000), (rows) => h("div", {},
    section("级别分布", levelChart(rows)),
    section(`督办事项（${rows.length} 件）`, table(params.status === "open" ? LEDGER_COLUMNS : CLOSED_COLUMNS, [...rows].reverse(), "没有符合条件的督办事项"))));
}
