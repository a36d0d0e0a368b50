"""Each app's dashboard figures against the hand-counted year of conftest.world."""

from decimal import Decimal

import pytest

from apps.aid.selectors import aid_year_figures
from apps.awards.selectors import awards_year_figures
from apps.competitions.selectors import competitions_year_figures
from apps.counselling.selectors import counselling_year_figures
from apps.innovation.selectors import innovation_year_figures
from apps.membership.selectors import members_year_figures
from apps.mutualaid.selectors import mutualaid_year_figures
from apps.rights.selectors import rights_year_figures
from apps.stars.selectors import stars_year_figures

pytestmark = pytest.mark.django_db
D = Decimal


def test_members(world):
    f = members_year_figures(year=world.year)
    t = f["totals"]
    assert (t["total"], t["active"], t["transferred"], t["withdrawn"], t["joined"]) == (7, 5, 1, 1, 2)
    assert (t["requests"], t["approved"], t["declined"], t["transfers"]) == (5, 3, 1, 1)
    march, may, june = f["by_month"][2], f["by_month"][4], f["by_month"][5]
    assert (march["requests"], march["approved"], march["declined"]) == (4, 3, 1)
    assert (may["requests"], june["transfers"]) == (1, 1)
    towns = {r["town_street_id"]: r for r in f["by_town"]}
    assert (towns[world.town_a.pk]["active"], towns[world.town_b.pk]["active"]) == (3, 2)
    a = members_year_figures(year=world.year, town=world.town_a.pk)["totals"]
    assert (a["total"], a["requests"], a["approved"], a["transfers"]) == (5, 4, 2, 0)


def test_rights_and_supervision(world):
    f = rights_year_figures(year=world.year)
    t = f["totals"]
    assert (t["total"], t["closed"], t["declined"], t["open"], t["overdue"]) == (5, 2, 1, 2, 1)
    assert t["recovered"] == D("6200.50")
    assert {r["key"]: r["n"] for r in f["by_category"]} == {"wages": 2, "contract": 1, "injury": 1, "other": 1}
    assert {r["key"]: r["n"] for r in f["by_grade"]} == {"general": 2, "difficult": 1, "complex": 1}
    assert {r["key"]: r["n"] for r in f["by_outcome"]} == {"resolved": 1, "partly": 1}
    s = f["supervision_totals"]
    assert (s["inspections"], s["checked"], s["problems"], s["rectified"], s["referred"], s["open"], s["overdue"]) == (
        2, 5, 4, 1, 1, 2, 1)
    assert s["rate"] == 0.25
    assert [r["label"] for r in f["supervision"]] == ["春季", "夏季"]
    a = rights_year_figures(year=world.year, town=world.town_a.pk)
    assert (a["totals"]["total"], a["totals"]["overdue"], a["totals"]["recovered"]) == (3, 0, D("6200.50"))
    assert (a["supervision_totals"]["problems"], a["supervision_totals"]["rate"]) == (2, 0.5)


def test_stars(world):
    f = stars_year_figures(year=world.year)
    assert {r["level"]: r["n"] for r in f["levels"]} == {1: 0, 2: 0, 3: 1, 4: 0, 5: 1}
    assert (f["rated"], f["demonstration"], f["submitted"]) == (2, 1, 1)
    assert stars_year_figures(year=world.year, town=world.town_b.pk)["rated"] == 1


def test_competitions(world):
    f = competitions_year_figures(year=world.year)
    t = f["totals"]
    assert (t["competitions"], t["events"], t["registrations"], t["workers"], t["awarded"]) == (1, 2, 4, 3, 2)
    assert (t["proposals"], t["adopted"]) == (2, 1)
    assert {r["key"]: r["n"] for r in f["by_prize"]} == {"first": 1, "second": 1, "third": 0, "merit": 0}
    a = competitions_year_figures(year=world.year, town=world.town_a.pk)["totals"]
    assert (a["registrations"], a["workers"], a["awarded"], a["proposals"]) == (3, 2, 2, 1)


def test_awards(world):
    f = awards_year_figures(year=world.year)
    rows = {r["kind"]: r for r in f["by_kind"]}
    craft, pioneer = rows["craftsman"], rows["worker_pioneer"]
    assert (craft["nominated"], craft["shortlisted"], craft["awarded"], craft["not_awarded"], craft["pending"]) == (
        3, 2, 1, 1, 1)
    assert (pioneer["nominated"], pioneer["awarded"], pioneer["not_awarded"], pioneer["pending"]) == (2, 1, 1, 0)
    assert (craft["on_roll"], pioneer["on_roll"], rows["most_beautiful_worker"]["on_roll"]) == (1, 1, 2)
    assert (f["totals"]["nominated"], f["totals"]["awarded"], f["totals"]["on_roll"]) == (5, 2, 4)
    assert awards_year_figures(year=world.year, town=world.town_a.pk)["totals"]["nominated"] == 2


def test_aid(world):
    f = aid_year_figures(year=world.year)
    winter, autumn = f["campaigns"]
    assert (winter["n_applications"], winter["n_approved"], winter["amount_approved"], winter["amount_paid"]) == (
        3, 2, D("3500"), D("2000"))
    assert winter["budget"] == D("100000") and winter["use_rate"] == D("0.02")
    assert (autumn["n_applications"], autumn["n_approved"], autumn["amount_paid"]) == (2, 1, D("3000"))
    t = f["totals"]
    assert (t["budget"], t["n_applications"], t["n_approved"], t["amount_paid"], t["enrolments"]) == (
        D("150000"), 5, 3, D("5000"), 2)
    a = aid_year_figures(year=world.year, town=world.town_a.pk)
    assert [(c["n_applications"], c["amount_paid"]) for c in a["campaigns"]] == [(2, D("2000")), (1, D("0"))]
    assert a["totals"]["enrolments"] == 1


def test_mutualaid(world):
    t = mutualaid_year_figures(year=world.year)["totals"]
    assert (t["members"], t["contributed"], t["received"]) == (3, D("3000"), D("3000"))
    assert (t["claims"], t["paid_claims"], t["paid_out"], t["balance"]) == (4, 2, D("2000"), D("1000"))
    f = mutualaid_year_figures(year=world.year)
    assert (f["by_month"][3]["claims"], f["by_month"][3]["paid"], f["by_month"][5]["paid"]) == (2, D("800"), D("1200"))
    a = mutualaid_year_figures(year=world.year, town=world.town_a.pk)["totals"]
    assert (a["members"], a["received"], a["paid_out"], a["balance"]) == (2, D("2000"), D("800"), D("1200"))


def test_counselling_counts_only_and_small_counts_hidden(world):
    f = counselling_year_figures(year=world.year)
    assert f["by_studio"] == [{"studio": "稠城心灵港湾", "sessions": 6}, {"studio": "北苑心灵港湾", "sessions": "<5"}] or \
        sorted(f["by_studio"], key=lambda r: r["studio"]) == sorted(
            [{"studio": "稠城心灵港湾", "sessions": 6}, {"studio": "北苑心灵港湾", "sessions": "<5"}], key=lambda r: r["studio"])
    assert (f["sessions"], f["studios"]) == ("<10", 2)  # 8 exactly would give studio B's 2 away (8 - 6)
    assert counselling_year_figures(year=world.year, town=world.town_b.pk)["sessions"] == "<5"
    assert set(f["by_studio"][0]) == {"studio", "sessions"}  # nothing but the studio and the count
    assert counselling_year_figures(year=world.year, town=world.town_a.pk)["sessions"] == 6  # nothing hidden


def test_innovation(world):
    t = innovation_year_figures(year=world.year)["totals"]
    assert (t["places"], t["occupied"], t["applications"], t["admitted"]) == (3, 1, 3, 2)
    assert round(t["rate"], 3) == 0.333
