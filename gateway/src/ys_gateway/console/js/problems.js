// RFC 9457 problem details → messages a member of staff or a citizen can read (zh-CN).
import { fieldLabel } from "./labels.js";

export const STALE = "该事项已被他人修改，请刷新后重试";

// By the problem's `type` (https://yingshang.gov.cn/problems/<code>): the most specific first.
const BY_CODE = {
  stale: STALE,
  "if-match-required": "页面信息已过时，请刷新后重试",
  "idempotency-key-reused": "该操作已提交过，内容不一致，请刷新后重新填写",
  "idempotency-in-flight": "上一次提交仍在处理中，请稍候",
  "rate-limited": "操作过于频繁，请稍后再试",
  unavailable: "服务暂时不可用，请稍后再试",
};

// By HTTP status, when the type says nothing more specific.
const BY_STATUS = {
  400: "请求无效，请检查填写的内容",
  401: "登录已过期，请重新登录",
  403: "您当前的岗位无权进行此操作",
  404: "未找到该事项（可能不存在，或您无权查看）",
  405: "不支持该操作",
  409: "当前状态下不能进行此操作，请刷新后查看最新状态",
  410: "该链接已失效",
  412: STALE,
  413: "提交的内容过大",
  415: "提交的格式不受支持",
  422: "填写的内容有误",
  428: "页面信息已过时，请刷新后重试",
  429: "操作过于频繁，请稍后再试",
  500: "系统内部错误，请稍后再试；如持续出现请联系管理员",
  502: "服务暂时不可用，请稍后再试",
  503: "服务暂时不可用，请稍后再试",
  504: "服务响应超时，请稍后再试",
};

const VALIDATION = {
  missing: "必须填写",
  string_too_short: "内容太短",
  string_too_long: "内容太长",
  string_pattern_mismatch: "格式不正确",
  greater_than_equal: "数值太小",
  less_than_equal: "数值太大",
  int_parsing: "应为整数",
  enum: "不在可选范围内",
  literal_error: "不在可选范围内",
  extra_forbidden: "不允许的字段",
};

function codeOf(problem) {
  const type = String((problem && problem.type) || "");
  return type.slice(type.lastIndexOf("/") + 1);
}

function fieldErrors(problem) {
  const errors = Array.isArray(problem.errors) ? problem.errors : [];
  return errors.map((e) => {
    const field = fieldLabel(String(e.field || "").split(".").pop());
    const reason = VALIDATION[e.type] || "格式不正确";
    return `「${field}」${reason}`;
  });
}

/** A readable Chinese message for a problem (or null body) with this HTTP status. */
export function describe(status, problem) {
  const p = problem || {};
  const code = codeOf(p);
  if (BY_CODE[code]) return BY_CODE[code];
  if (status === 422) {
    const fields = fieldErrors(p);
    if (fields.length) return `填写的内容有误：${fields.join("；")}`;
    const named = p.field ? `「${fieldLabel(p.field)}」` : "";
    return p.detail ? `填写的内容有误${named}：${p.detail}` : BY_STATUS[422];
  }
  const known = BY_STATUS[status];
  if (known && (status >= 500 || [401, 404, 412, 428, 429].includes(status))) return known;
  if (known && p.detail) return `${known}（${p.detail}）`;
  return known || p.detail || p.title || `请求失败（${status}）`;
}

export const NETWORK = "网络连接失败，请检查网络后重试";
