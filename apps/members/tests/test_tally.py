"""The member tally that PostgreSQL keeps beside the member table (migration 0004) gives the
same figures as counting the members, whatever writes them."""

import datetime

import pytest
from django.db import connection

from apps.members.models import Member, MemberTally
from apps.membership.selectors import _members_by_town_counted, _members_by_town_tallied, members_by_town
from tests.factories import EmployerFactory, MemberFactory, UserFactory, resident_id, town

pytestmark = pytest.mark.django_db


def figures(year, town=None):
    def ordered(rows):
        return sorted((dict(r) for r in rows), key=lambda r: r["town_street_id"])

    counted = ordered(_members_by_town_counted(year=year, town=town))
    assert ordered(_members_by_town_tallied(year=year, town=town)) == counted
    return counted


def versions():
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, xmin::text, n FROM members_membertally ORDER BY id")
        return cursor.fetchall()


def test_the_tally_follows_every_kind_of_write():
    assert connection.vendor == "postgresql"
    a, b = EmployerFactory(town_street=town("choucheng")), EmployerFactory(town_street=town("beiyuan"))
    first = MemberFactory.create_batch(3, employer=a, joined_on=datetime.date(2026, 3, 1))
    MemberFactory(employer=b, joined_on=None)
    Member.objects.bulk_create([
        Member(name=f"批量{i}", gender="F", document_number=resident_id(900 + i), union=b.union, employer=b,
               town_street=b.town_street, joined_on=datetime.date(2025, 12, 31), status=Member.Status.ACTIVE)
        for i in range(4)
    ])
    rows = {r["town_street_id"]: r for r in figures(2026)}
    assert rows[a.town_street_id]["joined"] == 3 and rows[b.town_street_id]["total"] == 5
    assert figures(2025, town=b.town_street_id)[0]["joined"] == 4

    first[0].status = Member.Status.WITHDRAWN
    first[0].save()
    first[1].user = UserFactory()
    first[1].save()
    Member.objects.filter(employer=b).update(status=Member.Status.TRANSFERRED)
    first[2].town_street = b.town_street
    first[2].save()
    rows = {r["town_street_id"]: r for r in figures(2026)}
    assert rows[a.town_street_id] | {"town_street_id": 0} == {
        "town_street_id": 0, "total": 2, "active": 1, "transferred": 0, "withdrawn": 1, "joined": 2, "with_login": 1}
    assert rows[b.town_street_id]["transferred"] == 5 and rows[b.town_street_id]["active"] == 1

    first[1].user.delete()  # SET NULL: the login goes from the tally too
    Member.objects.filter(employer=a).delete()
    rows = {r["town_street_id"]: r for r in figures(2026)}
    assert a.town_street_id not in rows  # a town with no member left is not listed
    assert rows[b.town_street_id]["total"] == 5  # the member moved to b worked for a
    assert sum(r.n for r in MemberTally.objects.all()) == Member.objects.count() == 5


def test_an_edit_that_changes_no_figure_writes_no_tally_row():
    member = MemberFactory()
    before = versions()
    member.phone = "13900002222"
    member.name = "改名"
    member.save()
    Member.objects.filter(pk=member.pk).update(address="稠城街道")
    assert versions() == before
    member.status = Member.Status.WITHDRAWN
    member.save()
    assert versions() != before


def test_the_dashboard_reads_the_tally_on_postgresql(django_assert_num_queries):
    MemberFactory.create_batch(3)
    with django_assert_num_queries(1) as captured:
        members_by_town(year=2026)
    assert "members_membertally" in captured.captured_queries[0]["sql"]
    assert "members_member\"" not in captured.captured_queries[0]["sql"]
