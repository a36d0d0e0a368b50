"""Two approvals of one member's claims at the same moment on PostgreSQL: the cap holds, the
second pays only what is left."""

import threading
from decimal import Decimal

import pytest
from django.db import connection

from apps.core.models import Allowance, AllowanceEntry
from apps.mutualaid.models import Claim, Status
from apps.mutualaid.services import claim_transition

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_concurrent_approvals_over_the_cap(member, enrol, make_claim, mutual_office):
    enrol(member)
    # each pays 5,000 + 12,000 + 23,100 = 40,100 alone; together over the 50,000 cap
    first = make_claim(member, status=Status.CHECKED, out_of_pocket=Decimal("64000"), insurance_paid=Decimal("0"))
    second = make_claim(member, status=Status.CHECKED, out_of_pocket=Decimal("64000"), insurance_paid=Decimal("0"))
    barrier = threading.Barrier(2)
    failures = []

    def approve(claim):
        try:
            barrier.wait(timeout=10)
            claim_transition(claim=claim, target=Status.APPROVED, actor=mutual_office)
        except Exception as exc:  # reported below: a thread must never die silently
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(c,)) for c in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert failures == []
    amounts = sorted(Claim.objects.filter(pk__in=[first.pk, second.pk]).values_list("payable_amount", flat=True))
    assert amounts == [Decimal("9900.00"), Decimal("40100.00")]
    year = first.enrolment.year
    type_row = Allowance.objects.get(key=f"mutualaid.cap:member={member.pk}:year={year}:type=hospital")
    all_row = Allowance.objects.get(key=f"mutualaid.cap:member={member.pk}:year={year}:type=all")
    assert (type_row.used, type_row.capacity) == (Decimal("50000.00"), Decimal("50000.00"))
    assert all_row.used == Decimal("50000.00") and all_row.member_id == member.pk and all_row.year == year
    assert AllowanceEntry.objects.filter(ref__startswith="mutualaid.claim:").count() == 4
    late = Claim.objects.get(payable_amount=Decimal("9900.00"))
    assert any("本项目年度限额" in line["label"] for line in late.calculation)
