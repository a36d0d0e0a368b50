"""manage.py tally_check: finds a tally that no longer agrees with its table, and --repair
counts it again."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from apps.core.tally import tallies
from apps.members.models import MemberTally
from apps.membership.selectors import _members_by_town_counted, _members_by_town_tallied
from tests.factories import MemberFactory, town

pytestmark = pytest.mark.django_db


def check(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command("tally_check", *args, stdout=out)
    return out.getvalue()


def test_every_app_tally_is_found():
    assert {t.table for t in tallies()} == {
        "members_membertally", "aid_applicationtally", "mutualaid_enrolmenttally", "mutualaid_claimtally"}


def test_a_tally_in_step_passes():
    MemberFactory.create_batch(3)
    out = check()
    assert "members_membertally: in step" in out
    assert out.count("in step") == 4


def test_a_wrong_tally_is_reported_then_repaired():
    members = MemberFactory.create_batch(3)
    groups = MemberTally.objects.count()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE members_membertally SET n = n + 2")  # drift: what a trigger disabled by hand leaves
        cursor.execute("INSERT INTO members_membertally (town_street_id, status, joined_year, with_login, n) "
                       "VALUES (%s, 'active', 1999, false, 1)", [town("beiyuan").pk])
    with pytest.raises(CommandError, match="members_membertally"):
        check()
    out = check("--repair")
    assert f"members_membertally: {groups + 1} groups differed; counted again" in out
    assert "in step" in check()
    assert sum(t.n for t in MemberTally.objects.all()) == len(members)
    assert sorted(_members_by_town_tallied(year=2026, town=None), key=lambda r: r["town_street_id"]) == sorted(
        _members_by_town_counted(year=2026, town=None), key=lambda r: r["town_street_id"])


def test_the_nightly_task_repairs_and_logs(caplog):
    from apps.core.tasks import tallies_check_task

    MemberFactory()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM members_membertally")
    assert tallies_check_task()["members_membertally"] == 1
    assert "members_membertally differed from its table in 1 groups" in caplog.text
    assert tallies_check_task()["members_membertally"] == 0
