"""The morning digest: each rights officer gets by email what falls due today."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from apps.accounts import roles
from apps.rights.models import RightsCase, Status
from apps.rights.tasks import rights_due_digest_send

pytestmark = pytest.mark.django_db


def due(case, days, handler=None):
    RightsCase.objects.filter(pk=case.pk).update(
        due_on=timezone.localdate() + datetime.timedelta(days=days), handler=handler
    )


def test_each_officer_gets_their_due_and_overdue_cases_and_the_unassigned_ones(make_case, staff_of):
    first, second = staff_of(roles.RIGHTS), staff_of(roles.RIGHTS)
    first.email, second.email = "a@yiwu-union.local", "b@yiwu-union.local"
    first.save()
    second.save()
    no_email = staff_of(roles.RIGHTS)
    outsider = staff_of(roles.ECONOMIC)
    outsider.email = "econ@yiwu-union.local"
    outsider.save()
    today_first, late_first, tomorrow_second, today_nobody, closed = (make_case() for _ in range(5))
    due(today_first, 0, first)
    due(late_first, -3, first)
    due(tomorrow_second, 1, second)
    due(today_nobody, 0)
    due(no_email_case := make_case(), 0, no_email)
    closed = make_case(Status.CLOSED)
    RightsCase.objects.filter(pk=closed.pk).update(handler=first)

    assert rights_due_digest_send() == 2
    by_address = {m.to[0]: m for m in mail.outbox}
    assert set(by_address) == {"a@yiwu-union.local", "b@yiwu-union.local"}
    to_first = by_address["a@yiwu-union.local"]
    assert "今日到期 1 件，已超期 1 件" in to_first.subject
    assert today_first.number in to_first.body and late_first.number in to_first.body
    assert today_nobody.number in to_first.body and "尚未指定承办人" in to_first.body
    assert closed.number not in to_first.body and no_email_case.number not in to_first.body
    to_second = by_address["b@yiwu-union.local"]
    assert tomorrow_second.number not in to_second.body  # due tomorrow: tomorrow's digest
    assert today_nobody.number in to_second.body
    assert f"/admin/rights/rightscase/{today_first.pk}/change/" in to_first.body


def test_nothing_due_sends_nothing(make_case, rights_officer):
    due(make_case(), 2, rights_officer)
    assert rights_due_digest_send() == 0
    assert mail.outbox == []
