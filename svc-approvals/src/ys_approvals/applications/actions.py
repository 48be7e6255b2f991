"""What staff do to an application after intake, each step one transition of the machine.

Every step writes, in the request's transaction: the new state, a timeline entry and the
outbox event(s) (``flow.step``); the clock follows (``timing``).
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from yingshang.auth import Principal
from yingshang.clock import now
from yingshang.events.outbox import enqueue
from yingshang.problems import Conflict, Forbidden, Invalid
from ys_approvals.applications import events, flow, intake, notices, rules, timing
from ys_approvals.applications.models import Application, ApplicationPart, PausedPeriod
from ys_approvals.applications.schemas import (
    DeliverIn,
    DeliveryMethod,
    ExtensionIn,
    NoteIn,
    ReasonIn,
    SupplementIn,
    SupplementRequestIn,
    SuspendIn,
)
from ys_approvals.applications.service import pauses_of
from ys_approvals.catalog.models import HandlingKind
from ys_approvals.halls.service import seat_of


async def request_supplement(
    session: AsyncSession,
    app: Application,
    body: SupplementRequestIn,
    actor: Principal,
    if_match: str | None,
) -> None:
    """补正: at intake it restarts the clock later; in review it pauses the clock.

    One 补正 round, one notice: at intake the applicant is told everything missing at once
    (一次性告知, 行政许可法 art. 32), at 收件 or by this step, and never again for that
    application — neither completed while unanswered nor repeated once answered (409
    ``intake-notice-given``), so one SMS lists it all and the time limit is not restarted.
    A new round is the review's: after the materials arrived and the application was 受理'd,
    the deciding department may ask again (审查补正, ``in_review`` only; its answer returns the
    application to review, where a further round may follow).
    """
    missing = sorted(set(body.missing))
    if app.state in ("received", "awaiting_materials"):
        if app.intake_notice_at is not None:
            raise Conflict(
                "已一次性告知申请人补正，同一申请不再重复告知；请待材料补齐后受理或不予受理，"
                "审查中确需补正的由审查部门发起审查补正",
                code="intake-notice-given",
            )
        await flow.step(
            session, app, "request_materials", actor, if_match, body.note, missing=missing
        )
        app.missing_materials = missing
        app.intake_notice_at = now()
        await timing.pause(session, app, actor, "intake 补正")
        await notices.tell_applicant(session, app, notices.SUPPLEMENT, missing=missing)
        return
    await flow.step(session, app, "request_supplement", actor, if_match, body.note, missing=missing)
    session.add(
        PausedPeriod(
            application_id=app.id,
            kind="review_supplement",
            started_at=now(),
            requested=missing,
            note=body.note,
        )
    )
    await timing.pause(session, app, actor, "review 补正")
    await notices.tell_applicant(session, app, notices.SUPPLEMENT, missing=missing)


async def receive_supplement(
    session: AsyncSession,
    app: Application,
    body: SupplementIn,
    actor: Principal,
    if_match: str | None,
) -> None:
    """The 补正 materials arrived: the ones asked for must be among those handed in now (a
    material asked for again because it was defective is already among the received ones:
    only its new copy completes the 补正). 422 names what is still missing."""
    brought = set(body.materials)
    received = sorted(set(app.materials_received) | brought)
    if app.state == "awaiting_materials":
        _check_brought(app.missing_materials, brought)
        await flow.step(
            session, app, "materials_received", actor, if_match, body.note, received=body.materials
        )
        app.materials_received = received
        await intake.materials_complete(session, app, actor)
        return
    if app.state == "review_supplement":
        _check_brought(await _requested_in_review(session, app), brought)
    await flow.step(
        session, app, "supplement_received", actor, if_match, body.note, received=body.materials
    )
    app.materials_received = received
    await _end_pause(session, app)
    await timing.resume(session, app, actor)


def _check_brought(requested: list[str], brought: set[str]) -> None:
    still = [m for m in requested if m not in brought]
    if still:
        raise Invalid(f"以下材料仍未补齐：{'、'.join(still)}", field="materials", missing=still)


async def _requested_in_review(session: AsyncSession, app: Application) -> list[str]:
    """What the open review 补正 asked for."""
    return [
        m
        for period in await pauses_of(session, app)
        if period.ended_at is None and period.kind == "review_supplement"
        for m in period.requested
    ]


async def _end_pause(session: AsyncSession, app: Application) -> None:
    for period in await pauses_of(session, app):
        if period.ended_at is None:
            period.ended_at = now()
    await session.flush()


async def accept(
    session: AsyncSession, app: Application, actor: Principal, if_match: str | None
) -> None:
    """受理: publishes the ``completed`` event of node ``accept`` (ratings invite).

    A 承诺件 only: a 即办件 has no time limit to run in review (never warned, never overdue,
    outside the on-time rate); it is decided and finished on the spot (409 otherwise)."""
    if app.handling_kind == HandlingKind.instant:
        raise Conflict(
            "即办件当场办结，不受理转入审查",
            code="instant-item",
        )
    await flow.step(session, app, "accept", actor, if_match, None)
    app.accepted_at = now()
    await enqueue(session, events.completed(app, "accept", actor))


async def refuse(
    session: AsyncSession,
    app: Application,
    body: ReasonIn,
    actor: Principal,
    if_match: str | None,
) -> None:
    """不予受理 with the reason (行政许可法 art. 32 (1)-(2)); the case closes."""
    await flow.step(session, app, "refuse", actor, if_match, body.reason, reason=body.reason)
    app.outcome, app.decision_reason = "refused", body.reason
    await timing.cancel(session, app, actor, "不予受理")
    await _close(session, app)


async def finish_on_the_spot(
    session: AsyncSession, app: Application, actor: Principal, if_match: str | None
) -> None:
    """即办件: accepted, decided and finished at the window in one visit.

    The record says what happened: working days counted from the day after complete
    materials, and on time only if finished on the county's day the materials were complete
    ("on the spot"). A 即办件 left for days is still finished here (it has no other way to
    办结) but counts as late in the statistics."""
    if app.handling_kind != HandlingKind.instant:
        raise Conflict("只有即办件可以当场办结", code="not-instant")
    await flow.step(session, app, "finish_on_the_spot", actor, if_match, None)
    at = now()
    app.accepted_at = app.decided_at = app.finished_at = at
    # in the one visit at the window that took it in, unless the clerk sits at another
    await _finished_at(session, app, actor, or_else=app.window_of("accept"))
    app.outcome = "approved"
    app.working_days_used = await timing.working_days_used(session, app, [], at)
    app.on_time = timing.same_county_day(app.materials_complete_at or app.submitted_at, at)
    await enqueue(session, events.completed(app, "accept", actor))
    await enqueue(session, events.completed(app, "finish", actor))
    await _close(session, app)


async def suspend(
    session: AsyncSession,
    app: Application,
    body: SuspendIn,
    actor: Principal,
    if_match: str | None,
) -> None:
    """听证/检验检测/专家评审 do not count (行政许可法 art. 45)."""
    await flow.step(session, app, "suspend", actor, if_match, body.note, kind=body.kind)
    session.add(
        PausedPeriod(application_id=app.id, kind=body.kind, started_at=now(), note=body.note)
    )
    await timing.pause(session, app, actor, body.kind)


async def resume(
    session: AsyncSession, app: Application, actor: Principal, if_match: str | None
) -> None:
    await flow.step(session, app, "resume", actor, if_match, None)
    await _end_pause(session, app)
    await timing.resume(session, app, actor)


async def request_extension(
    session: AsyncSession,
    app: Application,
    body: ExtensionIn,
    actor: Principal,
    if_match: str | None,
) -> None:
    if app.extension_days:
        raise Conflict("法定延期已批准过", code="extended-once")
    timing.require_clock(app)
    await flow.step(
        session, app, "request_extension", actor, if_match, body.reason, reason=body.reason
    )
    app.extension_request = {"reason": body.reason, "by": actor.staff_no, "at": now().isoformat()}


async def approve_extension(
    session: AsyncSession, app: Application, actor: Principal, if_match: str | None
) -> None:
    """+10 working days, the head's approval, and a notice to the applicant (art. 42)."""
    if not app.extension_request or app.extension_days:
        raise Conflict("没有待审核的延期申请", code="no-extension-request")
    timing.require_clock(app)
    reason = str(app.extension_request["reason"])
    await flow.step(
        session,
        app,
        "approve_extension",
        actor,
        if_match,
        reason,
        days=timing.STATUTORY_EXTENSION_DAYS,
    )
    app.extension_days = timing.STATUTORY_EXTENSION_DAYS
    app.extension_request = {**app.extension_request, "approved_by": actor.staff_no}
    await timing.extend(session, app, actor, reason)
    await notices.tell_applicant(session, app, notices.EXTENSION, days=app.extension_days)


def _my_part(parts: list[ApplicationPart], actor: Principal) -> ApplicationPart:
    mine = [
        p for p in parts if p.status == "pending" and actor.has(("staff", "head"), p.department)
    ]
    if not mine:
        raise Forbidden("该办件没有属于本部门且尚未决定的部分")
    return mine[0]


async def decide(
    session: AsyncSession,
    app: Application,
    parts: list[ApplicationPart],
    approve: bool,
    body: ReasonIn | NoteIn | None,
    actor: Principal,
    if_match: str | None,
) -> None:
    """A department decides its part; the application is approved when every part is,
    rejected as soon as one is (packages are dispatched in parallel). A refusal states its
    reason; an approval may carry a note, kept on the timeline."""
    if not approve and not isinstance(body, ReasonIn):
        raise Invalid("不予批准须说明理由", field="reason")
    flow.check_allowed(app, "approve" if approve else "reject", actor)
    part = _my_part(parts, actor)
    part.status = "approved" if approve else "rejected"
    part.decided_at, part.decided_by = now(), actor.staff_no
    part.reason = body.reason if isinstance(body, ReasonIn) else None
    note = part.reason or (body.note if isinstance(body, NoteIn) else None)
    pending = [p for p in parts if p.status == "pending"]
    if approve and pending:
        await flow.step(
            session,
            app,
            "decide_part",
            actor,
            if_match,
            note,
            item_code=part.item_code,
            decision=part.status,
        )
        return
    name = "approve" if approve else "reject"
    await flow.step(session, app, name, actor, if_match, note, item_code=part.item_code)
    app.decided_at, app.outcome = now(), "approved" if approve else "rejected"
    app.decision_reason = part.reason
    # The limit (行政许可法 art. 42) is the time to decide: the clock stops at the decision, not
    # at delivery, which has its own ten days for a licence granted (art. 44; none for a refusal).
    await timing.complete(session, app, actor, app.decided_at)
    if approve:
        await timing.start_delivery(session, app, actor, app.decided_at)
    pauses = await pauses_of(session, app)
    app.working_days_used = await timing.working_days_used(session, app, pauses, app.decided_at)


async def notify_pickup(
    session: AsyncSession, app: Application, actor: Principal, if_match: str | None
) -> None:
    """通知领取: the licence is ready at the window and the applicant is told by SMS. The body
    has done its part (art. 44): the delivery clock stops now, and the wait for the applicant
    to come is theirs; 送达 records the collection. Once, and not for a postal delivery (409)."""
    refused = rules.pickup_notice_refused(app)
    if refused is not None:
        code, why = refused
        raise Conflict(why, code=code)
    await flow.step(session, app, "notify_pickup", actor, if_match, None)
    app.pickup_ready_at = now()
    await timing.complete_delivery(session, app, actor, app.pickup_ready_at)
    await notices.tell_applicant(session, app, notices.PICKUP)


async def deliver(
    session: AsyncSession,
    app: Application,
    body: DeliverIn,
    actor: Principal,
    if_match: str | None,
) -> None:
    """送达: window pickup, or free postal delivery with its tracking number. Posting or
    handing over the licence stops its delivery clock, unless 通知领取 already did."""
    method = body.method or DeliveryMethod(app.delivery_method or "pickup")
    if method == DeliveryMethod.postal and not body.tracking_number:
        raise Invalid("邮寄送达须填写邮件单号", field="tracking_number")
    if method == DeliveryMethod.postal and not (body.postal_address or app.postal_address):
        raise Invalid("邮寄送达须填写邮寄地址", field="postal_address")
    await flow.step(
        session,
        app,
        "deliver",
        actor,
        if_match,
        None,
        method=method,
        tracking_number=body.tracking_number,
    )
    app.delivery_method, app.tracking_number = method, body.tracking_number
    app.postal_address = body.postal_address or app.postal_address
    app.delivered_at = now()
    await timing.complete_delivery(session, app, actor, app.delivered_at)


async def finish(
    session: AsyncSession, app: Application, actor: Principal, if_match: str | None
) -> None:
    """办结 after delivery (the clocks stopped at the decision and at delivery); publishes
    ``completed`` (node ``finish``) and ``closed``."""
    await flow.step(session, app, "finish", actor, if_match, None)
    app.finished_at = now()
    await _finished_at(session, app, actor)
    await enqueue(session, events.completed(app, "finish", actor))
    await _close(session, app)


async def _finished_at(
    session: AsyncSession,
    app: Application,
    actor: Principal,
    or_else: tuple[str, str] | None = None,
) -> None:
    """Record where 办结 happened: the window the finishing clerk sits at (the one that took
    the application in, if they sit at several), else ``or_else``. Only that window's pad
    offers the 办结 rating (DOMAIN.md, Ratings: the applicant rates the window that served
    them); finished at no window, the rating goes by SMS only."""
    seat = await seat_of(session, app.front_office, actor.staff_no, prefer=app.window_of("accept"))
    app.finish_hall_code, app.finish_window_code = seat or or_else or (None, None)


async def _close(session: AsyncSession, app: Application) -> None:
    if app.finished_at is None:
        app.finished_at = now()
    await session.flush()
    await enqueue(session, events.closed(app))
