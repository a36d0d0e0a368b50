"""Periodic work of the work queues (declared in settings.CELERY_BEAT_SCHEDULE)."""

from celery import shared_task
from django.utils import timezone

from .services import work_queue_digests_send


@shared_task
def work_queue_digest_send():
    """Each morning: every department's logins (and union officers) told what waits for them."""
    return work_queue_digests_send(on=timezone.localdate())
