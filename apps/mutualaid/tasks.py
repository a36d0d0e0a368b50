"""Celery tasks of mutual aid: load by primary key, call a service, nothing else."""

from celery import shared_task


@shared_task(bind=True, max_retries=3)
def payout_batch_pay_task(self, batch_id: int, paid_on: str, reference: str, actor_id: int | None = None):
    """Record a large batch's payment in the background (one claim_transition per claim)."""
    import datetime

    from django.contrib.auth.models import User

    from .models import PayoutBatch
    from .services import payout_batch_pay

    batch = PayoutBatch.objects.get(pk=batch_id)
    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    return payout_batch_pay(batch=batch, paid_on=datetime.date.fromisoformat(paid_on), reference=reference,
                            actor=actor)
