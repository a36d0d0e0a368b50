"""Scopes of staff logins: an agency point sees its own town/street, beside the officer scope."""

import pytest
from django.http import Http404

from apps.members.access import member_for_staff, member_queryset_for_staff
from apps.members.models import Member
from apps.orgs.selectors import agency_town_ids, in_scope, scope_filter
from tests.factories import AgencyStaffFactory, EmployerFactory, MemberFactory, OfficerFactory, StaffFactory, town

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_towns():
    here = MemberFactory(employer=EmployerFactory(town_street=town("choucheng")))
    there = MemberFactory(employer=EmployerFactory(town_street=town("fotang")))
    return here, there


def test_agency_point_sees_only_its_town(two_towns):
    here, there = two_towns
    agency = AgencyStaffFactory(point__town_street=town("choucheng")).user
    assert agency_town_ids(agency) == [town("choucheng").pk]
    assert list(member_queryset_for_staff(agency)) == [here]
    assert member_for_staff(agency, here.pk) == here
    with pytest.raises(Http404):
        member_for_staff(agency, there.pk)


def test_inactive_agency_role_sees_nothing(two_towns):
    role = AgencyStaffFactory(point__town_street=town("choucheng"), is_active=False)
    assert list(member_queryset_for_staff(role.user)) == []
    with pytest.raises(Http404):
        member_for_staff(role.user, two_towns[0].pk)


def test_officer_and_federation_staff_unchanged(two_towns):
    here, there = two_towns
    officer = OfficerFactory(union=here.union).user
    assert list(member_queryset_for_staff(officer)) == [here]
    organisation = StaffFactory(groups=["组织部"])
    assert member_queryset_for_staff(organisation).count() == 2
    assert in_scope(organisation, union_id=None, town_id=None)


def test_scope_filter_follows_the_given_paths(two_towns):
    here, there = two_towns
    agency = AgencyStaffFactory(point__town_street=town("fotang")).user
    rows = scope_filter(Member.objects.all(), agency, union="union", town="town_street")
    assert list(rows) == [there]
    # a row type without a town path is invisible to an agency point
    assert list(scope_filter(Member.objects.all(), agency, union="union", town=None)) == []


def test_agency_point_admin_changelist_and_change_page_scoped(client, two_towns):
    here, there = two_towns
    agency = AgencyStaffFactory(point__town_street=town("choucheng")).user
    client.force_login(agency)
    page = client.get("/admin/members/member/")
    assert page.status_code == 200
    assert here.membership_number in page.content.decode()
    assert there.membership_number not in page.content.decode()
    assert client.get(f"/admin/members/member/{here.pk}/change/").status_code == 200
    assert client.get(f"/admin/members/member/{there.pk}/change/").status_code == 404
    assert client.get(f"/admin/members/member/{there.pk}/history/").status_code == 404
