"""Demo data loads twice on an empty database (idempotent); volume makes what it says."""

import pytest
from django.core.management import call_command

from apps.competitions import demo
from apps.competitions.models import Competition, Event, Proposal, Registration
from apps.core.limits import allowance_used
from tests.factories import EmployerFactory, MemberFactory

pytestmark = pytest.mark.django_db


def test_seed_demo_includes_competitions_and_is_idempotent(client):
    call_command("seed_demo")
    counts = (Competition.objects.count(), Event.objects.count(), Registration.objects.count(),
              Proposal.objects.count())
    call_command("seed_demo")
    assert counts == (Competition.objects.count(), Event.objects.count(), Registration.objects.count(),
                      Proposal.objects.count())
    assert Event.objects.filter(results_published_at__isnull=False).exists()
    assert Proposal.objects.filter(status="adopted", consent_public=True, studios__isnull=False).exists()
    assert client.get("/competitions/").status_code == 200
    assert "义乌市第十二届劳动技能竞赛" in client.get("/competitions/").content.decode()


def test_volume_makes_events_registrations_and_proposals():
    MemberFactory.create_batch(30, employer=EmployerFactory())
    made = demo.volume(events=2, entrants=10, proposals=20)
    assert made == {"events": 2, "registrations": 20, "proposals": 20}
    event = Event.objects.filter(competition__name__startswith="劳动技能竞赛（性能数据").first()
    assert allowance_used(event.limit_key) == 10
    assert Registration.objects.filter(event=event, rank__isnull=False).count() == 10
