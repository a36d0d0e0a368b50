"""Messages to people: the SMS outbox and the member's inbox.

Senders call these inside their own transaction; the SMS leaves only after that transaction
commits (a rolled-back decision sends nothing), and a broken SMS provider never undoes it.
"""

import logging
import re

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import Notification, SmsMessage
from .sms import get_backend

logger = logging.getLogger(__name__)


def sms_queue(*, phone: str, text: str, purpose: str, sensitive: bool = False) -> SmsMessage:
    """Record an SMS and send it once the caller's transaction commits."""
    message = SmsMessage.objects.create(
        phone=phone, text=f"{settings.SMS_SIGNATURE}{text}", purpose=purpose, sensitive=sensitive
    )
    transaction.on_commit(lambda: _dispatch(message.pk))
    return message


def _dispatch(pk: int) -> None:
    from .tasks import sms_send

    try:
        sms_send.delay(pk)
    except Exception:  # the broker is down: the beat sweep sends it later
        logger.exception("could not hand SMS %s to the broker", pk)


def sms_deliver(*, message_id: int) -> bool:
    """Send one pending SMS through the configured backend. Returns True when sent.

    Takes the row lock so two workers never send the same message twice.
    """
    with transaction.atomic():
        message = SmsMessage.objects.select_for_update().filter(pk=message_id).first()
        if message is None or message.status == SmsMessage.Status.SENT:
            return False
        message.attempts += 1
        try:
            get_backend().send(message.phone, message.text)
        except Exception as exc:  # any provider failure is recorded and retried
            message.last_error = str(exc)[:200]
            message.status = SmsMessage.Status.FAILED if message.attempts >= 5 else SmsMessage.Status.PENDING
            message.save(update_fields=["attempts", "last_error", "status"])
            return False
        message.status = SmsMessage.Status.SENT
        message.sent_at = timezone.now()
        if message.sensitive:
            message.text = re.sub(r"\d{6}", "******", message.text)
        message.save(update_fields=["attempts", "status", "sent_at", "text"])
        return True


def member_notify(*, member, title: str, body: str = "", link: str = "", sms: bool = True) -> Notification:
    """Tell a member of a decision: a row in their inbox and, if they have a phone, an SMS."""
    notification = Notification.objects.create(member=member, title=title, body=body, link=link)
    if sms and member.phone:
        sms_queue(phone=member.phone, text=f"{title}。{body}".rstrip("。") + "。", purpose="notice")
    return notification
