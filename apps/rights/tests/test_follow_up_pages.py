"""Following a case: the member's /me/rights/ pages, the non-member's /rights/status/, the
attachments, and who gets a 404."""

import pytest
from django.urls import reverse

from apps.rights.models import Status
from apps.rights.services import case_note_add, case_transition
from tests.factories import MemberFactory, UserFactory

from .conftest import PDF, last_code

pytestmark = pytest.mark.django_db

MINE = reverse("rights:mine")
STATUS = reverse("rights:status")


def detail_url(case):
    return reverse("rights:detail", kwargs={"number": case.number})


class TestMemberPages:
    def test_list_shows_only_the_members_own_cases_with_status_and_deadline(self, client, member, other_member, make_case):
        own = make_case(Status.MEDIATION, member=member)
        others = make_case(member=other_member)
        stranger = make_case()
        client.force_login(member.user)
        response = client.get(MINE)
        body = response.content.decode()
        assert [c.pk for c in response.context["cases"]] == [own.pk]
        assert own.number in body and "调解中" in body and f"{own.due_on:%Y-%m-%d}" in body
        assert others.number not in body and stranger.number not in body

    def test_another_members_case_number_gives_404(self, client, member, other_member, make_case):
        theirs = make_case(member=other_member)
        client.force_login(member.user)
        assert client.get(detail_url(theirs)).status_code == 404

    def test_a_non_members_case_number_gives_404_to_a_member(self, client, member, make_case):
        client.force_login(member.user)
        assert client.get(detail_url(make_case())).status_code == 404

    def test_officer_of_the_members_union_without_a_member_record_gets_404(self, client, officer, member, make_case):
        case = make_case(member=member)
        client.force_login(officer)
        assert client.get(detail_url(case)).status_code == 404
        assert client.get(MINE).status_code == 404

    def test_signed_out_visitor_is_sent_to_login(self, client, member, make_case):
        case = make_case(member=member)
        response = client.get(detail_url(case))
        assert response.status_code == 302 and reverse("accounts:login") in response.url

    def test_case_page_shows_visible_history_and_hides_internal_notes(self, client, member, make_case, rights_officer):
        case = make_case(Status.ACCEPTED, member=member, actor=rights_officer)
        case_transition(case=case, target=Status.MEDIATION, actor=rights_officer, note="已约单位周三到场调解")
        case_transition(case=case, target=Status.ARBITRATION, actor=rights_officer, note="老板不配合，内部判断需仲裁", internal=True)
        case_note_add(case=case, actor=rights_officer, note="职工情绪激动，注意沟通方式")
        client.force_login(member.user)
        body = client.get(detail_url(case)).content.decode()
        assert "已约单位周三到场调解" in body
        assert "仲裁中" in body  # the internal move itself is shown...
        assert "老板不配合" not in body  # ...without its note
        assert "职工情绪激动" not in body

    def test_query_count_of_my_cases_stays_flat(self, client, member, make_case, django_assert_num_queries, django_assert_max_num_queries):
        client.force_login(member.user)
        for _ in range(10):
            make_case(member=member)
        client.get(MINE)  # warm the session and caches
        with django_assert_max_num_queries(8) as small:
            client.get(MINE)
        for _ in range(190):
            make_case(member=member)
        with django_assert_num_queries(len(small.captured_queries)):
            response = client.get(MINE)
        assert len(response.context["cases"]) == 200


class TestNonMemberStatus:
    phone = "13900001111"  # the phone make_case files non-member cases with

    def verify(self, client, sms_outbox, capture, phone=None):
        phone = phone or self.phone
        with capture(execute=True):
            client.post(STATUS, {"phone": phone, "send_code": "1"})
        return client.post(STATUS, {"phone": phone, "code": last_code(sms_outbox, phone)})

    def test_status_page_asks_for_the_phone_first(self, client, make_case):
        case = make_case()
        body = client.get(STATUS).content.decode()
        assert "获取验证码" in body and case.number not in body
        assert client.get(reverse("rights:status_detail", kwargs={"number": case.number})).status_code == 404

    def test_verified_phone_sees_its_cases_and_their_visible_history(self, client, make_case, rights_officer, sms_outbox, django_capture_on_commit_callbacks):
        case = make_case(Status.MEDIATION, actor=rights_officer)
        other = make_case(worker_phone="13900002222")
        assert self.verify(client, sms_outbox, django_capture_on_commit_callbacks).status_code == 302
        body = client.get(STATUS).content.decode()
        assert case.number in body and other.number not in body and "139****1111" in body
        page = client.get(reverse("rights:status_detail", kwargs={"number": case.number}))
        assert page.status_code == 200 and "调解中" in page.content.decode()
        assert client.get(reverse("rights:status_detail", kwargs={"number": other.number})).status_code == 404

    def test_no_sms_for_a_phone_without_cases_and_the_same_answer(self, client, sms_outbox, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(STATUS, {"phone": "13700009999", "send_code": "1"})
        assert "验证码已发送至" in response.content.decode()
        assert sms_outbox == []

    def test_a_members_case_is_not_shown_on_the_phone_page(self, client, member, make_case, sms_outbox, django_capture_on_commit_callbacks):
        members_case = make_case(member=member)
        make_case(worker_phone=member.phone)  # the same person filed once before joining
        self.verify(client, sms_outbox, django_capture_on_commit_callbacks, phone=member.phone)
        assert members_case.number not in client.get(STATUS).content.decode()
        assert client.get(reverse("rights:status_detail", kwargs={"number": members_case.number})).status_code == 404

    def test_forgetting_the_phone_hides_the_cases_again(self, client, make_case, sms_outbox, django_capture_on_commit_callbacks):
        case = make_case()
        self.verify(client, sms_outbox, django_capture_on_commit_callbacks)
        client.post(reverse("rights:status_forget"))
        assert case.number not in client.get(STATUS).content.decode()


class TestAttachments:
    def test_owner_member_reads_the_file_others_get_404(self, client, member, other_member, make_case):
        case = make_case(member=member, attachments=[("合同.pdf", PDF)])
        url = reverse("rights:attachment", kwargs={"pk": case.attachments.get().pk})
        client.force_login(member.user)
        response = client.get(url)
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        assert b"".join(response.streaming_content) == PDF
        client.force_login(other_member.user)
        assert client.get(url).status_code == 404

    def test_staff_access_follows_the_rights_permission(self, client, member, make_case, staff_of, officer, rights_officer):
        case = make_case(member=member, attachments=[("合同.pdf", PDF)])
        url = reverse("rights:attachment", kwargs={"pk": case.attachments.get().pk})
        client.force_login(rights_officer)
        assert client.get(url).status_code == 200
        client.force_login(staff_of("领导"))
        assert client.get(url).status_code == 200
        client.force_login(staff_of("经济技术部"))
        assert client.get(url).status_code == 404
        client.force_login(officer)  # an officer of the member's own union
        assert client.get(url).status_code == 404
        client.force_login(UserFactory())
        assert client.get(url).status_code == 404

    def test_non_member_reads_their_file_after_verifying_the_phone(self, client, make_case, sms_outbox, django_capture_on_commit_callbacks):
        case = make_case(attachments=[("合同.pdf", PDF)])
        url = reverse("rights:attachment", kwargs={"pk": case.attachments.get().pk})
        assert client.get(url).status_code == 404
        TestNonMemberStatus().verify(client, sms_outbox, django_capture_on_commit_callbacks)
        assert client.get(url).status_code == 200


def test_member_without_cases_sees_an_empty_list(client, db):
    member = MemberFactory(user=UserFactory())
    client.force_login(member.user)
    assert "暂无维权记录。" in client.get(MINE).content.decode()
