"""Read-only admins of sent codes, SMS and inbox messages."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import PhoneCode
from apps.notify.models import Notification, SmsMessage
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(type(user).objects.get(pk=user.pk))


@pytest.fixture
def superuser(db):
    return UserFactory(is_staff=True, is_superuser=True)


def test_phone_codes_show_no_hash_and_cannot_be_added_or_changed(client, superuser):
    code = PhoneCode.objects.create(
        phone="13812345678", purpose="login", code_hash="deadbeef" * 8,
        expires_at=timezone.now() + datetime.timedelta(minutes=5),
    )
    login(client, superuser)
    body = client.get(reverse("admin:accounts_phonecode_changelist")).content.decode()
    assert "138****5678" in body and "13812345678" not in body
    assert "deadbeef" not in body
    detail = client.get(reverse("admin:accounts_phonecode_change", args=[code.pk]))
    assert detail.status_code == 302  # no detail page: the list shows every field
    assert client.get(reverse("admin:accounts_phonecode_add")).status_code == 403
    client.post(reverse("admin:accounts_phonecode_change", args=[code.pk]), {"tries": 0})
    code.refresh_from_db()
    assert code.code_hash == "deadbeef" * 8


def test_pending_code_sms_is_not_shown_to_staff(client, staff_of):
    pending = SmsMessage.objects.create(phone="13812345678", text="您的验证码是 654321", purpose="login", sensitive=True)
    sent = SmsMessage.objects.create(phone="13812345679", text="您的申请已受理", purpose="notice",
                                     status=SmsMessage.Status.SENT)
    login(client, staff_of("组织部"))
    detail = client.get(reverse("admin:notify_smsmessage_change", args=[pending.pk])).content.decode()
    assert "654321" not in detail and "不显示" in detail
    assert "您的申请已受理" in client.get(reverse("admin:notify_smsmessage_change", args=[sent.pk])).content.decode()
    assert client.get(reverse("admin:notify_smsmessage_add")).status_code == 403


def test_notifications_are_read_only(client, superuser, member):
    note = Notification.objects.create(member=member, title="入会申请已通过")
    login(client, superuser)
    assert "入会申请已通过" in client.get(reverse("admin:notify_notification_changelist")).content.decode()
    assert client.get(reverse("admin:notify_notification_add")).status_code == 403
    client.post(reverse("admin:notify_notification_change", args=[note.pk]), {"title": "改"})
    note.refresh_from_db()
    assert note.title == "入会申请已通过"
