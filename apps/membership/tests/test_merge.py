"""Duplicates found with aggregates, and merges that move every app's rows to the survivor."""

import datetime

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.accounts import roles
from apps.members.models import Member
from apps.membership.errors import MergeConflict, MergeSameMember
from apps.membership.models import (
    JoinRequest,
    JoinStatus,
    MemberMerge,
    Transfer,
    TransferStatus,
)
from apps.membership.selectors import duplicate_pairs
from apps.membership.services import (
    join_request_submit,
    join_request_transition,
    member_merge,
    transfer_request,
    transfer_transition,
)
from apps.notify.models import Notification
from tests.factories import (
    EmployerFactory,
    MemberFactory,
    OfficerFactory,
    UnionFactory,
    UserFactory,
    resident_id,
)

pytestmark = pytest.mark.django_db


def rows_pointing_at(member_pk: int) -> dict[str, int]:
    """Rows of every installed model (link and history tables included) whose relation to
    Member holds `member_pk`, found from the models' own fields, not from the merge's walk."""
    found = {}
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.concrete_fields:
            if field.is_relation and field.related_model is Member:
                count = model._base_manager.filter(**{field.attname: member_pk}).count()
                if count:
                    found[f"{model._meta.label}.{field.name}"] = count
    return found


@pytest.fixture
def twins(applicant, employer, catch_all):
    """The same worker registered twice: once by their union, once through an online join."""
    officer = OfficerFactory(union=employer.union).user
    survivor = MemberFactory(name="陈雨桐", employer=employer, user=None, joined_on=datetime.date(2021, 3, 1),
                             address="")
    request = join_request_submit(**applicant(950, employer=employer, document_type="passport",
                                              document_number=survivor.document_number))
    removed = join_request_transition(join_request=request, to=JoinStatus.APPROVED, by=officer).member
    return survivor, removed, officer


def test_merge_moves_rows_of_every_app_and_leaves_nothing_on_the_removed_member(twins, organisation):
    survivor, removed, officer = twins
    Notification.objects.create(member=removed, title="会费提醒")
    Notification.objects.create(member=survivor, title="欢迎")
    transfer = transfer_request(member=removed, by=removed.user,
                                to_employer=EmployerFactory(name="义乌市另一家公司有限公司"))
    transfer_transition(transfer=transfer, to=TransferStatus.CANCELLED, by=removed.user)
    removed_pk, removed_user = removed.pk, removed.user
    notices = Notification.objects.filter(member__in=[survivor, removed]).count()
    before = rows_pointing_at(removed_pk)
    assert {"notify.Notification.member", "membership.JoinRequest.member", "membership.Transfer.member",
            "membership.HistoricalJoinRequest.member", "membership.HistoricalTransfer.member"} <= set(before)

    merge = member_merge(survivor=survivor, removed=removed, by=organisation, note="同一人两条记录")

    assert rows_pointing_at(removed_pk) == {}
    assert not Member.objects.filter(pk=removed_pk).exists()
    assert Notification.objects.filter(member=survivor).count() == notices
    assert JoinRequest.objects.get().member == survivor and Transfer.objects.get().member == survivor
    survivor.refresh_from_db()
    assert survivor.user == removed_user  # the survivor had no login: the removed one's moves over
    assert survivor.address == "稠城街道工人北路1号"  # a blank filled from the removed record
    assert survivor.joined_on == datetime.date(2021, 3, 1)
    assert merge.survivor_pk == survivor.pk and merge.removed_pk == removed_pk and merge.by == organisation
    assert merge.removed_snapshot["document_type"] == "passport" and merge.removed_snapshot["pk"] == removed_pk
    assert merge.moved_counts["notify.notification"] == notices - 1
    assert merge.moved_counts["membership.joinrequest"] == 1
    assert merge.moved_counts["membership.historicaljoinrequest"] == 1
    assert merge.moved_counts["membership.transfer"] == 1
    assert "合并重复记录" in survivor.history.first().history_change_reason
    assert Member.history.filter(id=removed_pk, history_type="-").exists()  # the removed record's history stays


def test_both_logins_keep_survivors_and_deactivate_the_other(organisation):
    survivor, removed = MemberFactory(user=UserFactory()), MemberFactory(user=UserFactory())
    removed_user = removed.user
    member_merge(survivor=survivor, removed=removed, by=organisation)
    removed_user.refresh_from_db()
    survivor.refresh_from_db()
    assert not removed_user.is_active and survivor.user.is_active and survivor.user != removed_user


def test_conflicting_open_transfers_stop_the_merge_and_change_nothing(organisation):
    survivor, removed = MemberFactory(user=UserFactory()), MemberFactory(user=UserFactory())
    target = EmployerFactory()
    transfer_request(member=survivor, by=survivor.user, to_employer=target)
    transfer_request(member=removed, by=removed.user, to_employer=target)
    Notification.objects.create(member=removed, title="x")
    notices = Notification.objects.filter(member=removed).count()
    with pytest.raises(MergeConflict) as exc:
        member_merge(survivor=survivor, removed=removed, by=organisation)
    assert "转会" in exc.value.message
    assert Member.objects.filter(pk=removed.pk).exists()
    assert Notification.objects.filter(member=removed).count() == notices and not MemberMerge.objects.exists()
    with pytest.raises(MergeSameMember):
        member_merge(survivor=survivor, removed=survivor, by=organisation)


def test_duplicates_by_document_across_types_and_by_name_birth_union():
    union = UnionFactory()
    employer = EmployerFactory(union=union)
    birth = datetime.date(1985, 5, 5)
    a = MemberFactory()
    b = MemberFactory(document_type="passport", document_number=a.document_number)
    c = MemberFactory(name="王芳", employer=employer, document_number=resident_id(700, birth=birth))
    d = MemberFactory(name="王芳", employer=employer, document_number=resident_id(701, birth=birth))
    MemberFactory(name="王芳", document_number=resident_id(702, birth=birth))  # same name and birth, other union
    pairs = {(p.first.pk, p.second.pk): p.reasons for p in duplicate_pairs()}
    assert pairs == {
        (a.pk, b.pk): ["证件号码相同（不同证件类型）"],
        (c.pk, d.pk): ["姓名、出生日期和所属工会相同"],
    }


def _bulk_members(start, count):
    union = UnionFactory()
    employer = EmployerFactory(union=union)
    Member.objects.bulk_create([
        Member(name=f"重名{(start + i) // 2}", gender="M", document_number=resident_id(start + i, birth=datetime.date(1980, 1, 1)),
               birth_date=datetime.date(1980, 1, 1), phone=f"1360000{start + i:04d}", union=union, employer=employer,
               town_street=employer.town_street)
        for i in range(count)
    ])


class TestDuplicatesAdmin:
    url = reverse("admin:membership_membermerge_duplicates")

    def test_query_count_is_flat_as_rows_grow(self, client, organisation):
        client.force_login(organisation)
        _bulk_members(2000, 10)
        client.get(self.url)
        with CaptureQueriesContext(connection) as small:
            response = client.get(self.url)
        assert len(response.context["pairs"]) == 5
        _bulk_members(3000, 200)
        with CaptureQueriesContext(connection) as large:
            response = client.get(self.url)
        assert len(response.context["pairs"]) == 105
        assert len(large.captured_queries) == len(small.captured_queries)

    def test_merge_through_admin_and_read_the_record(self, client, organisation):
        a = MemberFactory(name="周建华")
        b = MemberFactory(name="周建华", document_type="passport", document_number=a.document_number)
        Notification.objects.create(member=b, title="x")
        client.force_login(organisation)
        assert "周建华" in client.get(self.url).content.decode()
        merge_url = reverse("admin:membership_membermerge_merge", args=[a.pk, b.pk])
        assert client.get(merge_url).status_code == 200
        response = client.post(merge_url, {"survivor": a.pk, "note": "核实为同一人"})
        merge = MemberMerge.objects.get()
        assert response.status_code == 302 and response.url == reverse("admin:membership_membermerge_change", args=[merge.pk])
        page = client.get(response.url).content.decode()
        assert "notify.notification" in page and str(b.pk) in page
        assert Notification.objects.get().member == a

    def test_officers_and_other_groups_cannot_merge(self, client, officer, staff_of):
        a, b = MemberFactory(), MemberFactory()
        for user in (officer, staff_of(roles.RIGHTS), staff_of(roles.LEADERSHIP)):
            client.force_login(user)
            assert client.get(self.url).status_code == 403
            assert client.post(reverse("admin:membership_membermerge_merge", args=[a.pk, b.pk]),
                               {"survivor": a.pk}).status_code == 403
        assert Member.objects.filter(pk=b.pk).exists()


def test_an_officer_sees_only_the_merges_of_their_own_union(client, twins, organisation):
    survivor, removed, officer = twins
    merge = member_merge(survivor=survivor, removed=removed, by=organisation)
    outsider = OfficerFactory(union=UnionFactory(name="义乌市另一测试公司工会")).user
    change = reverse("admin:membership_membermerge_change", args=[merge.pk])
    history = reverse("admin:membership_membermerge_history", args=[merge.pk])
    changelist = reverse("admin:membership_membermerge_changelist")

    client.force_login(outsider)
    assert client.get(change).status_code == 404
    assert client.get(history).status_code == 404
    for odd in ["x", "99999999999999999999", "-1"]:
        assert client.get(reverse("admin:membership_membermerge_change", args=[odd])).status_code == 404
    listed = client.get(changelist)
    assert listed.status_code == 200 and f"{change}" not in listed.content.decode()

    client.force_login(officer)
    assert client.get(change).status_code == 200
    assert client.get(history).status_code == 200
    assert change in client.get(changelist).content.decode()


def test_a_merge_whose_survivor_left_stays_with_the_union_it_was_merged_in(client, twins, organisation):
    survivor, removed, officer = twins
    merge = member_merge(survivor=survivor, removed=removed, by=organisation)
    Member.objects.filter(pk=survivor.pk).update(union=UnionFactory(name="义乌市第三测试公司工会"))
    client.force_login(officer)
    assert client.get(reverse("admin:membership_membermerge_change", args=[merge.pk])).status_code == 200
