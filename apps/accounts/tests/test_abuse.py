"""Sign-in and code abuse (issue 17.2-17.5): lockout per person, client address behind a proxy,
codes a stranger can trigger, parallel sends, a verified phone planted before sign-in."""

import datetime
import re
import threading

import pytest
from django.db import connection
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from apps.accounts.errors import CodeAddressLimit
from apps.accounts.models import PhoneCode
from apps.accounts.otp import SESSION_KEY, client_ip, phone_code_send
from tests.factories import MemberFactory, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
PHONE = "13900000011"
SPELLINGS = ["13900000011", "139 0000 0011", "+86 139-0000-0011", "+86 13900000011", "139-0000-0011"]


@pytest.fixture
def member_with_password(db):
    member = MemberFactory(phone=PHONE, user=UserFactory())
    member.user.set_password("Hongqi-2026")
    member.user.save()
    return member


def _password_post(client, username, password="wrong-password", **extra):
    return client.post(LOGIN, {"mode": "password", "p-username": username, "p-password": password}, **extra)


class TestLockoutPerPerson:
    def test_failures_in_every_spelling_share_one_counter(self, client, member_with_password):
        for spelling in SPELLINGS:  # five failures, each spelled differently
            _password_post(client, spelling)
        for spelling in SPELLINGS:
            response = _password_post(client, spelling, "Hongqi-2026")
            assert response.status_code == 429, spelling

    def test_the_internal_username_is_refused_at_member_sign_in(self, client, member_with_password):
        response = _password_post(client, member_with_password.user.username, "Hongqi-2026")
        assert response.status_code == 200
        assert "_auth_user_id" not in client.session
        assert "请输入注册时的手机号码" in response.content.decode()

    def test_staff_username_is_refused_at_member_sign_in(self, client):
        staff = UserFactory(username="rights_officer", is_staff=True)
        staff.set_password("Hongqi-2026")
        staff.save()
        response = _password_post(client, "rights_officer", "Hongqi-2026")
        assert "_auth_user_id" not in client.session
        assert response.status_code == 200

    def test_the_right_password_in_another_spelling_signs_in(self, client, member_with_password):
        response = _password_post(client, "+86 139-0000-0011", "Hongqi-2026")
        assert response.status_code == 302


TRUSTED = {"TRUSTED_PROXY_COUNT": 1, "TRUSTED_PROXIES": ["127.0.0.1", "::1"]}


class TestClientAddress:
    rf = RequestFactory()

    def _request(self, remote, forwarded=None):
        meta = {"REMOTE_ADDR": remote}
        if forwarded is not None:
            meta["HTTP_X_FORWARDED_FOR"] = forwarded
        return self.rf.get("/", **meta)

    def test_without_a_proxy_the_header_is_ignored(self, settings):
        settings.TRUSTED_PROXY_COUNT = 0
        assert client_ip(self._request("60.190.1.2", "8.8.8.8")) == "60.190.1.2"

    def test_behind_nginx_over_tcp_the_client_is_the_address_nginx_saw(self, settings):
        for name, value in TRUSTED.items():
            setattr(settings, name, value)
        assert client_ip(self._request("127.0.0.1", "60.190.1.2")) == "60.190.1.2"
        # The client's own forged header comes first; nginx appends what it saw.
        assert client_ip(self._request("127.0.0.1", "8.8.8.8, 60.190.1.2")) == "60.190.1.2"

    def test_behind_nginx_on_a_unix_socket(self, settings):
        for name, value in TRUSTED.items():
            setattr(settings, name, value)
        assert client_ip(self._request("", "60.190.1.2")) == "60.190.1.2"

    def test_forged_header_from_an_untrusted_address_is_ignored(self, settings):
        for name, value in TRUSTED.items():
            setattr(settings, name, value)
        assert client_ip(self._request("60.190.9.9", "8.8.8.8")) == "60.190.9.9"

    def test_garbage_header_falls_back_to_the_proxy(self, settings):
        for name, value in TRUSTED.items():
            setattr(settings, name, value)
        assert client_ip(self._request("127.0.0.1", "not-an-address")) == "127.0.0.1"

    def test_per_address_code_limit_counts_each_client_behind_the_proxy(self, client, settings):
        for name, value in TRUSTED.items():
            setattr(settings, name, value)
        settings.PHONE_CODE_HOURLY_LIMIT_PER_ADDRESS = 2
        for i in range(2):
            client.post(LOGIN, {"mode": "code", "c-phone": f"1390000300{i}", "send_code": "1"},
                        REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="60.190.1.2")
        refused = client.post(LOGIN, {"mode": "code", "c-phone": "13900003009", "send_code": "1"},
                              REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="60.190.1.2")
        assert "当前网络获取验证码过于频繁" in refused.content.decode()
        other = client.post(LOGIN, {"mode": "code", "c-phone": "13900003009", "send_code": "1"},
                            REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="60.190.7.7")
        assert "验证码已发送至" in other.content.decode()
        assert set(PhoneCode.objects.values_list("client_ip", flat=True)) == {"60.190.1.2", "60.190.7.7"}

    def test_forged_header_does_not_dodge_the_address_limit(self, client, settings):
        settings.TRUSTED_PROXY_COUNT = 0
        settings.PHONE_CODE_HOURLY_LIMIT_PER_ADDRESS = 2
        for i in range(3):
            response = client.post(LOGIN, {"mode": "code", "c-phone": f"1390000400{i}", "send_code": "1"},
                                   REMOTE_ADDR="60.190.1.2", HTTP_X_FORWARDED_FOR=f"8.8.8.{i}")
        assert "当前网络获取验证码过于频繁" in response.content.decode()

    def test_one_attacker_behind_the_proxy_does_not_lock_a_staff_login_for_everyone(self, client, settings):
        for name, value in TRUSTED.items():
            setattr(settings, name, value)
        staff = UserFactory(username="org_officer", is_staff=True)
        staff.set_password("Hongqi-2026")
        staff.save()
        admin_login = reverse("admin:login")
        for _ in range(6):
            client.post(admin_login, {"username": "org_officer", "password": "nope"},
                        REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="60.190.6.6")
        locked = client.post(admin_login, {"username": "org_officer", "password": "Hongqi-2026"},
                             REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="60.190.6.6")
        assert locked.status_code == 429
        response = client.post(admin_login, {"username": "org_officer", "password": "Hongqi-2026"},
                               REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="60.190.1.2")
        assert response.status_code == 302


def _age_all_codes(seconds):
    PhoneCode.objects.update(created_at=timezone.now() - datetime.timedelta(seconds=seconds))


class TestStrangerSends:
    def test_status_codes_a_stranger_asks_for_do_not_block_sign_in_or_reset(self, settings, sms_outbox,
                                                                            django_capture_on_commit_callbacks):
        MemberFactory(phone=PHONE, user=UserFactory())
        for purpose in ["status"] * 6 + ["join"] * 4:
            phone_code_send(phone=PHONE, purpose=purpose, client_ip=None, deliver=False)
            _age_all_codes(61)
        with django_capture_on_commit_callbacks(execute=True):
            phone_code_send(phone=PHONE, purpose="login", client_ip=None)
        _age_all_codes(61)
        with django_capture_on_commit_callbacks(execute=True):
            phone_code_send(phone=PHONE, purpose="password_reset", client_ip=None)
        assert len([m for m in sms_outbox if m.phone == PHONE]) == 2

    def test_login_codes_a_stranger_asks_elsewhere_do_not_block_the_owner(self, settings):
        for _ in range(10):
            phone_code_send(phone=PHONE, purpose="login", client_ip="60.190.6.6", deliver=False)
            _age_all_codes(61)
        phone_code_send(phone=PHONE, purpose="login", client_ip="60.190.1.2", deliver=False)
        phone_code_send(phone=PHONE, purpose="password_reset", client_ip="60.190.3.3", deliver=False)

    def test_the_phone_receives_at_most_the_daily_cap_of_sign_in_codes(self, settings):
        from apps.accounts.errors import CodeDailyLimit

        settings.PHONE_CODE_DAILY_CAP_PER_PHONE = 3
        for i in range(3):
            phone_code_send(phone=PHONE, purpose="login", client_ip=f"60.190.6.{i}", deliver=False)
        with pytest.raises(CodeDailyLimit):
            phone_code_send(phone=PHONE, purpose="login", client_ip="60.190.6.9", deliver=False)

    def test_a_status_code_just_sent_does_not_delay_the_login_code(self):
        phone_code_send(phone=PHONE, purpose="status", client_ip=None, deliver=False)
        phone_code_send(phone=PHONE, purpose="login", client_ip=None, deliver=False)
        assert PhoneCode.objects.filter(phone=PHONE).count() == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_sends_for_one_phone_give_one_code():
    barrier = threading.Barrier(12)
    errors = []

    def send():
        try:
            barrier.wait()
            phone_code_send(phone=PHONE, purpose="login", client_ip="60.190.1.2", deliver=False)
        except Exception as exc:  # noqa: BLE001 - the refusals are counted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert PhoneCode.objects.filter(phone=PHONE).count() == 1
    assert len(errors) == 11


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_sends_from_one_address_never_pass_its_limit(settings):
    settings.PHONE_CODE_HOURLY_LIMIT_PER_ADDRESS = 3
    barrier = threading.Barrier(10)
    refused = []

    def send(i):
        try:
            barrier.wait()
            phone_code_send(phone=f"1390000500{i}", purpose="login", client_ip="60.190.1.2", deliver=False)
        except CodeAddressLimit as exc:
            refused.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(i,)) for i in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert PhoneCode.objects.filter(client_ip="60.190.1.2").count() == 3
    assert len(refused) == 7


def test_a_verified_phone_planted_before_sign_in_does_not_survive_it(client, member, sms_outbox,
                                                                      django_capture_on_commit_callbacks):
    session = client.session
    session[SESSION_KEY] = {"status": {"phone": "13711112222", "at": timezone.now().timestamp()}}
    session.save()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(LOGIN, {"mode": "code", "c-phone": member.phone, "send_code": "1"})
    code = re.search(r"\d{6}", [m.text for m in sms_outbox if m.phone == member.phone][-1]).group()
    response = client.post(LOGIN, {"mode": "code", "c-phone": member.phone, "c-code": code})
    assert response.status_code == 302
    assert SESSION_KEY not in client.session
