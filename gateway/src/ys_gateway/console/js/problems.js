// RFC 9457 problem details → messages a member of staff or a citizen can read (zh-CN).
import { COMPLAINTS_CENTER_SHORT, fieldLabel } from "./labels.js";

export const STALE = "该事项已被他人修改，请刷新后重试";
// The same refusal where the page read the current version and kept the form as typed
// (forms.js versionedPage): refreshing would lose the draft, submitting again is the way.
export const STALE_KEPT = "该事项已被他人修改，页面已更新为最新内容；您填写的内容仍在表单中，请核对后再次提交";

// By the problem's `type` (https://yingshang.gov.cn/problems/<code>): the most specific first.
const BY_CODE = {
  stale: STALE,
  "if-match-required": "页面信息已过时，请刷新后重试",
  "idempotency-key-reused": "该操作已提交过，内容不一致，请刷新后重新填写",
  "idempotency-key-in-flight": "上一次提交仍在处理中，请稍候",
  "rate-limited": "操作过于频繁，请稍后再试",
  unavailable: "服务暂时不可用，请稍后再试",
  "transition-not-allowed": "当前状态下不能进行此操作，请刷新后查看最新状态",
  "transition-forbidden": "您当前的岗位无权进行此操作",
  "not-your-department": "该事项不属于您所在的单位",
  "not-your-unit": "该事项不属于您所在的单位",
  "county-matter-to-town": "县级部门的事项不得下派乡镇，请选择县级承办单位",
  "not-a-handling-unit": "统筹协调机构（营商委、营商局及各中心）不承办工单，请选择承办单位",
  transfer: `该分类的事项应转${COMPLAINTS_CENTER_SHORT}办理，请使用“转${COMPLAINTS_CENTER_SHORT}”`,
  "deadline-passed": "已超过时限，不能再申请延期",
  "revisit-pending": "该工单尚未回访：诉求人留有联系电话，且回访时限未到，请先回访再归档",
  "extended-once": "该事项已延期过一次，不能再次延期",
  "no-extension-request": "没有待审核的延期申请",
  "not-lead-department": "只有主办单位可以查看诉求人的完整号码",
  "confidential-requester": "诉求人要求保密，不能查看其联系电话",
  "excluded-matter": "该诉求不属于受理范围，请按提示引导至相应渠道",
  excluded: "该诉求不属于受理范围，请按提示引导至相应渠道",
  "already-excluded": "该评价已不计入统计，无需申诉",
  "slot-full": "该时段预约已满，请选择其他时段",
  "already-rated": "该办件已评价，不能重复评价",
  "staff-rater": "工作人员不能代替办事群众评价",
  "own-work": "工作人员不能评价本人经办的事项",
  "not-rated-unit": "只有被评价的单位可以申诉",
  "appeal-pending": "该评价的申诉正在审核中",
  "appeal-decided": "该申诉已审核，不能重复处理",
  "not-bureau": "申诉由营商局复核",
  "own-appeal": "被评价单位不能复核本单位的申诉",
  "no-unmask": "只有营商局、营商委可以查看评价人身份，被评价单位不能查看",
  "not-instant": "只有即办件可以当场办结",
  "not-the-day": "只能在坐班当天签到、签退",
  "not-on-duty": "只能在坐班期间登记事项",
  "pairing-exists": "该企业已有挂帮关系",
  "pairing-ended": "该挂帮关系已结束",
  "month-closed": "该月份已结束考核，不能再修改",
  "uscc-registered": "该统一社会信用代码已登记",
  "duty-overlap": "该领导在这一时段已有坐班安排",
  "policy-missing": "没有适用的走访频次政策，请联系系统管理员",
  "own-problem": "责任单位不能为本单位的交办单销号",
  "head-signs": "交办单须由责任单位一把手本人签收（一把手亲自接单）",
  "contact-first": "请先联系企业，再提出解决方案",
  "indicator-exists": "该指标代码已存在，请编辑原指标",
  "score-exists": "该评价期已登记评分；如需更正，请在评分记录中更正",
  "not-a-scorer": "评分由营商局、牵头单位负责人或指标长登记",
  "unknown-pad-client": "没有这个评价器客户端，或它已停用、没有“窗口评价器”权限：请核对客户端ID，或请系统管理员在“接口客户端”中创建",
  "not-at-window": "您未被安排在该窗口：请选择您所在的窗口，或请大厅负责人在“窗口人员安排”中安排",
  "own-indicator": "牵头单位不能修改本单位负责的指标或更正其评分",
  "invalid-implementation-code": "实施编码不正确：应为实施机构的18位统一社会信用代码（含正确的校验位）加13位数字或大写字母",
  "item-exists": "该实施编码的事项已在目录中，请在事项目录中打开该事项修改",
  "package-exists": "该套餐代码已被使用，请换一个代码，或在列表中打开该套餐修改",
};

/** A service's detail is shown only when written for people (in Chinese, not an English
 * sentence meant for integrators and logs). */
function readable(detail) {
  return Boolean(detail) && /[\u4e00-\u9fff]/.test(detail) && !/[A-Za-z]{2,}\s+[A-Za-z]{2,}/.test(detail);
}

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

// The console's own words for a refused field, where the service's message says nothing more
// (yingshang.problems words every error type; what it cannot word reads 填写有误) or would not
// help the staff: a choice refused lists the codes offered, a field not accepted names it as
// the API spells it.
const GENERIC = "填写有误";
const CONSOLE_WORDED = new Set(["enum", "literal_error", "union_tag_invalid", "extra_forbidden"]);
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

/** The service's own reason for one entry of a 422's `errors` (统一社会信用代码的校验位不正确,
 * 法人申请须填写企业名称, 至少 2 个字符), or null where the console words it itself. */
function ownReason(e) {
  const message = String(e.message || "");
  return readable(message) && message !== GENERIC && !CONSOLE_WORDED.has(e.type) ? message : null;
}

/** Why one entry of a 422's `errors` was refused, in Chinese: the service's reason, else the
 * console's words for its type. */
export function fieldReason(e) {
  return ownReason(e) || VALIDATION[e.type] || (e.type === "value_error" ? "未填写完整或不符合要求" : "格式不正确");
}

/** A refused field's name for people when no form labels it: the API's field in words. */
export const defaultLabel = (path) => fieldLabel(String(path).split(".").pop());

/** The fields a 422 names (`errors[].field`, or the one `field`), as dotted paths. */
export function refusedFields(problem) {
  const p = problem || {};
  const named = Array.isArray(p.errors) ? p.errors.map((e) => e.field) : [p.field];
  return named.map((f) => String(f || "")).filter((f) => f && f !== "body");
}

/** One refused field in words: 「label」：the service's reason, or 「label」必须填写 where it says
 * what the console would. */
export function fieldText(label, e) {
  const name = label ? `「${label}」` : "";
  const own = ownReason(e);
  if (own && own !== VALIDATION[e.type]) return name ? `${name}：${own}` : own;
  return `${name}${fieldReason(e)}`;
}

function fieldErrors(problem, labelOf) {
  const errors = Array.isArray(problem.errors) ? problem.errors : [];
  return errors.map((e) => {
    const path = String(e.field || "");
    return fieldText(path && path !== "body" ? labelOf(path) : "", e);
  });
}

/** A readable Chinese message for a problem (or null body) with this HTTP status; a refused
 * field is named by `labelOf(path)` (a form's own label for it, see ui.js onSubmit). */
export function describe(status, problem, labelOf = defaultLabel) {
  const p = problem || {};
  const code = codeOf(p);
  if (BY_CODE[code]) return BY_CODE[code];
  if (status === 422) {
    const fields = fieldErrors(p, labelOf);
    if (fields.length) return `填写的内容有误：${fields.join("；")}`;
    const named = p.field ? `「${labelOf(String(p.field))}」` : "";
    if (readable(p.detail)) return `填写的内容有误${named}：${p.detail}`;
    return named ? `填写的内容有误：${named}不正确` : BY_STATUS[422];
  }
  const known = BY_STATUS[status];
  if (known && (status >= 500 || [401, 404, 412, 428, 429].includes(status))) return known;
  // the services' details are Chinese: one that says no more than the status is not repeated
  if (known && readable(p.detail) && p.detail !== known) return `${known}（${p.detail}）`;
  return known || (readable(p.detail) ? p.detail : `请求失败（${status}）`);
}

export const NETWORK = "网络连接失败，请检查网络后重试";
