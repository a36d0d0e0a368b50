"""Celery tasks of the aid app: load by primary key, call a service, nothing else."""

from celery import shared_task
from django.contrib.auth import get_user_model

from .models import Application
from .services import application_notice_publish


@shared_task
def notice_publish_task(application_ids: list[int], actor_id: int) -> int:
    """Put a large selection of approved applications on public notice (see
    application_notice_publish); returns how many notices were published."""
    actor = get_user_model().objects.get(pk=actor_id)
    applications = list(Application.objects.filter(pk__in=application_ids, status="approved"))
    if not applications:
        return 0
    return len(application_notice_publish(applications=applications, actor=actor))
