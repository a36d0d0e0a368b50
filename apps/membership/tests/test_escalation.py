"""The 15-working-day limit of join requests, escalation to 组织部 and the flagged changelist."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.membership import tasks
from apps.membership.models import JoinRequest, JoinStatus
from apps.membership.services import (
    join_deadline,
    join_request_submit,
    join_request_transition,
    join_requests_escalate,
)
from tests.factories import OfficerFactory, resident_id

pytestmark = pytest.mark.django_db

FRIDAY = datetime.date(2025, 3, 7)  # no holiday in March 2025: only weekends are off


def _submitted_on(request, day):
    JoinRequest.objects.filter(pk=request.pk).update(
        submitted_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(10))),
        deadline=join_deadline(day),
    )
    request.refresh_from_db()
    return request


def test_deadline_counts_working_days_across_weekends():
    # Friday + 15 working days skips three weekends: Friday three weeks later.
    assert join_deadline(FRIDAY) == datetime.date(2025, 3, 28)
    # Over the Labour Day holiday (1-5 May 2025 off, Sunday 27 April a make-up working day).
    assert join_deadline(datetime.date(2025, 4, 25)) == datetime.date(2025, 5, 20)


def test_escalation_after_15_working_days_across_a_weekend(applicant, employer):
    request = _submitted_on(join_request_submit(**applicant(employer=employer)), FRIDAY)
    # 17 calendar days later, but only 11 working days: not late.
    assert join_requests_escalate(today=datetime.date(2025, 3, 24)) == 0
    # The 15th working day itself is still in time.
    assert join_requests_escalate(today=datetime.date(2025, 3, 28)) == 0
    request.refresh_from_db()
    assert request.escalated_at is None
    # The Saturday after: late, escalated once.
    assert join_requests_escalate(today=datetime.date(2025, 3, 29)) == 1
    assert join_requests_escalate(today=datetime.date(2025, 3, 31)) == 0
    request.refresh_from_db()
    assert request.escalated_at is not None
    change = request.changes.last()
    assert change.from_status == change.to_status == JoinStatus.PENDING and "组织部" in change.note


def test_decided_requests_are_not_escalated(applicant, employer):
    request = _submitted_on(join_request_submit(**applicant(employer=employer)), FRIDAY)
    join_request_transition(join_request=request, to=JoinStatus.DECLINED, by=OfficerFactory(union=employer.union).user, note="x")
    assert join_requests_escalate(today=datetime.date(2025, 4, 30)) == 0


def test_celery_task_escalates_overdue_requests(applicant, employer):
    _submitted_on(join_request_submit(**applicant(employer=employer)), FRIDAY)
    assert tasks.join_requests_escalate.delay().get() == 1
    assert JoinRequest.objects.filter(escalated_at__isnull=False).count() == 1


def test_changelist_lists_flagged_requests_first(client, applicant, employer, organisation):
    fresh = join_request_submit(**applicant(901, employer=employer))
    late = _submitted_on(join_request_submit(**applicant(902, name="赵一鸣", employer=employer)), FRIDAY)
    join_requests_escalate()
    client.force_login(organisation)
    response = client.get(reverse("admin:membership_joinrequest_changelist"))
    rows = list(response.context["cl"].result_list)
    assert [r.pk for r in rows] == [late.pk, fresh.pk]
    assert "督办" in response.content.decode()
    flagged = client.get(reverse("admin:membership_joinrequest_changelist"), {"flag": "escalated"})
    assert [r.pk for r in flagged.context["cl"].result_list] == [late.pk]


def _bulk_requests(union, town, start, count):
    today = timezone.localdate()
    JoinRequest.objects.bulk_create([
        JoinRequest(
            name=f"申请人{i}", gender="M", document_number=resident_id(start + i), phone=f"1370000{start + i:04d}",
            employer_name="某单位", town_street=town, job="工人", union=union, consented_at=timezone.now(),
            deadline=today - datetime.timedelta(days=i % 3), escalated_at=timezone.now() if i % 2 else None,
        )
        for i in range(count)
    ])


@pytest.mark.parametrize("persona", ["organisation", "officer"])
def test_changelist_query_count_is_flat(client, employer, organisation, persona):
    user = organisation if persona == "organisation" else OfficerFactory(union=employer.union).user
    client.force_login(user)
    url = reverse("admin:membership_joinrequest_changelist")
    _bulk_requests(employer.union, employer.town_street, 1000, 10)
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _bulk_requests(employer.union, employer.town_street, 2000, 190)
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)
    assert len(response.context["cl"].result_list) == 50
    assert len(large.captured_queries) == len(small.captured_queries)


def test_management_command_escalates(applicant, employer):
    import io

    from django.core.management import CommandError, call_command

    _submitted_on(join_request_submit(**applicant(employer=employer)), FRIDAY)
    out = io.StringIO()
    call_command("join_requests_escalate", "--today", "2025-03-28", stdout=out)
    assert "已上报 0 份" in out.getvalue()
    call_command("join_requests_escalate", "--today", "2025-03-31", stdout=out)
    assert "已上报 1 份" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("join_requests_escalate", "--today", "31/03/2025")


def test_escalation_tells_organisation_and_the_union_officer(applicant, employer, staff_of, mailoutbox,
                                                             django_capture_on_commit_callbacks, client):
    from apps.notify.models import StaffNotice

    organisation = staff_of("组织部")
    organisation.email = "zzb@yiwu-union.local"
    organisation.save()
    officer = OfficerFactory(union=employer.union).user
    officer.email = "chair@example.cn"
    officer.save()
    other_officer = OfficerFactory().user
    request = _submitted_on(join_request_submit(**applicant(employer=employer)), FRIDAY)
    with django_capture_on_commit_callbacks(execute=True):
        assert join_requests_escalate(today=datetime.date(2025, 3, 29)) == 1
    assert StaffNotice.objects.filter(user=organisation, read_at__isnull=True).count() == 1
    mine = StaffNotice.objects.get(user=officer)
    assert "1 份入会申请" in mine.title and request.masked_name in mine.body
    assert not StaffNotice.objects.filter(user=other_officer).exists()
    assert sorted(m.to[0] for m in mailoutbox) == ["chair@example.cn", "zzb@yiwu-union.local"]
    # a history row for the bulk flag, with the reason
    assert request.history.first().history_change_reason.startswith("超过15个工作日")
    client.force_login(officer)
    page = client.get("/admin/").content.decode()
    assert "1 条未读工作提醒" in page
    assert client.get(f"/admin/notify/staffnotice/{mine.pk}/change/").status_code == 200
    mine.refresh_from_db()
    assert mine.read_at is not None
    other = StaffNotice.objects.get(user=organisation)
    assert client.get(f"/admin/notify/staffnotice/{other.pk}/change/").status_code in (302, 403, 404)
