"""The member changelist over a big table: no COUNT(*) over every member, exact counts when small."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.core import paging
from apps.members.management.volume import volume_generate
from apps.members.models import Member
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
CHANGELIST = "admin:members_member_changelist"
WHOLE_TABLE_COUNT = re.compile(r'SELECT COUNT\(\*\) AS "__count" FROM "members_member"\s*(WHERE|$)', re.S)


@pytest.fixture
def volume(db):
    volume_generate(members=3000, seed=11)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE members_member")


@pytest.fixture
def superuser_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def _counts(ctx):
    return [q["sql"] for q in ctx.captured_queries if "COUNT(" in q["sql"].upper()]


def test_unfiltered_changelist_runs_no_whole_table_count(superuser_client, volume, monkeypatch):
    monkeypatch.setattr(paging.EstimatedCountPaginator, "exact_limit", 1000)
    with CaptureQueriesContext(connection) as ctx:
        response = superuser_client.get(reverse(CHANGELIST))
    assert response.status_code == 200
    counts = _counts(ctx)
    assert counts, "the bounded count is expected"
    for sql in counts:
        assert not WHOLE_TABLE_COUNT.search(sql), sql
        assert "LIMIT 1001" in sql, sql
    assert any("reltuples" in q["sql"] for q in ctx.captured_queries)
    # the planner's estimate of the table (ANALYZE above): within a few percent of 3000
    assert 2700 <= response.context["cl"].result_count <= 3300
    assert len(response.context["cl"].result_list) == response.context["cl"].list_per_page == 25


def test_filtered_changelist_counts_exactly_when_small(superuser_client, volume):
    member = Member.objects.order_by("pk")[1500]
    expected = Member.objects.filter(union_id=member.union_id).count()
    with CaptureQueriesContext(connection) as ctx:
        response = superuser_client.get(reverse(CHANGELIST), {"union": str(member.union_id)})
    assert response.context["cl"].result_count == expected
    assert all("LIMIT" in sql for sql in _counts(ctx))
    union_name = member.union.name
    response = superuser_client.get(reverse(CHANGELIST), {"union": union_name})
    assert response.context["cl"].result_count == Member.objects.filter(union__name__contains=union_name).count()


def test_a_big_filtered_result_takes_the_planner_estimate(superuser_client, volume, monkeypatch):
    monkeypatch.setattr(paging.EstimatedCountPaginator, "exact_limit", 100)
    with CaptureQueriesContext(connection) as ctx:
        response = superuser_client.get(reverse(CHANGELIST), {"status__exact": "active"})
    assert response.status_code == 200
    assert any(q["sql"].startswith("EXPLAIN") for q in ctx.captured_queries)
    assert response.context["cl"].result_count > 100
    assert superuser_client.get(reverse(CHANGELIST), {"status__exact": "active", "p": "3"}).status_code == 200


@pytest.mark.parametrize("params", [{"p": "99999999999"}, {"q": "\x00"}, {"union": "9" * 30}, {"q": "王"}])
def test_odd_parameters_do_not_break_the_estimate(superuser_client, volume, params):
    assert superuser_client.get(reverse(CHANGELIST), params).status_code in (200, 302, 400)
