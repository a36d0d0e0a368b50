import re

import pytest
from django.urls import reverse

from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db
URL = reverse("members:phone_change")


def test_code_goes_to_the_new_number_and_old_number_is_told(client, member, sms_outbox, django_capture_on_commit_callbacks):
    old = member.phone
    client.force_login(member.user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, {"phone": "13655550000", "send_code": "1"})
    assert [m.phone for m in sms_outbox] == ["13655550000"]
    code = re.search(r"\d{6}", sms_outbox[0].text).group()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, {"phone": "13655550000", "code": code})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.phone == "13655550000"
    assert any(m.phone == old and "已变更" in m.text for m in sms_outbox)
    assert member.history.first().phone == "13655550000"
    assert member.history.all()[1].phone == old


def test_code_sent_to_another_number_does_not_work(client, member, sms_outbox, django_capture_on_commit_callbacks):
    client.force_login(member.user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, {"phone": "13655550000", "send_code": "1"})
    code = re.search(r"\d{6}", sms_outbox[0].text).group()
    response = client.post(URL, {"phone": "13655559999", "code": code})
    assert "请先获取短信验证码" in response.content.decode()
    member.refresh_from_db()
    assert member.phone != "13655559999"


def test_number_of_another_member_is_refused(client, member, sms_outbox, django_capture_on_commit_callbacks):
    taken = MemberFactory(phone="13655551111")
    client.force_login(member.user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, {"phone": taken.phone, "send_code": "1"})
    code = re.search(r"\d{6}", sms_outbox[0].text).group()
    response = client.post(URL, {"phone": taken.phone, "code": code})
    assert "该手机号已被其他会员使用" in response.content.decode()
