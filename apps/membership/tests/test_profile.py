"""Self-service updates at /me/profile/ and name/document changes checked by staff."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.accounts import roles
from apps.core.uploads import document_clean
from apps.members.tests.images import real_jpeg, text_named_jpg
from apps.membership.errors import DocumentTaken, NotYourUnion, ProfileChangeOpen
from apps.membership.models import ChangeStatus, ProfileChangeRequest
from apps.membership.services import profile_change_submit, profile_change_transition
from tests.factories import resident_id

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name="proof.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


class TestProfilePage:
    url = reverse("membership:profile")

    def test_member_edits_address_and_job_directly(self, client, member):
        client.force_login(member.user)
        page = client.get(self.url).content.decode()
        assert member.document_number not in page and member.phone not in page
        assert reverse("members:phone_change") in page and reverse("membership:transfer") in page
        client.post(self.url, {"action": "profile", "address": "江东街道青口路8号", "job": "质检员"})
        member.refresh_from_db()
        assert (member.address, member.job) == ("江东街道青口路8号", "质检员")
        assert member.history.first().history_user == member.user

    def test_photo_upload_is_checked_by_content(self, client, member):
        client.force_login(member.user)
        page = client.post(self.url, {"action": "photo", "photo": text_named_jpg()}).content.decode()
        assert "有效的图片" in page
        member.refresh_from_db()
        assert not member.photo
        client.post(self.url, {"action": "photo", "photo": real_jpeg()})
        member.refresh_from_db()
        assert member.photo and member.photo_thumbnail

    def test_only_the_signed_in_member(self, client, member, other_member, officer):
        assert client.get(self.url).status_code == 302
        client.force_login(officer)
        assert client.get(self.url).status_code == 404
        client.force_login(other_member.user)
        page = client.get(self.url).content.decode()
        assert member.name not in page and other_member.name in page


class TestNameAndDocumentChange:
    def test_name_change_is_applied_on_approval_and_history_keeps_old(self, client, member, officer):
        client.force_login(member.user)
        response = client.post(reverse("membership:profile_change"), {
            "kind": "name", "new_name": "张晓虹", "reason": "户籍更名", "proof": pdf(),
        })
        assert response.status_code == 302
        change = ProfileChangeRequest.objects.get()
        member.refresh_from_db()
        assert member.name == "张晓红"  # nothing changes before staff check
        profile_change_transition(change=change, to=ChangeStatus.APPROVED, by=officer)
        member.refresh_from_db()
        assert member.name == "张晓虹"
        latest, before = member.history.all()[:2]
        assert before.name == "张晓红" and latest.history_user == officer
        assert f"#{change.pk}" in latest.history_change_reason

    def test_document_change_needs_valid_unique_number_and_a_real_file(self, client, member, other_member):
        client.force_login(member.user)
        url = reverse("membership:profile_change")
        page = client.post(url, {"kind": "document", "new_document_type": "id_card",
                                 "new_document_number": "330782199001010000", "proof": pdf()}).content.decode()
        assert "校验位不正确" in page
        page = client.post(url, {"kind": "document", "new_document_type": "id_card",
                                 "new_document_number": resident_id(450),
                                 "proof": SimpleUploadedFile("x.pdf", b"MZ\x90\x00 not a pdf")}).content.decode()
        assert "只接受图片" in page
        with pytest.raises(DocumentTaken):
            profile_change_submit(member=member, kind="document", new_document_type="id_card",
                                  new_document_number=other_member.document_number, proof=document_clean(pdf()))
        assert not ProfileChangeRequest.objects.exists()

    def test_document_change_applied_by_organisation(self, member, organisation):
        new_number = resident_id(451)
        change = profile_change_submit(member=member, kind="document", new_document_type="id_card",
                                       new_document_number=new_number, proof=document_clean(pdf()))
        with pytest.raises(ProfileChangeOpen):
            profile_change_submit(member=member, kind="name", new_name="新名", proof=document_clean(pdf()))
        profile_change_transition(change=change, to=ChangeStatus.APPROVED, by=organisation)
        member.refresh_from_db()
        assert member.document_number == new_number
        assert member.history.all()[1].document_number != new_number

    def test_other_union_and_wrong_group_cannot_decide(self, member, other_officer, staff_of):
        change = profile_change_submit(member=member, kind="name", new_name="张小红", proof=document_clean(pdf()))
        for user in (other_officer, staff_of(roles.RIGHTS)):
            with pytest.raises(NotYourUnion):
                profile_change_transition(change=change, to=ChangeStatus.APPROVED, by=user)
        member.refresh_from_db()
        assert member.name == "张晓红"

    def test_proof_is_served_only_to_staff_in_scope(self, client, member, organisation, other_officer):
        change = profile_change_submit(member=member, kind="name", new_name="张小红", proof=document_clean(pdf()))
        url = reverse("admin:membership_profilechangerequest_proof", args=[change.pk])
        client.force_login(organisation)
        response = client.get(url)
        assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
        client.force_login(other_officer)
        assert client.get(url).status_code == 404
        client.force_login(member.user)
        assert client.get(url).status_code == 302  # not staff: sent to the admin login

    def test_member_cancels_own_request_only(self, client, member, other_member):
        change = profile_change_submit(member=member, kind="name", new_name="张小红", proof=document_clean(pdf()))
        client.force_login(other_member.user)
        assert client.post(reverse("membership:profile_change_cancel", args=[change.pk])).status_code == 404
        client.force_login(member.user)
        client.post(reverse("membership:profile_change_cancel", args=[change.pk]))
        change.refresh_from_db()
        assert change.status == ChangeStatus.CANCELLED

    def test_admin_decline_action_asks_reason(self, client, member, organisation):
        change = profile_change_submit(member=member, kind="name", new_name="张小红", proof=document_clean(pdf()))
        client.force_login(organisation)
        url = reverse("admin:membership_profilechangerequest_changelist")
        client.post(url, {"action": "decline", "_selected_action": [change.pk], "apply": "1", "note": "材料不清晰"})
        change.refresh_from_db()
        assert change.status == ChangeStatus.DECLINED and change.decline_reason == "材料不清晰"
        assert client.get(reverse("admin:membership_profilechangerequest_change", args=[change.pk])).status_code == 200


