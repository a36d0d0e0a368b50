"""Messages to people: the SMS outbox and the member's inbox.

Senders call these inside their own transaction; the SMS leaves only after that transaction
commits (a rolled-back decision sends nothing), and a broken SMS provider never undoes it.
"""

import logging
import re
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import CharField, Value
from django.db.models.functions import Concat, Left, Right
from django.utils import timezone

from .models import Notification, SmsMessage, StaffNotice
from .sms import BaseSmsBackend, get_backend
from .texts import sms_template_register, sms_text

logger = logging.getLogger(__name__)

SMS_MAX_ATTEMPTS = 5
# Minutes to wait after the n-th failed attempt before the next one (then it stays failed).
SMS_BACKOFF_MINUTES = (1, 5, 15, 60)

MEMBER_NOTICE = sms_template_register(
    "notify.member_notice", name="会员消息（通用）", text="{title}。{body}",
    placeholders=["title", "body"],
)


def decision_key(obj, status: str, *more) -> str:
    """The idempotency key of a decision's message: "rights.rightscase:12:accepted". Pass
    `more` (e.g. a round number) where a workflow may enter the same status twice on purpose."""
    return ":".join(str(part) for part in [obj._meta.label_lower, obj.pk, status, *more])[:150]


def sms_backoff(attempts: int) -> timedelta:
    """How long to wait after `attempts` failed tries: 1, 5, 15, then 60 minutes."""
    return timedelta(minutes=SMS_BACKOFF_MINUTES[min(max(attempts, 1), len(SMS_BACKOFF_MINUTES)) - 1])


def _create_once(model, dedupe_key: str, **fields):
    """Create a row, or with a `dedupe_key` already taken return the existing one: (row, created).
    The unique constraint decides, so two saves at once still make one row."""
    if not dedupe_key:
        return model.objects.create(**fields), True
    existing = model.objects.filter(dedupe_key=dedupe_key).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            return model.objects.create(dedupe_key=dedupe_key, **fields), True
    except IntegrityError:
        return model.objects.get(dedupe_key=dedupe_key), False


def sms_queue(*, phone: str, purpose: str, text: str = "", sensitive: bool = False, template: str = "",
              values: dict | None = None, dedupe_key: str = "") -> SmsMessage:
    """Record an SMS and send it once the caller's transaction commits.

    Give `text`, or `template` (an SmsTemplate key) with its `values` (with both, `text` was
    already rendered from `template` by the caller and is kept). With a
    `dedupe_key` already used, nothing new is recorded or sent: the first message is returned.
    """
    if template and not text:
        text = sms_text(template, **(values or {}))
    message, created = _create_once(
        SmsMessage, dedupe_key, phone=phone, text=f"{settings.SMS_SIGNATURE}{text}", purpose=purpose,
        sensitive=sensitive, template_key=template,
    )
    if created:
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

    Returns None when the row is gone, sent, failed for good, waiting for its next retry, or
    freshly claimed by another sender: a claim is taken over only once it is older than SMS_CLAIM_TIMEOUT seconds (the
    sender that held it died or hung).
    """
    now = timezone.now()
    stale = now - timedelta(seconds=settings.SMS_CLAIM_TIMEOUT)
    with transaction.atomic():
        message = SmsMessage.objects.select_for_update().filter(pk=message_id).first()
        if message is None:
            return None
        waiting = message.next_retry_at is not None and message.next_retry_at > now
        claimable = (message.status == SmsMessage.Status.PENDING and not waiting) or (
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
    except Exception as exc:  # any provider failure is recorded and retried with backoff
        if message.attempts >= SMS_MAX_ATTEMPTS:
            ours.update(status=SmsMessage.Status.FAILED, last_error=str(exc)[:200], next_retry_at=None)
        else:
            ours.update(status=SmsMessage.Status.PENDING, last_error=str(exc)[:200],
                        next_retry_at=timezone.now() + sms_backoff(message.attempts))
        logger.warning("SMS %s failed (attempt %s): %s", message.pk, message.attempts, str(exc)[:200])
        return False
    text = re.sub(r"\d{6}", "******", message.text) if message.sensitive else message.text
    return bool(ours.update(status=SmsMessage.Status.SENT, sent_at=timezone.now(), text=text, next_retry_at=None))


def sms_retry_now(*, messages) -> int:
    """Put unsent messages (waiting for a retry, or failed for good) back to be sent at once;
    a failed one gets one more attempt. Sent after the caller commits. Returns how many."""
    pks = list(
        messages.filter(status__in=[SmsMessage.Status.PENDING, SmsMessage.Status.FAILED], purged_at__isnull=True)
        .values_list("pk", flat=True)
    )
    if not pks:
        return 0
    SmsMessage.objects.filter(pk__in=pks, status=SmsMessage.Status.FAILED).update(
        attempts=SMS_MAX_ATTEMPTS - 1
    )
    SmsMessage.objects.filter(pk__in=pks).update(status=SmsMessage.Status.PENDING, next_retry_at=None)
    for pk in pks:
        transaction.on_commit(lambda pk=pk: _dispatch(pk))
    return len(pks)


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


def member_notify(*, member, title: str, body: str = "", link: str = "", sms: bool = True, dedupe_key: str = "",
                  sms_template: str = "", sms_values: dict | None = None) -> Notification:
    """Tell a member of a decision: a row in their inbox and, if they have a phone, an SMS.

    The SMS text is the template `sms_template` filled with `sms_values`, or else the general
    template "notify.member_notice" ({title}。{body}). With a `dedupe_key` (see decision_key)
    a decision told twice is told once: the second call returns the first inbox row and
    queues nothing.
    """
    notification, created = _create_once(Notification, dedupe_key, member=member, title=title, body=body, link=link)
    if created and sms and member.phone:
        if sms_template:
            sms_queue(phone=member.phone, template=sms_template, values=sms_values, purpose="notice",
                      dedupe_key=dedupe_key)
        else:
            text = sms_text(MEMBER_NOTICE, title=title, body=body).rstrip("。") + "。"
            sms_queue(phone=member.phone, text=text, template=MEMBER_NOTICE, purpose="notice", dedupe_key=dedupe_key)
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
