from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from .models import SmsMessage
from .services import sms_deliver


@shared_task(bind=True, max_retries=4, default_retry_delay=60)
def sms_send(self, message_id: int):
    if not sms_deliver(message_id=message_id):
        pending = SmsMessage.objects.filter(pk=message_id, status=SmsMessage.Status.PENDING).exists()
        if pending:
            raise self.retry(countdown=60 * (self.request.retries + 1))


@shared_task
def sms_outbox_sweep():
    """Send what the broker never got (it was down when the decision committed)."""
    cutoff = timezone.now() - timedelta(minutes=2)
    stale = SmsMessage.objects.filter(
        status=SmsMessage.Status.PENDING, created_at__lt=cutoff, attempts__lt=5
    ).values_list("pk", flat=True)[:500]
    for pk in stale:
        sms_deliver(message_id=pk)
