"""Re-joining a person who already has a Member record (issue 17.1) and what the join form may
say about an ID number (issue 17.6): never re-point a login on public facts; membership of an
ID is told only after the applicant's phone code, and only a few times per address and ID."""

import pytest
from django.urls import reverse

from apps.membership.errors import IdentityNotChecked, JoinTooManyAttempts
from apps.membership.models import JoinRequestChange, JoinStatus
from apps.membership.services import (
    join_answer_throttle,
    join_request_identity_confirm,
    join_request_submit,
    join_request_transition,
)
from tests.factories import MemberFactory, OfficerFactory, UserFactory

from .helpers import join_form as _form
from .helpers import last_code

pytestmark = pytest.mark.django_db

OLD_PHONE = "13800001111"
NEW_PHONE = "13955552222"


@pytest.fixture
def withdrawn(employer):
    """A former member with a login, cases and history: what an attacker wants."""
    return MemberFactory(
        phone=OLD_PHONE, user=UserFactory(), status="withdrawn", union=employer.union, employer=employer,
    )


@pytest.fixture
def union_officer(employer):
    return OfficerFactory(union=employer.union).user


def _rejoin(applicant, employer, member, phone=NEW_PHONE):
    return join_request_submit(**applicant(
        document_number=member.document_number, name=member.name, gender=member.gender, phone=phone,
        employer=employer,
    ))


class TestTakeover:
    @pytest.mark.parametrize("status", ["withdrawn", "transferred"])
    def test_rejoin_with_a_new_phone_needs_an_identity_check_before_approval(
        self, applicant, employer, withdrawn, union_officer, status
    ):
        withdrawn.status = status
        withdrawn.save()
        request = _rejoin(applicant, employer, withdrawn)
        assert request.identity_check_required and request.identity_checked_at is None
        with pytest.raises(IdentityNotChecked):
            join_request_transition(join_request=request, to=JoinStatus.APPROVED, by=union_officer)
        withdrawn.refresh_from_db()
        assert withdrawn.phone == OLD_PHONE and withdrawn.status == status

    def test_old_phone_is_told_when_someone_rejoins_with_its_id(
        self, applicant, employer, withdrawn, sms_outbox, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            _rejoin(applicant, employer, withdrawn)
        told = [m.text for m in sms_outbox if m.phone == OLD_PHONE]
        assert told and "入会申请" in told[0] and "139****2222" in told[0]

    def test_officer_confirms_the_id_card_then_approves_and_history_says_who(
        self, applicant, employer, withdrawn, union_officer, sms_outbox, django_capture_on_commit_callbacks
    ):
        request = _rejoin(applicant, employer, withdrawn)
        with django_capture_on_commit_callbacks(execute=True):
            join_request_identity_confirm(join_request=request, by=union_officer, note="身份证原件已核对")
            join_request_transition(join_request=request, to=JoinStatus.APPROVED, by=union_officer)
        request.refresh_from_db()
        assert request.identity_checked_by == union_officer and request.identity_checked_at
        change = JoinRequestChange.objects.filter(join_request=request, actor=union_officer).first()
        assert change is not None and "身份证原件已核对" in change.note
        withdrawn.refresh_from_db()
        assert withdrawn.phone == NEW_PHONE and withdrawn.status == "active"
        told = [m.text for m in sms_outbox if m.phone == OLD_PHONE]
        assert any("139****2222" in text and "变更" in text for text in told)

    def test_officer_of_another_union_cannot_confirm(self, applicant, employer, withdrawn):
        from apps.membership.errors import NotYourUnion

        request = _rejoin(applicant, employer, withdrawn)
        with pytest.raises(NotYourUnion):
            join_request_identity_confirm(join_request=request, by=OfficerFactory().user)
        request.refresh_from_db()
        assert request.identity_checked_at is None

    def test_rejoin_from_the_phone_on_file_needs_no_check(self, applicant, employer, withdrawn, union_officer):
        request = _rejoin(applicant, employer, withdrawn, phone=OLD_PHONE)
        assert not request.identity_check_required
        join_request_transition(join_request=request, to=JoinStatus.APPROVED, by=union_officer)
        withdrawn.refresh_from_db()
        assert withdrawn.status == "active" and withdrawn.phone == OLD_PHONE

    def test_admin_action_confirms_identity(self, client, applicant, employer, withdrawn, union_officer):
        request = _rejoin(applicant, employer, withdrawn)
        client.force_login(union_officer)
        url = reverse("admin:membership_joinrequest_changelist")
        page = client.get(url).content.decode()
        assert "待核验身份" in page
        client.post(url, {"action": "identity_confirm", "_selected_action": [request.pk], "apply": "1",
                          "note": "现场核对身份证原件"})
        request.refresh_from_db()
        assert request.identity_checked_by == union_officer
        client.post(url, {"action": "approve", "_selected_action": [request.pk]})
        request.refresh_from_db()
        assert request.status == JoinStatus.APPROVED


class TestJoinFormAnswers:
    url = reverse("membership:join")

    def test_sending_a_code_says_nothing_about_the_id(self, client, applicant, sms_outbox,
                                                      django_capture_on_commit_callbacks):
        existing = MemberFactory()
        stranger = _form(applicant(document_number=existing.document_number), employer_name="某单位")
        fresh = _form(applicant(n=902), employer_name="某单位")
        with django_capture_on_commit_callbacks(execute=True):
            known = client.post(self.url, {**stranger, "send_code": "1"}).content.decode()
        with django_capture_on_commit_callbacks(execute=True):
            unknown = client.post(self.url, {**fresh, "send_code": "1"}).content.decode()
        assert "已是在册会员" not in known
        assert "验证码已发送至" in known and "验证码已发送至" in unknown

    def test_member_answer_comes_after_the_code(self, client, applicant, sms_outbox,
                                                django_capture_on_commit_callbacks):
        existing = MemberFactory()
        data = applicant(document_number=existing.document_number)
        form = _form(data, employer_name="某单位")
        with django_capture_on_commit_callbacks(execute=True):
            client.post(self.url, {**form, "send_code": "1"})
        wrong = client.post(self.url, {**form, "code": "000000"}).content.decode()
        assert "已是在册会员" not in wrong
        page = client.post(self.url, {**form, "code": last_code(sms_outbox, data["phone"])}).content.decode()
        assert "已是在册会员" in page and reverse("accounts:claim") in page

    def test_answers_are_limited_per_address(self, settings):
        settings.JOIN_ANSWERS_PER_ADDRESS_DAILY = 3
        for i in range(3):
            join_answer_throttle(client_ip="60.190.1.2", document_type="id_card", document_number=f"id{i}")
        with pytest.raises(JoinTooManyAttempts):
            join_answer_throttle(client_ip="60.190.1.2", document_type="id_card", document_number="id9")
        join_answer_throttle(client_ip="60.190.7.7", document_type="id_card", document_number="id9")

    def test_answers_are_limited_per_id(self, settings):
        settings.JOIN_ANSWERS_PER_DOCUMENT_DAILY = 2
        for i in range(2):
            join_answer_throttle(client_ip=f"60.190.1.{i}", document_type="id_card", document_number="X1")
        with pytest.raises(JoinTooManyAttempts):
            join_answer_throttle(client_ip="60.190.1.9", document_type="id_card", document_number="X1")

    def test_page_refuses_past_the_limit_without_saying_whether_a_member(
        self, client, applicant, settings, sms_outbox, django_capture_on_commit_callbacks
    ):
        settings.JOIN_ANSWERS_PER_DOCUMENT_DAILY = 0
        existing = MemberFactory()
        data = applicant(document_number=existing.document_number)
        form = _form(data, employer_name="某单位")
        with django_capture_on_commit_callbacks(execute=True):
            client.post(self.url, {**form, "send_code": "1"})
        page = client.post(self.url, {**form, "code": last_code(sms_outbox, data["phone"])}).content.decode()
        assert "已是在册会员" not in page and str(JoinTooManyAttempts.message) in page
