"""Periodic work of the rights app (declared in settings.CELERY_BEAT_SCHEDULE)."""

from celery import shared_task
from django.utils import timezone

from .services import case_due_digests_send


@shared_task(bind=True, max_retries=3, default_retry_delay=300)
def rights_due_digest_send(self):
    """Each morning: email every rights officer what falls due today (and what is overdue)."""
    try:
        return case_due_digests_send(on=timezone.localdate())
    except OSError as exc:  # the mail server is unreachable: try again a little later
        raise self.retry(exc=exc)
