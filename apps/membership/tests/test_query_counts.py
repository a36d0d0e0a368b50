"""The other changelists of the app stay at a flat number of queries from 10 to 200 rows (the
join-request changelist and the duplicates page have their own tests)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.membership.models import MemberMerge, ProfileChangeRequest, Transfer
from tests.factories import EmployerFactory, MemberFactory, UserFactory

pytestmark = pytest.mark.django_db


def _transfers(count, target):
    members = [MemberFactory() for _ in range(count)]
    Transfer.objects.bulk_create([
        Transfer(member=m, from_union=m.union, from_employer=m.employer, to_union=target.union, to_employer=target,
                 to_town_street=target.town_street) for m in members
    ])


def _changes(count, target):
    members = [MemberFactory() for _ in range(count)]
    ProfileChangeRequest.objects.bulk_create([
        ProfileChangeRequest(member=m, kind="name", new_name=f"新名{m.pk}", proof="private/x.pdf") for m in members
    ])


def _merges(count, target):
    survivor, by = MemberFactory(), UserFactory()
    MemberMerge.objects.bulk_create([
        MemberMerge(survivor=survivor, survivor_pk=survivor.pk, removed_pk=10_000 + i,
                    removed_snapshot={"name": "某"}, moved_counts={"notify.notification": 1}, by=by, at=timezone.now())
        for i in range(count)
    ])


@pytest.mark.parametrize("model, make", [("transfer", _transfers), ("profilechangerequest", _changes),
                                         ("membermerge", _merges)])
def test_changelist_query_count_is_flat(client, organisation, model, make):
    target = EmployerFactory()
    url = reverse(f"admin:membership_{model}_changelist")
    client.force_login(organisation)
    make(10, target)
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    make(190, target)
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)
    assert len(response.context["cl"].result_list) == 100
    assert len(large.captured_queries) == len(small.captured_queries)


def test_merge_changelist_of_an_officer_is_flat_and_scoped(client):
    from tests.factories import OfficerFactory

    survivor, by = MemberFactory(), UserFactory()
    officer = OfficerFactory(union=survivor.union).user
    elsewhere = MemberFactory()

    def make(count):
        MemberMerge.objects.bulk_create([
            MemberMerge(survivor=who, survivor_pk=who.pk, removed_pk=20_000 + i, removed_snapshot={"name": "某"},
                        by=by, at=timezone.now())
            for i in range(count) for who in (survivor, elsewhere)
        ])

    url = reverse("admin:membership_membermerge_changelist")
    client.force_login(officer)
    make(10)
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        assert len(client.get(url).context["cl"].result_list) == 10
    make(190)
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)
    assert {m.survivor_id for m in response.context["cl"].result_list} == {survivor.pk}
    assert len(response.context["cl"].result_list) == 100
    assert len(large.captured_queries) == len(small.captured_queries) <= 15
