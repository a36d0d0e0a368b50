"""Union, employer, town and officer admins: scoping, counts, filters, read-only towns."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.members.models import Member
from tests.factories import (
    EmployerFactory,
    MemberFactory,
    OfficerFactory,
    UnionFactory,
    UserFactory,
    town,
)

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(type(user).objects.get(pk=user.pk))


@pytest.fixture
def superuser(db):
    return UserFactory(is_staff=True, is_superuser=True)


def listed(response):
    return list(response.context["cl"].result_list)


def test_union_changelist_counts_active_members(client, superuser):
    union = UnionFactory()
    employer = EmployerFactory(union=union)
    MemberFactory.create_batch(3, employer=employer)
    MemberFactory(employer=employer, status=Member.Status.WITHDRAWN)
    login(client, superuser)
    response = client.get(reverse("admin:orgs_grassrootsunion_changelist"), {"q": union.name})
    assert [(u.pk, u.member_count) for u in listed(response)] == [(union.pk, 3)]


def test_union_changelist_query_count_is_flat(client, superuser, django_assert_num_queries):
    for _ in range(10):
        MemberFactory()
    login(client, superuser)
    url = reverse("admin:orgs_grassrootsunion_changelist")
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    for _ in range(190):
        EmployerFactory()  # each with its own union
    with django_assert_num_queries(len(ctx.captured_queries)):
        response = client.get(url)
    assert len(listed(response)) == 100


def test_union_search_by_chair_and_filters(client, superuser):
    union = UnionFactory(chair_name="骆金花", kind="joint", town_street=town("fotang"))
    UnionFactory()
    login(client, superuser)
    url = reverse("admin:orgs_grassrootsunion_changelist")
    assert listed(client.get(url, {"q": "骆金花"})) == [union]
    assert listed(client.get(url, {"kind__exact": "joint", "town_street__id__exact": union.town_street_id})) == [union]


def test_officer_sees_only_own_union(client, officer, member, other_member):
    login(client, officer)
    response = client.get(reverse("admin:orgs_grassrootsunion_changelist"))
    assert listed(response) == [member.union]
    other = reverse("admin:orgs_grassrootsunion_change", args=[other_member.union_id])
    assert client.get(other).status_code == 404
    history = reverse("admin:orgs_grassrootsunion_history", args=[other_member.union_id])
    assert client.get(history).status_code == 404
    own = reverse("admin:orgs_grassrootsunion_change", args=[member.union_id])
    assert client.get(own).status_code == 200


def test_officer_cannot_change_own_union(client, officer, member):
    login(client, officer)
    url = reverse("admin:orgs_grassrootsunion_change", args=[member.union_id])
    response = client.post(url, {"name": "改名", "kind": "enterprise", "town_street": member.union.town_street_id})
    assert response.status_code == 403
    member.union.refresh_from_db()
    assert member.union.name != "改名"


def test_union_autocomplete_for_officer_offers_own_union_only(client, officer, member, other_member):
    login(client, officer)
    response = client.get(reverse("admin:autocomplete"), {
        "app_label": "members", "model_name": "member", "field_name": "union", "term": "",
    })
    assert response.status_code == 200
    assert [r["id"] for r in response.json()["results"]] == [str(member.union_id)]


def test_employer_admin_scoped_for_officer(client, officer, member, other_member):
    login(client, officer)
    response = client.get(reverse("admin:orgs_employer_changelist"))
    assert listed(response) == [member.employer]
    other = reverse("admin:orgs_employer_change", args=[other_member.employer_id])
    assert client.get(other).status_code == 404


def test_catch_all_officer_sees_employers_without_union_in_their_town(client):
    catch_all = UnionFactory(kind="federation", is_catch_all=True, town_street=town("suxi"))
    no_union_here = EmployerFactory(union=None, town_street=town("suxi"))
    EmployerFactory(union=None, town_street=town("dachen"))
    officer = OfficerFactory(union=catch_all).user
    login(client, officer)
    response = client.get(reverse("admin:orgs_employer_changelist"))
    assert listed(response) == [no_union_here]


def test_employer_has_union_filter_and_search(client, superuser):
    with_union = EmployerFactory(credit_code="91330782MA00000011")
    without = EmployerFactory(union=None)
    login(client, superuser)
    url = reverse("admin:orgs_employer_changelist")
    assert listed(client.get(url, {"has_union": "yes"})) == [with_union]
    assert listed(client.get(url, {"has_union": "no"})) == [without]
    assert listed(client.get(url, {"q": "91330782MA00000011"})) == [with_union]


def test_employer_change_keeps_history(client, superuser):
    employer = EmployerFactory()
    login(client, superuser)
    url = reverse("admin:orgs_employer_change", args=[employer.pk])
    response = client.post(url, {
        "name": employer.name, "kind": "enterprise", "credit_code": "", "town_street": employer.town_street_id,
        "union": employer.union_id, "address": "义乌市稠城街道新地址1号",
    })
    assert response.status_code == 302
    latest = employer.history.first()
    assert latest.history_user == superuser and latest.prev_record.address == ""
    assert client.get(reverse("admin:orgs_employer_history", args=[employer.pk])).status_code == 200


def test_town_streets_are_read_only(client, superuser):
    login(client, superuser)
    response = client.get(reverse("admin:orgs_townstreet_changelist"))
    assert len(listed(response)) == 14
    assert client.get(reverse("admin:orgs_townstreet_add")).status_code == 403
    choucheng = town("choucheng")
    assert client.get(reverse("admin:orgs_townstreet_delete", args=[choucheng.pk])).status_code == 403
    response = client.post(reverse("admin:orgs_townstreet_change", args=[choucheng.pk]), {"name": "改", "code": "x"})
    assert response.status_code == 403
    choucheng.refresh_from_db()
    assert choucheng.name == "稠城"


def test_union_officer_admin_lists_officers(client, superuser, officer, member):
    login(client, superuser)
    response = client.get(reverse("admin:orgs_unionofficer_changelist"))
    assert [o.union for o in listed(response)] == [member.union]
