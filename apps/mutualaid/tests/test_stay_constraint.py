"""The same hospital stay claimed twice is refused by PostgreSQL itself (an exclusion
constraint over the member, the benefit type and the stay's dates), not only by the service."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from apps.mutualaid.models import Claim, Status

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]  # fails, never skips, on another database (conftest.py)


@pytest.fixture
def enrolled(member, enrol):
    enrol(member)
    return member


def raw_copy(claim, *, admitted_on, discharged_on, status=Status.SUBMITTED, benefit_code=None):
    """Insert a claim as a path that forgot the service's check would (no lock, no check)."""
    copy = Claim.objects.get(pk=claim.pk)
    copy.pk = None
    copy.number = f"{claim.number}X{admitted_on:%m%d}{status[:2]}"
    copy.idempotency_key = None
    copy.admitted_on, copy.discharged_on, copy.status = admitted_on, discharged_on, status
    copy.benefit_code = benefit_code or claim.benefit_code
    with transaction.atomic():
        Claim.objects.bulk_create([copy])
    return copy


def test_benefit_code_is_kept_on_the_claim(enrolled, make_claim):
    assert make_claim(enrolled).benefit_code == "hospital"


def test_raw_insert_of_an_overlapping_stay_is_refused(enrolled, make_claim):
    first = make_claim(enrolled, days_ago=30, stay=5)
    # sharing only the discharge day is still the same stay (closed range)
    for admitted, discharged in ((first.admitted_on + datetime.timedelta(days=2), first.discharged_on),
                                 (first.discharged_on, first.discharged_on + datetime.timedelta(days=3)),
                                 (first.admitted_on - datetime.timedelta(days=3), first.admitted_on)):
        with pytest.raises(IntegrityError, match="mutualaid_claim_stay_once"):
            raw_copy(first, admitted_on=admitted, discharged_on=discharged)
    assert Claim.objects.count() == 1


def test_constraint_lets_through_what_the_rules_allow(enrolled, make_claim):
    first = make_claim(enrolled, days_ago=30, stay=5)
    next_day = first.discharged_on + datetime.timedelta(days=1)
    raw_copy(first, admitted_on=next_day, discharged_on=next_day)  # a later stay
    raw_copy(first, admitted_on=first.admitted_on, discharged_on=first.discharged_on, benefit_code="critical")
    raw_copy(first, admitted_on=first.admitted_on, discharged_on=first.discharged_on, status=Status.DECLINED)
    assert Claim.objects.count() == 4


def test_the_service_still_gives_the_friendly_message(enrolled, make_claim):
    from apps.mutualaid import errors

    first = make_claim(enrolled, days_ago=30, stay=5)
    with pytest.raises(errors.StayClaimedTwice) as exc:
        make_claim(enrolled, days_ago=27, stay=1)
    assert str(exc.value) == f"这次住院（日期有重叠）已申请过，申请编号 {first.number}，不能重复申请。"
