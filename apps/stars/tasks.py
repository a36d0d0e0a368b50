from celery import shared_task


@shared_task
def stars_remind_unsubmitted() -> int:
    """Daily: a week before the self-assessment deadline, remind unions that have not submitted."""
    from .services import unsubmitted_remind

    return unsubmitted_remind()
