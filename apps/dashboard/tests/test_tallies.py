"""The aid and mutual-aid tallies PostgreSQL keeps beside applications, enrolments and claims
(aid 0003, mutualaid 0004) give the dashboard the same figures as counting the rows, after
every kind of write."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from apps.aid import models as aid
from apps.aid import selectors as aid_selectors
from apps.mutualaid import models as mutual
from apps.mutualaid import selectors as mutual_selectors

pytestmark = pytest.mark.django_db
D = Decimal


def both_ways(monkeypatch, module, function, **kwargs):
    """`function(**kwargs)` from the tallies, checked against the same call counting the rows."""
    tallied = function(**kwargs)
    with monkeypatch.context() as patch:
        patch.setattr(module, "tallied", lambda model: False)
        counted = function(**kwargs)
    assert tallied == counted
    return tallied


def aid_figures(monkeypatch, world, town=None):
    return both_ways(monkeypatch, aid_selectors, aid_selectors.aid_year_figures, year=world.year, town=town)


def mutual_figures(monkeypatch, world, town=None):
    return both_ways(monkeypatch, mutual_selectors, mutual_selectors.mutualaid_year_figures, year=world.year, town=town)


def all_figures_agree(monkeypatch, world):
    for town in (None, world.town_a.pk, world.town_b.pk):
        aid_figures(monkeypatch, world, town)
        mutual_figures(monkeypatch, world, town)


def tally_versions(table):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, xmin::text FROM {table} ORDER BY id")  # noqa: S608 - a fixed table name
        return cursor.fetchall()


def test_the_world_is_read_from_the_tallies(world):
    assert connection.vendor == "postgresql"
    assert aid.ApplicationTally.objects.filter(campaign=world.campaign).exists()
    assert sum(t.n for t in mutual.ClaimTally.objects.all()) == mutual.Claim.objects.count() == 4
    assert sum(t.n for t in mutual.EnrolmentTally.objects.all()) == mutual.Enrolment.objects.count() == 3


def test_aid_tally_follows_decisions_amounts_moves_and_deletes(world, monkeypatch):
    all_figures_agree(monkeypatch, world)
    applications = aid.Application.objects.filter(campaign=world.campaign)
    approved = applications.get(status=aid.Status.APPROVED)
    approved.status, approved.paid_on = aid.Status.PAID, datetime.date(world.year, 2, 1)
    approved.save()
    applications.filter(status=aid.Status.DRAFT).update(status=aid.Status.SUBMITTED)
    applications.filter(status=aid.Status.PAID).update(amount=D("2100.50"))  # the amount alone changes
    declined = applications.get(status=aid.Status.DECLINED)
    declined.town_street = world.town_a if declined.town_street != world.town_a else world.town_b
    declined.save()
    winter = aid_figures(monkeypatch, world)["campaigns"][0]
    assert (winter["n_applications"], winter["n_approved"], winter["amount_paid"]) == (4, 2, D("4201.00"))

    applications.filter(status=aid.Status.SUBMITTED).update(town_street=None)  # no town/street: key 0
    applications.filter(status=aid.Status.DECLINED).delete()
    all_figures_agree(monkeypatch, world)
    assert aid_figures(monkeypatch, world)["campaigns"][0]["n_applications"] == 3
    applications.filter(status=aid.Status.SUBMITTED).update(status=aid.Status.CANCELLED)  # a merged duplicate
    assert aid_figures(monkeypatch, world)["campaigns"][0]["n_applications"] == 2


def test_mutual_aid_tallies_follow_payouts_enrolments_and_the_local_month(world, monkeypatch):
    claims = mutual.Claim.objects.filter(scheme=world.scheme)
    approved = claims.get(status=mutual.Status.APPROVED)
    approved.status, approved.paid_on = mutual.Status.PAID, datetime.date(world.year, 5, 2)
    approved.save()
    # 30 April 17:00 UTC is 1 May 01:00 in Yiwu: a May claim
    late = claims.get(status=mutual.Status.DECLINED)
    late.submitted_at = datetime.datetime(world.year, 4, 30, 17, tzinfo=datetime.UTC)
    late.save()
    f = mutual_figures(monkeypatch, world)
    assert (f["by_month"][3]["paid_claims"], f["by_month"][3]["paid"]) == (2, D("1300"))
    assert (f["by_month"][4]["claims"], f["by_month"][5]["claims"]) == (1, 1)
    assert timezone.localtime(late.submitted_at).month == 5

    enrolments = mutual.Enrolment.objects.filter(year=world.year)
    enrolments.update(contribution=D("1200"))
    moved = enrolments.filter(town_street=world.town_a).first()
    moved.town_street = world.town_b
    moved.save()
    claims.filter(status=mutual.Status.PAID).update(payable_amount=D("1000"))
    all_figures_agree(monkeypatch, world)
    t = mutual_figures(monkeypatch, world)["totals"]
    assert (t["members"], t["contributed"], t["paid_out"]) == (3, D("3600"), D("3000"))

    claims.delete()
    enrolments.delete()
    all_figures_agree(monkeypatch, world)
    assert not mutual.ClaimTally.objects.exclude(n=0).exists()
    assert not mutual.EnrolmentTally.objects.exclude(n=0).exists()


def test_edits_that_change_no_figure_write_no_tally_row(world):
    aid_before = tally_versions("aid_applicationtally")
    claims_before = tally_versions("mutualaid_claimtally")
    aid.Application.objects.filter(campaign=world.campaign).update(decline_reason="复核后补记")
    mutual.Claim.objects.filter(scheme=world.scheme).update(hospital="义乌市中医医院")
    assert tally_versions("aid_applicationtally") == aid_before
    assert tally_versions("mutualaid_claimtally") == claims_before
    aid.Application.objects.filter(campaign=world.campaign, status=aid.Status.DRAFT).update(status=aid.Status.SUBMITTED)
    assert tally_versions("aid_applicationtally") != aid_before


def test_a_truncated_table_empties_its_tally(world):
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the world's deferred foreign-key checks run first
        cursor.execute("TRUNCATE mutualaid_claim CASCADE")
    assert not mutual.ClaimTally.objects.exists()


def test_the_dashboard_queries_read_the_tallies(world, django_assert_num_queries):
    with django_assert_num_queries(2) as captured:
        aid_selectors.aid_year_figures(year=world.year)
    assert "aid_applicationtally" in captured.captured_queries[0]["sql"]
    assert '"aid_application"' not in captured.captured_queries[0]["sql"]
    with django_assert_num_queries(3) as captured:
        mutual_selectors.mutualaid_year_figures(year=world.year)
    sql = " ".join(q["sql"] for q in captured.captured_queries)
    assert "mutualaid_claimtally" in sql and "mutualaid_enrolmenttally" in sql
    assert '"mutualaid_claim"' not in sql and '"mutualaid_enrolment"' not in sql
