"""Working days, time limits (时限) and the escalation ladder (督办).

Services call the engine in their own transaction and mount the routers and the sweeper::

    from yingshang import time as deadlines

    stage = await deadlines.start_stage(session, service="hotline", case_kind="ticket", ...)
    await deadlines.pause(session, stage, actor=principal, reason="补正")
    create_service_app(settings, routers=[deadlines.policies_router("hotline"),
                                          deadlines.calendar_router("hotline")],
                       components=[deadlines.sweeper_component(hooks=[...])])
"""

from yingshang.time.arithmetic import Instant, Measure, Unit
from yingshang.time.calendar import HolidayYear, OfficeHours, WorkCalendar
from yingshang.time.deadlines import (
    cancel,
    complete_stage,
    due_for,
    extend,
    get_stage,
    open_stage,
    pause,
    recompute_provisional,
    restart,
    resume,
    stage_data,
    stages_of,
    start_stage,
    supervise,
    supervise_case,
    supervision_level,
)
from yingshang.time.events import DEADLINE_EVENTS, DEADLINE_TIMELINE, register_deadline_events
from yingshang.time.models import CalendarYear, DeadlineStage, Policy
from yingshang.time.policies import (
    PolicyIn,
    find_policy,
    policies_router,
    require_policy,
    seed_policies,
)
from yingshang.time.store import configure_office_hours, current_calendar
from yingshang.time.sweep_batch import Firing
from yingshang.time.sweeper import DeadlineSweeper, FiringHook, sweeper_component
from yingshang.time.terms import Duration, LadderLevel, PolicyTerms, default_ladder
from yingshang.time.years import calendar_router, load_year, years_without_data

__all__ = [
    "DEADLINE_EVENTS",
    "DEADLINE_TIMELINE",
    "CalendarYear",
    "DeadlineStage",
    "DeadlineSweeper",
    "Duration",
    "Firing",
    "FiringHook",
    "HolidayYear",
    "Instant",
    "LadderLevel",
    "Measure",
    "OfficeHours",
    "Policy",
    "PolicyIn",
    "PolicyTerms",
    "Unit",
    "WorkCalendar",
    "calendar_router",
    "cancel",
    "complete_stage",
    "configure_office_hours",
    "current_calendar",
    "default_ladder",
    "due_for",
    "extend",
    "find_policy",
    "get_stage",
    "load_year",
    "open_stage",
    "pause",
    "policies_router",
    "recompute_provisional",
    "register_deadline_events",
    "require_policy",
    "restart",
    "resume",
    "seed_policies",
    "stage_data",
    "stages_of",
    "start_stage",
    "supervise",
    "supervise_case",
    "supervision_level",
    "sweeper_component",
    "years_without_data",
]
