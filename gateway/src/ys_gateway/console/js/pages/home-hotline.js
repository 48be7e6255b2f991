// 12345 hotline center: the operator's intake (受理) with knowledge-base lookup and duplicate
// hints, and the center's queues (派单, 审核, 回访).
import { get, request } from "../api.js";
import { h, replace } from "../dom.js";
import { EXCLUDED, TICKET_STATUS, TICKET_TYPES, URGENCY } from "../labels.js";
import { empty, errorBox, field, input, loading, onSubmit, section, select, textarea } from "../ui.js";
import { STATS_PAGE } from "./hotline-stats.js";
import { TICKET_COLUMNS, items, listSection } from "./lists.js";
import { ownRectifications } from "./own-rectifications.js";
import { rememberTicketNumbers } from "./ticket.js";

const TICKETS = "/api/v1/hotline/tickets";

/** What the center is asked to decide on a ticket of its 审核 queue. */
export function reviewMatter(t) {
  if (t.status === "replied") return "回复待审核";
  if (t.status === "return_requested") return "退单待审核";
  if (t.extension_status === "requested") return `延期申请（${t.extension_days} 个工作日）`;
  return "—";
}
const REVIEW_COLUMNS = [...TICKET_COLUMNS.slice(0, 2), { label: "待审核事项", value: reviewMatter }, ...TICKET_COLUMNS.slice(2)];

function requesterOf(v) {
  const anonymous = v.anonymous === true;
  return {
    name: anonymous ? null : v.name || null,
    phone: v.phone || null,
    enterprise_name: v.enterprise_name || null,
    anonymous,
    confidential: v.confidential === true,
  };
}

function ticketBody(v) {
  return {
    source: "phone",
    type: v.type,
    urgency: v.urgency,
    category_code: v.category_code || null,
    title: v.title,
    content: v.content,
    location: v.location || null,
    requester: requesterOf(v),
    excluded_matter: v.excluded_matter || null,
  };
}

/**
 * The knowledge base finds entries holding every bigram of a query, so a whole sentence finds
 * nothing: look up short overlapping phrases of the title and keep the entries most of them hit.
 */
export function phrases(text, size = 4, most = 5) {
  const chars = Array.from(String(text).replace(/[\s\p{P}]+/gu, ""));
  if (chars.length <= size) return chars.length >= 2 ? [chars.join("")] : [];
  const out = [];
  for (let i = 0; i + size <= chars.length && out.length < most; i += 2) out.push(chars.slice(i, i + size).join(""));
  return out;
}

async function lookUp(text) {
  const hits = new Map();
  const found = await Promise.all(phrases(text).map((q) => get("/api/v1/hotline/knowledge/search", { q, limit: 5 }).catch(() => ({ items: [] }))));
  for (const entry of found.flatMap((f) => f.items)) {
    const seen = hits.get(entry.id) || { entry, count: 0 };
    seen.count += 1;
    hits.set(entry.id, seen);
  }
  return [...hits.values()].sort((a, b) => b.count - a.count).slice(0, 5).map((h) => h.entry);
}

function knowledgePanel(form, chosen) {
  const results = h("div", { class: "kb-results" }, empty("输入标题或内容后自动检索知识库"));
  let timer = null;
  const search = async () => {
    const text = form.elements.title.value.trim() || form.elements.content.value.trim().slice(0, 30);
    if (text.length < 2) return;
    replace(results, loading("正在检索知识库…"));
    try {
      const found = await lookUp(text);
      replace(results, found.length ? found.map((e) => kbEntry(e, chosen)) : empty("知识库中没有相近的答复"));
    } catch (error) {
      replace(results, errorBox(error));
    }
  };
  form.addEventListener("input", (event) => {
    if (!["title", "content"].includes(event.target.name)) return;
    clearTimeout(timer);
    timer = setTimeout(search, 400);
  });
  return section("知识库", h("p", { class: "muted" }, "咨询类诉求可直接引用知识库答复并办结。",
    // a tab of its own: the call typed here stays as it is
    h("a", { href: "/console/knowledge", target: "_blank", rel: "noopener" }, "打开知识库（新标签页）")), results);
}

function kbEntry(entry, chosen) {
  const use = h("button", { type: "button", class: "small" }, "引用此答复（直接答复）");
  use.addEventListener("click", () => {
    chosen.entry = entry;
    chosen.show();
  });
  return h("article", { class: "kb-entry" }, h("h3", {}, entry.question), h("p", {}, entry.answer), use);
}

function created(ticket, answered) {
  const hints = ticket.duplicates || [];
  rememberTicketNumbers(hints);
  return h(
    "div",
    { class: "notice ok", role: "status" },
    h("p", {}, h("strong", {}, `已受理：工单 ${ticket.number}`),
      answered ? "，已直接答复办结。" : "。",
      ticket.query_code ? `查询码 ${ticket.query_code}（请告知来电人，仅显示一次）` : ""),
    hints.length
      ? h("div", { class: "duplicates" }, h("p", {}, "疑似重复诉求（可在工单详情中并单）："),
          h("ul", {}, hints.map((d) => h("li", {}, h("a", { href: `/console/tickets/${d.id}`, "data-link": "" }, d.number),
            ` ${d.title}（${TICKET_STATUS[d.status] || d.status}，${d.reason === "same_phone" ? "同一来电号码" : "内容相近"}）`))))
      : null,
    h("p", {}, h("a", { href: `/console/tickets/${ticket.id}`, "data-link": "", class: "button" }, answered ? "查看工单" : "查看并派单")),
  );
}

async function intakeForm(categories, resultBox, onCreated) {
  const chosen = { entry: null };
  const answerLine = h("p", { class: "chosen-answer", hidden: true });
  chosen.show = () => {
    answerLine.hidden = false;
    answerLine.textContent = `将直接答复：${chosen.entry.answer}`;
  };
  const form = h(
    "form",
    { class: "grid-form", "aria-label": "受理登记" },
    field("诉求类型", select("type", TICKET_TYPES)),
    field("紧急程度", select("urgency", URGENCY)),
    field("派单目录分类", select("category_code", categories.map((c) => [c.code, c.name]), { blank: "（暂不分类）" })),
    field("标题", input("title", { required: true, minlength: 2, maxlength: 200 })),
    field("诉求内容", textarea("content", { required: true, minlength: 2, rows: 4 }), null),
    field("事发地点", input("location", { maxlength: 200 })),
    field("来电人姓名", input("name", { maxlength: 80 })),
    field("来电号码", input("phone", { inputmode: "tel", maxlength: 20 })),
    field("企业名称", input("enterprise_name", { maxlength: 200 })),
    h("label", { class: "check" }, h("input", { type: "checkbox", name: "anonymous" }), "匿名"),
    h("label", { class: "check" }, h("input", { type: "checkbox", name: "confidential" }), "要求保密（对承办单位隐藏姓名电话）"),
    field("不属于受理范围", select("excluded_matter", EXCLUDED, { blank: "（属于受理范围）" })),
    answerLine,
    h("div", { class: "actions" }, h("button", { type: "submit", class: "primary" }, "受理")),
  );
  onSubmit(form, async (v) => {
    // The same content resubmitted carries the same Idempotency-Key (api.js): a ticket already
    // taken (its answer lost, or its direct answer failed) is replayed, never taken twice.
    const made = await request(TICKETS, { method: "POST", json: ticketBody(v), idempotent: form });
    let answered = false;
    if (chosen.entry && made.data.status === "received") {
      const body = { answer: chosen.entry.answer, kb_entry_id: chosen.entry.id };
      await request(`${TICKETS}/${made.data.id}/answer`, { method: "POST", json: body, etag: made.etag }).catch((error) => {
        replace(resultBox, created(made.data, false));
        onCreated();
        throw new Error(`直接答复未成功：${error.message}。工单 ${made.data.number} 已受理，再次点击“受理”只重试直接答复，不会重复受理`);
      });
      answered = true;
    }
    replace(resultBox, created(made.data, answered));
    onCreated();
    form.reset();
    chosen.entry = null;
    answerLine.hidden = true;
  });
  return { form, kb: knowledgePanel(form, chosen) };
}

export async function hotlineHome({ main }, position) {
  main.dataset.title = "12345热线工作台";
  const categories = await get("/api/v1/hotline/categories").catch(() => []);
  const resultBox = h("div", { class: "result" });
  const lists = {};
  const { form, kb } = await intakeForm(categories, resultBox, () => lists.toDispatch?.refresh());
  const manager = position.role !== "clerk";
  lists.toDispatch = listSection("待派单", TICKET_COLUMNS, items(TICKETS, { queue: "to_dispatch" }), "没有待派单的工单");
  replace(
    main,
    h("h1", {}, "12345热线工作台"),
    h("nav", { class: "action-buttons", "aria-label": "热线中心业务" },
      h("a", { href: STATS_PAGE, "data-link": "", class: "button secondary" }, "热线统计")),
    h("div", { class: "split" }, section("受理登记", resultBox, form), kb),
    lists.toDispatch,
    manager ? listSection("待审核（回复/退单/延期申请）", REVIEW_COLUMNS, items(TICKETS, { queue: "to_review" }), "没有待审核的工单") : null,
    listSection("待回访", TICKET_COLUMNS, items(TICKETS, { queue: "to_revisit" }), "没有待回访的工单"),
    listSection("已超时", TICKET_COLUMNS, items(TICKETS, { overdue: true }), "没有超时工单"),
    ...ownRectifications(position.dept),
  );
}
