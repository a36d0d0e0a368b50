"""Numbers per month and town/street, on screen and in Excel."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from apps.accounts import roles
from apps.membership.models import JoinRequest, JoinStatus, TransferStatus
from apps.membership.selectors import membership_numbers
from apps.membership.services import (
    join_request_submit,
    join_request_transition,
    transfer_request,
    transfer_transition,
)
from tests.factories import EmployerFactory, OfficerFactory, town

pytestmark = pytest.mark.django_db


def _at(day, hour=10):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@pytest.fixture
def year_of_numbers(applicant, employer, member, officer):
    decider = OfficerFactory(union=employer.union).user
    days = [2, 4, 10]
    for n, days_to_decide in enumerate(days):
        request = join_request_submit(**applicant(960 + n, employer=employer))
        to = JoinStatus.DECLINED if n == 2 else JoinStatus.APPROVED
        join_request_transition(join_request=request, to=to, by=decider, note="x")
        JoinRequest.objects.filter(pk=request.pk).update(
            submitted_at=_at(datetime.date(2026, 3, 2)), decided_at=_at(datetime.date(2026, 3, 2 + days_to_decide)),
        )
    join_request_submit(**applicant(970, employer=EmployerFactory(town_street=town("beiyuan"))))
    JoinRequest.objects.filter(status=JoinStatus.PENDING).update(submitted_at=_at(datetime.date(2026, 4, 1)))
    new_employer = EmployerFactory(town_street=town("jiangdong"))
    transfer = transfer_request(member=member, by=officer, to_employer=new_employer)
    transfer_transition(transfer=transfer, to=TransferStatus.COMPLETED, by=OfficerFactory(union=new_employer.union).user)
    transfer.__class__.objects.filter(pk=transfer.pk).update(finished_at=_at(datetime.date(2026, 4, 20)))


def test_numbers_per_month_and_town(year_of_numbers):
    rows = {(r.month, r.town_street.code): r for r in membership_numbers(year=2026)}
    march = rows[(datetime.date(2026, 3, 1), "choucheng")]
    assert (march.requests, march.approved, march.declined, march.median_days) == (3, 2, 1, 4.0)
    april = rows[(datetime.date(2026, 4, 1), "beiyuan")]
    assert (april.requests, april.approved, april.transfers) == (1, 0, 0)
    assert rows[(datetime.date(2026, 4, 1), "jiangdong")].transfers == 1
    assert membership_numbers(year=2025) == []
    only_beiyuan = membership_numbers(year=2026, town_street_id=town("beiyuan").pk)
    assert [r.town_street.code for r in only_beiyuan] == ["beiyuan"]


def test_stats_page_and_excel_export(client, year_of_numbers, organisation):
    client.force_login(organisation)
    url = reverse("admin:membership_joinrequest_stats")
    page = client.get(url, {"year": 2026}).content.decode()
    assert "2026-03" in page and "稠城街道" in page
    response = client.get(url, {"year": 2026, "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("月份", "镇街", "入会申请")
    assert ("2026-03", "稠城街道", 3, 2, 1, 4, 0) in rows


def test_stats_are_for_federation_staff_only(client, officer, staff_of):
    url = reverse("admin:membership_joinrequest_stats")
    client.force_login(officer)
    assert client.get(url).status_code == 403
    client.force_login(staff_of(roles.RIGHTS))
    assert client.get(url).status_code == 403
    client.force_login(staff_of(roles.LEADERSHIP))
    assert client.get(url).status_code == 200


def test_numbers_use_no_postgresql_only_sql(year_of_numbers):
    """The statistics page runs on SQLite too (make run's default): no PERCENTILE_CONT or
    EXTRACT(EPOCH ...) in what it asks the database."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        rows = membership_numbers(year=2026)
    assert rows
    sql = " ".join(q["sql"] for q in queries.captured_queries).upper()
    assert "PERCENTILE_CONT" not in sql and "EXTRACT(EPOCH" not in sql
