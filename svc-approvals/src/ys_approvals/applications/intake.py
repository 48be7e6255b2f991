"""Intake (收件): submission, 补正 at intake, numbers and query codes.

行政许可法 art. 32: incomplete materials → tell the applicant everything missing at once;
the time limit starts only from the day after complete materials arrive (DOMAIN.md).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from yingshang.auth import HALL, Principal
from yingshang.cases import numbers, timeline
from yingshang.clock import SHANGHAI, now
from yingshang.events.envelope import make_event
from yingshang.events.outbox import enqueue
from yingshang.problems import Forbidden, Invalid, NotFound, named_in_body
from ys_approvals.applications import events, notices, timing
from ys_approvals.applications.models import CASE_KIND, Application, ApplicationPart
from ys_approvals.applications.schemas import ApplicantType, ApplicationIn, SubmitChannel
from ys_approvals.catalog.models import HandlingKind, ServiceItem
from ys_approvals.catalog.service import get_by_ref
from ys_approvals.halls.models import Hall, Window
from ys_approvals.halls.service import get_window, window_takes
from ys_approvals.packages.models import ItemPackage
from ys_approvals.packages.service import combined_materials, get_package, package_items


@dataclass
class Target:
    """What is applied for: one item, or a package of items."""

    code: str
    name: str
    department: str
    handling_kind: str
    statutory_limit: int
    committed_limit: int
    trips_needed: int
    required: list[str]
    listed: list[str]  # every material on the list, required or not
    items: list[tuple[ServiceItem, str | None]]  # item and its fee waiver
    package: ItemPackage | None = None


async def resolve_target(session: AsyncSession, body: ApplicationIn) -> Target:
    if body.package is not None:
        with named_in_body("package"):
            package = await get_package(session, body.package)
        items = await package_items(session, package)
        waivers = {w["item_code"]: w["waiver"] for w in package.fee_waivers}
        materials = combined_materials(package, items)
        return Target(
            code=package.code,
            name=package.name,
            department=package.lead_department,
            handling_kind=HandlingKind.promised,
            statutory_limit=package.statutory_limit,
            committed_limit=package.committed_limit,
            trips_needed=min(i.trips_needed for i in items),
            required=[m["name"] for m in materials if m.get("required", True)],
            listed=[m["name"] for m in materials],
            items=[(i, waivers.get(i.code)) for i in items],
            package=package,
        )
    with named_in_body("item"):
        item = await get_by_ref(session, body.item or "")
    if not item.active:
        raise Invalid("该事项已停止办理", field="item")
    return Target(
        code=item.code,
        name=item.name,
        department=item.department,
        handling_kind=item.handling_kind,
        statutory_limit=item.statutory_limit,
        committed_limit=item.committed_limit,
        trips_needed=item.trips_needed,
        required=item.required_materials(),
        listed=[str(m["name"]) for m in item.materials],
        items=[(item, None)],
    )


async def _window(
    session: AsyncSession, body: ApplicationIn, target: Target, actor: Principal
) -> tuple[Hall | None, Window | None]:
    """Window submissions name the hall and window; the clerk must sit at that window."""
    if body.channel != SubmitChannel.window:
        return None, None
    if not (body.hall_code and body.window_code):
        raise Invalid("窗口收件须选择服务大厅和受理窗口", field="window_code")
    with named_in_body("window_code"):
        window = await get_window(session, body.hall_code, body.window_code)
    hall = await session.get(Hall, window.hall_id)
    assert hall is not None
    if actor.is_client or not actor.has(None, hall.department):
        raise Forbidden("只有本大厅的工作人员可以在其窗口受理办件")
    only_clerk = not actor.has(("staff", "head"), hall.department)
    if only_clerk and actor.staff_no not in window.clerks:
        raise Forbidden(f"您没有被安排在窗口 {window.code}", code="not-at-window")
    for item, _ in target.items:
        if not await window_takes(session, window, item.id):
            raise Invalid(
                f"窗口 {window.code} 不受理“{item.name}”，请选择受理该事项的窗口",
                field="window_code",
            )
    return hall, window


def check_channel(body: ApplicationIn, actor: Principal) -> None:
    """Online and cross-province submissions come from integration clients (the provincial
    platform); staff take window and mail submissions."""
    online = body.channel in (SubmitChannel.online, SubmitChannel.cross_province)
    if actor.is_client and not online:
        raise Invalid("接口客户端只能提交网上申请或跨省通办申请", field="channel")
    if not actor.is_client and body.channel == SubmitChannel.online:
        raise Invalid("网上申请由省平台推送", field="channel")
    if actor.is_client and body.green_channel:
        # 绿色通道 is for key projects the hall designates, not a flag applicants set.
        raise Invalid("重点项目绿色通道由大厅工作人员设置", field="green_channel")


# Which of an item's channels (事项 ``channels``) let it arrive by each submission channel;
# window and mail submissions are taken for every item.
OFFERED_BY = {
    SubmitChannel.online: ("online", "province_wide"),  # 网上通办, 全省通办
    SubmitChannel.cross_province: ("cross_province",),  # 跨省通办
}


def check_item_channels(body: ApplicationIn, target: Target) -> None:
    """An item comes online or cross-province only where its catalog entry offers that."""
    wanted = OFFERED_BY.get(body.channel)
    if wanted is None:
        return
    refused = [i.name for i, _ in target.items if not set(wanted) & set(i.channels)]
    if refused:
        names = "、".join(refused)
        raise Invalid(f"以下事项不能通过 {body.channel} 渠道办理：{names}", field="channel")


def check_applicant(body: ApplicationIn, target: Target) -> None:
    """A legal person gives its 统一社会信用代码, unless what it applies for creates it (an item
    that registers the enterprise, or a package holding one, e.g. 开办企业一件事): a company
    being formed has no code yet. The error names the field and says why, in Chinese."""
    applicant = body.applicant
    if applicant.type != ApplicantType.legal_person or applicant.uscc:
        return
    if not any(item.registers_enterprise for item, _ in target.items):
        raise Invalid(
            "法人申请须填写统一社会信用代码（仅设立企业的事项可在取得代码前申请）",
            code="uscc-required",
            field="applicant.uscc",
        )


def check_materials(body: ApplicationIn, target: Target) -> None:
    """What was handed in is named as the item's (or package's) list names it: the 补正
    notice and the review read those names (一次性告知, 行政许可法 art. 32)."""
    unknown = [m for m in dict.fromkeys(body.materials) if m not in target.listed]
    if unknown:
        raise Invalid(
            f"材料清单上没有以下材料：{'、'.join(unknown)}。请按{target.name}的材料清单登记收到的材料",
            field="materials",
            unknown=unknown,
        )


async def next_number(session: AsyncSession, code: str) -> str:
    """办件编号 = implementation code + yyyyMMdd + 4-digit daily sequence."""
    day = now().astimezone(SHANGHAI).strftime("%Y%m%d")
    seq = await numbers.next_value(session, f"application:{code}:{day}")
    if seq > 9999:
        raise Invalid("该事项今日的办件编号已用完，请明日再办理或联系系统管理员", field="item")
    return f"{code}{day}{seq:04d}"


async def submit(
    session: AsyncSession, body: ApplicationIn, actor: Principal
) -> tuple[Application, str]:
    check_channel(body, actor)
    target = await resolve_target(session, body)
    check_item_channels(body, target)
    check_applicant(body, target)
    check_materials(body, target)
    hall, window = await _window(session, body, target, actor)
    code = numbers.new_query_code()
    app = _new_application(body, target, actor, hall, window)
    app.number = await next_number(session, target.code)
    app.query_code_hash = numbers.hash_query_code(code, salt=app.number)
    session.add(app)
    await session.flush()
    session.add_all(_parts(app, target))
    created = events.created(app)
    await enqueue(session, created)
    await timeline.append(
        session,
        case_kind=CASE_KIND,
        case_id=app.id,
        action="submit",
        actor=actor,
        to_state=app.state,
        data={"channel": app.channel, "window": events.window_ref(app)},
        event_id=created.id,
    )
    await _after_intake(session, app, actor)
    return app, code


def _new_application(
    body: ApplicationIn,
    target: Target,
    actor: Principal,
    hall: Hall | None,
    window: Window | None,
) -> Application:
    applicant = body.applicant
    received = set(body.materials)
    return Application(
        state="received",
        item_id=None if target.package else target.items[0][0].id,
        package_id=target.package.id if target.package else None,
        item_code=target.code,
        item_name=target.name,
        department=target.department,
        front_office=hall.department if hall else HALL,
        handling_kind=target.handling_kind,
        statutory_limit=target.statutory_limit,
        committed_limit=target.committed_limit,
        trips_needed=target.trips_needed,
        channel=body.channel,
        hall_code=hall.code if hall else None,
        window_code=window.code if window else None,
        staff_no=None if actor.is_client else actor.staff_no,
        origin_client=actor.client_id,
        green_channel=body.green_channel,
        applicant_type=applicant.type,
        applicant_name=applicant.name,
        applicant_id_no=applicant.id_no,
        applicant_phone=applicant.phone,
        enterprise_name=applicant.enterprise_name,
        uscc=applicant.uscc,
        materials_received=sorted(received),
        missing_materials=[m for m in target.required if m not in received],
        form=body.form,
        delivery_method=body.delivery_method,
        postal_address=body.postal_address,
        submitted_at=now(),
    )


def _parts(app: Application, target: Target) -> list[ApplicationPart]:
    return [
        ApplicationPart(
            application_id=app.id,
            item_id=item.id,
            item_code=item.code,
            item_name=item.name,
            department=item.department,
            fee_waiver=waiver,
        )
        for item, waiver in target.items
    ]


async def _after_intake(session: AsyncSession, app: Application, actor: Principal) -> None:
    """Complete materials start the clock now; otherwise the 补正 notice lists them all."""
    if app.missing_materials:
        app.state = "awaiting_materials"
        app.intake_notice_at = now()  # the one notice: a later answer starts the clock
        notice = make_event(
            events.SERVICE,
            f"{events.PREFIX}.supplement_requested",
            events.transition_data(app, stage="intake", missing=app.missing_materials),
            subject=app.case_key,
        )
        await enqueue(session, notice)
        await timeline.append(
            session,
            case_kind=CASE_KIND,
            case_id=app.id,
            action="request_materials",
            actor=actor,
            from_state="received",
            to_state=app.state,
            data={"missing": app.missing_materials},
            event_id=notice.id,
        )
        await notices.tell_applicant(
            session, app, notices.SUPPLEMENT, missing=app.missing_materials
        )
        return
    await materials_complete(session, app, actor)


async def materials_complete(session: AsyncSession, app: Application, actor: Principal) -> None:
    app.materials_complete_at = now()
    app.missing_materials = []
    if app.handling_kind == HandlingKind.promised:
        await timing.start(session, app, actor, app.materials_complete_at)
    await session.flush()


async def find_by_number(session: AsyncSession, number: str) -> Application:
    row = await session.execute(select(Application).where(Application.number == number))
    app = row.scalar_one_or_none()
    if app is None:
        raise NotFound("没有这个办件")
    return app
