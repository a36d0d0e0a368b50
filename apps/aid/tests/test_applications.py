"""A member applies from the phone: drafts, uploads kept, submission, and every refusal."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse

from apps.aid.errors import (
    CampaignClosed,
    DuplicateApplication,
    FileClosed,
    NotEditable,
    NotEligible,
    OutOfPocketAboveCost,
    OutsideOwnUnion,
)
from apps.aid.models import Application, ApplicationDocument, Campaign, CampaignKind, Status
from apps.aid.services import application_start, application_update
from apps.notify.models import Notification
from tests.factories import MemberFactory, OfficerFactory, UserFactory

from .conftest import EXE, PDF, STUDENT_FACTS, make_campaign, open_file, png_upload, submitted_student, today

pytestmark = pytest.mark.django_db


def student_post(**extra):
    return {"child_name": "张小明", "school": "义乌中学", "school_level": "high", "reason": "家庭困难", **extra}


class TestMemberApplies:
    def test_index_lists_open_campaigns_with_apply_buttons(self, client, member, student_aid, winter_aid):
        client.force_login(member.user)
        response = client.get(reverse("aid:index"))
        html = response.content.decode()
        assert student_aid.name in html
        assert reverse("aid:apply", kwargs={"type_pk": student_aid.pk}) in html
        # winter relief is for file holders only: no button, the reason instead
        assert reverse("aid:apply", kwargs={"type_pk": winter_aid.pk}) not in html
        assert "仅限困难职工档案在档职工申请" in html

    def test_student_aid_submitted_with_upload_gets_number(self, client, member, student_aid, sms_outbox,
                                                          django_capture_on_commit_callbacks):
        client.force_login(member.user)
        url = reverse("aid:apply", kwargs={"type_pk": student_aid.pk})
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url, {**student_post(), "admission": png_upload(), "submit": "1"})
        application = Application.objects.get()
        assert response.status_code == 302
        assert response["Location"] == reverse("aid:mine_detail", kwargs={"pk": application.pk})
        assert application.status == Status.SUBMITTED
        assert application.number == f"JZ{student_aid.campaign.year}-000001"
        assert application.documents.get().purpose == ApplicationDocument.Purpose.ADMISSION
        assert Notification.objects.filter(member=member, title="救助申请已提交").exists()
        assert any(application.number in m.text for m in sms_outbox if m.phone == member.phone)
        page = client.get(response["Location"]).content.decode()
        assert "待工会审核" in page and application.number in page

    def test_numbers_are_consecutive_per_year(self, member, other_member, student_aid):
        first = submitted_student(member, student_aid)
        second = submitted_student(other_member, student_aid)
        year = student_aid.campaign.year
        assert (first.number, second.number) == (f"JZ{year}-000001", f"JZ{year}-000002")

    def test_draft_saved_then_continued(self, client, member, student_aid):
        client.force_login(member.user)
        client.post(reverse("aid:apply", kwargs={"type_pk": student_aid.pk}), {"child_name": "张小明", "save": "1"})
        application = Application.objects.get()
        assert application.status == Status.DRAFT and application.number is None
        response = client.get(reverse("aid:apply", kwargs={"type_pk": student_aid.pk}))
        assert response["Location"] == reverse("aid:edit", kwargs={"pk": application.pk})
        page = client.get(response["Location"]).content.decode()
        assert 'value="张小明"' in page

    def test_upload_is_kept_when_the_form_is_shown_again(self, client, member, student_aid):
        client.force_login(member.user)
        response = client.post(
            reverse("aid:apply", kwargs={"type_pk": student_aid.pk}),
            {**student_post(school_level="nonsense"), "admission": png_upload(), "submit": "1"},
        )
        assert response.status_code == 200
        html = response.content.decode()
        assert "已选择的 1 个文件已保存在申请中，无需再次选择" in html
        assert "录取通知书.png" in html
        application = Application.objects.get()
        assert application.status == Status.DRAFT and application.documents.count() == 1
        # fixing the field alone now submits: the file is already there
        response = client.post(reverse("aid:edit", kwargs={"pk": application.pk}), {**student_post(), "submit": "1"})
        application.refresh_from_db()
        assert application.status == Status.SUBMITTED

    def test_submitting_without_the_admission_letter_is_refused(self, client, member, student_aid):
        client.force_login(member.user)
        response = client.post(reverse("aid:apply", kwargs={"type_pk": student_aid.pk}), {**student_post(), "submit": "1"})
        assert "请上传录取通知书或学籍证明" in response.content.decode()
        assert Application.objects.get().status == Status.DRAFT

    def test_submitted_application_is_read_only(self, client, member, student_aid):
        application = submitted_student(member, student_aid)
        client.force_login(member.user)
        response = client.post(reverse("aid:edit", kwargs={"pk": application.pk}), {**student_post(child_name="别人"), "save": "1"})
        assert response.status_code == 302
        application.refresh_from_db()
        assert application.child_name == "张小明"
        with pytest.raises(NotEditable):
            application_update(application=application, actor=member.user, facts=STUDENT_FACTS)


class TestRefusals:
    def test_closed_campaign(self, member, year, policy):
        campaign = make_campaign(CampaignKind.SUMMER, year, open_=False)
        aid_type = campaign.aid_types.create(name="夏送清凉")
        with pytest.raises(CampaignClosed) as exc:
            application_start(aid_type=aid_type, member=member, actor=member.user)
        assert exc.value.message == "该活动不在申请期内，暂不能申请。"
        assert not Application.objects.exists()

    def test_closed_campaign_page_says_so(self, client, member, year, policy):
        campaign = make_campaign(CampaignKind.SUMMER, year, open_=False)
        aid_type = campaign.aid_types.create(name="夏送清凉")
        client.force_login(member.user)
        response = client.get(reverse("aid:apply", kwargs={"type_pk": aid_type.pk}), follow=True)
        assert "该活动不在申请期内" in response.content.decode()

    def test_not_a_file_holder(self, member, winter_aid):
        with pytest.raises(NotEligible) as exc:
            application_start(aid_type=winter_aid, member=member, actor=member.user)
        assert "仅限困难职工档案在档职工申请" in exc.value.message

    def test_closed_file_gets_no_file_only_aid(self, member, winter_aid):
        file = open_file(member)
        file.status, file.closed_reason = "closed", "家庭已脱困"
        file.save()
        with pytest.raises(FileClosed):
            application_start(aid_type=winter_aid, member=member, actor=member.user)

    def test_women_only_refuses_a_man(self, other_member, autumn):
        aid_type = autumn.aid_types.create(name="女职工关爱", eligibility="women", standard_amount=Decimal("500"))
        with pytest.raises(NotEligible) as exc:
            application_start(aid_type=aid_type, member=other_member, actor=other_member.user)
        assert "仅限女职工" in exc.value.message

    def test_frontline_needs_a_nomination(self, member, autumn):
        aid_type = autumn.aid_types.create(name="一线慰问", eligibility="frontline", standard_amount=Decimal("300"))
        with pytest.raises(NotEligible) as exc:
            application_start(aid_type=aid_type, member=member, actor=member.user)
        assert "推荐的一线职工" in exc.value.message
        member.aid_nominations.create(year=autumn.year, union=member.union)
        assert application_start(aid_type=aid_type, member=member, actor=member.user).status == Status.DRAFT

    def test_duplicate_same_type_and_year(self, member, student_aid):
        application_start(aid_type=student_aid, member=member, actor=member.user)
        with pytest.raises(DuplicateApplication):
            application_start(aid_type=student_aid, member=member, actor=member.user)
        with pytest.raises(IntegrityError), transaction.atomic():  # the database refuses it too
            Application.objects.create(year=student_aid.campaign.year, campaign=student_aid.campaign,
                                       aid_type=student_aid, member=member)
        assert Application.objects.count() == 1

    @pytest.mark.parametrize("value, message", [
        ("-5", "金额不能为负数"), ("一千", "请输入金额数字"), ("1e999", "金额过大"), ("12.345", "最多保留两位小数"), ("99999999999999", "金额过大"),
    ])
    def test_bad_money_in_the_illness_form(self, client, member, illness_aid, value, message):
        client.force_login(member.user)
        response = client.post(reverse("aid:apply", kwargs={"type_pk": illness_aid.pk}), {
            "diagnosis": "肺癌", "hospital": "义乌市中心医院", "treated_from": "2020-01-01", "total_cost": value,
            "out_of_pocket": "100", "save": "1",
        })
        assert response.status_code == 200
        assert message in response.content.decode()
        assert Application.objects.get().total_cost is None

    def test_full_width_and_yuan_sign_amounts_are_read(self, client, member, illness_aid):
        client.force_login(member.user)
        client.post(reverse("aid:apply", kwargs={"type_pk": illness_aid.pk}), {
            "diagnosis": "肺癌", "hospital": "义乌市中心医院", "treated_from": "2020-01-01",
            "total_cost": "８６,０００元", "out_of_pocket": "¥32000.5", "save": "1",
        })
        application = Application.objects.get()
        assert (application.total_cost, application.out_of_pocket) == (Decimal("86000.00"), Decimal("32000.50"))

    def test_bank_account_as_typed_and_a_wrong_one(self, client, member, student_aid):
        client.force_login(member.user)
        url = reverse("aid:apply", kwargs={"type_pk": student_aid.pk})
        response = client.post(url, {**student_post(), "bank_account": "6222 0212 abc", "save": "1"})
        assert "请输入正确的银行卡号" in response.content.decode()
        application = Application.objects.get()
        assert application.bank_account == ""
        client.post(reverse("aid:edit", kwargs={"pk": application.pk}),
                    {**student_post(), "bank_name": "义乌农商银行", "bank_account": "６２２２ ０２１２ ０８００ １２３４ ５６７", "save": "1"})
        application.refresh_from_db()
        assert application.bank_account == "6222021208001234567"

    def test_out_of_pocket_above_total_cost(self, client, member, illness_aid):
        client.force_login(member.user)
        response = client.post(reverse("aid:apply", kwargs={"type_pk": illness_aid.pk}), {
            "diagnosis": "肺癌", "hospital": "义乌市中心医院", "treated_from": "2020-01-01",
            "total_cost": "1000", "out_of_pocket": "2000", "save": "1",
        })
        assert "个人自付金额不能大于医疗总费用" in response.content.decode()
        application = Application.objects.get()
        assert application.total_cost is None
        with pytest.raises(OutOfPocketAboveCost):
            application_update(application=application, actor=member.user,
                               facts={"total_cost": Decimal("1000"), "out_of_pocket": Decimal("2000")})

    def test_dates_out_of_order(self, client, member, illness_aid):
        client.force_login(member.user)
        response = client.post(reverse("aid:apply", kwargs={"type_pk": illness_aid.pk}), {
            "diagnosis": "肺癌", "hospital": "义乌市中心医院", "treated_from": "2020-03-01", "treated_to": "2020-02-01",
            "save": "1",
        })
        assert "结束日期不能早于开始日期" in response.content.decode()
        assert Application.objects.get().treated_from is None

    def test_treatment_in_the_future(self, client, member, illness_aid):
        client.force_login(member.user)
        later = today() + datetime.timedelta(days=3)
        response = client.post(reverse("aid:apply", kwargs={"type_pk": illness_aid.pk}), {
            "diagnosis": "肺癌", "hospital": "义乌市中心医院", "treated_from": later.isoformat(), "save": "1",
        })
        assert "治疗开始日期不能晚于今天" in response.content.decode()

    def test_fake_upload_is_refused(self, client, member, student_aid):
        client.force_login(member.user)
        fake = SimpleUploadedFile("通知书.jpg", EXE, content_type="image/jpeg")
        response = client.post(reverse("aid:apply", kwargs={"type_pk": student_aid.pk}),
                               {**student_post(), "admission": fake, "submit": "1"})
        assert "只接受图片（JPEG、PNG、WebP）或 PDF 文件" in response.content.decode()
        assert not ApplicationDocument.objects.exists()
        assert Application.objects.get().status == Status.DRAFT

    def test_oversize_upload_is_refused(self, client, member, student_aid, settings):
        settings.DOCUMENT_MAX_BYTES = 1024
        client.force_login(member.user)
        big = SimpleUploadedFile("通知书.pdf", PDF + b"0" * 4096 + b"\n%%EOF\n", content_type="application/pdf")
        response = client.post(reverse("aid:apply", kwargs={"type_pk": student_aid.pk}),
                               {**student_post(), "admission": big, "submit": "1"})
        assert "文件过大" in response.content.decode()
        assert not ApplicationDocument.objects.exists()

    def test_officer_for_another_unions_member(self, member, other_member, student_aid):
        stranger = OfficerFactory(union=other_member.union).user
        with pytest.raises(OutsideOwnUnion):
            application_start(aid_type=student_aid, member=member, actor=stranger)
        assert not Application.objects.exists()


class TestOfficerAppliesForMember:
    def test_officer_starts_and_submits_for_own_member(self, client, officer, member, student_aid):
        client.force_login(officer)
        response = client.post(reverse("aid:officer"), {"action": "apply", "apply-member_ref": member.membership_number,
                                                       "apply-aid_type": student_aid.pk})
        application = Application.objects.get()
        assert response["Location"] == reverse("aid:edit", kwargs={"pk": application.pk})
        assert application.created_by == officer
        response = client.post(response["Location"], {**student_post(), "admission": png_upload(), "submit": "1"})
        application.refresh_from_db()
        assert application.status == Status.SUBMITTED
        assert response["Location"] == reverse("aid:officer")

    def test_officer_cannot_pick_another_unions_member(self, client, officer, other_member, student_aid):
        client.force_login(officer)
        response = client.post(reverse("aid:officer"), {"action": "apply", "apply-member_ref": other_member.document_number,
                                                       "apply-aid_type": student_aid.pk})
        assert "本工会没有这名会员" in response.content.decode()
        assert not Application.objects.exists()

    def test_plain_member_gets_403_on_officer_page(self, client, member):
        client.force_login(member.user)
        assert client.get(reverse("aid:officer")).status_code == 403


def test_campaign_dates_and_budget_are_checked_by_the_database(year, policy):
    with pytest.raises(IntegrityError), transaction.atomic():
        Campaign.objects.create(kind="spring", year=year, title="x", starts_on=today(),
                                ends_on=today() - datetime.timedelta(days=1), budget=Decimal("1"))
    with pytest.raises(IntegrityError), transaction.atomic():
        Campaign.objects.create(kind="spring", year=year, title="x", starts_on=today(), ends_on=today(), budget=Decimal("-1"))


def test_member_without_login_record_cannot_apply(client, student_aid):
    client.force_login(UserFactory())
    assert client.get(reverse("aid:apply", kwargs={"type_pk": student_aid.pk})).status_code == 404
    MemberFactory()  # unrelated
    assert client.get(reverse("aid:mine")).status_code == 404
