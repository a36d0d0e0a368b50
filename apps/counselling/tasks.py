"""Celery tasks of counselling: load by key or date, call a service, nothing else."""

from celery import shared_task

from .services import reminders_send


@shared_task
def counselling_reminders_send() -> int:
    """Beat, daily at 17:00: SMS reminders for tomorrow's bookings."""
    return reminders_send()
