from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from .models import SmsMessage
from .services import sms_deliver, sms_purge_old


@shared_task(bind=True, max_retries=4, default_retry_delay=60)
def sms_send(self, message_id: int):
    if not sms_deliver(message_id=message_id):
        pending = SmsMessage.objects.filter(pk=message_id, status=SmsMessage.Status.PENDING).exists()
        if pending:
            raise self.retry(countdown=60 * (self.request.retries + 1))


@shared_task
def sms_outbox_sweep():
    """Send what the broker never got (it was down when the decision committed), and what a
    sender claimed but never finished (it died while the provider answered)."""
    now = timezone.now()
    stale = SmsMessage.objects.filter(
        Q(status=SmsMessage.Status.PENDING, created_at__lt=now - timedelta(minutes=2))
        | Q(status=SmsMessage.Status.SENDING, claimed_at__lt=now - timedelta(seconds=settings.SMS_CLAIM_TIMEOUT)),
        attempts__lt=5,
    ).values_list("pk", flat=True)[:500]
    for pk in stale:
        sms_deliver(message_id=pk)


@shared_task
def sms_purge():
    """Clear the personal content of SMS older than SMS_RETENTION_DAYS (daily, beat)."""
    return sms_purge_old(older_than_days=settings.SMS_RETENTION_DAYS)
