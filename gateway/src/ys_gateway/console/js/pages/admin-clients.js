// 接口客户端 (bureau administrators): the integration clients (provincial platform, agencies)
// that call the API with client credentials. A new client's secret, and a rotated one, is
// shown once: the gateway keeps only its hash. A deactivated client's tokens stop at once.
import { all, request } from "../api.js";
import { h, replace } from "../dom.js";
import { departmentOptions, deptName } from "../directory.js";
import { busyButton, field, input, notice, onSubmit, section, select, table, tag, textarea } from "../ui.js";
import { adminTabs, confirmStep, explained, openPanel, shownOnce } from "./admin-parts.js";

const CLIENTS = "/api/v1/admin/clients";
// The scopes the services check (their access declarations).
const SCOPES = {
  "hotline:write": "推送12345诉求",
  "approvals:write": "推送政务服务办件",
  "approvals:pad": "窗口评价器（读取所绑定窗口的评价邀请）",
  "complaints:write": "推送涉企投诉",
  "ratings:write": "推送好差评",
  "ratings:read": "读取好差评与通报",
  "events:subscribe": "订阅事件（Webhook）",
  "directory:read": "接收组织目录变更",
};
const NAMES = {
  client_id: "客户端ID", name: "名称", scopes: "权限范围", rate_limit_per_minute: "每分钟请求上限",
  allowed_cidrs: "允许的IP地址段", owner_dept: "所属单位",
};
const TAKEN = "该客户端ID已存在";

const scopeText = (c) => (c.scopes.length ? c.scopes.map((s) => SCOPES[s] ? `${SCOPES[s]}（${s}）` : s).join("；") : "—");

function createForm(submit, cancel) {
  const scopes = Object.entries(SCOPES).map(([value, text]) =>
    h("label", { class: "check" }, h("input", { type: "checkbox", name: "scope", value, id: `f-scope-${value.replace(":", "-")}` }), `${text}（${value}）`));
  const form = h("form", { class: "action-form", "aria-label": "新建接口客户端" },
    h("h3", {}, "新建接口客户端"),
    field("客户端ID", input("client_id", { required: true, maxlength: 64, pattern: "[a-z][a-z0-9_\\-]{1,63}", autocomplete: "off" }),
      "小写字母开头，可含小写字母、数字、_ 和 -；对方系统以此 ID 和密钥换取令牌"),
    field("名称", input("name", { required: true, maxlength: 120 })),
    h("fieldset", {}, h("legend", {}, "权限范围"), scopes),
    field("每分钟请求上限", input("rate_limit_per_minute", { type: "number", min: 1, max: 1000000, required: true, value: 600 })),
    field("允许的IP地址段（选填）", textarea("allowed_cidrs", { rows: 2, placeholder: "如 10.20.0.0/16，每行一个" }), "不填：任何地址均可连接"),
    field("所属单位（选填）", select("owner_dept", departmentOptions(), { blank: "（无）" })),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "primary" }, "创建客户端"),
      h("button", { type: "button", onClick: cancel }, "取消")));
  return onSubmit(form, (v) => submit({
    client_id: v.client_id,
    name: v.name,
    scopes: [...form.querySelectorAll("input[name=scope]:checked")].map((el) => el.value),
    rate_limit_per_minute: Number(v.rate_limit_per_minute),
    allowed_cidrs: v.allowed_cidrs.split(/[\s,，]+/).filter(Boolean),
    owner_dept: v.owner_dept || null,
  }));
}

export async function adminClientsPage({ main }) {
  main.dataset.title = "系统管理 · 接口客户端";
  const panel = h("div", { class: "action-panel" });
  const list = h("div");
  const close = () => replace(panel);
  const path = (c) => `${CLIENTS}/${encodeURIComponent(c.client_id)}`;

  const create = () => openPanel(panel, createForm(async (body) => {
    const made = (await explained(() => request(CLIENTS, { method: "POST", json: body }), NAMES, TAKEN)).data;
    openPanel(panel, shownOnce(`已创建客户端 ${made.name}（${made.client_id}）`, "客户端密钥", made.client_secret,
      "请通过可靠渠道交给对方系统的管理员。", close));
    await load();
  }, close));

  const rotate = (c) => openPanel(panel, confirmStep(`重置 ${c.name} 的密钥`,
    "将生成新密钥（只显示一次），旧密钥立即失效；对方系统须换用新密钥才能再取得令牌。", "确认重置密钥", async () => {
      const made = (await explained(() => request(`${path(c)}/secret`, { method: "POST" }), NAMES, TAKEN)).data;
      openPanel(panel, shownOnce(`已重置 ${c.name}（${c.client_id}）的密钥`, "新的客户端密钥", made.client_secret,
        "请通过可靠渠道交给对方系统的管理员。", close));
    }, close));

  const deactivate = (c) => openPanel(panel, confirmStep(`停用 ${c.name}`,
    "停用后该客户端不能再取得令牌，已取得的令牌在网关立即失效，待发的事件推送暂停；可随时重新启用。", "确认停用", async () => {
      await explained(() => request(path(c), { method: "PATCH", json: { active: false } }), NAMES, TAKEN);
      close();
      await load(`已停用客户端 ${c.client_id}`);
    }, close));

  const actions = (c) => h("div", { class: "row-actions" },
    c.active
      ? h("button", { type: "button", class: "small", onClick: () => deactivate(c) }, "停用")
      : busyButton("启用", async () => {
        await explained(() => request(path(c), { method: "PATCH", json: { active: true } }), NAMES, TAKEN);
        await load(`已启用客户端 ${c.client_id}`);
      }, { class: "small" }),
    h("button", { type: "button", class: "small", onClick: () => rotate(c) }, "重置密钥"));

  const columns = [
    { label: "客户端ID", value: (c) => h("span", { class: "mono" }, c.client_id) },
    { label: "名称", value: (c) => c.name },
    { label: "权限范围", value: scopeText },
    { label: "每分钟上限", value: (c) => String(c.rate_limit_per_minute) },
    { label: "允许的IP", value: (c) => (c.allowed_cidrs.length ? c.allowed_cidrs.join("、") : "不限") },
    { label: "所属单位", value: (c) => (c.owner_dept ? deptName(c.owner_dept) : "—") },
    { label: "状态", value: (c) => (c.active ? tag("在用", "status") : tag("已停用", "danger")) },
    { label: "操作", value: actions },
  ];

  async function load(message) {
    const rows = await all(CLIENTS, {}, 1000);
    replace(list, table(columns, rows, "还没有接口客户端"));
    if (message) notice(list, message, "ok");
  }

  replace(main,
    h("h1", {}, "系统管理 · 接口客户端"),
    adminTabs("clients"),
    section(null, h("div", { class: "toolbar" }, h("button", { type: "button", class: "primary", onClick: create }, "新建客户端")), panel),
    section("接口客户端", list));
  await load();
}
