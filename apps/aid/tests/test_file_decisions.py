"""The aid centre's decision on a proposed hardship file: opened or refused with a reason,
recorded with who and when, and told to the member."""

from decimal import Decimal

import pytest
from django.urls import reverse

from apps.aid.errors import FileNotProposed, RefusalReasonRequired
from apps.aid.models import FileStatus, FileStatusChange, HardshipFile
from apps.aid.services import hardship_file_decide, hardship_file_propose
from apps.notify.models import Notification

pytestmark = pytest.mark.django_db


def propose(member, officer):
    return hardship_file_propose(
        member=member, level="relative", address="义乌市稠城街道县前街1号", primary_cause="illness",
        secondary_causes=[], union=member.union, actor=officer,
        household=[{"name": member.name, "relation": "本人", "age": 45, "monthly_income": Decimal("1500")}],
    )


def test_refusal_needs_a_reason_and_changes_nothing_without_one(member, officer, aid_staff):
    file = propose(member, officer)
    with pytest.raises(RefusalReasonRequired) as exc:
        hardship_file_decide(file=file, actor=aid_staff, approve=False, note="  ")
    assert exc.value.message == "不予建档须填写原因，原因会告知职工。"
    file.refresh_from_db()
    assert file.status == FileStatus.PROPOSED
    assert not Notification.objects.filter(member=member).exists()


def test_refusal_is_recorded_with_who_and_when_and_told_to_the_member(member, officer, aid_staff, sms_outbox,
                                                                        django_capture_on_commit_callbacks):
    file = propose(member, officer)
    with django_capture_on_commit_callbacks(execute=True):
        refused = hardship_file_decide(file=file, actor=aid_staff, approve=False, note="家庭人均收入高于认定标准")
    assert (refused.status, refused.closed_reason, refused.decided_by) == (FileStatus.CLOSED, "家庭人均收入高于认定标准", aid_staff)
    change = FileStatusChange.objects.filter(file=file).order_by("id").last()
    assert (change.from_status, change.to_status, change.actor, change.member_id) == ("proposed", "closed", aid_staff, member.pk)
    assert change.note == "家庭人均收入高于认定标准" and change.at is not None
    notice = Notification.objects.get(member=member)
    assert "未予建档" in notice.body and "家庭人均收入高于认定标准" in notice.body
    with pytest.raises(FileNotProposed):
        hardship_file_decide(file=file, actor=aid_staff, approve=True)


def test_a_refused_member_may_be_proposed_again(member, officer, aid_staff):
    hardship_file_decide(file=propose(member, officer), actor=aid_staff, approve=False, note="材料不全")
    assert propose(member, officer).status == FileStatus.PROPOSED


def test_opening_is_recorded_and_told(member, officer, aid_staff):
    file = hardship_file_decide(file=propose(member, officer), actor=aid_staff, approve=True)
    assert list(FileStatusChange.objects.filter(file=file).values_list("to_status", flat=True)) == ["proposed", "open"]
    assert "认定建档" in Notification.objects.get(member=member).body


def test_admin_refusal_page(client, member, officer, aid_staff):
    file = propose(member, officer)
    url = reverse("admin:aid_hardshipfile_decide", args=[file.pk])
    client.force_login(aid_staff)
    assert client.get(reverse("admin:aid_hardshipfile_change", args=[file.pk])).status_code == 200
    page = client.get(url)
    assert page.status_code == 200 and "不予建档" in page.content.decode()
    response = client.post(url, {"decision": "refuse", "note": ""})
    assert "不予建档须填写原因" in response.content.decode()
    assert HardshipFile.objects.get(pk=file.pk).status == FileStatus.PROPOSED
    response = client.post(url, {"decision": "refuse", "note": "同户已有档案"})
    assert response.status_code == 302
    file.refresh_from_db()
    assert file.status == FileStatus.CLOSED and file.closed_reason == "同户已有档案"
    assert "同户已有档案" in client.get(reverse("admin:aid_hardshipfile_change", args=[file.pk])).content.decode()


def test_officers_and_other_groups_cannot_decide(client, member, officer, staff_of):
    from apps.accounts import roles

    file = propose(member, officer)
    url = reverse("admin:aid_hardshipfile_decide", args=[file.pk])
    client.force_login(officer)
    assert client.post(url, {"decision": "open"}).status_code == 403
    client.force_login(staff_of(roles.RIGHTS))
    assert client.post(url, {"decision": "open"}).status_code == 403
    assert HardshipFile.objects.get(pk=file.pk).status == FileStatus.PROPOSED


def test_a_second_file_of_an_open_household_is_not_opened(member, officer, aid_staff):
    from apps.aid.errors import HouseholdHasFile
    from tests.factories import MemberFactory

    first = hardship_file_decide(file=propose(member, officer), actor=aid_staff, approve=True)
    spouse = MemberFactory(name="王大伟", union=member.union, employer=member.employer)
    second = hardship_file_propose(
        member=spouse, level="relative", address="义乌市稠城街道县前街1号", primary_cause="illness",
        secondary_causes=[], union=member.union, actor=officer,
        household=[{"name": "王大伟", "relation": "本人", "age": 47, "monthly_income": Decimal("0")},
                   {"name": member.name, "relation": "配偶", "age": 45, "monthly_income": Decimal("1500")}],
    )
    assert second.household_conflict == first
    with pytest.raises(HouseholdHasFile) as exc:
        hardship_file_decide(file=second, actor=aid_staff, approve=True)
    assert "一户只能建一份档案" in exc.value.message
    assert HardshipFile.objects.get(pk=second.pk).status == FileStatus.PROPOSED
    hardship_file_decide(file=second, actor=aid_staff, approve=False, note="同户已有档案")


def test_admin_lists_due_rechecks_first_then_proposals_then_closed(client, member, officer, aid_staff):
    import datetime

    from tests.factories import MemberFactory

    from .conftest import open_file, today

    closed = hardship_file_decide(file=propose(MemberFactory(), None), actor=aid_staff, approve=False, note="不符合")
    proposed = propose(MemberFactory(), None)
    later = open_file(MemberFactory(), address="义乌市北苑街道春华路8号")
    due = open_file(member, address="义乌市江东街道1号")
    HardshipFile.objects.filter(pk=due.pk).update(recheck_due=today() - datetime.timedelta(days=3))
    client.force_login(aid_staff)
    rows = client.get(reverse("admin:aid_hardshipfile_changelist")).context["cl"].result_list
    assert [f.pk for f in rows] == [due.pk, later.pk, proposed.pk, closed.pk]


def test_member_sees_the_refusal_on_my_aid(client, member, officer, aid_staff, other_member):
    hardship_file_decide(file=propose(member, officer), actor=aid_staff, approve=False, note="家庭收入高于认定标准")
    client.force_login(member.user)
    body = client.get(reverse("aid:mine")).content.decode()
    assert "已退档" in body and "家庭收入高于认定标准" in body
    client.force_login(other_member.user)
    assert "家庭收入高于认定标准" not in client.get(reverse("aid:mine")).content.decode()
