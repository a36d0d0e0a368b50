from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from .models import SmsMessage
from .services import SMS_MAX_ATTEMPTS, sms_backoff, sms_deliver, sms_purge_old


@shared_task(bind=True, max_retries=SMS_MAX_ATTEMPTS - 1)
def sms_send(self, message_id: int):
    """Send one SMS; while the provider fails, try again after the message's backoff (the beat
    sweep picks it up too if this worker dies)."""
    if not sms_deliver(message_id=message_id):
        message = SmsMessage.objects.filter(pk=message_id, status=SmsMessage.Status.PENDING).first()
        if message is not None and message.next_retry_at is not None:
            raise self.retry(countdown=int(sms_backoff(message.attempts).total_seconds()))


@shared_task
def sms_outbox_sweep():
    """Send what the broker never got (it was down when the decision committed), what failed
    and is due for its next retry, and what a sender claimed but never finished (it died while
    the provider answered)."""
    now = timezone.now()
    due = SmsMessage.objects.filter(
        Q(status=SmsMessage.Status.PENDING, next_retry_at__isnull=True, created_at__lt=now - timedelta(minutes=2))
        | Q(status=SmsMessage.Status.PENDING, next_retry_at__lte=now)
        | Q(status=SmsMessage.Status.SENDING, claimed_at__lt=now - timedelta(seconds=settings.SMS_CLAIM_TIMEOUT)),
        attempts__lt=SMS_MAX_ATTEMPTS,
    ).order_by("id").values_list("pk", flat=True)[:500]
    for pk in due:
        sms_deliver(message_id=pk)


@shared_task
def sms_purge():
    """Clear the personal content of SMS older than SMS_RETENTION_DAYS (daily, beat)."""
    return sms_purge_old(older_than_days=settings.SMS_RETENTION_DAYS)
