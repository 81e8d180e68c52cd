"""Chinese working days: statutory holidays and their make-up working days (调休).

chinesecalendar carries the State Council's schedule for the years it knows; for a year it
does not know yet, an editable table of overrides (date → working or not) decides, and
weekends otherwise — and callers are told the year was not covered, so a page can say so.
"""

from collections.abc import Mapping
from datetime import date, timedelta

import chinese_calendar  # type: ignore[import-untyped]


def covered(year: int) -> bool:
    """Whether chinesecalendar knows the year's holidays."""
    try:
        chinese_calendar.is_workday(date(year, 1, 2))
    except NotImplementedError:
        return False
    return True


def is_working_day(day: date, overrides: Mapping[date, bool] | None = None) -> bool:
    """An override first; then the official schedule; for an uncovered year, Monday–Friday."""
    if overrides and day in overrides:
        return overrides[day]
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        return day.weekday() < 5


def add_working_days(start: date, days: int, overrides: Mapping[date, bool] | None = None) -> date:
    """The date `days` working days after `start` (`start` itself not counted): a result
    confirmed on a Friday before the Spring Festival is due after the holiday, counting the
    make-up Sunday as a working day."""
    day, left = start, days
    while left > 0:
        day += timedelta(days=1)
        if is_working_day(day, overrides):
            left -= 1
    return day


def working_days_between(
    start: date, end: date, overrides: Mapping[date, bool] | None = None
) -> int:
    """Working days after `start` up to and including `end` (negative if end is earlier)."""
    if end < start:
        return -working_days_between(end, start, overrides)
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        count += is_working_day(day, overrides)
    return count
