// 知识库: the hotline center's answers (ys_hotline/knowledge). Any staff searches the entries
// valid now, as intake does; the center's staff, head and admin — not its operators — list
// every entry by status (retired, pending and expired ones too), add, edit, retire and
// reactivate them. A change sends If-Match with the ETag of the version shown: when someone
// changed the entry meanwhile (412) the page says so and shows the current version, and the
// form keeps what the user typed.
import { get, request } from "../api.js";
import { h, replace } from "../dom.js";
import { deptName, departmentOptions } from "../directory.js";
import { dateTime } from "../format.js";
import { specForm, versionedPage } from "../forms.js";
import { navigate } from "../router.js";
import * as session from "../session.js";
import { empty, field, input, kv, link, section, select, table, tag, withLoading } from "../ui.js";
import { filterForm, pagedList } from "./lists.js";
import { setFlash, showFlash } from "./visits-shared.js";

const K = "/api/v1/hotline/knowledge";
const EDITOR_ROLES = ["staff", "head", "admin"]; // knowledge/router.py EDITORS, at the center
// The entry's `status` now, as the API reports it (knowledge/models.py EntryStatus).
const STATUS = { valid: ["有效", "status"], pending: ["未生效", "warning"], expired: ["已过期", "danger"], retired: ["已停用", "danger"] };
const LISTED = ["status", "category", "department", "q"];

export const mayEditKnowledge = (p) => Boolean(p) && p.dept === "HOTLINE_CENTER" && EDITOR_ROLES.includes(p.role);

/** The catalogue's names by code (retired categories too: an old entry may name one). */
async function categoryNames() {
  const list = await get("/api/v1/hotline/categories", { include_inactive: true }).catch(() => []);
  return new Map(list.map((c) => [c.code, c.active ? c.name : `${c.name}（已停用）`]));
}

/** A datetime-local control's value (county time) of an API instant. */
const localInput = (iso) => (iso ? dateTime(iso).replace(" ", "T") : null);

const statusTag = (e) => tag(...STATUS[e.status]);

function validity(e) {
  if (!e.valid_from && !e.valid_to) return "长期有效";
  return `${e.valid_from ? dateTime(e.valid_from) : "即时"} 至 ${e.valid_to ? dateTime(e.valid_to) : "长期"}`;
}

function entryFields(e, categories) {
  return [
    { name: "question", label: "问题", required: true, max: 500, attrs: { minlength: 2 }, value: e.question },
    { name: "answer", label: "答复内容", type: "textarea", required: true, max: 10000, rows: 5, value: e.answer },
    { name: "category_code", label: "派单目录分类", type: "select", options: [...categories], blank: "（不限分类）", value: e.category_code },
    { name: "department", label: "主管单位", type: "select", options: departmentOptions(), blank: "（不指定）", value: e.department },
    { name: "valid_from", label: "生效时间", type: "datetime-local", value: localInput(e.valid_from), hint: "不填即刻生效" },
    { name: "valid_to", label: "失效时间", type: "datetime-local", value: localInput(e.valid_to), hint: "到时不再被检索和引用；不填长期有效" },
  ];
}

function entryBody(v) {
  if (v.valid_from && v.valid_to && v.valid_to <= v.valid_from) throw new Error("失效时间须晚于生效时间");
  return {
    question: v.question, answer: v.answer, category_code: v.category_code || null, department: v.department || null,
    valid_from: v.valid_from || null, valid_to: v.valid_to || null,
  };
}

const COLUMNS = (categories) => [
  { label: "问题", value: (e) => link(`/console/knowledge/${e.id}`, e.question) },
  { label: "状态", value: statusTag },
  { label: "答复", value: (e) => (e.answer.length > 80 ? `${e.answer.slice(0, 80)}…` : e.answer) },
  { label: "分类", value: (e) => (e.category_code ? categories.get(e.category_code) || e.category_code : "—") },
  { label: "主管单位", value: (e) => deptName(e.department) },
  { label: "有效期", value: validity },
  { label: "更新时间", value: (e) => dateTime(e.updated_at) },
];

function searchForm(query, categories) {
  const form = h("form", { class: "filters", "aria-label": "检索知识库" },
    field("关键词", input("q", { type: "search", required: true, maxlength: 200, placeholder: "如 营业执照、异地就医" })),
    field("派单目录分类", select("category", [...categories], { blank: "全部分类" })),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "primary" }, "检索")));
  form.elements.q.value = query.get("q") || "";
  form.elements.category.value = query.get("category") || "";
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const params = new URLSearchParams({ q: form.elements.q.value.trim() });
    if (form.elements.category.value) params.set("category", form.elements.category.value);
    navigate(`/console/knowledge?${params}`);
  });
  return form;
}

/** The editors' filters: status, category, unit and keyword (every word, as search). */
function listForm(query, categories) {
  const statuses = Object.entries(STATUS).map(([value, [text]]) => [value, text]);
  return filterForm("筛选知识库", "/console/knowledge", query, [
    field("状态", select("status", statuses, { blank: "全部状态" })),
    field("派单目录分类", select("category", [...categories], { blank: "全部分类" })),
    field("主管单位", select("department", departmentOptions(undefined, { inactive: true }), { blank: "全部单位" })),
    field("关键词", input("q", { type: "search", maxlength: 200, placeholder: "如 营业执照、异地就医" })),
  ]);
}

function createForm(categories, close) {
  return specForm({ label: "新增知识库条目", fields: entryFields({}, categories), submitText: "新增", cancel: close }, async (v) => {
    const made = await request(K, { method: "POST", json: entryBody(v) });
    setFlash("已新增知识库条目");
    navigate(`/console/knowledge/${made.data.id}`);
  });
}

/** The center's editors: every entry under the filters, and the form to add one. */
function managedList(main, query, categories) {
  const panel = h("div");
  const open = () => {
    replace(panel, section("新增知识库条目", createForm(categories, () => replace(panel))));
    panel.querySelector("input")?.focus();
  };
  const params = Object.fromEntries(LISTED.map((name) => [name, query.get(name)]));
  replace(main,
    h("div", { class: "case-head" }, h("h1", {}, "知识库"), h("button", { type: "button", class: "primary", onClick: open }, "新增条目")),
    h("p", { class: "muted" }, "列出全部条目，含未生效、已过期和已停用的，可按状态筛选。话务员受理咨询时按标题自动检索知识库，只找当前有效的条目，须包含关键词的全部字词。"),
    panel,
    section(null, listForm(query, categories)),
    section("条目", pagedList(K, params, COLUMNS(categories), "没有符合条件的条目")));
}

/** Everyone else: search the entries valid now, as intake does. */
async function searchOnly(main, query, categories) {
  const results = h("div");
  const q = (query.get("q") || "").trim();
  replace(main,
    h("div", { class: "case-head" }, h("h1", {}, "知识库")),
    h("p", { class: "muted" }, "话务员受理咨询时按标题自动检索知识库，可直接引用答复办结。检索只找当前有效的条目，须包含关键词的全部字词。",
      "您当前的岗位只能检索知识库。"),
    section(null, searchForm(query, categories)),
    section(q ? `“${q}”的检索结果` : "检索结果", results));
  if (!q) return replace(results, empty("输入关键词检索知识库（知识库按关键词检索，不列出全部条目）"));
  await withLoading(results, () => get(`${K}/search`, { q, category: query.get("category"), limit: 50 }),
    (found) => table(COLUMNS(categories), found.items, "没有包含这些关键词的有效条目"));
}

export async function knowledgePage({ main, query }) {
  main.dataset.title = "知识库";
  const categories = await categoryNames();
  if (mayEditKnowledge(session.position())) return managedList(main, query, categories);
  return searchOnly(main, query, categories);
}

// ---- one entry ----------------------------------------------------------------------

function facts(e, categories) {
  return [
    ["问题", e.question],
    ["答复内容", e.answer],
    ["派单目录分类", e.category_code ? categories.get(e.category_code) || e.category_code : "不限"],
    ["主管单位", deptName(e.department)],
    ["有效期", validity(e)],
    ["版本", `第 ${e.version} 版`],
    ["更新时间", dateTime(e.updated_at)],
  ];
}

export async function knowledgeEntryPage({ main, params }) {
  const url = `${K}/${encodeURIComponent(params.id)}`;
  const editor = mayEditKnowledge(session.position());
  const categories = await categoryNames();
  /** Change the version shown (If-Match; a 412 keeps the form as typed: forms.js). */
  const write = (method, path, body, message) =>
    page.write(path, { method, json: body }, { message, use: (got) => ({ data: got.data, etag: got.etag }) });
  const draw = ({ data: e }) => {
    main.dataset.title = `知识库 · ${e.question}`;
    const opener = (text, form, buttonTone) => h("button", { type: "button", class: buttonTone || "", onClick: () =>
      page.open(section(text, form())) }, text);
    const editForm = () => specForm({ label: "编辑知识库条目", fields: entryFields(e, categories), submitText: "保存", cancel: page.close },
      (v) => write("PUT", url, entryBody(v), "已保存知识库条目"));
    const retireForm = () => specForm({ label: "停用知识库条目", className: "action-form", fields: [], submitText: "确认停用", cancel: page.close,
      before: h("p", {}, "停用后该条目不再被检索，也不能再被引用答复；条目本身保留，可以重新启用。只需到期下线的，请在“编辑”中填写失效时间。") },
    () => write("DELETE", url, undefined, "已停用知识库条目"));
    const reactivateForm = () => specForm({ label: "重新启用知识库条目", className: "action-form", fields: [], submitText: "确认重新启用", cancel: page.close,
      before: h("p", {}, "重新启用后，该条目在有效期内重新可被检索和引用答复。") },
    () => write("POST", `${url}/reactivate`, undefined, "已重新启用知识库条目"));
    const buttons = !editor ? [] : e.active ? [opener("编辑", editForm, "primary"), opener("停用", retireForm)]
      : [opener("重新启用", reactivateForm, "primary")];
    replace(main,
      h("div", { class: "case-head" }, h("h1", {}, "知识库条目"), statusTag(e),
        h("button", { type: "button", class: "link", onClick: page.load }, "刷新")),
      h("p", {}, link("/console/knowledge", "← 返回知识库")),
      section("维护", buttons.length ? h("div", { class: "action-buttons" }, buttons)
        : h("p", { class: "muted" }, "您当前的岗位只能查看知识库。"), page.panel),
      section("条目内容", kv(facts(e, categories))));
    showFlash(main);
  };
  const page = versionedPage(main, { read: () => request(url), draw });
  await page.load();
}
