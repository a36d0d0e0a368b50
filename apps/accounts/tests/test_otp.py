import datetime
import re

import pytest
from django.utils import timezone

from apps.accounts.errors import (
    CodeAddressLimit,
    CodeDailyLimit,
    CodeExpired,
    CodeMissing,
    CodeSentTooRecently,
    CodeTooManyTries,
    CodeWrong,
)
from apps.accounts.models import PhoneCode
from apps.accounts.otp import phone_code_send, phone_code_verify
from apps.notify.models import SmsMessage

pytestmark = pytest.mark.django_db
PHONE = "13900001111"


def sent_code(outbox, phone=PHONE):
    texts = [m.text for m in outbox if m.phone == phone]
    return re.search(r"\d{6}", texts[-1]).group()


def age_codes(seconds, **filters):
    PhoneCode.objects.filter(**filters).update(created_at=timezone.now() - datetime.timedelta(seconds=seconds))


def test_code_is_sent_by_sms_and_stored_only_hashed(sms_outbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        phone_code_send(phone=PHONE, purpose="login", client_ip="10.0.0.1")
    code = sent_code(sms_outbox)
    row = PhoneCode.objects.get()
    assert code not in row.code_hash and len(row.code_hash) == 64
    # once sent, the outbox row no longer holds the code either
    assert code not in SmsMessage.objects.get().text


def test_right_code_works_once(sms_outbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        phone_code_send(phone=PHONE, purpose="login", client_ip=None)
    code = sent_code(sms_outbox)
    phone_code_verify(phone=PHONE, purpose="login", code=code)
    with pytest.raises(CodeMissing):
        phone_code_verify(phone=PHONE, purpose="login", code=code)


def test_code_for_another_purpose_is_refused(sms_outbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        phone_code_send(phone=PHONE, purpose="join", client_ip=None)
    with pytest.raises(CodeMissing):
        phone_code_verify(phone=PHONE, purpose="login", code=sent_code(sms_outbox))


def test_sixth_try_is_refused_even_with_the_right_code(sms_outbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        phone_code_send(phone=PHONE, purpose="claim", client_ip=None)
    code = sent_code(sms_outbox)
    wrong = "000000" if code != "000000" else "111111"
    for _attempt in range(5):
        with pytest.raises((CodeWrong, CodeTooManyTries)):
            phone_code_verify(phone=PHONE, purpose="claim", code=wrong)
    assert PhoneCode.objects.get().tries == 5
    with pytest.raises(CodeTooManyTries) as info:
        phone_code_verify(phone=PHONE, purpose="claim", code=code)
    assert info.value.message == "验证码错误次数过多，请重新获取验证码。"


def test_wrong_code_message_counts_down(sms_outbox):
    phone_code_send(phone=PHONE, purpose="login", client_ip=None)
    with pytest.raises(CodeWrong) as info:
        phone_code_verify(phone=PHONE, purpose="login", code="abcdef")
    assert info.value.message == "验证码不正确，还可尝试 4 次。"


def test_expired_code_is_refused(sms_outbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        phone_code_send(phone=PHONE, purpose="login", client_ip=None)
    PhoneCode.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    with pytest.raises(CodeExpired):
        phone_code_verify(phone=PHONE, purpose="login", code=sent_code(sms_outbox))


def test_a_new_code_replaces_the_old_one(sms_outbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        phone_code_send(phone=PHONE, purpose="login", client_ip=None)
    first = sent_code(sms_outbox)
    age_codes(61)
    with django_capture_on_commit_callbacks(execute=True):
        phone_code_send(phone=PHONE, purpose="login", client_ip=None)
    second = sent_code(sms_outbox)
    if first != second:
        with pytest.raises(CodeWrong):
            phone_code_verify(phone=PHONE, purpose="login", code=first)
    phone_code_verify(phone=PHONE, purpose="login", code=second)


def test_one_send_per_minute_per_phone():
    phone_code_send(phone=PHONE, purpose="login", client_ip=None)
    with pytest.raises(CodeSentTooRecently) as info:
        phone_code_send(phone=PHONE, purpose="password_reset", client_ip=None)
    assert info.value.message == "验证码发送过于频繁，请1分钟后再试。"
    age_codes(61)
    phone_code_send(phone=PHONE, purpose="password_reset", client_ip=None)


def _codes_sent_at(moment, count):
    for _ in range(count):
        PhoneCode.objects.create(phone=PHONE, purpose="login", code_hash="x", expires_at=moment)
    PhoneCode.objects.update(created_at=moment)


def test_ten_sends_a_day_per_phone():
    midnight = timezone.localtime().replace(hour=0, minute=0, second=1, microsecond=0)
    _codes_sent_at(midnight, 10)
    with pytest.raises(CodeDailyLimit) as info:
        phone_code_send(phone=PHONE, purpose="login", client_ip=None)
    assert "10次" in info.value.message


def test_yesterdays_sends_do_not_count():
    _codes_sent_at(timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0) - datetime.timedelta(hours=1), 10)
    phone_code_send(phone=PHONE, purpose="login", client_ip=None)


def test_limit_per_client_address(settings):
    settings.PHONE_CODE_HOURLY_LIMIT_PER_ADDRESS = 3
    for i in range(3):
        phone_code_send(phone=f"1390000200{i}", purpose="login", client_ip="10.1.1.1")
    with pytest.raises(CodeAddressLimit):
        phone_code_send(phone="13900002009", purpose="login", client_ip="10.1.1.1")
    phone_code_send(phone="13900002009", purpose="login", client_ip="10.1.1.2")
