"""Demo data (seed_demo) and a year of volume."""

import io

import pytest
from django.core.management import call_command
from django.db import models

from apps.counselling import demo
from apps.counselling.models import AnonymousRequest, Booking, Counsellor, Session, Slot, Studio
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def test_seed_demo_twice_gives_studios_counsellors_and_free_slots():
    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())
    assert Studio.objects.count() == 3
    assert set(Counsellor.objects.values_list("user__username", flat=True)) == {"counselling", "supervisor"}
    slots = Slot.objects.count()
    assert slots >= 8
    demo.seed()
    assert Slot.objects.count() == slots


def test_volume_writes_non_overlapping_sessions():
    MemberFactory.create_batch(5)
    report = demo.volume(sessions=600)
    assert report["sessions"] == 600
    assert Session.objects.count() == Booking.objects.count() == Slot.objects.count() == 600
    assert AnonymousRequest.objects.count() == 30
    assert Session.objects.exclude(notes="").count() == 60
    from django.db.models import Count

    from apps.counselling.models import SessionTopic

    per_session = Session.objects.annotate(n=Count("topics")).values_list("n", flat=True)
    assert min(per_session) >= 1 and max(per_session) == 2  # several categories for some sessions
    assert SessionTopic.objects.filter(session__booking__topic=models.F("topic")).count() == 600
    with pytest.raises(ValueError):
        demo.volume(sessions=0)
