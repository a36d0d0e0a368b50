"""Staff withdraw a wrong file of an application: kept as evidence, recorded with who, when
and why, the member told, and another may be uploaded."""

import pytest
from django.urls import reverse

from apps.accounts import roles
from apps.aid.errors import MissingDocument, WithdrawReasonRequired
from apps.aid.models import ApplicationDocument, ApplicationStatusChange, Status
from apps.aid.services import application_document_withdraw, application_transition
from apps.notify.models import Notification

from .conftest import png_upload, submitted_student

pytestmark = pytest.mark.django_db


@pytest.fixture
def application(member, student_aid):
    return submitted_student(member, student_aid)


def test_withdrawal_needs_a_reason(application, officer):
    document = application.documents.get()
    with pytest.raises(WithdrawReasonRequired) as exc:
        application_document_withdraw(document=document, actor=officer, reason=" ")
    assert exc.value.message == "撤回材料须填写原因，原因会告知申请人。"
    document.refresh_from_db()
    assert document.withdrawn_at is None


def test_withdrawn_file_is_kept_recorded_told_and_no_longer_counts(application, officer, member):
    document = application.documents.get()
    Notification.objects.all().delete()
    application_document_withdraw(document=document, actor=officer, reason="照片模糊无法辨认")
    document.refresh_from_db()
    assert document.withdrawn_by == officer and document.withdrawn_reason == "照片模糊无法辨认"
    assert ApplicationDocument.objects.filter(pk=document.pk).exists() and document.file.storage.exists(document.file.name)
    change = ApplicationStatusChange.objects.filter(application=application).order_by("id").last()
    assert change.actor == officer and "照片模糊无法辨认" in change.note and change.to_status == Status.SUBMITTED
    assert "照片模糊无法辨认" in Notification.objects.get(member=member).body
    # Returned for material, the member cannot resubmit without a valid admission letter.
    returned = application_transition(application=application, target=Status.RETURNED, actor=officer, reason="请补充录取通知书")
    with pytest.raises(MissingDocument):
        application_transition(application=returned, target=Status.SUBMITTED, actor=member.user)


def test_member_sees_the_withdrawal_and_uploads_another(client, application, officer, member):
    document = application.documents.get()
    application_document_withdraw(document=document, actor=officer, reason="照片模糊无法辨认")
    application_transition(application=application, target=Status.RETURNED, actor=officer, reason="请重新上传")
    client.force_login(member.user)
    detail = client.get(reverse("aid:mine_detail", kwargs={"pk": application.pk})).content.decode()
    assert "已撤回" in detail and "照片模糊无法辨认" in detail
    edit = reverse("aid:edit", kwargs={"pk": application.pk})
    assert "已撤回，不作为有效材料" in client.get(edit).content.decode()
    response = client.post(edit, {"child_name": "张小明", "school": "义乌中学", "school_level": "high", "reason": "家庭困难",
                                  "admission": png_upload("新的录取通知书.png"), "submit": "1"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED
    assert application.documents.filter(withdrawn_at__isnull=True).count() == 1


def test_admin_withdraw_page(client, application, officer):
    document = application.documents.get()
    url = reverse("admin:aid_application_withdraw", args=[application.pk, document.pk])
    client.force_login(officer)
    change = client.get(reverse("admin:aid_application_change", args=[application.pk])).content.decode()
    assert url in change
    assert client.get(url).status_code == 200
    response = client.post(url, {"reason": ""})
    assert "请填写撤回原因" in response.content.decode()
    assert client.post(url, {"reason": "与本人无关"}).status_code == 302
    document.refresh_from_db()
    assert document.withdrawn_reason == "与本人无关"


def test_withdraw_page_refuses_other_union_and_other_groups(client, application, other_officer, staff_of):
    document = application.documents.get()
    url = reverse("admin:aid_application_withdraw", args=[application.pk, document.pk])
    client.force_login(other_officer)
    assert client.post(url, {"reason": "x"}).status_code == 404
    client.force_login(staff_of(roles.RIGHTS))
    assert client.post(url, {"reason": "x"}).status_code == 403
    document.refresh_from_db()
    assert document.withdrawn_at is None
