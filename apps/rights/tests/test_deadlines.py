"""Time limits in working days on China's official calendar: weekends, the 2026 National Day
holiday with its make-up Saturday, the year end (the library stops at 2026) and staff's limits."""

import datetime
from unittest import mock
from zoneinfo import ZoneInfo

import pytest

from apps.rights.models import Category, Grade, Status, Step, TimeLimit
from apps.rights.selectors import time_limit_days
from apps.rights.services import case_transition
from apps.workdays.calendar import add_workdays, is_workday, overrides_changed
from apps.workdays.models import CalendarDay

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def on_day():
    """on_day(date): make the portal's 'today' that date (09:00 in Yiwu) inside the block."""

    def at(day: datetime.date):
        moment = datetime.datetime.combine(day, datetime.time(9, 0), tzinfo=SHANGHAI)
        return mock.patch.multiple("django.utils.timezone", now=lambda: moment, localdate=lambda value=None, timezone=None: day)

    return at


class TestCalendar:
    def test_friday_plus_one_working_day_is_monday(self):
        assert add_workdays(datetime.date(2026, 11, 20), 1) == datetime.date(2026, 11, 23)

    def test_national_day_week_is_skipped(self):
        assert is_workday(datetime.date(2026, 9, 30))
        assert not any(is_workday(datetime.date(2026, 10, d)) for d in range(1, 8))
        assert add_workdays(datetime.date(2026, 9, 30), 1) == datetime.date(2026, 10, 8)

    def test_make_up_saturday_after_national_day_is_a_working_day(self):
        # The library's 2026 schedule: Saturday 10 October is worked (调休).
        assert datetime.date(2026, 10, 10).weekday() == 5 and is_workday(datetime.date(2026, 10, 10))
        assert add_workdays(datetime.date(2026, 10, 9), 1) == datetime.date(2026, 10, 10)
        assert add_workdays(datetime.date(2026, 9, 30), 3) == datetime.date(2026, 10, 10)

    def test_year_end_falls_back_to_weekdays_until_staff_enter_2027(self):
        # The library covers years up to 2026: 2027-01-01 (a Friday) counts as a weekday...
        assert add_workdays(datetime.date(2026, 12, 31), 1) == datetime.date(2027, 1, 1)
        # ...until staff enter the New Year holiday as a CalendarDay row.
        CalendarDay.objects.create(date=datetime.date(2027, 1, 1), is_workday=False, note="元旦")
        overrides_changed()
        assert add_workdays(datetime.date(2026, 12, 31), 1) == datetime.date(2027, 1, 4)


class TestCaseDeadlines:
    def test_acceptance_limit_runs_over_the_weekend(self, make_case, on_day):
        with on_day(datetime.date(2026, 11, 20)):  # a Friday
            case = make_case()
        assert case.due_on == datetime.date(2026, 11, 25)  # Mon, Tue, Wed

    def test_acceptance_limit_runs_over_national_day_to_the_make_up_saturday(self, make_case, on_day):
        with on_day(datetime.date(2026, 9, 30)):
            case = make_case()
        assert case.due_on == datetime.date(2026, 10, 10)

    def test_acceptance_limit_across_the_year_end_and_a_staff_override(self, make_case, on_day):
        with on_day(datetime.date(2026, 12, 30)):
            before = make_case()
        assert before.due_on == datetime.date(2027, 1, 4)  # Dec 31, Jan 1 (weekday fallback), Jan 4
        CalendarDay.objects.create(date=datetime.date(2027, 1, 1), is_workday=False, note="元旦")
        overrides_changed()
        with on_day(datetime.date(2026, 12, 30)):
            after = make_case()
        assert after.due_on == datetime.date(2027, 1, 5)

    def test_numbers_follow_the_year_of_submission(self, make_case, on_day):
        with on_day(datetime.date(2026, 12, 31)):
            last = make_case()
        with on_day(datetime.date(2027, 1, 4)):
            first = make_case()
        assert last.number.startswith("WQ2026-")
        assert first.number == "WQ2027-000001"

    def test_grade_and_staff_limits_decide_the_handling_deadline(self, make_case, rights_officer, on_day):
        TimeLimit.objects.filter(category=Category.WAGE_ARREARS, grade=Grade.VERY_COMPLEX, step=Step.MEDIATION).update(workdays=7)
        with on_day(datetime.date(2026, 11, 16)):  # a Monday
            case = make_case()
            case = case_transition(case=case, target=Status.ACCEPTED, actor=rights_officer, grade=Grade.VERY_COMPLEX)
            case = case_transition(case=case, target=Status.MEDIATION, actor=rights_officer)
        assert case.due_on == datetime.date(2026, 11, 25)  # 7 working days after Monday 16th

    def test_a_deleted_limit_falls_back_to_the_default(self):
        TimeLimit.objects.filter(category=Category.OTHER, grade=Grade.GENERAL, step=Step.ACCEPT).delete()
        assert time_limit_days(category=Category.OTHER, grade=Grade.GENERAL, step=Step.ACCEPT) == 3

    def test_the_data_migration_entered_every_limit(self):
        assert TimeLimit.objects.count() == len(Category) * len(Grade) * len(Step)
        assert TimeLimit.objects.get(category=Category.WORK_INJURY, grade=Grade.DIFFICULT, step=Step.ARBITRATION).workdays == 60
