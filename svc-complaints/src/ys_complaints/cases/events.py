"""Payloads of a case's events, built from the case row (no identity: ``ys_complaints.events``)."""

from collections.abc import Callable
from typing import Any

from yingshang.clock import now
from yingshang.events.envelope import CloudEvent, make_event
from ys_complaints import events as ev
from ys_complaints.access import Audience
from ys_complaints.cases.confidentiality import redactor
from ys_complaints.cases.models import CASE_KIND, ComplaintCase
from ys_complaints.cases.vocabulary import CATEGORY_LABELS, CHANNELS, Category, Source

PREFIX = f"ys.{ev.SERVICE}.{CASE_KIND}"
ITEM_NAME_MAX = 200  # the ratings service keeps a 事项名称 of up to 200 characters


def common(case: ComplaintCase) -> dict[str, Any]:
    return {
        "case_id": str(case.id),
        "case_number": case.number,
        "department": case.department,
        "origin_client": case.origin_client,
    }


def case_key(case: ComplaintCase) -> str:
    """CloudEvents ``subject``: the ordering key ``case/<id>``."""
    return f"{CASE_KIND}/{case.id}"


def _closed(case: ComplaintCase, data: dict[str, Any]) -> ev.CaseEvent:
    origin = ev.Origin(ticket_id=str(case.origin_ticket_id)) if case.origin_ticket_id else None
    return ev.Closed(
        **common(case),
        received_at=case.received_at,
        closed_at=case.closed_at or now(),
        outcome=case.outcome,
        origin=origin,
    )


def rated_item(case: ComplaintCase) -> str:
    """What the enterprise rates (好差评's 事项): the category and the complaint's title, as the
    unit complained about may read it (the enterprise's identity redacted) — "其他" alone
    would not tell the complainant which of its complaints the rating is about."""
    title = redactor(case, Audience.REDACTED).text(case.title)
    return f"{CATEGORY_LABELS[Category(case.category)]}：{title}"[:ITEM_NAME_MAX]


def _completed(case: ComplaintCase, data: dict[str, Any]) -> ev.CaseEvent:
    return ev.Completed(
        **common(case),
        item_name=rated_item(case),
        staff_no=data.get("staff_no"),
        channel=CHANNELS[Source(case.source)],
    )


_BUILDERS: dict[str, Callable[[ComplaintCase, dict[str, Any]], ev.CaseEvent]] = {
    "created": lambda c, d: ev.Created(
        **common(c),
        received_at=c.received_at,
        source=c.source,
        category=c.category,
        respondent=c.respondent,
        real_name=c.real_name,
    ),
    # the respondent named at 受理 is set with the state change (``steps.accept``)
    "accepted": lambda c, d: ev.Accepted(
        **common(c), category=c.category, respondent=d["respondent"]
    ),
    "rejected": lambda c, d: ev.Rejected(**common(c), exclusion=c.exclusion),
    "assigned": lambda c, d: ev.Assigned(**common(c), respondent=c.respondent),
    "investigated": lambda c, d: ev.Investigated(**common(c), investigated_at=now()),
    "replied": lambda c, d: ev.Replied(**common(c), replied_at=c.replied_at or now()),
    "sent_back": lambda c, d: ev.SentBack(**common(c), sent_back_at=now()),
    "resolved": lambda c, d: ev.Resolved(**common(c), resolved_at=c.resolved_at or now()),
    "disputed": lambda c, d: ev.Disputed(**common(c), dispute_count=c.dispute_count),
    "revisited": lambda c, d: ev.Revisited(
        **common(c), dispute_count=c.dispute_count, revisited_at=now()
    ),
    "reopened": lambda c, d: ev.Reopened(**common(c), dispute_count=c.dispute_count),
    "checked_back": lambda c, d: ev.CheckedBack(
        **common(c),
        checked_back_at=c.checked_back_at or now(),
        retaliation_found=bool(c.retaliation_found),
    ),
    "closed": _closed,
    "completed": _completed,
}


def payload(case: ComplaintCase, name: str, data: dict[str, Any] | None = None) -> ev.CaseEvent:
    """The payload of event ``name`` for ``case`` after a step (``data``: its details)."""
    return _BUILDERS[name](case, data or {})


def event(case: ComplaintCase, name: str, data: dict[str, Any] | None = None) -> CloudEvent:
    """A complete CloudEvent (for events published besides a transition's own)."""
    return make_event(
        ev.SERVICE, f"{PREFIX}.{name}", payload(case, name, data), subject=case_key(case)
    )
