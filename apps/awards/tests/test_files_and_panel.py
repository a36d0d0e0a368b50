"""A nomination's wrong supporting file is withdrawn with a reason, by its nominator while a
draft or by staff at any stage: kept on record (who, when, why), no longer counted; and the
officer's admin index links to the portal pages where their work is."""

import pytest
from django.urls import reverse

from apps.awards import services
from apps.awards.errors import DocumentsRequired, FileNotWithdrawable
from apps.awards.models import NominationFile, NominationStatusChange
from apps.core.errors import WithdrawReasonRequired
from apps.core.uploads import document_clean
from tests.factories import AgencyStaffFactory

from .conftest import DEEDS, photo_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def with_file(officer, member, craftsman_programme, draft_for):
    craftsman_programme.required_documents = "推荐意见表"
    craftsman_programme.save()
    draft = draft_for(officer, member, craftsman_programme)
    return services.nomination_draft_save(
        actor=officer, programme=craftsman_programme, nomination=draft, document_number=member.document_number,
        deeds=DEEDS, contact_phone="13805791234", documents=[document_clean(photo_upload("推荐意见.png"))],
    )


def withdraw_url(nomination, evidence, admin=False):
    name = "admin:awards_nomination_file_withdraw" if admin else "awards_portal:nomination_file_withdraw"
    return reverse(name, kwargs={"pk": nomination.pk, "file_pk": evidence.pk})


def test_the_nominator_withdraws_a_drafts_file_which_is_kept_and_no_longer_counts(client, officer, with_file):
    evidence = with_file.files.get()
    client.force_login(officer)
    page = client.post(withdraw_url(with_file, evidence), {"reason": "传错了文件"}, follow=True).content.decode()
    assert "已撤回（留档备查）" in page
    assert "已撤回：传错了文件" in page
    evidence = NominationFile.objects.get(pk=evidence.pk)  # still there
    assert evidence.withdrawn_by == officer and evidence.withdrawn_at is not None
    change = NominationStatusChange.objects.filter(nomination=with_file).latest("at")
    assert change.actor == officer and "推荐意见.png" in change.note and "传错了文件" in change.note
    with pytest.raises(DocumentsRequired):
        services.nomination_submit(nomination=with_file, actor=officer)


def test_a_withdrawal_without_a_reason_changes_nothing(client, officer, with_file):
    evidence = with_file.files.get()
    client.force_login(officer)
    page = client.post(withdraw_url(with_file, evidence), {"reason": "  "}, follow=True).content.decode()
    assert "请填写撤回原因" in page
    assert NominationFile.objects.get(pk=evidence.pk).withdrawn_at is None
    with pytest.raises(WithdrawReasonRequired):
        services.nomination_file_withdraw(nomination=with_file, evidence=evidence, actor=officer, reason="")


def test_after_submission_only_staff_withdraw_a_file(client, officer, with_file, staff_of):
    evidence = with_file.files.get()
    services.nomination_submit(nomination=with_file, actor=officer)
    client.force_login(officer)
    page = client.post(withdraw_url(with_file, evidence), {"reason": "换一份"}, follow=True).content.decode()
    assert "材料不能再由推荐单位撤回" in page
    assert NominationFile.objects.get(pk=evidence.pk).withdrawn_at is None
    with pytest.raises(FileNotWithdrawable):
        services.nomination_file_withdraw(nomination=with_file, evidence=evidence, actor=officer, reason="x")
    reviewer = staff_of("经济技术部")
    client.force_login(reviewer)
    change = client.get(reverse("admin:awards_nomination_change", args=[with_file.pk])).content.decode()
    assert withdraw_url(with_file, evidence, admin=True) in change
    assert client.get(withdraw_url(with_file, evidence, admin=True)).status_code == 200
    response = client.post(withdraw_url(with_file, evidence, admin=True), {"reason": "盖章不清，请重传"})
    assert response.status_code == 302
    evidence.refresh_from_db()
    assert evidence.withdrawn_by == reviewer and evidence.withdrawn_reason == "盖章不清，请重传"


def test_who_may_withdraw_a_file(client, officer, other_officer, member, with_file, staff_of):
    evidence = with_file.files.get()
    client.force_login(other_officer)
    assert client.post(withdraw_url(with_file, evidence), {"reason": "x"}).status_code == 404
    client.force_login(member.user)
    assert client.post(withdraw_url(with_file, evidence), {"reason": "x"}).status_code == 403
    assert client.get(withdraw_url(with_file, evidence)).status_code == 405
    client.force_login(staff_of("权益保障部"))
    assert client.post(withdraw_url(with_file, evidence, admin=True), {"reason": "x"}).status_code in (403, 404)
    client.force_login(officer)
    assert client.post(withdraw_url(with_file, evidence, admin=True), {"reason": "x"}).status_code in (302, 403, 404)
    assert NominationFile.objects.get(pk=evidence.pk).withdrawn_at is None
    client.force_login(staff_of("经济技术部"))
    assert client.post(reverse("admin:awards_nomination_file_withdraw",
                               kwargs={"pk": with_file.pk, "file_pk": 999999}), {"reason": "x"}).status_code == 404


def test_the_officers_admin_index_links_to_nominations_and_the_star_assessment(client, officer, staff_of):
    client.force_login(officer)
    page = client.get(reverse("admin:index")).content.decode()
    assert 'id="officer-portal-panel"' in page
    assert f'href="{reverse("awards_portal:nominations")}"' in page
    assert f'href="{reverse("stars:assess")}"' in page
    other = client.get(reverse("admin:password_change")).content.decode()
    assert 'id="officer-portal-panel"' not in other  # the index only
    client.force_login(staff_of("经济技术部"))
    assert 'id="officer-portal-panel"' not in client.get(reverse("admin:index")).content.decode()


def test_a_town_login_is_linked_to_nominations_only(client):
    client.force_login(AgencyStaffFactory().user)
    page = client.get(reverse("admin:index")).content.decode()
    assert f'href="{reverse("awards_portal:nominations")}"' in page
    assert f'href="{reverse("stars:assess")}"' not in page
