"""Deciding join requests: approval makes a member with a number and a login; decline and
forward; only the receiving union's officer (or 组织部) decides, in services and in admin."""

import pytest
from django.urls import reverse

from apps.accounts import roles
from apps.core.workflow import IllegalTransition
from apps.members.models import Member
from apps.membership.errors import (
    AlreadyMember,
    DeclineReasonRequired,
    ForwardTargetRequired,
    NotYourUnion,
)
from apps.membership.models import JoinStatus
from apps.membership.services import join_request_submit, join_request_transition
from apps.notify.models import Notification
from tests.factories import MemberFactory, OfficerFactory, UnionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending(applicant, employer):
    return join_request_submit(**applicant(employer=employer))


@pytest.fixture
def union_officer(employer):
    return OfficerFactory(union=employer.union).user


@pytest.fixture
def stranger_officer(db):
    return OfficerFactory().user


class TestApprove:
    def test_approval_registers_member_with_number_and_login_and_tells_by_sms(
        self, pending, union_officer, sms_outbox, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            decided = join_request_transition(join_request=pending, to=JoinStatus.APPROVED, by=union_officer)
        member = decided.member
        assert member.membership_number.startswith("YW")
        assert member.union == pending.union and member.employer == pending.employer
        assert member.user is not None and member.user.is_active and member.phone_verified_at
        assert (member.name, member.document_number, member.phone) == (pending.name, pending.document_number, pending.phone)
        assert decided.status == JoinStatus.APPROVED and decided.decided_by == union_officer
        change = decided.changes.last()
        assert (change.from_status, change.to_status, change.actor) == (JoinStatus.PENDING, JoinStatus.APPROVED, union_officer)
        assert Notification.objects.filter(member=member, title="入会申请已通过").exists()
        assert member.membership_number in sms_outbox[-1].text and sms_outbox[-1].phone == pending.phone

    def test_approval_registers_typed_employer_without_union(self, applicant, catch_all, sms_outbox):
        request = join_request_submit(**applicant(employer_name="义乌市新开张电商工作室"))
        officer = OfficerFactory(union=catch_all).user
        member = join_request_transition(join_request=request, to=JoinStatus.APPROVED, by=officer).member
        assert member.union == catch_all
        assert member.employer.name == "义乌市新开张电商工作室" and member.employer.union is None

    def test_approval_refused_when_someone_became_member_meanwhile(self, pending, union_officer):
        MemberFactory(document_number=pending.document_number)
        with pytest.raises(AlreadyMember):
            join_request_transition(join_request=pending, to=JoinStatus.APPROVED, by=union_officer)
        pending.refresh_from_db()
        assert pending.status == JoinStatus.PENDING and pending.changes.count() == 1

    def test_decided_request_cannot_be_decided_again(self, pending, union_officer):
        join_request_transition(join_request=pending, to=JoinStatus.APPROVED, by=union_officer)
        with pytest.raises(IllegalTransition):
            join_request_transition(join_request=pending, to=JoinStatus.DECLINED, by=union_officer, note="重复")
        assert Member.objects.count() == 1


class TestDeclineAndForward:
    def test_decline_needs_reason_and_sends_it(self, pending, union_officer, sms_outbox, django_capture_on_commit_callbacks):
        with pytest.raises(DeclineReasonRequired):
            join_request_transition(join_request=pending, to=JoinStatus.DECLINED, by=union_officer)
        with django_capture_on_commit_callbacks(execute=True):
            join_request_transition(join_request=pending, to=JoinStatus.DECLINED, by=union_officer, note="非本单位职工")
        pending.refresh_from_db()
        assert pending.status == JoinStatus.DECLINED and pending.decline_reason == "非本单位职工"
        assert "非本单位职工" in sms_outbox[-1].text
        assert not Member.objects.exists()

    def test_forward_moves_request_to_other_union_which_then_decides(self, pending, union_officer, sms_outbox):
        other_union = UnionFactory()
        with pytest.raises(ForwardTargetRequired):
            join_request_transition(join_request=pending, to=JoinStatus.FORWARDED, by=union_officer, to_union=other_union)
        join_request_transition(
            join_request=pending, to=JoinStatus.FORWARDED, by=union_officer, to_union=other_union, note="已调至分公司"
        )
        pending.refresh_from_db()
        assert pending.union == other_union and pending.status == JoinStatus.FORWARDED
        change = pending.changes.last()
        assert (change.from_union, change.to_union, change.note) == (union_officer.union_roles.get().union, other_union, "已调至分公司")
        with pytest.raises(NotYourUnion):
            join_request_transition(join_request=pending, to=JoinStatus.APPROVED, by=union_officer)
        new_officer = OfficerFactory(union=other_union).user
        member = join_request_transition(join_request=pending, to=JoinStatus.APPROVED, by=new_officer).member
        # The employer belongs to the first union: the member is not linked to it.
        assert member.union == other_union and member.employer is None


class TestWhoDecides:
    def test_officer_of_another_union_cannot_decide(self, pending, stranger_officer):
        for to, note in [(JoinStatus.APPROVED, ""), (JoinStatus.DECLINED, "x")]:
            with pytest.raises(NotYourUnion):
                join_request_transition(join_request=pending, to=to, by=stranger_officer, note=note)
        pending.refresh_from_db()
        assert pending.status == JoinStatus.PENDING and not Member.objects.exists()

    def test_other_staff_group_cannot_decide_but_organisation_can(self, pending, staff_of, organisation):
        with pytest.raises(NotYourUnion):
            join_request_transition(join_request=pending, to=JoinStatus.APPROVED, by=staff_of(roles.RIGHTS))
        join_request_transition(join_request=pending, to=JoinStatus.APPROVED, by=organisation)
        assert Member.objects.count() == 1


class TestAdmin:
    changelist = reverse("admin:membership_joinrequest_changelist")

    def test_officer_sees_and_decides_only_own_union(self, client, pending, applicant, stranger_officer, union_officer):
        client.force_login(stranger_officer)
        page = client.get(self.changelist)
        assert page.status_code == 200 and pending.name not in page.content.decode()
        assert client.get(reverse("admin:membership_joinrequest_change", args=[pending.pk])).status_code == 404
        client.post(self.changelist, {"action": "approve", "_selected_action": [pending.pk]})
        pending.refresh_from_db()
        assert pending.status == JoinStatus.PENDING

        client.force_login(union_officer)
        assert pending.name in client.get(self.changelist).content.decode()
        response = client.post(self.changelist, {"action": "approve", "_selected_action": [pending.pk]})
        assert response.status_code == 302
        pending.refresh_from_db()
        assert pending.status == JoinStatus.APPROVED and pending.member.membership_number

    def test_decline_action_asks_reason_then_declines(self, client, pending, union_officer):
        client.force_login(union_officer)
        page = client.post(self.changelist, {"action": "decline", "_selected_action": [pending.pk]})
        assert "未通过原因" in page.content.decode()
        pending.refresh_from_db()
        assert pending.status == JoinStatus.PENDING
        client.post(self.changelist, {"action": "decline", "_selected_action": [pending.pk], "apply": "1", "note": "不符合条件"})
        pending.refresh_from_db()
        assert pending.status == JoinStatus.DECLINED and pending.decline_reason == "不符合条件"

    def test_forward_action(self, client, pending, union_officer):
        target = UnionFactory()
        client.force_login(union_officer)
        client.post(self.changelist, {
            "action": "forward", "_selected_action": [pending.pk], "apply": "1", "to_union": target.pk, "note": "转交",
        })
        pending.refresh_from_db()
        assert pending.union == target and pending.status == JoinStatus.FORWARDED

    def test_organisation_sees_all_and_wrong_group_is_refused(self, client, pending, organisation, staff_of):
        client.force_login(organisation)
        assert pending.name in client.get(self.changelist).content.decode()
        client.force_login(staff_of(roles.RIGHTS))
        assert client.get(self.changelist).status_code == 403
        assert client.get(reverse("admin:membership_joinrequest_change", args=[pending.pk])).status_code == 403

    def test_masked_identity_for_officers(self, client, pending, union_officer):
        client.force_login(union_officer)
        for url in [self.changelist, reverse("admin:membership_joinrequest_change", args=[pending.pk])]:
            page = client.get(url).content.decode()
            assert pending.document_number not in page and pending.masked_document in page


def test_forward_action_page_renders_union_autocomplete(client, pending, union_officer):
    client.force_login(union_officer)
    page = client.post(reverse("admin:membership_joinrequest_changelist"),
                       {"action": "forward", "_selected_action": [pending.pk]}).content.decode()
    assert "转交说明" in page and "admin-autocomplete" in page
