"""Background exports: a staff login asks, a Celery task builds the file, only they download it."""

import datetime
import logging

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import ExportJob

logger = logging.getLogger(__name__)


def export_job_start(*, owner, exporter: str, title: str, params: dict | None = None) -> ExportJob:
    """Record an export and build it in the background once the caller's transaction commits.

    `exporter` is the dotted path of an Exporter subclass with `for_job(user, params)`; it must
    apply the owner's own scoping and masking, since the task runs without a request.
    """
    import_string(exporter)  # refuse an unknown exporter now, not in the worker
    job = ExportJob.objects.create(owner=owner, exporter=exporter, title=title, params=params or {})
    transaction.on_commit(lambda: _dispatch(job.pk))
    return job


def _dispatch(pk: int) -> None:
    from .tasks import export_job_build

    try:
        export_job_build.delay(pk)
    except Exception:  # the broker is down: the job stays pending and can be started again
        logger.exception("could not hand export %s to the broker", pk)


def export_job_run(*, job_id: int) -> ExportJob:
    """Build the file of a pending job (called by the task). A failure is recorded on the job."""
    job = ExportJob.objects.select_related("owner").get(pk=job_id)
    if job.status != ExportJob.Status.PENDING:
        return job
    try:
        exporter = import_string(job.exporter).for_job(job.owner, job.params)
        data = exporter.render_xlsx()
    except Exception as exc:  # any failure is told to the person instead of a silent pending job
        logger.exception("export %s failed", job.pk)
        job.status = ExportJob.Status.FAILED
        job.error = str(exc)[:300]
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "error", "finished_at"])
        return job
    job.file.save(exporter.filename("xlsx").replace("/", "-"), ContentFile(data), save=False)
    job.row_count = exporter.row_count
    job.status = ExportJob.Status.DONE
    job.finished_at = timezone.now()
    job.save(update_fields=["file", "row_count", "status", "finished_at"])
    return job


def export_jobs_purge(*, older_than_days: int = 7) -> int:
    """Delete exports (rows and files) older than `older_than_days`: they hold personal data
    and nobody should keep downloading a stale list. Returns how many were removed."""
    cutoff = timezone.now() - datetime.timedelta(days=older_than_days)
    removed = 0
    for job in ExportJob.objects.filter(created_at__lt=cutoff).iterator():
        if job.file:
            job.file.delete(save=False)
        job.delete()
        removed += 1
    return removed
