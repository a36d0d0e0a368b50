"""Transfers (转会): release by the old union, acceptance by the new one, number and history kept."""

import pytest
from django.urls import reverse

from apps.accounts import roles
from apps.members.models import Member
from apps.membership.errors import (
    DeclineReasonRequired,
    NotYourUnion,
    SameUnion,
    TransferOpen,
)
from apps.membership.models import Transfer, TransferStatus
from apps.membership.services import transfer_request, transfer_transition
from apps.notify.models import Notification
from tests.factories import EmployerFactory, OfficerFactory, town

pytestmark = pytest.mark.django_db


@pytest.fixture
def new_employer(db):
    return EmployerFactory(name="义乌市新岗位科技有限公司", town_street=town("beiyuan"))


@pytest.fixture
def new_officer(new_employer):
    return OfficerFactory(union=new_employer.union).user


def test_transfer_keeps_membership_number_and_history(member, officer, new_employer, new_officer, sms_outbox):
    number, old_union, old_employer = member.membership_number, member.union, member.employer
    transfer = transfer_request(member=member, by=member.user, to_employer=new_employer, reason="换工作")
    assert transfer.status == TransferStatus.PENDING_RELEASE and transfer.to_union == new_employer.union
    with pytest.raises(NotYourUnion):  # the new union cannot release for the old one
        transfer_transition(transfer=transfer, to=TransferStatus.PENDING_ACCEPT, by=new_officer)
    transfer_transition(transfer=transfer, to=TransferStatus.PENDING_ACCEPT, by=officer)
    with pytest.raises(NotYourUnion):  # nor the old union accept for the new one
        transfer_transition(transfer=transfer, to=TransferStatus.COMPLETED, by=officer)
    transfer_transition(transfer=transfer, to=TransferStatus.COMPLETED, by=new_officer)

    member.refresh_from_db()
    assert member.membership_number == number
    assert (member.union, member.employer, member.town_street) == (new_employer.union, new_employer, town("beiyuan"))
    assert member.status == Member.Status.ACTIVE
    before = member.history.order_by("-history_date")[1]
    assert (before.union_id, before.employer_id) == (old_union.pk, old_employer.pk)
    latest = member.history.first()
    assert latest.history_user == new_officer and "转会" in latest.history_change_reason
    transfer.refresh_from_db()
    assert [c.to_status for c in transfer.changes.all()] == [
        TransferStatus.PENDING_RELEASE, TransferStatus.PENDING_ACCEPT, TransferStatus.COMPLETED,
    ]
    assert transfer.finished_at and transfer.days_waiting == 0
    assert Notification.objects.filter(member=member, title="转会已完成").exists()


def test_officer_of_old_union_initiates_transfer_of_member_who_left(member, officer, new_employer, new_officer):
    transfer = transfer_request(member=member, by=officer, to_employer=new_employer)
    assert transfer.status == TransferStatus.PENDING_ACCEPT and transfer.by_officer
    assert transfer.changes.count() == 2
    transfer_transition(transfer=transfer, to=TransferStatus.COMPLETED, by=new_officer)
    member.refresh_from_db()
    assert member.union == new_employer.union


def test_other_officers_cannot_initiate_or_decide(member, other_officer, new_employer, staff_of):
    with pytest.raises(NotYourUnion):
        transfer_request(member=member, by=other_officer, to_employer=new_employer)
    transfer = transfer_request(member=member, by=member.user, to_employer=new_employer)
    for user in (other_officer, staff_of(roles.RIGHTS)):
        with pytest.raises(NotYourUnion):
            transfer_transition(transfer=transfer, to=TransferStatus.PENDING_ACCEPT, by=user)
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.PENDING_RELEASE


def test_one_open_transfer_same_union_and_decline_needs_reason(member, officer, new_employer, catch_all):
    with pytest.raises(SameUnion):
        transfer_request(member=member, by=member.user, to_employer=EmployerFactory(union=member.union))
    transfer = transfer_request(member=member, by=member.user, to_employer=new_employer)
    with pytest.raises(TransferOpen):
        transfer_request(member=member, by=member.user, to_employer_name="另一家单位", to_town_street=town("choucheng"))
    with pytest.raises(DeclineReasonRequired):
        transfer_transition(transfer=transfer, to=TransferStatus.DECLINED, by=officer)
    transfer_transition(transfer=transfer, to=TransferStatus.DECLINED, by=officer, note="尚未办理离职")
    assert Transfer.objects.get().status == TransferStatus.DECLINED


def test_unknown_new_employer_goes_to_catch_all_and_is_registered(member, officer, catch_all):
    transfer = transfer_request(
        member=member, by=member.user, to_employer_name="稠城某新开网店", to_town_street=town("choucheng")
    )
    assert transfer.to_union == catch_all
    transfer_transition(transfer=transfer, to=TransferStatus.PENDING_ACCEPT, by=officer)
    transfer_transition(transfer=transfer, to=TransferStatus.COMPLETED, by=OfficerFactory(union=catch_all).user)
    member.refresh_from_db()
    assert member.union == catch_all and member.employer.name == "稠城某新开网店" and member.employer.union is None


class TestTransferPage:
    url = reverse("membership:transfer")

    def test_member_asks_and_cancels(self, client, member, new_employer):
        client.force_login(member.user)
        response = client.post(self.url, {"to_employer_name": new_employer.name, "to_employer": new_employer.pk,
                                          "to_town_street": town("choucheng").pk, "reason": "换工作"})
        assert response.status_code == 302
        transfer = Transfer.objects.get(member=member)
        page = client.get(self.url).content.decode()
        assert "待原工会放行" in page and new_employer.union.name in page
        client.post(reverse("membership:transfer_cancel", args=[transfer.pk]))
        transfer.refresh_from_db()
        assert transfer.status == TransferStatus.CANCELLED

    def test_page_is_only_for_the_signed_in_member(self, client, member, other_member, officer, new_employer):
        transfer = transfer_request(member=member, by=member.user, to_employer=new_employer)
        assert client.get(self.url).status_code == 302
        client.force_login(officer)
        assert client.get(self.url).status_code == 404
        client.force_login(other_member.user)
        assert new_employer.name not in client.get(self.url).content.decode()
        assert client.post(reverse("membership:transfer_cancel", args=[transfer.pk])).status_code == 404
        transfer.refresh_from_db()
        assert transfer.status == TransferStatus.PENDING_RELEASE

    def test_bad_input_is_explained(self, client, member):
        client.force_login(member.user)
        page = client.post(self.url, {"to_employer_name": "", "to_town_street": ""}).content.decode()
        assert "这个字段是必填项" in page
        assert not Transfer.objects.exists()


class TestTransferAdmin:
    changelist = reverse("admin:membership_transfer_changelist")

    def test_each_union_acts_on_its_step_in_admin(self, client, member, officer, new_employer, new_officer, other_officer):
        transfer = transfer_request(member=member, by=member.user, to_employer=new_employer)
        client.force_login(other_officer)
        assert member.name not in client.get(self.changelist).content.decode()
        client.force_login(new_officer)
        assert member.name in client.get(self.changelist).content.decode()  # incoming, visible
        client.post(self.changelist, {"action": "accept", "_selected_action": [transfer.pk]})
        transfer.refresh_from_db()
        assert transfer.status == TransferStatus.PENDING_RELEASE  # refused: not released yet
        client.force_login(officer)
        client.post(self.changelist, {"action": "release", "_selected_action": [transfer.pk]})
        client.force_login(new_officer)
        client.post(self.changelist, {"action": "accept", "_selected_action": [transfer.pk]})
        transfer.refresh_from_db()
        assert transfer.status == TransferStatus.COMPLETED

    def test_officer_initiates_from_admin(self, client, member, officer, new_employer):
        client.force_login(officer)
        url = reverse("admin:membership_transfer_initiate")
        assert client.get(url).status_code == 200
        response = client.post(url, {"member": member.pk, "to_employer": new_employer.pk, "reason": "已离职"})
        assert response.status_code == 302
        assert Transfer.objects.get().status == TransferStatus.PENDING_ACCEPT

    def test_changelist_shows_days_waiting(self, client, member, officer, new_employer):
        transfer_request(member=member, by=member.user, to_employer=new_employer)
        client.force_login(officer)
        assert "等待天数" in client.get(self.changelist).content.decode()

    def test_wrong_staff_group_refused(self, client, staff_of):
        client.force_login(staff_of(roles.RIGHTS))
        assert client.get(self.changelist).status_code == 403
