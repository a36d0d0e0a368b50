"""Background exports and imports (a staff login asks, a Celery task does the work, only they
see the result) and the log of every export of personal data."""

import datetime
import logging
import os

from django.core.cache import cache
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import ExportJob, ExportLog, ImportJob

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
        path = exporter.render_xlsx_file()
    except Exception as exc:  # any failure is told to the person instead of a silent pending job
        logger.exception("export %s failed", job.pk)
        job.status = ExportJob.Status.FAILED
        job.error = str(exc)[:300]
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "error", "finished_at"])
        return job
    try:
        with open(path, "rb") as handle:
            job.file.save(exporter.filename("xlsx").replace("/", "-"), File(handle), save=False)
    finally:
        os.unlink(path)
    job.row_count = exporter.row_count
    export_log_write(
        user=job.owner, what=job.title, source=job.exporter, filters=job.params,
        row_count=exporter.row_count, file_format="xlsx",
    )
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


def export_log_write(*, user, what: str, source: str, filters: dict | None = None,
                     row_count: int | None = None, file_format: str = "") -> ExportLog:
    """Record that `user` exported `what` (rows of personal data) with `filters`."""
    clean = {}
    for key, value in (filters or {}).items():
        if isinstance(value, (list, tuple)):
            value = [str(v)[:200] for v in value][:20]
            value = value[0] if len(value) == 1 else value
        else:
            value = str(value)[:200]
        clean[str(key)[:100]] = value
    return ExportLog.objects.create(
        user=user, what=str(what)[:100], source=str(source)[:200], filters=clean,
        row_count=row_count, file_format=file_format[:10],
    )


# ---- background imports -------------------------------------------------------------------

def _progress_key(pk: int) -> str:
    return f"core:import-progress:{pk}"


def import_job_start(*, owner, importer: str, title: str, data: bytes, filename: str,
                     dry_run: bool = False, options: dict | None = None) -> ImportJob:
    """Keep the uploaded file and run the import in the background after the caller commits.

    `importer` is the dotted path of a TableImport subclass; it is built with `user=owner` and
    the keyword arguments in `options` (JSON values, e.g. the year of an enrolment list), so it
    scopes what the owner may import exactly as in the request.
    """
    import_string(importer)
    job = ImportJob(owner=owner, importer=importer, title=title, filename=filename[:200], dry_run=dry_run,
                    options=options or {})
    job.file.save("upload.bin", ContentFile(data), save=False)
    job.save()
    transaction.on_commit(lambda: _dispatch_import(job.pk))
    return job


def _dispatch_import(pk: int) -> None:
    from .tasks import import_job_execute

    try:
        import_job_execute.delay(pk)
    except Exception:  # the broker is down: the job stays pending; the page says so
        logger.exception("could not hand import %s to the broker", pk)


def import_job_run(*, job_id: int) -> ImportJob:
    """Run a pending import job (called by the task): all rows or none, the report on the job,
    the uploaded file deleted. Progress goes to the cache while it runs."""
    updated = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.PENDING).update(
        status=ImportJob.Status.RUNNING
    )
    job = ImportJob.objects.select_related("owner").get(pk=job_id)
    if not updated:
        return job

    def progress(done: int, of: int) -> None:
        cache.set(_progress_key(job.pk), {"done": done, "of": of}, timeout=24 * 3600)

    try:
        with job.file.open("rb") as handle:
            data = handle.read()
        importer = import_string(job.importer)(user=job.owner, **job.options)
        report = importer.run(data, filename=job.filename, dry_run=job.dry_run, progress=progress)
    except Exception as exc:  # told on the page instead of a job that never ends
        logger.exception("import %s failed", job.pk)
        job.status = ImportJob.Status.FAILED
        job.report = {"error": str(exc)[:300], "problems": []}
    else:
        job.report = report.as_dict()
        if not report.ok:
            job.status = ImportJob.Status.REFUSED
        elif job.dry_run:
            job.status = ImportJob.Status.CHECKED
        else:
            job.status = ImportJob.Status.DONE
    job.finished_at = timezone.now()
    if job.file:
        job.file.delete(save=False)
    job.save(update_fields=["status", "report", "finished_at", "file"])
    return job


def import_job_progress(job: ImportJob) -> dict:
    """What the progress bar shows: status, percentage, and the report once the job ended."""
    data = {"status": job.status, "status_label": str(job.get_status_display()), "finished": job.is_finished}
    if job.is_finished:
        data["percent"] = 100
        data["report"] = job.report
        return data
    seen = cache.get(_progress_key(job.pk)) or {}
    of = seen.get("of") or 0
    data["percent"] = min(99, int(100 * seen.get("done", 0) / of)) if of else 0
    return data
