"""Periodic membership work (the beat schedule in settings names it)."""

from celery import shared_task

from .services import join_requests_escalate as escalate


@shared_task(name="apps.membership.tasks.join_requests_escalate")
def join_requests_escalate() -> int:
    """Flag join requests past their 15-working-day limit as escalated to 组织部."""
    return escalate()
