from celery import shared_task

from .services import export_job_run, export_jobs_purge, import_job_run
from .uploads import purge_pending_uploads


@shared_task
def export_job_build(job_id: int):
    export_job_run(job_id=job_id)


@shared_task
def export_jobs_purge_old():
    export_jobs_purge(older_than_days=7)


@shared_task
def import_job_execute(job_id: int):
    import_job_run(job_id=job_id)


@shared_task
def pending_uploads_purge():
    """Nightly: delete files kept for forms that were never submitted (older than a day)."""
    return purge_pending_uploads(keep_days=1)


@shared_task
def media_orphans_sweep():
    """Nightly: delete media files older than a day that no record points at (a server died
    between writing the file and committing its row)."""
    from .media import media_orphans_purge

    return media_orphans_purge()


@shared_task
def tallies_check_task():
    """Nightly: every tally against a recount of its table; one that differs (a trigger
    disabled by hand, part of the data restored) is logged and counted again."""
    import logging

    from .tally import tallies_check

    found = tallies_check(repair=True)
    for table, differences in found.items():
        if differences:
            logging.getLogger(__name__).error("tally %s differed from its table in %d groups; counted again",
                                              table, differences)
    return found
