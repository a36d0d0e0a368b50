from celery import shared_task

from .services import export_job_run


@shared_task
def export_job_build(job_id: int):
    export_job_run(job_id=job_id)
