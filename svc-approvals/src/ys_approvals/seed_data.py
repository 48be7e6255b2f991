"""Default data of the county hall: items, the 开办企业 package, disclosure, policies.

Limits are working days; committed limits default to 40% of the statutory (DOMAIN.md) unless
an entry sets its own. Departments are codes of ``deploy/seed/county.yaml`` (``TAX``, the
county tax bureau, is listed there after the 27 as a vertically managed body).
"""

from __future__ import annotations

from typing import Any

BASIC_DOCS = [{"name": "申请人身份证明"}]
ENTERPRISE_DOCS = [{"name": "营业执照副本"}, {"name": "法定代表人身份证明"}]

# (key, no, name, department, type, kind, statutory, committed|None, trips, channels, extra)
ITEMS: list[dict[str, Any]] = [
    {
        "key": "company_registration",
        "no": 101,
        "name": "企业设立登记（营业执照）",
        "department": "SCJGJ",
        "item_type": "licensing",
        "registers_enterprise": True,  # the company being formed has no credit code yet
        "statutory_limit": 15,
        "trips_needed": 0,
        "channels": ["window", "online", "province_wide"],
        "online_depth": 4,
        "materials": [
            {"name": "公司登记（备案）申请书"},
            {"name": "公司章程"},
            {"name": "股东主体资格证明"},
            {"name": "住所使用证明"},
        ],
    },
    {
        "key": "food_business",
        "no": 102,
        "name": "食品经营许可",
        "department": "SCJGJ",
        "item_type": "licensing",
        "statutory_limit": 20,
        "trips_needed": 1,
        "channels": ["window", "online"],
        "online_depth": 3,
        "materials": [
            {"name": "食品经营许可申请书"},
            {"name": "营业执照复印件"},
            {"name": "经营场所平面图"},
            {"name": "食品安全管理制度"},
        ],
    },
    {
        "key": "sole_trader",
        "no": 103,
        "name": "个体工商户登记",
        "department": "SCJGJ",
        "item_type": "licensing",
        "statutory_limit": 15,
        "trips_needed": 0,
        "channels": ["window", "online", "cross_province"],
        "cross_province_mode": "full_online",
        "online_depth": 4,
        "materials": [{"name": "个体工商户登记申请书"}, *BASIC_DOCS],
    },
    {
        "key": "seal_engraving",
        "no": 201,
        "name": "公章刻制备案",
        "department": "GAJ",
        "item_type": "other_power",
        "statutory_limit": 5,
        "committed_limit": 1,
        "trips_needed": 0,
        "channels": ["window", "online"],
        "online_depth": 3,
        "fee_free": False,
        "fee_cents": 20000,
        "fee_basis": "刻制单位市场调节价（新办企业首套免费）",
        "materials": [*ENTERPRISE_DOCS, {"name": "印章刻制申请表"}],
    },
    {
        "key": "tax_invoice",
        "no": 301,
        "name": "税务登记及发票申领",
        "department": "TAX",
        "item_type": "other_power",
        "statutory_limit": 10,
        "trips_needed": 0,
        "channels": ["window", "online", "province_wide"],
        "online_depth": 4,
        "materials": [*ENTERPRISE_DOCS, {"name": "纳税人首次办税补充信息表"}],
    },
    {
        "key": "social_security",
        "no": 401,
        "name": "单位社会保险参保登记",
        "department": "RSJ",
        "item_type": "confirmation",
        "handling_kind": "instant",
        "statutory_limit": 5,
        "trips_needed": 0,
        "channels": ["window", "online", "province_wide"],
        "online_depth": 4,
        "materials": [*ENTERPRISE_DOCS, {"name": "社会保险登记表"}],
    },
    {
        "key": "construction_permit",
        "no": 501,
        "name": "建筑工程施工许可证核发",
        "department": "ZJJ",
        "item_type": "licensing",
        "statutory_limit": 15,
        "trips_needed": 1,
        "channels": ["window", "online"],
        "online_depth": 3,
        "materials": [
            {"name": "建筑工程施工许可证申请表"},
            {"name": "建设工程规划许可证"},
            {"name": "施工合同"},
            {"name": "质量安全监督手续"},
        ],
    },
    {
        "key": "resale_housing",
        "no": 601,
        "name": "二手房转移登记",
        "department": "ZRZYJ",
        "item_type": "confirmation",
        "statutory_limit": 30,
        "trips_needed": 1,
        "channels": ["window", "province_wide"],
        "online_depth": 2,
        "fee_free": False,
        "fee_cents": 8000,
        "fee_basis": "不动产登记费：住宅每件80元（发改价格规〔2016〕2559号）",
        "materials": [
            {"name": "不动产登记申请书"},
            {"name": "不动产权证书"},
            {"name": "房屋买卖合同"},
            {"name": "完税凭证"},
            *BASIC_DOCS,
        ],
    },
    {
        "key": "road_transport",
        "no": 701,
        "name": "道路货物运输经营许可",
        "department": "JTJ",
        "item_type": "licensing",
        "statutory_limit": 20,
        "trips_needed": 1,
        "channels": ["window", "online"],
        "online_depth": 3,
        "materials": [{"name": "道路货物运输经营申请表"}, {"name": "车辆行驶证"}, *BASIC_DOCS],
    },
    {
        "key": "medical_institution",
        "no": 801,
        "name": "医疗机构执业登记",
        "department": "WJJ",
        "item_type": "licensing",
        "statutory_limit": 45,
        "trips_needed": 1,
        "channels": ["window"],
        "online_depth": 2,
        "materials": [
            {"name": "医疗机构执业登记申请书"},
            {"name": "房屋产权证明"},
            {"name": "医疗机构规章制度"},
        ],
    },
    {
        "key": "water_permit",
        "no": 901,
        "name": "取水许可",
        "department": "SWJ",
        "item_type": "licensing",
        "statutory_limit": 45,
        "trips_needed": 1,
        "channels": ["window"],
        "online_depth": 2,
        "materials": [{"name": "取水许可申请书"}, {"name": "建设项目水资源论证报告"}],
    },
    {
        "key": "pension_enrolment",
        "no": 402,
        "name": "城乡居民养老保险参保登记",
        "department": "RSJ",
        "item_type": "public_service",
        "handling_kind": "instant",
        "statutory_limit": 1,
        "trips_needed": 0,
        "channels": ["window", "online", "cross_province"],
        "cross_province_mode": "proxy",
        "online_depth": 4,
        "materials": BASIC_DOCS,
    },
]

# 开办企业 "一件事": registration + seals (five seals free) + tax + social security.
PACKAGES: list[dict[str, Any]] = [
    {
        "code": "KBQY",
        "name": "开办企业一件事",
        "lead_department": "SCJGJ",
        "committed_limit": 1,
        "items": ["company_registration", "seal_engraving", "tax_invoice", "social_security"],
        "description": "营业执照、公章刻制、税务登记及发票申领、社保登记"
        "一次申请、并联办理、一次办结",
        "materials": [
            {"name": "开办企业一件事申请表"},
            {"name": "公司章程"},
            {"name": "股东主体资格证明"},
            {"name": "住所使用证明"},
        ],
        "fee_waivers": {
            "seal_engraving": "新办企业免费刻制公章、财务章、发票章、合同章、法人名章5枚"
        },
    },
]

DOCUMENTS: list[dict[str, Any]] = [
    {
        "kind": "policy",
        "title": "中华人民共和国行政许可法",
        "department": "HALL",
        "doc_number": "主席令第七号",
        "body": "规范行政许可的设定和实施……",
        "legal_basis": "全国人民代表大会常务委员会",
    },
    {
        "kind": "policy",
        "title": "优化营商环境条例",
        "department": "BUREAU",
        "doc_number": "国务院令第722号",
        "body": "持续优化营商环境，不断解放和发展社会生产力……",
    },
    {
        "kind": "procedure",
        "title": "开办企业一件事办理流程",
        "department": "HALL",
        "body": "一次告知、一表申请、一窗受理、并联审批、一次办结、免费邮寄。",
    },
    {
        "kind": "fee_standard",
        "title": "不动产登记收费标准",
        "department": "ZRZYJ",
        "body": "住宅类不动产登记费每件80元；小微企业免收。",
        "legal_basis": "发改价格规〔2016〕2559号",
    },
]

POWERS: list[dict[str, Any]] = [
    {
        "department": "SCJGJ",
        "power_type": "行政许可",
        "name": "食品经营许可",
        "legal_basis": "《中华人民共和国食品安全法》第三十五条",
        "duties": "受理、审查、决定、送达、事后监管",
        "accountability": [{"situation": "对符合法定条件的申请不予受理的"}],
    },
    {
        "department": "ZJJ",
        "power_type": "行政许可",
        "name": "建筑工程施工许可证核发",
        "legal_basis": "《中华人民共和国建筑法》第七条",
        "duties": "受理、审查、决定、送达",
        "accountability": [{"situation": "对不符合条件的申请人准予许可的"}],
    },
]

_WD = "working_days"
POLICIES: list[dict[str, Any]] = [
    # The amount is a fallback: each application is held to its item's committed limit.
    {
        "case_kind": "application",
        "stage": "handling",
        "urgency": "normal",
        "amount": 8,
        "unit": _WD,
        "warning_fraction": 0.75,
        "description": "办件承诺时限（按事项）",
    },
    # 绿色通道 for key projects: its own, shorter limit (caps the item's committed limit).
    {
        "case_kind": "application",
        "stage": "handling",
        "urgency": "green",
        "amount": 3,
        "unit": _WD,
        "warning_fraction": 0.6,
        "description": "绿色通道重点项目时限",
    },
    # 行政许可法 art. 44, 82: the licence granted is issued and delivered within ten working
    # days of the decision (a county may promise less, e.g. on the green channel).
    {
        "case_kind": "application",
        "stage": "delivery",
        "urgency": "normal",
        "amount": 10,
        "unit": _WD,
        "warning_fraction": 0.75,
        "description": "准予许可后颁发、送达证件时限",
    },
    {
        "case_kind": "application",
        "stage": "delivery",
        "urgency": "green",
        "amount": 10,
        "unit": _WD,
        "warning_fraction": 0.6,
        "description": "绿色通道准予许可后送达时限",
    },
]

# Windows of the county hall that take dedicated items (others: comprehensive).
WINDOW_ITEMS = {
    "W05": [
        "company_registration",
        "seal_engraving",
        "tax_invoice",
        "social_security",
        "sole_trader",
        "food_business",
    ],
    "W06": ["construction_permit"],
    "W07": ["resale_housing"],
    "W08": ["social_security", "pension_enrolment"],
    "W09": ["tax_invoice"],
}
COMPREHENSIVE_KINDS = ("intake", "assist")
# The departments the demo data names, for a bare checkout without deploy/seed/county.yaml.
BUILTIN_DEPARTMENTS: list[dict[str, Any]] = [
    {"code": "BUREAU", "name": "营商环境建设局", "kind": "coordinating"},
    {"code": "HALL", "name": "政务服务中心", "kind": "coordinating"},
    {"code": "GAJ", "name": "公安局", "kind": "department"},
    {"code": "RSJ", "name": "人力资源和社会保障局", "kind": "department"},
    {"code": "ZRZYJ", "name": "自然资源局", "kind": "department"},
    {"code": "ZJJ", "name": "住房和城乡建设局", "kind": "department"},
    {"code": "JTJ", "name": "交通运输局", "kind": "department"},
    {"code": "SWJ", "name": "水务局", "kind": "department"},
    {"code": "WJJ", "name": "卫生健康局", "kind": "department"},
    {"code": "SCJGJ", "name": "市场监督管理局", "kind": "department"},
    {"code": "TAX", "name": "国家税务总局凤冈县税务局", "kind": "department"},
]

BUILTIN_HALLS: list[dict[str, Any]] = [
    {
        "code": "HALL_COUNTY",
        "name": "县政务服务中心大厅",
        "dept": "HALL",
        "windows": [
            {"code": "W01", "name": "综合受理窗口1", "kind": "intake"},
            {"code": "W10", "name": "出件窗口", "kind": "delivery"},
        ],
    },
]
