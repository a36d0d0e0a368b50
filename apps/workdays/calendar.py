"""The one working-day calendar of the portal (China's official calendar).

Order of authority for a date: a CalendarDay row staff entered, then the `chinesecalendar`
package (statutory holidays and make-up working weekends published by the State Council),
then, for a year the package does not cover yet, Monday to Friday. Every "within N working
days" of every app calls `add_workdays()` or `workdays_between()` here.
"""

import datetime
from functools import lru_cache

import chinese_calendar
from django.core.cache import cache

_CACHE_KEY = "workdays:overrides:v1"


def _overrides() -> dict[datetime.date, bool]:
    overrides = cache.get(_CACHE_KEY)
    if overrides is None:
        from .models import CalendarDay

        overrides = dict(CalendarDay.objects.values_list("date", "is_workday"))
        cache.set(_CACHE_KEY, overrides, 300)
    return overrides


def overrides_changed() -> None:
    """Call after CalendarDay or CalendarYear rows change so every process re-reads them."""
    cache.delete_many([_CACHE_KEY, _YEARS_KEY])


@lru_cache(maxsize=4096)
def _library_workday(day: datetime.date) -> bool | None:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return None


def library_covers(year: int) -> bool:
    return _library_workday(datetime.date(year, 6, 1)) is not None


_YEARS_KEY = "workdays:confirmed-years:v1"


def _confirmed_years() -> set[int]:
    years = cache.get(_YEARS_KEY)
    if years is None:
        from .models import CalendarYear

        years = set(CalendarYear.objects.values_list("year", flat=True))
        cache.set(_YEARS_KEY, years, 300)
    return years


def year_known(year: int) -> bool:
    """Whether the official calendar of `year` is known: in the library, or confirmed by staff
    after entering the State Council's schedule (CalendarYear)."""
    return library_covers(year) or year in _confirmed_years()


def is_provisional(day: datetime.date, start: datetime.date | None = None) -> bool:
    """A deadline is provisional when it, or the span counted to reach it, lies in a year
    whose official calendar is not known yet (plain weekdays were assumed)."""
    if day is None:
        return False
    first = start.year if start is not None else day.year
    return any(not year_known(y) for y in range(min(first, day.year), max(first, day.year) + 1))


def is_workday(day: datetime.date) -> bool:
    overrides = _overrides()
    if day in overrides:
        return overrides[day]
    known = _library_workday(day)
    if known is not None:
        return known
    return day.weekday() < 5


def add_workdays(start: datetime.date, count: int) -> datetime.date:
    """The date `count` working days after `start` (start itself not counted).

    `add_workdays(friday, 1)` is the next working Monday; count 0 gives `start` itself.
    """
    if count < 0:
        raise ValueError("count must not be negative")
    day = start
    remaining = count
    overrides = _overrides()
    while remaining:
        day += datetime.timedelta(days=1)
        if _is_workday_with(day, overrides):
            remaining -= 1
    return day


def _is_workday_with(day, overrides) -> bool:
    if day in overrides:
        return overrides[day]
    known = _library_workday(day)
    return known if known is not None else day.weekday() < 5


def workdays_between(start: datetime.date, end: datetime.date) -> int:
    """Working days after `start` up to and including `end` (0 when end <= start)."""
    if end <= start:
        return 0
    overrides = _overrides()
    count = 0
    day = start
    while day < end:
        day += datetime.timedelta(days=1)
        if _is_workday_with(day, overrides):
            count += 1
    return count
