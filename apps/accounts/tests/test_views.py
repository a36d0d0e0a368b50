import re

import pytest
from django.urls import reverse

from apps.accounts.models import PhoneCode
from tests.factories import MemberFactory, UserFactory

pytestmark = pytest.mark.django_db


def last_code(outbox, phone):
    return re.search(r"\d{6}", [m.text for m in outbox if m.phone == phone][-1]).group()


def claim_data(member, **extra):
    return {"document_type": member.document_type, "document_number": member.document_number,
            "phone": member.phone, **extra}


@pytest.fixture
def unclaimed(db):
    return MemberFactory(name="王立栋", phone="13700001234", user=None)


class TestSmsLogin:
    url = reverse("accounts:login")

    def test_code_login_signs_the_member_in(self, client, member, sms_outbox, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(self.url, {"mode": "code", "c-phone": member.phone, "send_code": "1"})
        assert "验证码已发送至" in response.content.decode()
        code = last_code(sms_outbox, member.phone)
        response = client.post(self.url, {"mode": "code", "c-phone": member.phone, "c-code": code})
        assert response.status_code == 302 and response.url == reverse("members:home")
        assert client.get(reverse("members:home")).context["member"] == member

    def test_unregistered_phone_gets_the_same_answer_and_no_sms(self, client, sms_outbox, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(self.url, {"mode": "code", "c-phone": "13811112222", "send_code": "1"})
        assert "验证码已发送至" in response.content.decode()
        assert sms_outbox == []

    def test_wrong_code_does_not_sign_in(self, client, member, sms_outbox):
        client.post(self.url, {"mode": "code", "c-phone": member.phone, "send_code": "1"})
        response = client.post(self.url, {"mode": "code", "c-phone": member.phone, "c-code": "12345x"})
        assert response.status_code == 200
        assert "验证码不正确" in response.content.decode()
        assert "_auth_user_id" not in client.session

    def test_bad_phone_is_explained(self, client):
        response = client.post(self.url, {"mode": "code", "c-phone": "12345", "send_code": "1"})
        assert "请输入11位手机号码。" in response.content.decode()
        assert not PhoneCode.objects.exists()

    def test_second_send_within_a_minute_is_refused(self, client, member):
        client.post(self.url, {"mode": "code", "c-phone": member.phone, "send_code": "1"})
        response = client.post(self.url, {"mode": "code", "c-phone": member.phone, "send_code": "1"})
        assert "验证码发送过于频繁，请1分钟后再试。" in response.content.decode()
        assert PhoneCode.objects.count() == 1


class TestPasswordLogin:
    url = reverse("accounts:login")

    def test_member_signs_in_with_phone_and_password(self, client, member):
        member.user.set_password("Hongqi-2026")
        member.user.save()
        response = client.post(self.url, {"mode": "password", "p-username": member.phone, "p-password": "Hongqi-2026"})
        assert response.status_code == 302 and response.url == reverse("members:home")

    def test_wrong_password_is_refused_then_locked_out(self, client, member):
        for _ in range(5):
            response = client.post(self.url, {"mode": "password", "p-username": member.phone, "p-password": "nope"})
        assert response.status_code in (200, 429)
        response = client.post(self.url, {"mode": "password", "p-username": member.phone, "p-password": "nope"})
        assert response.status_code == 429


class TestClaim:
    url = reverse("accounts:claim")

    def test_right_document_and_phone_then_code_activates(self, client, unclaimed, sms_outbox, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(self.url, claim_data(unclaimed, send_code="1"))
        code = last_code(sms_outbox, unclaimed.phone)
        response = client.post(self.url, claim_data(unclaimed, code=code))
        assert response.status_code == 302 and response.url == reverse("members:card")
        unclaimed.refresh_from_db()
        assert unclaimed.user is not None and unclaimed.phone_verified_at is not None

    def test_lower_case_x_document_is_accepted(self, client, sms_outbox, django_capture_on_commit_callbacks):
        person = MemberFactory(document_number="11010519491231002X", phone="13700005555", user=None)
        with django_capture_on_commit_callbacks(execute=True):
            client.post(self.url, claim_data(person, document_number="11010519491231002x", send_code="1"))
        assert [m.phone for m in sms_outbox] == ["13700005555"]

    def test_right_document_and_phone_but_wrong_code_fails(self, client, unclaimed, sms_outbox, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(self.url, claim_data(unclaimed, send_code="1"))
        code = last_code(sms_outbox, unclaimed.phone)
        wrong = "111111" if code != "111111" else "222222"
        response = client.post(self.url, claim_data(unclaimed, code=wrong))
        assert "验证码不正确，还可尝试 4 次。" in response.content.decode()
        unclaimed.refresh_from_db()
        assert unclaimed.user is None

    def test_sixth_try_is_refused_even_with_right_code(self, client, unclaimed, sms_outbox, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(self.url, claim_data(unclaimed, send_code="1"))
        code = last_code(sms_outbox, unclaimed.phone)
        wrong = "111111" if code != "111111" else "222222"
        for _ in range(5):
            client.post(self.url, claim_data(unclaimed, code=wrong))
        response = client.post(self.url, claim_data(unclaimed, code=code))
        assert "验证码错误次数过多，请重新获取验证码。" in response.content.decode()
        unclaimed.refresh_from_db()
        assert unclaimed.user is None

    def test_document_with_another_phone_sends_nothing(self, client, unclaimed, sms_outbox, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(self.url, claim_data(unclaimed, phone="13700009999", send_code="1"))
        assert "证件号码与手机号码不匹配" in response.content.decode()
        assert sms_outbox == [] and not PhoneCode.objects.exists()

    def test_already_claimed_member_cannot_be_claimed_again(self, client, member, sms_outbox):
        response = client.post(self.url, claim_data(member, send_code="1"))
        assert "证件号码与手机号码不匹配，或该会员已激活账号" in response.content.decode()
        assert sms_outbox == []

    def test_invalid_id_number_is_explained(self, client):
        response = client.post(self.url, {"document_type": "id_card", "document_number": "330782199001011230",
                                           "phone": "13700001234", "send_code": "1"})
        assert "身份证号码校验位不正确" in response.content.decode()


def test_password_reset_by_phone_code(client, member, sms_outbox, django_capture_on_commit_callbacks):
    url = reverse("accounts:password_reset")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"phone": member.phone, "send_code": "1"})
    code = last_code(sms_outbox, member.phone)
    response = client.post(url, {"phone": member.phone, "code": code,
                                 "new_password1": "Chouzhou-88", "new_password2": "Chouzhou-88"})
    assert response.status_code == 302
    member.user.refresh_from_db()
    assert member.user.check_password("Chouzhou-88")


def test_password_change_for_a_member_without_password(client, member):
    member.user.set_unusable_password()
    member.user.save()
    client.force_login(member.user)
    response = client.post(reverse("accounts:password_change"),
                           {"new_password1": "Jiangdong-77", "new_password2": "Jiangdong-77"})
    assert response.status_code == 302
    member.user.refresh_from_db()
    assert member.user.check_password("Jiangdong-77")


def test_password_change_needs_the_old_password_when_there_is_one(client, member):
    client.force_login(member.user)
    response = client.post(reverse("accounts:password_change"),
                           {"old_password": "wrong", "new_password1": "Jiangdong-77", "new_password2": "Jiangdong-77"})
    assert response.status_code == 200
    member.user.refresh_from_db()
    assert member.user.check_password("Passw0rd!x")


def test_staff_password_login_goes_through_axes(client):
    UserFactory(username="clerk", is_staff=True)
    for _ in range(5):
        client.post(reverse("admin:login"), {"username": "clerk", "password": "wrong"})
    response = client.post(reverse("admin:login"), {"username": "clerk", "password": "Passw0rd!x"})
    assert response.status_code == 429


def test_english_is_switchable(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("accounts:login")).content.decode()
    assert "Sign in with SMS code" in page and 'lang="en"' in page
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    assert "短信验证码登录" in client.get(reverse("accounts:login")).content.decode()
