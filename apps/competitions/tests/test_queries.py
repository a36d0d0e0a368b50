"""Query counts of the public pages, /me/competitions/ and the admin changelists: the same at
10 and at 200 rows, and at most 15 a page."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.competitions.models import Proposal, Registration, Score
from apps.innovation.models import Studio
from tests.factories import EmployerFactory, MemberFactory

from .factories import CompetitionFactory, EventFactory, ProposalFactory

pytestmark = pytest.mark.django_db


def count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def flat(client, url, grow, django_assert_num_queries):
    from apps.core.cache import public_data_changed

    grow(10)
    client.get(url)  # warms the per-process caches (content types, site) a first request fills
    public_data_changed()  # count the rendering's queries, not the page cache's none
    small = count(client, url)
    assert small <= 15, f"{url}: {small} queries"
    grow(190)
    public_data_changed()
    with django_assert_num_queries(small):
        client.get(url)


@pytest.fixture
def scored_event():
    event = EventFactory(capacity=500)
    event.results_published_at = timezone.now()
    event.save()
    employer = EmployerFactory()
    rounds = list(event.rounds.all())

    def grow(n):
        start = Registration.objects.filter(event=event).count()
        members = MemberFactory.create_batch(n, employer=employer)
        regs = Registration.objects.bulk_create([
            Registration(event=event, member=m, total=Decimal(90), rank=start + i + 1, award="merit")
            for i, m in enumerate(members)])
        Score.objects.bulk_create([Score(registration=r, round=rnd, points=Decimal(90)) for r in regs for rnd in rounds])

    return event, grow


def test_public_results_page_is_flat(client, scored_event, django_assert_num_queries):
    event, grow = scored_event
    flat(client, reverse("competitions:results", args=[event.pk]), grow, django_assert_num_queries)


def test_event_and_competition_pages_are_flat(client, scored_event, django_assert_num_queries):
    event, grow = scored_event
    flat(client, reverse("competitions:event", args=[event.pk]), grow, django_assert_num_queries)
    more_events = lambda n: [EventFactory(competition=event.competition) for _ in range(n // 10)]  # noqa: E731
    flat(client, reverse("competitions:detail", args=[event.competition_id]), more_events, django_assert_num_queries)


def test_competition_list_is_flat(client, django_assert_num_queries):
    flat(client, reverse("competitions:list"), lambda n: CompetitionFactory.create_batch(n), django_assert_num_queries)


def test_public_proposals_are_flat(client, django_assert_num_queries):
    employer = EmployerFactory()
    mate = MemberFactory(employer=employer)

    def grow(n):
        for member in MemberFactory.create_batch(n, employer=employer):
            p = ProposalFactory(member=member, status=Proposal.Status.ADOPTED, consent_public=True,
                                benefit=Decimal("10"), reviewed_at=timezone.now())
            p.co_authors.add(mate)
            studio = Studio.objects.create(name=f"创新工作室{p.pk}", kind=Studio.Kind.CRAFTSMAN, leader_name="王",
                                           employer=employer)
            studio.proposals.add(p)

    flat(client, reverse("competitions:proposals"), grow, django_assert_num_queries)


def test_my_competitions_is_flat(client, member, django_assert_num_queries):
    client.force_login(member.user)
    competition = CompetitionFactory(one_event_only=False)

    def grow(n):
        for _ in range(n):
            event = EventFactory(competition=competition, rounds={}) if n < 50 else None
            if event is None:
                break
            Registration.objects.create(event=event, member=member)
        if n >= 50:
            events = EventFactory.create_batch(n, competition=competition, rounds={})
            Registration.objects.bulk_create([Registration(event=e, member=member, rank=1, total=Decimal(80))
                                              for e in events])
        ProposalFactory.create_batch(3, member=member)

    flat(client, reverse("competitions:mine"), grow, django_assert_num_queries)


@pytest.mark.parametrize("model", ["registration", "event", "competition", "proposal"])
def test_admin_changelists_are_flat(client, staff_of, model, scored_event, django_assert_num_queries):
    event, grow_regs = scored_event
    employer = EmployerFactory()
    growers = {
        "registration": grow_regs,
        "event": lambda n: EventFactory.create_batch(n, competition=event.competition, rounds={}),
        "competition": lambda n: CompetitionFactory.create_batch(n),
        "proposal": lambda n: [ProposalFactory(member=m) for m in MemberFactory.create_batch(n, employer=employer)],
    }
    client.force_login(staff_of("经济技术部"))
    flat(client, reverse(f"admin:competitions_{model}_changelist"), growers[model], django_assert_num_queries)


def test_officer_proposal_changelist_is_flat(client, member, officer, django_assert_num_queries):
    client.force_login(officer)

    def grow(n):
        for m in MemberFactory.create_batch(n, employer=member.employer):
            ProposalFactory(member=m)

    flat(client, reverse("admin:competitions_proposal_changelist"), grow, django_assert_num_queries)


def test_winners_page_is_flat(client, scored_event, django_assert_num_queries):
    event, grow = scored_event
    flat(client, reverse("competitions:winners"), grow, django_assert_num_queries)
    page = client.get(reverse("competitions:winners"), {"year": "\x00"}).content.decode()
    assert "优秀奖" in page
