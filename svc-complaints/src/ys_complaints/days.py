"""The county's calendar day (Asia/Shanghai) and request dates that must already have come.

A bill's due date, the day evidence was produced, the day an enforcement action was taken or
an inspection (暗访) conducted are all facts that have happened: a later day is a typing
error (or, for a bill, one not yet due: no arrears to complain about). ``PlausibleDate`` bounds
the years (1900–2199); ``PastOrToday`` adds "not after today" on the injectable clock.
"""

from datetime import date
from typing import Annotated

from pydantic import AfterValidator

from yingshang.clock import now
from yingshang.time.calendar import local_date
from yingshang.validators import PlausibleDate


def today() -> date:
    """Today in the county (Asia/Shanghai), from the injectable clock."""
    return local_date(now())


def not_after_today(day: date) -> date:
    """``ValueError`` for a day after the county's today."""
    current = today()
    if day > current:
        raise ValueError(f"a day not after today ({current}, Asia/Shanghai)")
    return day


PastOrToday = Annotated[PlausibleDate, AfterValidator(not_after_today)]
