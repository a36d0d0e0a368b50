import datetime

import pytest

from apps.workdays.calendar import (
    add_workdays,
    is_workday,
    overrides_changed,
    workdays_between,
)
from apps.workdays.models import CalendarDay

pytestmark = pytest.mark.django_db
D = datetime.date


def test_weekend_is_skipped():
    assert add_workdays(D(2026, 11, 20), 1) == D(2026, 11, 23)  # Friday -> Monday
    assert workdays_between(D(2026, 11, 20), D(2026, 11, 23)) == 1


def test_national_day_and_its_make_up_saturday():
    assert not is_workday(D(2026, 10, 1))
    assert is_workday(D(2026, 10, 10))  # make-up working Saturday (调休)
    # 30 September + 3 working days: 8 and 9 October, then Saturday 10 October.
    assert add_workdays(D(2026, 9, 30), 3) == D(2026, 10, 10)


def test_year_end_into_a_year_the_library_does_not_know_yet():
    # 2027 is not in chinesecalendar 1.11: plain weekdays unless staff enter the holidays.
    assert add_workdays(D(2026, 12, 31), 1) == D(2027, 1, 1)
    CalendarDay.objects.create(date=D(2027, 1, 1), is_workday=False, note="元旦")
    overrides_changed()
    assert add_workdays(D(2026, 12, 31), 1) == D(2027, 1, 4)


def test_staff_override_wins_over_the_library():
    CalendarDay.objects.create(date=D(2026, 11, 23), is_workday=False, note="测试")
    overrides_changed()
    assert not is_workday(D(2026, 11, 23))


def test_zero_and_negative():
    assert add_workdays(D(2026, 11, 25), 0) == D(2026, 11, 25)
    with pytest.raises(ValueError):
        add_workdays(D(2026, 11, 25), -1)
    assert workdays_between(D(2026, 11, 25), D(2026, 11, 20)) == 0
