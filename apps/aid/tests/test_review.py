"""Union check, centre approval within the standard, limits and budget, second approval,
public notice with masked names, objections and payment; the member told at each step."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.aid.errors import AmountAboveStandard, SameApprover
from apps.aid.models import Application, ApplicationStatusChange, Status
from apps.aid.services import application_notice_publish, application_transition
from apps.core.limits import LimitExceeded, allowance_used
from apps.core.workflow import DetailRequired, MoveNotPermitted
from apps.notices.errors import NoticeStillRunning, ObjectionsOpen
from apps.notices.models import NoticeItem, Objection
from apps.notices.services import objection_answer
from apps.notify.models import Notification
from tests.factories import MemberFactory, OfficerFactory, UserFactory

from .conftest import open_file, submitted_student, today

pytestmark = pytest.mark.django_db


def noticed(application, actor, days_ago=30):
    application_notice_publish(applications=[application], actor=actor,
                               starts_on=today() - datetime.timedelta(days=days_ago))
    return Application.objects.get(pk=application.pk)


class TestUnionCheck:
    def test_own_union_officer_checks(self, member, officer, student_aid):
        application = submitted_student(member, student_aid)
        moved = application_transition(application=application, target=Status.CHECKED, actor=officer)
        assert moved.status == Status.CHECKED and moved.checked_by == officer
        change = ApplicationStatusChange.objects.get(application=application, to_status=Status.CHECKED)
        assert (change.actor, change.member, change.from_status) == (officer, member, Status.SUBMITTED)

    def test_another_unions_officer_cannot_check(self, member, other_officer, student_aid):
        application = submitted_student(member, student_aid)
        with pytest.raises(MoveNotPermitted):
            application_transition(application=application, target=Status.CHECKED, actor=other_officer)
        application.refresh_from_db()
        assert application.status == Status.SUBMITTED

    def test_aid_centre_cannot_skip_the_union_check(self, member, aid_staff, student_aid):
        application = submitted_student(member, student_aid)
        with pytest.raises(MoveNotPermitted):
            application_transition(application=application, target=Status.CHECKED, actor=aid_staff)

    def test_return_needs_a_reason_and_reopens_the_form(self, client, member, officer, student_aid):
        application = submitted_student(member, student_aid)
        with pytest.raises(DetailRequired) as exc:
            application_transition(application=application, target=Status.RETURNED, actor=officer)
        assert exc.value.message == "请填写原因。"
        application_transition(application=application, target=Status.RETURNED, actor=officer, reason="请补充学籍证明")
        client.force_login(member.user)
        page = client.get(reverse("aid:edit", kwargs={"pk": application.pk})).content.decode()
        assert "请补充学籍证明" in page
        response = client.post(reverse("aid:edit", kwargs={"pk": application.pk}), {
            "child_name": "张小明", "school": "义乌中学", "school_level": "high", "submit": "1",
        })
        assert response.status_code == 302
        application.refresh_from_db()
        assert application.status == Status.SUBMITTED and application.number.endswith("000001")


class TestApproval:
    def test_amount_above_standard_is_refused(self, member, aid_staff, student_aid, make_application):
        application = make_application(member, student_aid, Status.CHECKED)
        with pytest.raises(AmountAboveStandard) as exc:  # high school, no hardship file: 1000
            application_transition(application=application, target=Status.APPROVED, actor=aid_staff, amount=Decimal("1500"))
        assert exc.value.message == "批准金额不能超过该项目的标准 1000.00 元。"
        application.refresh_from_db()
        assert application.status == Status.CHECKED and application.amount is None
        assert allowance_used(student_aid.campaign.budget_key) == 0

    def test_standard_follows_the_hardship_file(self, member, aid_staff, student_aid, make_application):
        open_file(member)
        application = make_application(member, student_aid, Status.CHECKED)
        moved = application_transition(application=application, target=Status.APPROVED, actor=aid_staff, amount=Decimal("2000"))
        assert moved.status == Status.APPROVED and moved.hardship_level == "deep"

    @pytest.mark.parametrize("amount", [Decimal("-1"), Decimal("0")])
    def test_amount_not_positive(self, member, aid_staff, student_aid, make_application, amount):
        application = make_application(member, student_aid, Status.CHECKED)
        with pytest.raises(Exception) as exc:
            application_transition(application=application, target=Status.APPROVED, actor=aid_staff, amount=amount)
        assert exc.value.message == "金额必须大于零。"

    def test_officer_cannot_approve(self, member, officer, student_aid, make_application):
        application = make_application(member, student_aid, Status.CHECKED)
        with pytest.raises(MoveNotPermitted):
            application_transition(application=application, target=Status.APPROVED, actor=officer, amount=Decimal("500"))

    def test_budget_is_held(self, member, other_member, aid_staff, student_aid, make_application):
        campaign = student_aid.campaign
        campaign.budget = Decimal("1500")
        campaign.save()
        first = make_application(member, student_aid, Status.APPROVED, amount=Decimal("1000"))
        second = make_application(other_member, student_aid, Status.CHECKED)
        with pytest.raises(LimitExceeded) as exc:
            application_transition(application=second, target=Status.APPROVED, actor=aid_staff, amount=Decimal("1000"))
        assert exc.value.message == "超出活动预算：剩余 500。"
        assert first.status == Status.APPROVED
        assert allowance_used(campaign.budget_key) == Decimal("1000")

    def test_yearly_limit_across_campaigns(self, member, aid_staff, student_aid, illness_aid, policy, make_application):
        policy.yearly_limit = Decimal("1500")
        policy.save()
        make_application(member, student_aid, Status.APPROVED, amount=Decimal("1000"))
        from apps.aid.services import application_documents_add, application_start, application_update
        from apps.core.uploads import document_clean

        from .conftest import png_upload

        illness = application_start(aid_type=illness_aid, member=member, actor=member.user)
        application_update(application=illness, actor=member.user, facts={
            "diagnosis": "肺癌", "hospital": "义乌市中心医院", "treated_from": today() - datetime.timedelta(days=20),
            "total_cost": Decimal("86000"), "out_of_pocket": Decimal("30000"),
        })
        application_documents_add(application=illness, actor=member.user, documents=[("receipt", document_clean(png_upload()))])
        application_transition(application=illness, target=Status.SUBMITTED, actor=member.user)
        application_transition(application=illness, target=Status.CHECKED, actor=OfficerFactory(union=member.union).user)
        with pytest.raises(LimitExceeded) as exc:
            application_transition(application=illness, target=Status.APPROVED, actor=aid_staff, amount=Decimal("800"))
        assert exc.value.message == "超出本人年度救助限额：剩余 500。"

    def test_over_threshold_needs_a_second_different_approver(self, member, aid_staff, second_staff, illness_aid, sms_outbox):
        from apps.aid.services import application_documents_add, application_start, application_update
        from apps.core.uploads import document_clean

        from .conftest import png_upload

        application = application_start(aid_type=illness_aid, member=member, actor=member.user)
        application_update(application=application, actor=member.user, facts={
            "diagnosis": "尿毒症", "hospital": "浙大四院", "treated_from": today() - datetime.timedelta(days=40),
            "treated_to": today() - datetime.timedelta(days=5), "total_cost": Decimal("120000"),
            "insurance_paid": Decimal("70000"), "mutual_aid_paid": Decimal("10000"), "out_of_pocket": Decimal("40000"),
        })
        application_documents_add(application=application, actor=member.user, documents=[("receipt", document_clean(png_upload()))])
        application_transition(application=application, target=Status.SUBMITTED, actor=member.user)
        application_transition(application=application, target=Status.CHECKED, actor=OfficerFactory(union=member.union).user)
        moved = application_transition(application=application, target=Status.APPROVED, actor=aid_staff, amount=Decimal("8000"))
        assert moved.status == Status.REVIEWED and moved.first_approver == aid_staff
        with pytest.raises(SameApprover) as exc:
            application_transition(application=application, target=Status.APPROVED, actor=aid_staff)
        assert "复核须由另一名工作人员进行" in exc.value.message
        final = application_transition(application=application, target=Status.APPROVED, actor=second_staff)
        assert final.status == Status.APPROVED and final.second_approver == second_staff

    def test_decline_needs_reason_and_tells_the_member(self, member, aid_staff, student_aid, make_application):
        application = make_application(member, student_aid, Status.CHECKED)
        with pytest.raises(DetailRequired):
            application_transition(application=application, target=Status.DECLINED, actor=aid_staff)
        application_transition(application=application, target=Status.DECLINED, actor=aid_staff, reason="家庭收入超过标准")
        note = Notification.objects.filter(member=member).latest("pk")
        assert note.title == "救助申请未获批准" and "家庭收入超过标准" in note.body


class TestNoticeAndPayment:
    def test_notice_shows_masked_name_and_no_id(self, client, member, aid_staff, student_aid, make_application):
        application = make_application(member, student_aid, Status.APPROVED)
        application = noticed(application, aid_staff, days_ago=0)
        assert application.status == Status.NOTICED
        item = NoticeItem.objects.get(ref=application.ref)
        assert item.display_name == "张*红"
        html = client.get(reverse("notices:detail", kwargs={"pk": item.notice_id})).content.decode()
        assert "张*红" in html
        assert member.name not in html
        assert member.document_number not in html and member.document_number[-6:] not in html
        assert member.phone not in html

    def test_payment_before_the_notice_ends_is_refused(self, member, aid_staff, student_aid, make_application):
        application = noticed(make_application(member, student_aid, Status.APPROVED), aid_staff, days_ago=0)
        with pytest.raises(NoticeStillRunning):
            application_transition(application=application, target=Status.PAID, actor=aid_staff, paid_method="bank",
                                   paid_on=today(), paid_reference="YH001")
        application.refresh_from_db()
        assert application.status == Status.NOTICED and application.paid_on is None

    def test_payment_with_an_open_objection_is_refused_until_answered(self, member, aid_staff, student_aid, make_application):
        application = noticed(make_application(member, student_aid, Status.APPROVED), aid_staff, days_ago=30)
        item = NoticeItem.objects.get(ref=application.ref)
        objection = Objection.objects.create(notice=item.notice, item=item, content="此人家庭并不困难", contact="13900000000")
        with pytest.raises(ObjectionsOpen):
            application_transition(application=application, target=Status.PAID, actor=aid_staff, paid_method="bank",
                                   paid_on=today(), paid_reference="YH001")
        objection_answer(objection=objection, actor=aid_staff, answer="经核实，家庭确有困难")
        paid = application_transition(application=application, target=Status.PAID, actor=aid_staff, paid_method="bank",
                                      paid_on=today(), paid_reference="YH001")
        assert (paid.status, paid.paid_by, paid.paid_reference) == (Status.PAID, aid_staff, "YH001")

    def test_payment_needs_method_date_and_reference(self, member, aid_staff, student_aid, make_application):
        application = noticed(make_application(member, student_aid, Status.APPROVED), aid_staff)
        with pytest.raises(DetailRequired) as exc:
            application_transition(application=application, target=Status.PAID, actor=aid_staff, paid_method="bank",
                                   paid_on=today())
        assert "转账或领款凭证号" in exc.value.message

    def test_payment_list_exports_for_the_bank(self, client, member, aid_staff, student_aid, make_application):
        application = noticed(make_application(member, student_aid, Status.APPROVED), aid_staff)
        Application.objects.filter(pk=application.pk).update(bank_account="6222021208001234567", bank_name="义乌农商银行")
        client.force_login(aid_staff)
        response = client.post(reverse("admin:aid_application_changelist"),
                               {"action": "export_payment_list", "_selected_action": [application.pk]})
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        from io import BytesIO

        from openpyxl import load_workbook

        body = b"".join(response.streaming_content) if response.streaming else response.content
        rows = list(load_workbook(BytesIO(body)).active.values)
        assert rows[1][0] == application.number and rows[1][4] == "6222021208001234567" and rows[1][5] == 1000


class TestAdminDecisionPage:
    def test_the_whole_path_through_the_decision_page(self, client, member, officer, aid_staff, student_aid, sms_outbox,
                                                      django_capture_on_commit_callbacks):
        application = submitted_student(member, student_aid)
        url = reverse("admin:aid_application_decide", args=[application.pk])
        client.force_login(officer)
        assert client.get(url).status_code == 200
        client.post(url, {"target": "checked"})
        client.force_login(aid_staff)
        response = client.post(url, {"target": "approved", "amount": "2000"})
        assert "批准金额不能超过该项目的标准 1000.00 元" in response.content.decode()
        with django_capture_on_commit_callbacks(execute=True):
            client.post(url, {"target": "approved", "amount": "1000"})
        application.refresh_from_db()
        assert application.status == Status.APPROVED and application.amount == Decimal("1000")
        client.post(reverse("admin:aid_application_changelist"), {"action": "publish_notice", "_selected_action": [application.pk]})
        application.refresh_from_db()
        assert application.status == Status.NOTICED
        response = client.post(url, {"target": "paid", "paid_method": "bank", "paid_on": today().isoformat(), "paid_reference": "X1"})
        assert "公示期内不能作出最终决定" in response.content.decode()
        titles = list(Notification.objects.filter(member=member).order_by("pk").values_list("title", flat=True))
        assert titles == ["救助申请已提交", "救助申请工会审核通过", "救助申请已批准", "救助申请公示中"]
        assert any("已批准" in m.text for m in sms_outbox if m.phone == member.phone)

    def test_another_unions_officer_gets_404(self, client, member, other_officer, student_aid):
        application = submitted_student(member, student_aid)
        client.force_login(other_officer)
        assert client.get(reverse("admin:aid_application_decide", args=[application.pk])).status_code == 404
        assert client.post(reverse("admin:aid_application_decide", args=[application.pk]), {"target": "checked"}).status_code == 404
        application.refresh_from_db()
        assert application.status == Status.SUBMITTED


def test_paid_on_in_the_future_is_refused(member, aid_staff, student_aid, make_application):
    application = noticed(make_application(member, student_aid, Status.APPROVED), aid_staff)
    with pytest.raises(Exception) as exc:
        application_transition(application=application, target=Status.PAID, actor=aid_staff, paid_method="cash",
                               paid_on=timezone.localdate() + datetime.timedelta(days=2), paid_reference="R1")
    assert exc.value.message == "发放日期不能晚于今天。"


def test_unrelated_user_cannot_submit_for_someone(student_aid):
    member = MemberFactory(user=UserFactory())
    from apps.aid.services import application_start

    application = application_start(aid_type=student_aid, member=member, actor=member.user)
    with pytest.raises(MoveNotPermitted):
        application_transition(application=application, target=Status.SUBMITTED, actor=UserFactory())


def test_notice_task_publishes_a_large_selection(member, aid_staff, student_aid, make_application):
    from apps.aid.tasks import notice_publish_task

    application = make_application(member, student_aid, Status.APPROVED)
    assert notice_publish_task([application.pk], aid_staff.pk) == 1
    application.refresh_from_db()
    assert application.status == Status.NOTICED and application.notice is not None
    assert notice_publish_task([application.pk], aid_staff.pk) == 0
