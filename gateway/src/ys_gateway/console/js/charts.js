// Charts drawn by hand in SVG (no third-party code): horizontal bars and a line.
import { h, svg } from "./dom.js";

const WIDTH = 560;
// A bar chart is drawn narrower (and shown at most 480 px wide, .chart.bars): on a 390 px phone
// its 13-unit labels still read at about 12 px, where 560 units would shrink them to 7.
const BAR_WIDTH = 360;
const LABEL_CHARS = 11; // what the bar chart's label column holds (13px type, 150 units)
const fmt = (v) => (v === null || v === undefined ? "—" : String(v));
/** A label cut to its column, the whole of it in a tooltip. */
const fitted = (text) => (Array.from(text).length > LABEL_CHARS ? `${Array.from(text).slice(0, LABEL_CHARS - 1).join("")}…` : text);

function frame(title, height, children, { width = WIDTH, kind = null } = {}) {
  return h("figure", { class: kind ? `chart ${kind}` : "chart" },
    svg("svg", { viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": title, preserveAspectRatio: "xMinYMin meet" },
      svg("title", {}, title), children),
    h("figcaption", {}, title));
}

/** rows: [{label, value (number|null)}]; value labels through `format`. */
export function barChart(title, rows, { max = null, format = fmt } = {}) {
  if (!rows.length) return h("p", { class: "muted" }, `${title}：暂无数据`);
  const top = max ?? Math.max(1, ...rows.map((r) => r.value || 0));
  const labelWidth = 150;
  const barArea = BAR_WIDTH - labelWidth - 70;
  const rowHeight = 26;
  const bars = rows.map((r, i) => {
    const y = i * rowHeight + 6;
    const width = r.value ? Math.max(2, (r.value / top) * barArea) : 0;
    return svg("g", {},
      svg("text", { x: labelWidth - 8, y: y + 15, "text-anchor": "end", class: "chart-label" }, svg("title", {}, r.label), fitted(String(r.label))),
      svg("rect", { x: labelWidth, y, width, height: rowHeight - 8, rx: 3, class: r.tone ? `bar ${r.tone}` : "bar" }),
      svg("text", { x: labelWidth + width + 6, y: y + 15, class: "chart-value" }, format(r.value)));
  });
  return frame(title, rows.length * rowHeight + 12, bars, { width: BAR_WIDTH, kind: "bars" });
}

/** points: [{label, value (number|null)}] along x; y from 0 to `max`. */
export function lineChart(title, points, { max = 100, format = fmt } = {}) {
  if (!points.length) return h("p", { class: "muted" }, `${title}：暂无数据`);
  const height = 220;
  const left = 44;
  const bottom = height - 30;
  const step = (WIDTH - left - 20) / Math.max(1, points.length - 1);
  const y = (v) => bottom - (v / max) * (bottom - 26); // room above the top value's label
  const grid = [0, 0.25, 0.5, 0.75, 1].map((f) =>
    svg("g", {}, svg("line", { x1: left, x2: WIDTH - 10, y1: y(f * max), y2: y(f * max), class: "grid" }),
      svg("text", { x: left - 6, y: y(f * max) + 4, "text-anchor": "end", class: "chart-axis" }, format(f * max))));
  const known = points.map((p, i) => ({ ...p, x: left + i * step })).filter((p) => p.value !== null && p.value !== undefined);
  const path = known.map((p, i) => `${i ? "L" : "M"}${p.x.toFixed(1)},${y(p.value).toFixed(1)}`).join(" ");
  const xLabels = points.map((p, i) => svg("text", { x: left + i * step, y: height - 10, "text-anchor": "middle", class: "chart-axis" }, p.label));
  const dots = known.map((p) => svg("g", {}, svg("circle", { cx: p.x, cy: y(p.value), r: 4, class: "dot" }),
    svg("text", { x: p.x, y: y(p.value) - 9, "text-anchor": "middle", class: "chart-value" }, format(p.value))));
  return frame(title, height, [grid, path ? svg("path", { d: path, class: "line" }) : null, dots, xLabels]);
}
