"""Periodic work of the dashboard (declared in settings.CELERY_BEAT_SCHEDULE)."""

from celery import shared_task

from .figures import dashboard_warm


@shared_task
def dashboard_warm_task():
    """Every DASHBOARD_WARM_SECONDS: this year's whole-city figures counted before anyone asks."""
    return dashboard_warm()
