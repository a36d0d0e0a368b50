from celery import shared_task

from .services import export_job_run, export_jobs_purge


@shared_task
def export_job_build(job_id: int):
    export_job_run(job_id=job_id)


@shared_task
def export_jobs_purge_old():
    export_jobs_purge(older_than_days=7)
