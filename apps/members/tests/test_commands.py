"""seed_demo and generate_volume."""

import datetime
import io

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.utils import timezone

from apps.core.validators import validate_resident_id
from apps.members.models import Member
from apps.orgs.models import Employer, GrassrootsUnion, UnionOfficer

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_seed_demo_runs_twice_and_prints_every_account():
    first = run("seed_demo")
    second = run("seed_demo")
    assert first == second
    for username in ["admin", "rights", "org", "economic", "aid", "mutualaid", "counselling", "supervisor",
                     "leader", "agency", "officer"]:
        assert f" {username} " in first
        assert User.objects.get(username=username).check_password("Yiwu2026!")
    assert "Yiwu2026!" in first
    assert User.objects.filter(username="admin", is_superuser=True).count() == 1
    officer = User.objects.get(username="officer")
    assert UnionOfficer.objects.filter(user=officer).count() == 1
    assert User.objects.get(username="rights").groups.get().name == "权益保障部"
    claimable = Member.objects.get(phone="13900000002")
    assert claimable.user is None and claimable.document_number in first
    with_login = Member.objects.get(phone="13900000001")
    assert with_login.user.check_password("Yiwu2026!") and with_login.membership_number
    assert Member.objects.count() == 4


def test_seed_demo_after_the_honour_roll_fixture():
    call_command("loaddata", "honour_rolls", verbosity=0)
    run("seed_demo")
    run("seed_demo")
    assert GrassrootsUnion.objects.filter(is_catch_all=True, town_street__code="choucheng").count() == 1


def _generated():
    return sorted(Member.objects.values_list("document_number", "phone", "name", "membership_number"))


def _wipe():
    from apps.core.models import NumberSequence

    Member.objects.all().delete()
    Employer.objects.all().delete()
    GrassrootsUnion.objects.all().delete()
    NumberSequence.objects.all().delete()


def test_generate_volume_is_deterministic_for_a_seed():
    run("generate_volume", "--members", "300", "--seed", "7")
    first = _generated()
    _wipe()
    run("generate_volume", "--members", "300", "--seed", "7")
    assert _generated() == first
    _wipe()
    run("generate_volume", "--members", "300", "--seed", "8")
    assert _generated() != first


def test_generate_volume_makes_valid_distinct_realistic_rows():
    output = run("generate_volume", "--members", "400")
    assert "已生成会员 400 名" in output
    members = list(Member.objects.select_related("union", "employer"))
    assert len(members) == 400
    for m in members:
        validate_resident_id(m.document_number)
        assert m.birth_date is not None and m.membership_number.startswith(f"YW{m.joined_on.year}")
        assert m.union_id == (m.employer.union_id or GrassrootsUnion.objects.get(
            town_street=m.employer.town_street, is_catch_all=True).pk)
    assert len({m.phone for m in members}) == 400
    assert len({m.membership_number for m in members}) == 400
    assert GrassrootsUnion.objects.filter(is_catch_all=True).count() == 14
    assert GrassrootsUnion.objects.filter(kind="joint").count() >= 14
    assert len({m.town_street_id for m in members}) > 7
    assert {m.status for m in members} >= {"active"}


def test_generate_volume_twice_continues():
    run("generate_volume", "--members", "200")
    run("generate_volume", "--members", "200")
    assert Member.objects.count() == 400
    assert Member.objects.values("document_number").distinct().count() == 400
    assert GrassrootsUnion.objects.filter(is_catch_all=True).count() == 14


def test_generate_volume_after_seed_demo_keeps_its_catch_all_union():
    run("seed_demo")
    run("generate_volume", "--members", "100")
    assert GrassrootsUnion.objects.filter(is_catch_all=True).count() == 14
    assert Member.objects.count() == 104


def test_generate_volume_refuses_a_silly_count():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--members"):
        run("generate_volume", "--members", "0")


def test_generate_volume_streams_in_chunks(monkeypatch):
    from apps.members.management import volume

    monkeypatch.setattr(volume, "CHUNK", 70)
    assert "已生成会员 250 名" in run("generate_volume", "--members", "250")
    members = list(Member.objects.all())
    assert len(members) == 250 and len({m.document_number for m in members}) == 250
    assert len({m.membership_number for m in members}) == 250
    assert all(m.created_at and m.card_serial == 1 and m.user_id is None and m.address == "" for m in members)


def test_generate_volume_year_adds_a_year_of_rights_cases():
    from apps.rights.models import CaseStatusChange, RightsCase, Status

    run("generate_volume", "--members", "400")
    output = run("generate_volume", "--year")
    assert "rights 20 条" in output
    cases = list(RightsCase.objects.prefetch_related("changes"))
    assert len(cases) == 20
    assert len({c.number for c in cases}) == 20
    for case in cases:
        case.full_clean(exclude=["handler", "employer"])
        changes = list(case.changes.all())
        assert changes[0].to_status == Status.SUBMITTED and changes[-1].to_status == case.status
        assert timezone.localdate(case.submitted_at) >= timezone.localdate() - datetime.timedelta(days=367)
    assert CaseStatusChange.objects.count() >= 20


def test_generate_volume_year_fills_the_apps_that_need_logins_on_a_volume_only_database():
    """A benchmark database holds generated members and no logins: the year of nominations,
    maker-space applications and online joins is made all the same (their generators make the
    officer, staff and member logins they need)."""
    from django.core.management.base import CommandError

    from apps.awards.models import Nomination
    from apps.innovation.models import Application
    from apps.membership.models import JOIN_OPEN, JoinRequest, JoinStatus

    run("generate_volume", "--members", "1500")
    output = run("generate_volume", "--year", "--only", "awards,innovation,membership")
    assert "rights" not in output and "awards 0" not in output and "innovation 0" not in output
    assert Nomination.objects.exists() and Application.objects.exists()
    requests = list(JoinRequest.objects.prefetch_related("changes"))
    assert {r.status for r in requests} >= {JoinStatus.APPROVED, JoinStatus.DECLINED}
    for request in requests:
        request.full_clean(exclude=["employer", "decided_by", "member"])
        changes = sorted(request.changes.all(), key=lambda c: c.at)
        assert changes[0].to_status == JoinStatus.PENDING and changes[-1].to_status == request.status
        assert (request.member_id is not None) == (request.status == JoinStatus.APPROVED)
    open_numbers = [r.document_number for r in requests if r.status in JOIN_OPEN]
    assert len(open_numbers) == len(set(open_numbers))
    with pytest.raises(CommandError, match="nosuch"):
        run("generate_volume", "--year", "--only", "nosuch")


def test_generate_volume_needs_members_or_year():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--year"):
        run("generate_volume")
