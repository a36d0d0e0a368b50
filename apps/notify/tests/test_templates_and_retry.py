# ruff: noqa: F811  (the rights app's case fixtures, imported by name)
"""SMS templates staff edit, one message per decision, and retries with backoff that never
undo the decision."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from apps.accounts import roles
from apps.notify.models import Notification, SmsMessage, SmsTemplate
from apps.notify.services import SMS_MAX_ATTEMPTS, decision_key, member_notify, sms_backoff, sms_deliver, sms_queue
from apps.notify.tasks import sms_outbox_sweep
from apps.notify.texts import sms_template_get, sms_text, template_check
from apps.rights.models import Grade, Status
from apps.rights.services import case_transition
from apps.rights.tests.conftest import employer, make_case  # noqa: F401
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


class FlakyBackend:
    """Refuses every message while `down` is set."""

    down = True

    def send(self, phone, text, *, sensitive=False):
        if FlakyBackend.down:
            raise ConnectionError("网关超时")
        from apps.notify import sms

        sms.outbox.append(sms.SentSms(phone=phone, text=text))


@pytest.fixture
def flaky(settings):
    settings.SMS_BACKEND = "apps.notify.tests.test_templates_and_retry.FlakyBackend"
    FlakyBackend.down = True
    yield FlakyBackend
    FlakyBackend.down = True


# ---- templates -------------------------------------------------------------------------

def test_a_template_may_use_only_its_own_placeholders():
    assert template_check("您的案件 {number} 已受理。", ["number"]) == ""
    assert "{phone}" in template_check("您的案件 {number} 已受理，{phone}", ["number"])
    assert "写法不对" in template_check("{member.phone}", ["member"])
    assert "写法不对" in template_check("{number!r}", ["number"])
    assert "花括号不成对" in template_check("您的案件 {number 已受理", ["number"])
    assert template_check("费用 {{100}} 元", []) == ""  # doubled braces are plain text


def test_an_edited_template_changes_the_sms_and_a_bad_one_is_refused():
    template = sms_template_get("rights.case_accepted")
    assert template.allowed == ["number"]
    template.text = "案件{number}已受理，请保持电话畅通。"
    template.full_clean()
    template.save()
    assert sms_text("rights.case_accepted", number="WQ1") == "案件WQ1已受理，请保持电话畅通。"
    template.text = "案件{number}已受理，证件号{document_number}"
    with pytest.raises(ValidationError) as error:
        template.full_clean()
    assert "document_number" in str(error.value) and "{number}" in str(error.value)


def test_staff_see_the_placeholders_and_a_wrong_one_is_refused_in_admin(client, staff_of):
    client.force_login(staff_of(roles.ORGANISATION))
    listing = client.get(reverse("admin:notify_smstemplate_changelist"))
    assert listing.status_code == 200 and "维权案件已受理" in listing.content.decode()  # listed before first use
    template = SmsTemplate.objects.get(key="rights.case_declined")
    url = reverse("admin:notify_smstemplate_change", args=[template.pk])
    page = client.get(url).content.decode()
    assert "{number}" in page and "{reason}" in page
    response = client.post(url, {"name": template.name, "text": "案件{number}不予受理：{note}"})
    assert response.status_code == 200 and "不能使用占位符" in response.content.decode()
    template.refresh_from_db()
    assert "{note}" not in template.text
    client.post(url, {"name": template.name, "text": "案件{number}不予受理。原因：{reason}"})
    template.refresh_from_db()
    assert template.text == "案件{number}不予受理。原因：{reason}"


def test_other_departments_cannot_edit_sms_texts(client, staff_of):
    client.force_login(staff_of(roles.AID))
    assert client.get(reverse("admin:notify_smstemplate_changelist")).status_code == 403


def test_case_decisions_use_the_edited_text(member, make_case, sms_outbox, django_capture_on_commit_callbacks):
    template = sms_template_get("rights.case_accepted")
    template.text = "【测试】案件{number}受理了"
    template.save()
    with django_capture_on_commit_callbacks(execute=True):
        case = make_case(member=member, status=Status.ACCEPTED)
    assert any(f"【测试】案件{case.number}受理了" in sent.text for sent in sms_outbox)


# ---- once per decision -----------------------------------------------------------------

def test_a_decision_told_twice_sends_one_message(member, sms_outbox, django_capture_on_commit_callbacks):
    key = "rights.rightscase:1:accepted:1"
    with django_capture_on_commit_callbacks(execute=True):
        first = member_notify(member=member, title="维权案件已受理", body="您的案件已受理。", dedupe_key=key)
        second = member_notify(member=member, title="维权案件已受理", body="您的案件已受理。", dedupe_key=key)
    assert first.pk == second.pk
    assert Notification.objects.filter(member=member).count() == 1
    assert SmsMessage.objects.count() == 1 and len(sms_outbox) == 1


def test_a_case_decision_saved_twice_sends_one_message(member, make_case, staff_of, sms_outbox,
                                                      django_capture_on_commit_callbacks):
    case = make_case(member=member)
    officer = staff_of(roles.RIGHTS)
    with django_capture_on_commit_callbacks(execute=True):
        case_transition(case=case, target=Status.ACCEPTED, actor=officer, grade=Grade.GENERAL)
        with pytest.raises(Exception):  # noqa: B017 - the second save of the same decision is refused
            case_transition(case=case, target=Status.ACCEPTED, actor=officer, grade=Grade.GENERAL)
    accepted = SmsMessage.objects.filter(dedupe_key=decision_key(case, Status.ACCEPTED, 1))
    assert accepted.count() == 1
    assert Notification.objects.filter(member=member, title="维权案件已受理").count() == 1


def test_a_repeated_key_in_sms_queue_sends_once(sms_outbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        sms_queue(phone="13900000002", text="已结案", purpose="rights", dedupe_key="k:1")
        sms_queue(phone="13900000002", text="已结案", purpose="rights", dedupe_key="k:1")
        sms_queue(phone="13900000002", text="已结案", purpose="rights")  # no key: always sent
    assert SmsMessage.objects.count() == 2 and len(sms_outbox) == 2


def test_other_members_never_see_someone_elses_inbox(client, member, other_member):
    member_notify(member=member, title="互助金已发放", body="金额 3000 元。", sms=False)
    client.force_login(other_member.user)
    assert "互助金已发放" not in client.get(reverse("members:notifications")).content.decode()
    assert "互助金已发放" not in client.get(reverse("members:home")).content.decode()
    client.force_login(member.user)
    assert "互助金已发放" in client.get(reverse("members:notifications")).content.decode()


# ---- failing provider ------------------------------------------------------------------

def test_a_failing_provider_keeps_the_decision_and_retries_with_backoff(
        member, make_case, staff_of, flaky, sms_outbox, django_capture_on_commit_callbacks):
    case = make_case(member=member)
    with django_capture_on_commit_callbacks(execute=True):
        case_transition(case=case, target=Status.ACCEPTED, actor=staff_of(roles.RIGHTS), grade=Grade.GENERAL)
    case.refresh_from_db()
    assert case.status == Status.ACCEPTED  # the decision stands
    assert Notification.objects.filter(member=member, title="维权案件已受理").exists()
    message = SmsMessage.objects.get(dedupe_key=decision_key(case, Status.ACCEPTED, 1))
    assert message.status == SmsMessage.Status.PENDING and message.attempts == 1
    assert message.last_error == "网关超时"
    assert message.next_retry_at > timezone.now() + datetime.timedelta(seconds=50)

    flaky.down = False
    sms_outbox_sweep()  # not yet due: nothing is sent early
    message.refresh_from_db()
    assert message.status == SmsMessage.Status.PENDING and sms_outbox == []

    SmsMessage.objects.filter(pk=message.pk).update(next_retry_at=timezone.now() - datetime.timedelta(seconds=1))
    sms_outbox_sweep()
    message.refresh_from_db()
    assert message.status == SmsMessage.Status.SENT and message.attempts == 2 and message.next_retry_at is None
    assert len(sms_outbox) == 1 and case.number in sms_outbox[0].text


def test_backoff_grows_and_the_message_fails_for_good_after_the_last_attempt(flaky):
    assert [sms_backoff(n).total_seconds() // 60 for n in (1, 2, 3, 4, 9)] == [1, 5, 15, 60, 60]
    message = SmsMessage.objects.create(phone="13900000003", text="x", purpose="notice")
    for attempt in range(1, SMS_MAX_ATTEMPTS + 1):
        SmsMessage.objects.filter(pk=message.pk).update(next_retry_at=None)
        assert sms_deliver(message_id=message.pk) is False
        message.refresh_from_db()
        assert message.attempts == attempt
    assert message.status == SmsMessage.Status.FAILED and message.next_retry_at is None


def test_staff_see_the_failure_and_retry_it_now(client, staff_of, flaky, sms_outbox,
                                                django_capture_on_commit_callbacks):
    message = SmsMessage.objects.create(phone="13900000004", text="已受理", purpose="notice",
                                        status=SmsMessage.Status.FAILED, attempts=SMS_MAX_ATTEMPTS,
                                        last_error="网关超时")
    officer = staff_of(roles.ORGANISATION)
    client.force_login(officer)
    page = client.get(reverse("admin:notify_smsmessage_changelist")).content.decode()
    assert "网关超时" in page and "立即重试发送" in page
    flaky.down = False
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:notify_smsmessage_changelist"),
                               {"action": "retry_now", "_selected_action": [message.pk]})
    assert response.status_code == 302
    message.refresh_from_db()
    assert message.status == SmsMessage.Status.SENT and len(sms_outbox) == 1


def test_departments_without_the_permission_cannot_retry(client, staff_of):
    user = UserFactory(is_staff=True)
    client.force_login(user)
    assert client.get(reverse("admin:notify_smsmessage_changelist")).status_code == 403
    client.force_login(staff_of(roles.RIGHTS))
    assert client.get(reverse("admin:notify_smsmessage_changelist")).status_code == 403


def test_the_outbox_list_query_count_is_flat(client, staff_of, django_assert_num_queries):
    client.force_login(staff_of(roles.ORGANISATION))
    SmsMessage.objects.bulk_create([SmsMessage(phone="13900000005", text="x", purpose="notice") for _ in range(10)])
    client.get(reverse("admin:notify_smsmessage_changelist"))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        client.get(reverse("admin:notify_smsmessage_changelist"))
    SmsMessage.objects.bulk_create([SmsMessage(phone="13900000006", text="y", purpose="notice") for _ in range(190)])
    with django_assert_num_queries(len(small.captured_queries)):
        client.get(reverse("admin:notify_smsmessage_changelist"))
