from celery import shared_task

from .services import export_job_run, export_jobs_purge, import_job_run


@shared_task
def export_job_build(job_id: int):
    export_job_run(job_id=job_id)


@shared_task
def export_jobs_purge_old():
    export_jobs_purge(older_than_days=7)


@shared_task
def import_job_execute(job_id: int):
    import_job_run(job_id=job_id)
