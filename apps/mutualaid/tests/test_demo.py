"""The generators: seed_demo adds a few mutual-aid records (again without duplicates);
volume writes a year of claims in batches, consistent with the cap ledger."""

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import F, Sum
from django.utils import timezone

from apps.core.models import Allowance
from apps.members.management.volume import volume_generate
from apps.mutualaid import demo
from apps.mutualaid.models import Claim, ClaimStatusChange, Enrolment, Scheme, Status

pytestmark = pytest.mark.django_db


def ledger_matches_claims():
    """The cap ledger holds what the approved and paid claims were granted, never over a cap."""
    rows = Allowance.objects.filter(key__startswith="mutualaid.cap:")
    assert rows.exists()
    for row in rows:
        code = row.key.rsplit("type=", 1)[1]
        claims = Claim.objects.filter(member_id=row.member_id, status__in=[Status.APPROVED, Status.PAID])
        if code != "all":
            claims = claims.filter(benefit__code=code)
        assert row.used == (claims.aggregate(total=Sum("payable_amount"))["total"] or Decimal("0"))
        assert row.used <= row.capacity


def test_seed_demo_is_idempotent(client):
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    today = timezone.localdate()
    assert set(Scheme.objects.values_list("year", flat=True)) == {today.year - 1, today.year}
    assert Claim.objects.count() == 1
    claim = Claim.objects.get()
    assert claim.receipts.count() == 1 and claim.member.user.username
    assert Enrolment.objects.filter(year=today.year).count() == 4
    from django.contrib.auth.models import User

    agency = User.objects.get(username="agency")
    client.force_login(agency)
    response = client.get("/admin/mutualaid/claim/")
    assert [c.pk for c in response.context["cl"].result_list] == [claim.pk]


def test_volume_writes_a_consistent_year(client, staff_of):
    volume_generate(members=120, seed=7)
    year = timezone.localdate().year - 1
    made = demo.volume(claims=600, year=year, seed_value=7)
    assert 400 <= made <= 600
    numbers = list(Claim.objects.values_list("number", flat=True))
    assert len(numbers) == len(set(numbers))
    assert ClaimStatusChange.objects.filter(to_status=Status.SUBMITTED).count() == made
    ledger_matches_claims()
    assert Claim.objects.filter(status=Status.PAID, paid_on__isnull=True).count() == 0
    assert not Claim.objects.exclude(benefit_code=F("benefit__code")).exists()
    # again: continues the numbering, adds no second enrolment
    enrolled = Enrolment.objects.filter(year=year).count()
    demo.volume(claims=50, year=year, seed_value=8)
    assert Enrolment.objects.filter(year=year).count() == enrolled
    ledger_matches_claims()
    client.force_login(staff_of("互助保障办公室"))
    assert client.get("/mutualaid/numbers/", {"year": year}).status_code == 200
