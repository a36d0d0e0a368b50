"""The outbox claims a row before calling the provider (no lock held during the call), purges
old texts, and never lets a development backend run in production or log codes and IDs."""

import datetime
import logging
import threading

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.test import override_settings
from django.utils import timezone

from apps.notify.checks import sms_backend_is_real, sms_retention_is_sane
from apps.notify.models import SmsMessage
from apps.notify.services import sms_deliver, sms_purge_old
from apps.notify.sms import BaseSmsBackend, ConsoleBackend, SentSms, outbox
from apps.notify.tasks import sms_outbox_sweep, sms_purge

pytestmark = pytest.mark.django_db

seen_during_send: list = []


class ProbingBackend(BaseSmsBackend):
    """While "the provider" answers, another connection looks at the row."""

    def send(self, phone, text, *, sensitive=False):
        result = {}

        def probe():
            try:
                with transaction.atomic():
                    row = SmsMessage.objects.select_for_update(nowait=True).get(phone=phone)
                    result["status"] = row.status
                    result["claimed"] = row.claimed_at is not None
            except Exception as exc:  # a lock still held shows up here
                result["error"] = repr(exc)
            finally:
                connection.close()

        thread = threading.Thread(target=probe)
        thread.start()
        thread.join()
        seen_during_send.append(result)
        outbox.append(SentSms(phone=phone, text=text))


class RealProvider(BaseSmsBackend):
    def send(self, phone, text, *, sensitive=False):
        outbox.append(SentSms(phone=phone, text=text))


@pytest.mark.django_db(transaction=True)
def test_provider_is_called_with_the_claim_committed_and_no_lock_held(settings, sms_outbox):
    settings.SMS_BACKEND = "apps.notify.tests.test_outbox_privacy.ProbingBackend"
    seen_during_send.clear()
    message = SmsMessage.objects.create(phone="13900000088", text="【义乌市总工会】已受理", purpose="notice")
    assert sms_deliver(message_id=message.pk) is True
    assert seen_during_send == [{"status": SmsMessage.Status.SENDING, "claimed": True}]
    message.refresh_from_db()
    assert message.status == SmsMessage.Status.SENT and message.attempts == 1 and message.sent_at
    assert len(sms_outbox) == 1


def test_a_fresh_claim_is_never_sent_a_second_time(sms_outbox):
    message = SmsMessage.objects.create(
        phone="13900000089", text="一次", purpose="notice", status=SmsMessage.Status.SENDING,
        claimed_at=timezone.now(), attempts=1,
    )
    SmsMessage.objects.filter(pk=message.pk).update(created_at=timezone.now() - datetime.timedelta(hours=1))
    assert sms_deliver(message_id=message.pk) is False
    sms_outbox_sweep()
    assert sms_outbox == []
    assert SmsMessage.objects.get(pk=message.pk).status == SmsMessage.Status.SENDING


def test_a_stale_claim_is_swept_again(sms_outbox):
    stale = timezone.now() - datetime.timedelta(seconds=settings.SMS_CLAIM_TIMEOUT + 60)
    message = SmsMessage.objects.create(
        phone="13900000090", text="卡住的一条", purpose="notice", status=SmsMessage.Status.SENDING,
        claimed_at=stale, attempts=1,
    )
    sms_outbox_sweep()
    message.refresh_from_db()
    assert message.status == SmsMessage.Status.SENT and message.attempts == 2
    assert [m.text for m in sms_outbox] == ["卡住的一条"]


class TakenOverBackend(BaseSmsBackend):
    """The provider hangs past the claim timeout; meanwhile the sweep's sender claims the row
    again and sends it; then this call fails."""

    def send(self, phone, text, *, sensitive=False):
        SmsMessage.objects.filter(phone=phone).update(
            status=SmsMessage.Status.SENT, claimed_at=timezone.now() + datetime.timedelta(seconds=1),
            sent_at=timezone.now(),
        )
        raise ConnectionError("timed out")


def test_a_sender_whose_claim_was_taken_over_writes_nothing(settings):
    settings.SMS_BACKEND = "apps.notify.tests.test_outbox_privacy.TakenOverBackend"
    message = SmsMessage.objects.create(phone="13900000091", text="接管", purpose="notice")
    assert sms_deliver(message_id=message.pk) is False
    message.refresh_from_db()
    assert message.status == SmsMessage.Status.SENT and message.last_error == ""


def test_sent_texts_are_purged_after_the_retention_days(settings):
    settings.SMS_RETENTION_DAYS = 30
    old = timezone.now() - datetime.timedelta(days=31)
    sent = SmsMessage.objects.create(phone="13912345678", text="您的申请已通过", purpose="notice",
                                     status=SmsMessage.Status.SENT, sent_at=old)
    failed = SmsMessage.objects.create(phone="13912345679", text="未送达", purpose="notice",
                                       status=SmsMessage.Status.FAILED)
    pending = SmsMessage.objects.create(phone="13912345670", text="待发", purpose="notice")
    recent = SmsMessage.objects.create(phone="13912345671", text="昨天", purpose="notice",
                                       status=SmsMessage.Status.SENT, sent_at=timezone.now())
    SmsMessage.objects.filter(pk__in=[sent.pk, failed.pk, pending.pk]).update(created_at=old)

    assert sms_purge() == 2

    sent.refresh_from_db()
    assert (sent.text, sent.phone, sent.purpose, sent.status) == ("", "139****5678", "notice", SmsMessage.Status.SENT)
    assert sent.purged_at is not None and sent.sent_at == old and sent.created_at == old
    failed.refresh_from_db()
    assert failed.text == "" and failed.phone == "139****5679"
    for kept in (pending, recent):
        kept.refresh_from_db()
        assert kept.purged_at is None and kept.text and kept.phone.isdigit()
    assert sms_purge_old(older_than_days=30) == 0  # a second run changes nothing


def test_the_purge_runs_from_beat():
    entries = [e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == "apps.notify.tasks.sms_purge"]
    assert len(entries) == 1


@pytest.mark.parametrize("backend", ["apps.notify.sms.ConsoleBackend", "apps.notify.sms.LocMemBackend",
                                     "apps.notify.sms.BaseSmsBackend", "apps.notify.sms.NoSuchBackend"])
def test_production_refuses_a_development_sms_backend(backend):
    with override_settings(DEBUG=False, TESTING=False, SMS_BACKEND=backend):
        assert [e.id for e in sms_backend_is_real(None)] == ["notify.E001"]
    with override_settings(DEBUG=True, TESTING=False, SMS_BACKEND=backend):
        assert sms_backend_is_real(None) == []


def test_production_accepts_a_real_provider():
    with override_settings(DEBUG=False, TESTING=False,
                           SMS_BACKEND="apps.notify.tests.test_outbox_privacy.RealProvider"):
        assert sms_backend_is_real(None) == []


def test_retention_must_be_at_least_a_day():
    with override_settings(SMS_RETENTION_DAYS=0):
        assert [e.id for e in sms_retention_is_sane(None)] == ["notify.E002"]


def test_console_backend_never_logs_a_code_an_id_number_or_a_full_phone(caplog, capsys):
    with caplog.at_level(logging.DEBUG, logger="apps.notify.sms"):
        ConsoleBackend().send("13900000011", "【义乌市总工会】您的登录验证码为 482913，5 分钟内有效。", sensitive=True)
        ConsoleBackend().send("13900000011", "身份证 330782199001010011 的会员申请已通过，编号 482913。")
    written = caplog.text + capsys.readouterr().out
    assert "482913" not in written and "330782199001010011" not in written and "13900000011" not in written
    assert "登录验证码" not in written  # not a word of a sensitive message
    assert "139****0011" in written and "3307**********0011" in written


def test_deliver_tells_the_console_which_message_is_sensitive(settings, caplog):
    settings.SMS_BACKEND = "apps.notify.sms.ConsoleBackend"
    message = SmsMessage.objects.create(phone="13900000012", text="【义乌市总工会】验证码 000123，请勿告诉他人",
                                        purpose="login", sensitive=True)
    with caplog.at_level(logging.DEBUG, logger="apps.notify.sms"):
        assert sms_deliver(message_id=message.pk) is True
    assert "000123" not in caplog.text and "请勿告诉他人" not in caplog.text
    message.refresh_from_db()
    assert "000123" not in message.text


class HeldProvider(BaseSmsBackend):
    """A provider that holds the first send until the test lets it go: no sleeps, so the test
    is the same at any speed and under a faked clock (libfaketime breaks time.sleep)."""

    entered = threading.Event()
    release = threading.Event()

    def send(self, phone, text, *, sensitive=False):
        HeldProvider.entered.set()
        HeldProvider.release.wait()
        outbox.append(SentSms(phone=phone, text=text))


@pytest.mark.django_db(transaction=True)
def test_two_senders_at_once_send_one_sms(settings, sms_outbox):
    settings.SMS_BACKEND = "apps.notify.tests.test_outbox_privacy.HeldProvider"
    HeldProvider.entered.clear()
    HeldProvider.release.clear()
    message = SmsMessage.objects.create(phone="13900000092", text="只发一次", purpose="notice")
    results = []

    def deliver():
        try:
            results.append(sms_deliver(message_id=message.pk))
        finally:
            connection.close()

    first, second = threading.Thread(target=deliver), threading.Thread(target=deliver)
    first.start()
    try:
        assert HeldProvider.entered.wait(timeout=30), "the first sender never reached the provider"
        # The second sender comes while the first is inside the provider with its claim held.
        second.start()
        second.join()
    finally:
        HeldProvider.release.set()
        first.join()
    assert sorted(results) == [False, True]
    assert len(sms_outbox) == 1
    message.refresh_from_db()
    assert message.status == SmsMessage.Status.SENT and message.attempts == 1
