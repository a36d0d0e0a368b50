"""Two staff approving at the same moment, two members taking the last place: PostgreSQL
threads. Exactly one succeeds each time; the ledger never holds more than the limit."""

import datetime
import threading
from decimal import Decimal

import pytest
from django.db import connection

from apps.aid.models import Application, Enrolment, HealthProgramme, ProgrammeKind, ProgrammeQuota, QuotaScope, Status
from apps.aid.services import application_transition, programme_enrol, yearly_key
from apps.core.limits import LimitExceeded, allowance_used
from tests.factories import MemberFactory, UserFactory

from .conftest import make_campaign, today

pytestmark = pytest.mark.django_db(transaction=True)


def race(*calls):
    """Run each call in its own thread, released together; returns (successes, errors)."""
    barrier = threading.Barrier(len(calls))
    results, errors = [], []

    def run(call):
        try:
            barrier.wait(timeout=10)
            results.append(call())
        except Exception as exc:  # collected for the assertions
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results, errors


def approve(application, actor, amount):
    return lambda: application_transition(application=application, target=Status.APPROVED, actor=actor, amount=amount)


def test_two_approvals_that_would_exceed_the_budget(student_aid, make_application, aid_staff, second_staff):
    campaign = student_aid.campaign
    campaign.budget = Decimal("1500")
    campaign.save()
    first = make_application(MemberFactory(user=UserFactory()), student_aid, Status.CHECKED)
    second = make_application(MemberFactory(user=UserFactory()), student_aid, Status.CHECKED)

    results, errors = race(approve(first, aid_staff, Decimal("1000")), approve(second, second_staff, Decimal("1000")))

    assert len(results) == 1 and len(errors) == 1
    assert isinstance(errors[0], LimitExceeded) and "活动预算" in errors[0].message
    assert allowance_used(campaign.budget_key) == Decimal("1000")
    assert Application.objects.filter(status=Status.APPROVED).count() == 1
    assert Application.objects.filter(status=Status.CHECKED).count() == 1


def test_two_approvals_that_would_exceed_one_members_yearly_limit(student_aid, policy, make_application, aid_staff, second_staff):
    from apps.aid.models import AidType, AmountRow, CampaignKind

    policy.yearly_limit = Decimal("1500")
    policy.save()
    member = MemberFactory(user=UserFactory())
    other_type = AidType.objects.create(campaign=make_campaign(CampaignKind.WINTER, student_aid.campaign.year),
                                        name="冬季助学", facts="student")
    AmountRow.objects.create(aid_type=other_type, amount=Decimal("1000"))
    first = make_application(member, student_aid, Status.CHECKED)
    second = make_application(member, other_type, Status.CHECKED)

    results, errors = race(approve(first, aid_staff, Decimal("1000")), approve(second, second_staff, Decimal("1000")))

    assert len(results) == 1 and len(errors) == 1
    assert isinstance(errors[0], LimitExceeded) and "年度救助限额" in errors[0].message
    assert allowance_used(yearly_key(member.pk, student_aid.campaign.year)) == Decimal("1000")


def test_two_enrolments_for_the_last_screening_place(db):
    year = today().year
    programme = HealthProgramme.objects.create(
        kind=ProgrammeKind.SCREENING, year=year, title="两癌筛查", starts_on=today() - datetime.timedelta(days=1),
        ends_on=today() + datetime.timedelta(days=30), min_age=20, max_age=64, quota_scope=QuotaScope.TOWN,
    )
    women = [MemberFactory(user=UserFactory(), gender="F") for _ in range(2)]
    ProgrammeQuota.objects.create(programme=programme, town_street=women[0].town_street, places=1)
    assert women[1].town_street_id == women[0].town_street_id

    results, errors = race(*[
        (lambda m=m: programme_enrol(programme=programme, member=m, actor=m.user)) for m in women
    ])

    assert len(results) == 1 and len(errors) == 1
    assert isinstance(errors[0], LimitExceeded) and errors[0].message == "超出名额：剩余 0。"
    assert Enrolment.objects.count() == 1
