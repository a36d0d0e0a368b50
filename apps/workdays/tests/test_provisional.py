"""Deadlines in a year whose official calendar is not known are provisional, and are
recomputed (with history) when staff enter that year's days."""

import datetime
import uuid

import pytest
from django.utils import timezone

from apps.membership.models import JoinRequest, JoinRequestChange
from apps.membership.services import join_deadline
from apps.workdays.calendar import is_provisional, overrides_changed, year_known
from apps.workdays.models import CalendarDay, CalendarYear, DeadlineRecount
from apps.workdays.recount import deadlines_recount
from tests.factories import EmployerFactory, resident_id, town

pytestmark = pytest.mark.django_db
D = datetime.date
# A year no version of the pinned calendar library knows.
UNKNOWN = 2031


def join_request(submitted_on: datetime.date) -> JoinRequest:
    employer = EmployerFactory()
    at = timezone.make_aware(datetime.datetime.combine(submitted_on, datetime.time(10)))
    return JoinRequest.objects.create(
        name="陈雨桐", gender="F", document_number=resident_id(77), phone="13957900077", employer=employer,
        town_street=town("choucheng"), job="仓管", union=employer.union, consented_at=at, submitted_at=at,
        deadline=join_deadline(submitted_on), idempotency_key=uuid.uuid4(),
    )


def test_known_and_unknown_years():
    assert year_known(2026)
    assert not year_known(UNKNOWN)
    assert not is_provisional(D(2026, 12, 31))
    assert is_provisional(D(UNKNOWN, 1, 5))
    assert is_provisional(D(2026, 12, 31), start=D(2026, 12, 15)) is False


def test_entering_the_year_recomputes_open_deadlines_with_history(client, staff_of):
    request = join_request(D(UNKNOWN - 1, 12, 15))
    # Sunday 15 December 2030 + 15 working days, plain weekdays assumed (1 January counted)
    assert request.deadline == D(UNKNOWN, 1, 3)
    assert is_provisional(request.deadline)
    organisation = staff_of("组织部")
    client.force_login(organisation)
    response = client.post("/admin/workdays/calendarday/add/", {"date": f"{UNKNOWN}-01-01", "is_workday": "", "note": "元旦"})
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.deadline == D(UNKNOWN, 1, 6)  # Friday 3 January -> Monday 6 January
    note = JoinRequestChange.objects.filter(join_request=request).latest("at")
    assert f"{UNKNOWN}-01-03" in note.note and f"{UNKNOWN}-01-06" in note.note and note.actor == organisation
    recount = DeadlineRecount.objects.latest("at")
    assert recount.moved["membership.join_request"] == 1 and recount.actor == organisation
    # once the year is confirmed, deadlines in it are no longer provisional
    client.post("/admin/workdays/calendaryear/add/", {"year": UNKNOWN, "source": "国务院办公厅通知"})
    assert CalendarYear.objects.filter(year=UNKNOWN, confirmed_by=organisation).exists()
    assert not is_provisional(request.deadline)


def test_decided_requests_keep_their_deadline():
    request = join_request(D(UNKNOWN - 1, 12, 15))
    JoinRequest.objects.filter(pk=request.pk).update(status="approved")
    CalendarDay.objects.create(date=D(UNKNOWN, 1, 1), is_workday=False)
    overrides_changed()
    assert deadlines_recount(reason="test").moved["membership.join_request"] == 0
    request.refresh_from_db()
    assert request.deadline == D(UNKNOWN, 1, 3)


def test_open_rights_case_deadline_follows_the_calendar(staff_of):
    from apps.rights.models import RightsCase
    from apps.rights.services import case_submit

    case = case_submit(channel="online", category="wages", description="拖欠工资", worker_name="王小明",
                       worker_phone="13900001111", employer=EmployerFactory())
    # move the step's start into the unknown year's end
    start = timezone.make_aware(datetime.datetime(UNKNOWN - 1, 12, 29, 10))
    RightsCase.objects.filter(pk=case.pk).update(submitted_at=start)
    case.changes.update(at=start)
    deadlines_recount(reason="test")
    case.refresh_from_db()
    before = case.due_on
    CalendarDay.objects.create(date=D(UNKNOWN, 1, 1), is_workday=False)
    recount = deadlines_recount(reason="元旦")
    case.refresh_from_db()
    assert recount.moved["rights.case"] == 1
    assert case.due_on > before
    assert case.changes.filter(is_internal=True, note__contains="元旦").exists()


def test_admin_banner_from_november_until_next_year_is_known(client, staff_of, settings):
    from apps.workdays import context_processors

    client.force_login(staff_of("组织部"))
    page = client.get("/admin/").content.decode()
    today = timezone.localdate()
    expected = today.month >= 11 and not year_known(today.year + 1)
    assert ("尚未录入" in page) == expected
    assert context_processors.calendar_notice(type("R", (), {"path": "/", "user": None})()) == {}
