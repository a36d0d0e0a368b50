"""The counter: officers (their own union's members) and aid-centre staff (anyone) enter a
hardship file, an application or an enrolment for a member, through the member's services."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.accounts import roles
from apps.aid.models import Application, Enrolment, FileStatus, HardshipDocument, HardshipFile, HealthProgramme, Status
from apps.notify.models import Notification

from .conftest import EXE, png_upload

pytestmark = pytest.mark.django_db


def student_post_data():
    return {"child_name": "张小明", "school": "义乌中学", "school_level": "high", "reason": "家庭困难"}

URL = "/aid/officer/file/"


def file_post(member, token, **extra):
    data = {
        "token": str(token), "member_ref": member.membership_number, "level": "deep",
        "address": "义乌市稠城街道县前街1号", "primary_cause": "illness", "secondary_causes": ["disability"],
        "situation": "配偶重病，子女在读",
        "household-TOTAL_FORMS": "4", "household-INITIAL_FORMS": "0", "household-MIN_NUM_FORMS": "0",
        "household-MAX_NUM_FORMS": "15",
        "household-0-name": member.name, "household-0-relation": "本人", "household-0-age": "４５",
        "household-0-monthly_income": "２,１００元",
        "household-1-name": "王大伟", "household-1-relation": "配偶", "household-1-age": "47", "household-1-monthly_income": "",
    }
    data.update(extra)
    return data


def token_of(response):
    return response.context["form"].initial["token"]


def test_officer_proposes_a_file_and_kept_uploads_survive_an_error(client, officer, member):
    client.force_login(officer)
    page = client.get(reverse("aid:officer_file"))
    assert page.status_code == 200
    token = token_of(page)
    # An error elsewhere: the chosen file is kept, and the person is told so.
    response = client.post(URL, {**file_post(member, token, address=""), "documents": png_upload("低保证.png")})
    body = response.content.decode()
    assert response.status_code == 200 and "请填写家庭住址" in body and "已保留，无需再次选择" in body and "低保证.png" in body
    assert not HardshipFile.objects.exists()
    response = client.post(URL, file_post(member, token))
    assert response.status_code == 302
    file = HardshipFile.objects.get()
    assert (file.status, file.proposed_by, file.proposed_by_union) == (FileStatus.PROPOSED, officer, member.union)
    assert file.household.count() == 2 and file.household.get(relation="本人").monthly_income == Decimal("2100")
    assert HardshipDocument.objects.filter(file_record=file, original_name="低保证.png").exists()
    assert file.changes.get().actor == officer


def test_bad_input_is_refused_in_chinese_and_nothing_is_made(client, officer, member):
    client.force_login(officer)
    token = token_of(client.get(URL))
    response = client.post(URL, {**file_post(member, token, **{"household-0-age": "-3"}),
                                 "documents": _fake("病历.pdf")})
    body = response.content.decode()
    assert "年龄不能为负数" in body and "只接受图片" in body
    response = client.post(URL, file_post(member, token, secondary_causes=["illness"]))
    assert "不能与主要原因相同" in response.content.decode()
    response = client.post(URL, file_post(member, token, **{"household-0-name": "", "household-0-relation": "",
                                                            "household-0-age": "", "household-0-monthly_income": "",
                                                            "household-1-name": "", "household-1-relation": "",
                                                            "household-1-age": ""}))
    assert "请至少填写一名家庭成员" in response.content.decode()
    assert not HardshipFile.objects.exists()


def _fake(name):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, EXE, content_type="application/pdf")


def test_second_live_file_is_refused(client, officer, member):
    client.force_login(officer)
    assert client.post(URL, file_post(member, token_of(client.get(URL)))).status_code == 302
    response = client.post(URL, file_post(member, token_of(client.get(URL))))
    assert "一人只能建一份档案" in response.content.decode()
    assert HardshipFile.objects.count() == 1


def test_officer_cannot_file_for_another_unions_member(client, officer, other_member):
    client.force_login(officer)
    response = client.post(URL, file_post(other_member, token_of(client.get(URL))))
    assert "本工会没有这名会员" in response.content.decode()
    assert not HardshipFile.objects.exists()


def test_aid_centre_staff_file_and_apply_for_any_member(client, aid_staff, member, other_member, student_aid):
    client.force_login(aid_staff)
    assert client.post(URL, file_post(other_member, token_of(client.get(URL)))).status_code == 302
    assert HardshipFile.objects.get().member == other_member
    response = client.post(reverse("aid:officer"), {"action": "apply", "apply-member_ref": member.document_number.lower(),
                                                    "apply-aid_type": student_aid.pk})
    application = Application.objects.get()
    assert response["Location"] == reverse("aid:edit", kwargs={"pk": application.pk})
    response = client.post(response["Location"], {**student_post_data(), "admission": png_upload(), "submit": "1"})
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED and application.created_by == aid_staff
    assert Notification.objects.filter(member=member, title="救助申请已提交").exists()


def test_wrong_groups_and_members_get_403(client, member, staff_of):
    for user in (member.user, staff_of(roles.RIGHTS), staff_of(roles.MUTUAL_AID)):
        client.force_login(user)
        assert client.get(reverse("aid:officer")).status_code == 403
        assert client.get(URL).status_code == 403


def test_officer_enrols_own_member_and_a_full_quota_refuses(client, officer, member, year):
    from tests.factories import MemberFactory

    today = timezone.localdate()
    programme = HealthProgramme.objects.create(
        kind="checkup", year=year, title="职工免费体检", starts_on=today - datetime.timedelta(days=5),
        ends_on=today + datetime.timedelta(days=5), quota_scope="union", default_quota=1,
    )
    client.force_login(officer)
    page = client.get(reverse("aid:officer"))
    assert "职工免费体检" in page.content.decode()
    response = client.post(reverse("aid:officer"), {"action": "enrol", "enrol-member_ref": member.membership_number,
                                                    "enrol-programme": programme.pk})
    assert response.status_code == 302 and Enrolment.objects.get().enrolled_by == officer
    colleague = MemberFactory(union=member.union, employer=member.employer)
    response = client.post(reverse("aid:officer"), {"action": "enrol", "enrol-member_ref": colleague.membership_number,
                                                    "enrol-programme": programme.pk})
    assert "名额" in response.content.decode() and Enrolment.objects.count() == 1


def test_counter_page_is_flat(client, officer, member, student_aid, django_assert_num_queries):
    from tests.factories import MemberFactory

    from .test_pages import flat

    client.force_login(officer)

    def grow(n):
        people = [MemberFactory(union=member.union, employer=member.employer) for _ in range(n)]
        Application.objects.bulk_create([
            Application(year=student_aid.campaign.year, campaign=student_aid.campaign, aid_type=student_aid, member=m,
                        union=m.union, created_by=officer) for m in people
        ])
    response = flat(client, reverse("aid:officer"), grow, django_assert_num_queries)
    assert len(response.context["filed"]) == 50
