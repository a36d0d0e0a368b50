"""Demo data from seed_demo and a stream of volume for the benchmark."""

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import Sum
from django.urls import reverse

from apps.aid.demo import volume
from apps.aid.models import Application, Campaign, HardshipFile, HealthProgramme, Status
from apps.core.models import Allowance
from tests.factories import MemberFactory

from .conftest import today

pytestmark = pytest.mark.django_db


def test_seed_demo_twice_gives_the_same_aid_records(client):
    call_command("seed_demo")
    call_command("seed_demo")
    assert Campaign.objects.filter(year=today().year).count() == 5
    assert HardshipFile.objects.count() == 1
    assert HealthProgramme.objects.count() == 3
    from apps.members.models import Member

    member = Member.objects.get(phone="13900000001")
    client.force_login(member.user)
    assert "金秋助学金" in client.get(reverse("aid:index")).content.decode()


def test_volume_streams_applications_with_a_consistent_ledger():
    # One to three aid types a member, drawn by a generator seeded by the year: 100 members
    # give room for 100 applications in any year (60 gave 99 in 2027).
    MemberFactory.create_batch(100)
    made = volume(year=today().year, applications=100, seed=7)
    assert made == 100 == Application.objects.count()
    numbers = sorted(Application.objects.values_list("number", flat=True))
    assert numbers[0].endswith("-000001") and numbers[-1].endswith("-000100")
    held = Application.objects.filter(status__in=[Status.APPROVED, Status.NOTICED, Status.PAID])
    for campaign in Campaign.objects.all():
        total = held.filter(campaign=campaign).aggregate(t=Sum("amount"))["t"] or Decimal("0")
        row = Allowance.objects.filter(key=campaign.budget_key).first()
        assert (row.used if row else Decimal("0")) == total
    assert volume(year=today().year, applications=50, seed=8) <= 50
