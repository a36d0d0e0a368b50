"""Messages to people: the SMS outbox and the member's inbox.

Senders call these inside their own transaction; the SMS leaves only after that transaction
commits (a rolled-back decision sends nothing), and a broken SMS provider never undoes it.
"""

import logging
import re
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import CharField, Value
from django.db.models.functions import Concat, Left, Right
from django.utils import timezone

from .models import Notification, SmsMessage, StaffNotice
from .sms import BaseSmsBackend, get_backend

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


def _claim(message_id: int) -> SmsMessage | None:
    """Mark one SMS as being sent, in a transaction of its own that commits at once.

    Returns None when the row is gone, sent, failed for good, or freshly claimed by another
    sender: a claim is taken over only once it is older than SMS_CLAIM_TIMEOUT seconds (the
    sender that held it died or hung).
    """
    now = timezone.now()
    stale = now - timedelta(seconds=settings.SMS_CLAIM_TIMEOUT)
    with transaction.atomic():
        message = SmsMessage.objects.select_for_update().filter(pk=message_id).first()
        if message is None:
            return None
        claimable = message.status == SmsMessage.Status.PENDING or (
            message.status == SmsMessage.Status.SENDING and message.claimed_at and message.claimed_at < stale
        )
        if not claimable:
            return None
        message.status = SmsMessage.Status.SENDING
        message.claimed_at = now
        message.attempts += 1
        message.save(update_fields=["status", "claimed_at", "attempts"])
    return message


def sms_deliver(*, message_id: int) -> bool:
    """Send one pending SMS through the configured backend. Returns True when sent.

    Call it outside any transaction: the row is claimed and committed first, the provider is
    called with no database lock held, and the result is written only if the claim is still
    ours (a sender whose claim went stale and was taken over writes nothing).
    """
    message = _claim(message_id)
    if message is None:
        return False
    ours = SmsMessage.objects.filter(pk=message.pk, status=SmsMessage.Status.SENDING, claimed_at=message.claimed_at)
    backend = get_backend()
    try:
        if isinstance(backend, BaseSmsBackend):
            backend.send(message.phone, message.text, sensitive=message.sensitive)
        else:
            backend.send(message.phone, message.text)
    except Exception as exc:  # any provider failure is recorded and retried
        status = SmsMessage.Status.FAILED if message.attempts >= 5 else SmsMessage.Status.PENDING
        ours.update(status=status, last_error=str(exc)[:200])
        return False
    text = re.sub(r"\d{6}", "******", message.text) if message.sensitive else message.text
    return bool(ours.update(status=SmsMessage.Status.SENT, sent_at=timezone.now(), text=text))


def sms_purge_old(*, older_than_days: int) -> int:
    """Clear the text and mask the phone of SMS sent (or failed for good) more than
    `older_than_days` ago; who, when, purpose and status stay. Returns how many were purged."""
    cutoff = timezone.now() - timedelta(days=older_than_days)
    old = SmsMessage.objects.filter(
        status__in=[SmsMessage.Status.SENT, SmsMessage.Status.FAILED], created_at__lt=cutoff, purged_at__isnull=True,
    )
    # The phone as mask_phone() shows it (138****1234), computed in the database in one UPDATE.
    masked = Concat(Left("phone", 3), Value("****"), Right("phone", 4), output_field=CharField())
    return old.update(text="", phone=masked, purged_at=timezone.now())


def member_notify(*, member, title: str, body: str = "", link: str = "", sms: bool = True) -> Notification:
    """Tell a member of a decision: a row in their inbox and, if they have a phone, an SMS."""
    notification = Notification.objects.create(member=member, title=title, body=body, link=link)
    if sms and member.phone:
        sms_queue(phone=member.phone, text=f"{title}。{body}".rstrip("。") + "。", purpose="notice")
    return notification


def staff_notify(*, users, title: str, body: str = "", link: str = "", urgent: bool = False,
                 email: bool = False) -> int:
    """Tell staff logins of work for them: a notice in the admin for each (shown until read)
    and, with `email`, one e-mail to those with an address, sent after the caller commits.
    Returns how many were told."""
    from django.core.mail import send_mail

    recipients = {user.pk: user for user in users if user is not None and user.is_active}
    StaffNotice.objects.bulk_create([
        StaffNotice(user=user, title=title[:200], body=body, link=link, urgent=urgent) for user in recipients.values()
    ])
    addresses = sorted({user.email for user in recipients.values() if user.email})
    if email and addresses:
        text = f"{body}\n\n{settings.SITE_URL}{link}" if link else body

        def send():
            try:
                send_mail(title, text, None, addresses, fail_silently=False)
            except Exception:  # a mail server outage never undoes the work; the notice is in admin
                logger.exception("could not e-mail staff notice %r", title)

        transaction.on_commit(send)
    return len(recipients)
