"""Demo data and volume data of the awards: they load, and a second run adds nothing."""

import pytest
from django.core.management import call_command

from apps.awards import demo
from apps.awards.models import AwardKind, AwardProgramme, Nomination, NominationStatus
from tests.factories import MemberFactory, OfficerFactory

pytestmark = pytest.mark.django_db


def test_seed_demo_creates_programmes_and_nominations_once():
    call_command("seed_demo", verbosity=0)
    assert AwardProgramme.objects.filter(opens_on__isnull=False).count() == 3
    craftsman = AwardProgramme.objects.get(kind=AwardKind.CRAFTSMAN, opens_on__isnull=False)
    statuses = sorted(craftsman.nominations.values_list("status", flat=True))
    assert statuses == [NominationStatus.DRAFT, NominationStatus.SUBMITTED]
    call_command("seed_demo", verbosity=0)
    assert craftsman.nominations.count() == 2


def test_volume_spreads_nominations_and_never_repeats_a_member():
    OfficerFactory()
    MemberFactory.create_batch(30)
    assert demo.volume(nominations=20, year=2030) == 20
    assert demo.volume(nominations=20, year=2030) == 10
    programme = AwardProgramme.objects.get(kind=AwardKind.MOST_BEAUTIFUL_WORKER, year=2030)
    assert Nomination.objects.filter(programme=programme).values("member").distinct().count() == 30
