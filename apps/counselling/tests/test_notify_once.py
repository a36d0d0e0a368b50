"""A counselling decision told twice reaches the member once, by the neutral text staff edited."""

import pytest

from apps.counselling.models import Topic
from apps.counselling.services import (
    SMS_BOOKED,
    SMS_CANCELLED,
    booking_cancel,
    booking_cancel_tell,
    booking_confirm_tell,
    booking_create,
)
from apps.notify.models import Notification, SmsMessage
from apps.notify.texts import sms_template_get

pytestmark = pytest.mark.django_db


def edit(key, text):
    template = sms_template_get(key)
    template.text = text
    template.save()


def test_booking_and_cancellation_told_twice_send_one_message_each(member, slot, sms_outbox,
                                                                    django_capture_on_commit_callbacks):
    edit(SMS_BOOKED, "预约已登记：{when}，{studio}")
    edit(SMS_CANCELLED, "已取消{when}的预约")
    with django_capture_on_commit_callbacks(execute=True):
        booking = booking_create(member=member, slot=slot, topic=Topic.WORK_STRESS, note="最近加班很多")
        booking_confirm_tell(booking)  # the same booking told again
    assert Notification.objects.filter(member=member, title="心灵港湾预约成功").count() == 1
    booked = SmsMessage.objects.get(template_key=SMS_BOOKED)
    assert f"预约已登记：{slot.local_start:%m月%d日 %H:%M}，{slot.studio.name}" in booked.text
    assert len(sms_outbox) == 1 and "加班" not in sms_outbox[0].text and "压力" not in sms_outbox[0].text

    with django_capture_on_commit_callbacks(execute=True):
        booking_cancel(booking=booking, actor=member.user)
        booking.refresh_from_db()
        booking_cancel_tell(booking)
    assert Notification.objects.filter(member=member, title="心灵港湾预约已取消").count() == 1
    cancelled = SmsMessage.objects.get(template_key=SMS_CANCELLED)
    assert cancelled.text.endswith(f"已取消{slot.local_start:%m月%d日 %H:%M}的预约") and cancelled.sensitive
    assert len(sms_outbox) == 2
