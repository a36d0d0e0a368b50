import pytest
from django.db import transaction

from apps.notify.models import Notification, SmsMessage
from apps.notify.services import member_notify, sms_deliver, sms_queue
from apps.notify.tasks import sms_outbox_sweep

pytestmark = pytest.mark.django_db


class BrokenBackend:
    def send(self, phone, text):
        raise ConnectionError("provider down")


def test_sms_leaves_once_after_commit(sms_outbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        sms_queue(phone="13900000001", text="您的申请已受理", purpose="notice")
        assert sms_outbox == []
    assert len(callbacks) == 1
    assert [m.text for m in sms_outbox] == ["【义乌市总工会】您的申请已受理"]
    assert SmsMessage.objects.get().status == SmsMessage.Status.SENT


@pytest.mark.django_db(transaction=True)
def test_rolled_back_transaction_sends_nothing(sms_outbox):
    with pytest.raises(RuntimeError):
        with transaction.atomic():
            sms_queue(phone="13900000001", text="不应发出", purpose="notice")
            raise RuntimeError("decision failed")
    assert sms_outbox == [] and not SmsMessage.objects.exists()


def test_failing_backend_keeps_the_record_and_retries_later(settings, sms_outbox, django_capture_on_commit_callbacks):
    settings.SMS_BACKEND = "apps.notify.tests.test_sms.BrokenBackend"
    with django_capture_on_commit_callbacks(execute=True):
        message = sms_queue(phone="13900000001", text="已结案", purpose="notice")
    message.refresh_from_db()
    assert message.status in (SmsMessage.Status.PENDING, SmsMessage.Status.FAILED)
    assert message.attempts >= 1 and "provider down" in message.last_error

    settings.SMS_BACKEND = "apps.notify.sms.LocMemBackend"
    SmsMessage.objects.update(status=SmsMessage.Status.PENDING, attempts=1,
                              created_at="2020-01-01T00:00:00+08:00", next_retry_at="2020-01-01T00:01:00+08:00")
    sms_outbox_sweep()
    assert SmsMessage.objects.get().status == SmsMessage.Status.SENT
    assert len(sms_outbox) == 1


def test_delivered_message_is_not_sent_twice(sms_outbox):
    message = sms_queue(phone="13900000001", text="一次", purpose="notice")
    assert sms_deliver(message_id=message.pk) is True
    assert sms_deliver(message_id=message.pk) is False
    assert len(sms_outbox) == 1


def test_member_notify_writes_inbox_and_sms(member, sms_outbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        member_notify(member=member, title="您的维权申请已受理", body="案件编号 WQ2026-000001")
    assert Notification.objects.get(member=member).title == "您的维权申请已受理"
    assert sms_outbox[0].phone == member.phone
    assert "WQ2026-000001" in sms_outbox[0].text
