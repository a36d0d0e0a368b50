from celery import shared_task

from .services import notices_close_expired


@shared_task
def notices_close_expired_task():
    return notices_close_expired()
