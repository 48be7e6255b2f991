// The statistics pages (热线统计, 投诉统计, 走访统计): a period, and where the page offers one a
// grouping (统计维度), chosen in the page's address; charts; and tables of figures that fit
// the screen. A table of figures never scrolls sideways: from a tablet up its columns share
// the width and its headers wrap (a page splits a wide set of figures into tables of one
// theme each, ten columns at most), on a phone each row is a card (console.css).
import { barChart } from "./charts.js";
import { h, replace } from "./dom.js";
import { dayRange, pct } from "./format.js";
import { navigate } from "./router.js";
import { field, input, kv, section, select, table, withLoading } from "./ui.js";

export const count = (v) => String(v ?? 0);
export const number = (v, digits) => (v === null || v === undefined ? "—" : Number(v).toFixed(digits));

/** A card holding a table of figures (columns as for ui.table). */
export function figures(title, columns, rows, emptyText) {
  const node = table(columns, rows, emptyText);
  node.classList.add("figures");
  return section(title, node);
}

/** A card of headline figures: [[label, text], …]. */
export function headline(title, pairs) {
  return section(title, kv(pairs));
}

const percent = (v) => (v === null || v === undefined ? null : Math.round(v * 1000) / 10);

/** Two bar charts side by side over the same groups: a count (件) and a ratio (0–1, in %). */
export function charts(rows, name, [countTitle, countOf], [rateTitle, rateOf]) {
  const named = (value) => rows.map((r) => ({ label: name(r), value: value(r) }));
  return h("div", { class: "charts" },
    section(null, barChart(countTitle, named(countOf), { format: (v) => `${v ?? 0} 件` })),
    section(null, barChart(rateTitle, named((r) => percent(rateOf(r))), { max: 100, format: pct })));
}

function filters(spec, { by, from, to }) {
  const form = h("form", { class: "toolbar no-print", "aria-label": "统计条件" },
    spec.groups ? field("统计维度", select("by", spec.groups)) : null,
    field(`${spec.dateLabel}自`, input("from", { type: "date", value: from, required: true })),
    field("至", input("to", { type: "date", value: to, required: true })),
    h("button", { type: "submit", class: "primary" }, "统计"));
  if (by) form.elements.by.value = by;
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const f = form.elements;
    const query = new URLSearchParams({ ...(by ? { by: f.by.value } : {}), from: f.from.value, to: f.to.value });
    navigate(`${spec.path}?${query}`);
  });
  return form;
}

/**
 * A statistics page: spec = {path (the page's own), title, dateLabel (受理日期 …), groups?
 * ({key: label}, the first the default), load({by, from, to}) → data, render(data, {by,
 * from, to}) → Node}. `from` and `to` are whole days, both included.
 */
export async function statsPage({ main, query }, spec) {
  const keys = Object.keys(spec.groups || {});
  const by = keys.length ? (keys.includes(query.get("by")) ? query.get("by") : keys[0]) : null;
  const [from, to] = dayRange(query);
  const chosen = { by, from, to };
  main.dataset.title = spec.title;
  const body = h("div");
  replace(main,
    h("div", { class: "case-head" }, h("h1", {}, spec.title)),
    h("p", { class: "muted" }, `按${spec.dateLabel} ${from} 至 ${to}（含）统计。`),
    filters(spec, chosen),
    body);
  await withLoading(body, () => spec.load(chosen), (data) => spec.render(data, chosen));
}
