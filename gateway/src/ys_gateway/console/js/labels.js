// The platform's vocabulary in Chinese (DOMAIN.md). Codes come from the services' APIs. Each
// enumeration has its one table here, used by every page that names its codes (a form's
// options and the pages showing the value say the same words); where a service labels a code
// itself (its vocabulary module), the table says it in the service's words.

export const ROLES = { clerk: "窗口/话务", staff: "工作人员", head: "负责人（一把手）", admin: "系统管理员" };

// The complaints center by its formal name (DOMAIN.md, the directory's seed county.yaml),
// given once where the public meets it, and by its short name everywhere else.
export const COMPLAINTS_CENTER_FORMAL = "非公有制经济发展侵权投诉中心";
export const COMPLAINTS_CENTER_SHORT = "侵权投诉中心";

export const COORDINATING = {
  COMMITTEE: "营商环境建设委员会",
  BUREAU: "营商环境建设局",
  HALL: "政务服务中心",
  HOTLINE_CENTER: "12345热线中心",
  COMPLAINTS_CENTER: COMPLAINTS_CENTER_FORMAL,
  ENTERPRISE_CENTER: "非公有制经济服务中心",
};

export const SERVICES = {
  approvals: "政务服务",
  hotline: "12345热线",
  complaints: "涉企投诉",
  visits: "走访挂帮",
  ratings: "好差评",
};

export const TICKET_TYPES = {
  consult: "咨询", help: "求助", complaint: "投诉", report: "举报", suggestion: "意见建议",
  praise: "表扬",
};
export const URGENCY = { normal: "一般", urgent: "紧急" };
export const TICKET_SOURCES = {
  phone: "电话", web: "网站", province: "省平台", rating_followup: "差评跟进", console: "控制台",
};
export const TICKET_STATUS = {
  received: "已受理", dispatched: "已派单", signed: "已签收", handling: "办理中",
  replied: "已回复", return_requested: "退单审核中", closed: "已办结", revisited: "已回访",
  archived: "已归档", merged: "已并单", transferred: "已转办",
};
// 延期 of a ticket: a request left undecided when the ticket left the department lapses.
export const EXTENSION_STATUS = {
  requested: "已申请，待热线中心审核", approved: "已批准", refused: "未批准", lapsed: "未经审核，已失效",
};
export const EXCLUDED = {
  emergency: "紧急警情（110/119/120/122）", litigation: "诉讼、仲裁、复议",
  petition: "信访事项", secret: "涉及国家秘密",
};

export const APPLICATION_STATUS = {
  received: "已收件", awaiting_materials: "待补正", in_review: "审查中",
  review_supplement: "审查补正中", suspended: "特别程序中", approved: "准予许可",
  rejected: "不予许可", refused: "不予受理", delivered: "已送达", finished: "已办结",
};
// 送达: how the applicant wants the result (行政许可法 art. 44; DOMAIN.md: window or free post).
export const DELIVERY_METHODS = { pickup: "窗口领取", postal: "免费邮寄" };
export const APPOINTMENT_STATUS = {
  booked: "已预约", attended: "已到场", no_show: "未到场", cancelled: "已取消",
};

export const STAGES = {
  sign: "签收", contact: "联系", handle: "办理", feedback: "反馈", revisit: "回访",
  acceptance: "受理决定", reply: "答复", supervision: "督办", checkback: "回访核查",
  review: "审查", intake: "受理", rectification: "整改", rectify: "整改", proposal: "提出方案",
  resolution: "解决", visit: "走访", progress: "月度进展", confirmation: "企业确认",
  handling: "办理", delivery: "送达",
};
export const CLOCK_STATE = {
  running: "计时中", paused: "已暂停", completed: "已完成", cancelled: "已取消",
  overdue: "已超时",
};

export const LEVELS = { 5: "非常满意", 4: "满意", 3: "基本满意", 2: "不满意", 1: "非常不满意" };
export const ESCALATION = { 1: "一级（责任单位一把手）", 2: "二级（营商局催办）", 3: "三级（营商委通报）" };

export const RECTIFICATION_STATUS = {
  awaiting_callback: "待回访核实", awaiting_classification: "待分类", rectifying: "整改中",
  invalid_review: "无效差评审核", unfixable_review: "无法整改审核",
  awaiting_feedback: "整改完成待反馈", awaiting_verdict: "待评价整改",
  awaiting_spot_check: "待抽查回访", closed: "已办结",
};

// 好差评 records (svc-ratings ratings/models.py CHANNELS, SOURCES; appeals/models.py).
export const RATING_CHANNELS = {
  window_pad: "窗口评价器", sms: "短信链接", web: "网站", app: "移动端", hotline: "12345回访",
  comprehensive: "综合点评", supervision: "监督查评", system: "默认评价",
};
export const RATING_NODES = { accept: "受理", finish: "办结", revisit: "回访" };
export const RATING_SOURCES = { invitation: "评价邀请", hotline: "12345回访", province: "省平台推送", default: "默认评价" };
export const RATER_TYPES = { person: "个人", legal_person: "企业（法人）" };
export const APPEAL_STATES = { pending: "待复核", upheld: "申诉成立", rejected: "已驳回" };

// 暗访 and 三为主 (svc-complaints inspections/machine.py FindingClass, FindingState;
// enforcement/schemas.py Kind).
export const FINDING_CLASSES = { dishonest: "不诚信", irregular: "不规范", unaccountable: "不担当" };
export const FINDING_STATES = { open: "整改中", rectified: "已整改待验证", closed: "已销号" };
export const ENFORCEMENT_KINDS = { service: "服务", education: "教育（提醒告诫、责令改正）", penalty: "处罚" };

// 涉企侵权投诉 (svc-complaints cases/vocabulary.py: CATEGORY_LABELS, EXCLUSION_LABELS, NoteKind).
export const COMPLAINT_CATEGORIES = {
  improper_enforcement: "不当执法造成损失", approval_delay: "审批中推诿拖延、吃拿卡要",
  arbitrary_charges: "乱收费、乱罚款、乱摊派", forced_purchase: "强制购买、指定供应商",
  inaction: "不作为", policy_not_delivered: "惠企政策不兑现", unpaid_bills: "拖欠企业账款",
  forced_participation: "强制参加评比、培训、订阅", other: "其他",
};
export const COMPLAINT_EXCLUSIONS = {
  litigation: "已进入诉讼程序", arbitration: "已进入仲裁程序", reconsideration: "已申请行政复议",
  petition: "已通过信访渠道处理", civil_dispute: "企业之间的民事纠纷", not_infringement: "不属于公职机构侵权事项",
};
// What a staff member may tell the enterprise, as a start for the referral (告知的解决途径) of
// each matter the center does not take; the member edits it to the case.
export const COMPLAINT_REFERRALS = {
  litigation: "该事项已进入诉讼程序，请通过受理法院依法主张权利。",
  arbitration: "该事项已进入仲裁程序，请通过仲裁机构依法解决。",
  reconsideration: "该事项已申请行政复议，请等待复议机关的复议决定。",
  petition: "该事项已按信访渠道处理，请向受理的信访部门了解办理情况。",
  civil_dispute: "企业之间的民事纠纷，可协商解决，或申请人民调解、仲裁，或向人民法院起诉。",
  not_infringement: "该事项不属于公职机构侵权，可拨打12345政务服务便民热线反映。",
};
// Where a complaint came from (svc-complaints Source); the center registers walk-ins and calls.
export const COMPLAINT_SOURCES = {
  walk_in: "来访", phone: "来电", web: "网上（中心录入）", public_form: "网上投诉",
  hotline: "12345转办", province: "省平台推送", inspection: "暗访发现",
};
export const COMPLAINT_NOTE_KINDS = {
  decision: "受理决定", reply: "单位答复", result: "反馈结果", revisit: "回访", investigation: "调查核实",
  review: "审核退回", dispute: "企业异议", urge: "催办", checkback: "回访核查", progress: "告知企业",
};
// The enterprise's answer to the result and how the case ended (svc-complaints Verdict,
// steps.py outcome).
export const COMPLAINT_VERDICTS = { confirmed: "确认办理结果", disputed: "有异议" };
export const COMPLAINT_OUTCOMES = {
  resolved: "企业确认，办结", closed_after_dispute: "企业有异议，督办后办结", not_accepted: "不予受理",
};

export const CASE_KINDS = {
  ticket: "12345工单", application: "办件", case: "投诉案件", finding: "暗访问题",
  problem: "企业诉求交办单", pairing: "挂帮走访", rectification: "差评整改", duty: "坐班",
  inspection: "暗访", visit: "走访", meeting: "联席会议",
};

// 非公有制经济服务中心 (svc-visits): the registry, pairings (挂帮), visits (走访), problems
// (诉求/交办单) and hall duty (坐班).
export const SCALES = { above_scale: "规模以上工业企业（规上）", above_limit: "限额以上批零住餐企业（限上）", other: "其他" };
export const LEADER_RANKS = { county_leader: "县领导", department_cadre: "部门干部" };
export const PAIRING_STATES = { active: "挂帮中", ended: "已结束" };
export const VISIT_CHANNELS = { on_site: "实地走访", phone: "电话走访", video: "视频连线" };
export const PROBLEM_STATES = { raised: "待交办", assigned: "已交办", signed: "已签收", contacted: "已联系企业", in_progress: "办理中", solved: "待企业确认", closed: "已销号" };
export const PROBLEM_SOURCES = { visit: "走访发现", duty: "坐班发现", direct: "中心登记", meeting: "联席会议交办" };
export const PROBLEM_CATEGORIES = {
  policy: "政策兑现", financing: "融资", land: "用地", labour: "用工", approval: "审批服务",
  infrastructure: "水电路气讯", market: "市场开拓", legal: "法律与权益保护", technology: "科技创新", other: "其他",
};
export const MEETING_KINDS = { review: "定期研判", warning: "定时预警", diagnosis: "靶向问诊" };
export const DUTY_STATES = { scheduled: "已排班", on_duty: "坐班中", completed: "已完成", cancelled: "已取消" };
export const DUTY_OUTCOMES = { answered: "当场答复", handled: "当场办结", referred: "转办（窗口或部门）", problem: "形成交办单" };

export const UNITS = {
  working_days: "工作日", working_hours: "工作小时", natural_days: "自然日",
  natural_hours: "小时", natural_minutes: "分钟", natural_seconds: "秒",
};

export const DOCUMENT_KINDS = { policy: "政策法规", procedure: "办事流程", fee_standard: "收费标准" };
export const ITEM_TYPES = {
  licensing: "行政许可", payment: "行政给付", confirmation: "行政确认", adjudication: "行政裁决",
  reward: "行政奖励", other_power: "其他行政权力", public_service: "公共服务",
};
export const CHANNELS = {
  window: "窗口办理", online: "网上通办", province_wide: "全省通办", cross_province: "跨省通办",
};
// The catalogue's other codes (svc-approvals catalog/models.py: HandlingKind, CrossProvinceMode;
// trips_needed 0/1, online_depth 1–4).
export const HANDLING_KINDS = { promised: "承诺件", instant: "即办件" };
export const TRIPS = { 1: "最多跑一次", 0: "零跑腿" };
export const CROSS_PROVINCE_MODES = { full_online: "全程网办", proxy: "异地代收代办", multi_site: "多地联办" };
export const ONLINE_DEPTHS = { 1: "一级（网上公开）", 2: "二级（表格下载）", 3: "三级（网上预审）", 4: "四级（全程网办）" };
// 权责清单 power types: the service's codes are these words (disclosure/schemas.py PowerType).
export const POWER_TYPES = ["行政许可", "行政处罚", "行政强制", "行政征收", "行政给付", "行政检查",
  "行政确认", "行政奖励", "行政裁决", "其他行政权力"];
// A published record's history (svc-approvals history.py: created | updated | retired).
export const RECORD_CHANGES = { created: "新增", updated: "修改", retired: "停用" };
// A catalogue entry (事项, 一件事) is offered (active) or retired; an application is 在办, not it.
export const CATALOGUE_STATES = { active: "在用", retired: "已停用" };
// How an application came in (svc-approvals SubmitChannel), not an item's channels above.
export const SUBMIT_CHANNELS = { window: "窗口", online: "网上申请", mail: "邮寄", cross_province: "跨省通办" };
// How an enterprise confirmed a problem solved (svc-visits ConfirmChannel).
export const CONFIRM_CHANNELS = { phone: "电话", on_site: "现场", written: "书面确认", sms: "短信" };
// How a department first contacted the enterprise of a 交办单 (svc-visits ContactChannel, 联系).
export const CONTACT_CHANNELS = { phone: "电话", on_site: "上门", video: "视频" };

const FIELDS = {
  enterprise: "企业信息", title: "标题", content: "内容", type: "类型", phone: "联系电话", name: "姓名",
  location: "地点", category_code: "分类", department: "部门", note: "说明", reason: "理由",
  answer: "答复内容", body: "回复内容", level: "满意度", comment: "意见", days: "延期天数",
  username: "用户名", password: "密码", number: "编号", query_code: "查询码",
  facts: "事实与诉求", category: "类别", respondent: "被投诉单位", uscc: "统一社会信用代码",
  enterprise_name: "企业名称", enterprise_uscc: "统一社会信用代码", contact_name: "联系人",
  contact_phone: "联系电话", amount: "时限", unit: "单位", applicant: "申请人",
  id_no: "身份证号", item: "事项", reply: "答复", result: "办理结果", verdict: "评价",
  classification: "分类", missing: "缺少的材料", materials: "材料", window_code: "受理窗口",
  hall_code: "服务大厅", into_ticket_id: "并入工单", recovered_amount: "挽回金额", claimed_amount: "涉及金额",
  bill_due_date: "账款约定支付日期", category_other: "其他类别说明", confirmed_by: "确认人", proposal: "解决方案",
  resolution: "解决情况", text: "进展", percent: "完成比例", tracking_number: "邮件单号", postal_address: "邮寄地址",
  exclusion: "不予受理原因", referral: "解决途径", rater_type: "评价人类型", scores: "分项评价",
  industry: "所属行业", park: "所在园区", scale: "企业规模", address: "地址", tags: "标签",
  enterprise_id: "企业", pairing_id: "挂帮关系", leader_name: "领导姓名", leader_staff_no: "领导工号",
  leader_title: "领导职务", leader_rank: "领导类别", starts_on: "开始日期", ends_on: "结束日期",
  visited_on: "走访日期", channel: "方式", participants: "参加人员", summary: "情况", description: "诉求描述",
  resolution_due: "解决时限", hall: "大厅", date: "日期", start: "开始时间", end: "结束时间",
  outcome: "处理结果", problem: "诉求", received_from: "受理起始日期", received_to: "受理截止日期",
  code: "代码", lead_department: "牵头单位", co_departments: "配合单位", owner_name: "指标长",
  owner_staff_no: "指标长工号", owner_title: "指标长职务", target: "目标", target_value: "目标值",
  target_unit: "目标单位", period: "评价期", score: "评分", rank: "排名", rank_of: "参评县数",
  indicator_code: "关联指标", indicator_codes: "研判指标", held_on: "会议日期", chaired_by: "主持人",
  chair_title: "主持人职务", minutes: "研判情况", decisions: "决定事项",
  conducted_on: "暗访日期", team: "暗访组成员", scope: "暗访范围", findings: "发现的问题",
  finding_class: "问题类型", deadline_days: "整改期限", acted_on: "执法日期",
  first_offence_waived: "首违不罚", fine_amount: "罚款金额",
  item_type: "事项类型", handling_kind: "办件类型", statutory_limit: "法定时限", committed_limit: "承诺时限",
  trips_needed: "跑动次数", fee_cents: "收费金额", fee_basis: "收费依据", steps: "办理流程",
  online_depth: "网办深度", channels: "办理渠道", cross_province_mode: "跨省通办模式",
  supervision_phone: "监督电话", item_codes: "套餐事项", fee_waivers: "收费减免", waiver: "减免内容",
  item_code: "事项", kind: "类别", doc_number: "文号", legal_basis: "法律依据", effective_on: "施行日期",
  power_type: "权力类型", duties: "责任事项", accountability: "追责情形", situation: "追责情形",
  basis: "依据", copies: "份数",
  from: "起始日期", to: "截止日期", date_from: "起始日期", date_to: "截止日期", source: "来源",
  not_accepted: "不予受理",
};

export function fieldLabel(field) {
  return FIELDS[field] || field || "内容";
}

/** Label of a code in a vocabulary, or the code itself when the vocabulary lacks it. */
export function label(vocabulary, code) {
  if (code === null || code === undefined || code === "") return "—";
  return vocabulary[code] || String(code);
}
