from django.contrib.admin.views.decorators import staff_member_required
from django.db import connection
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache

from .models import ExportJob, ImportJob
from .services import import_job_progress


def home(request):
    return render(request, "core/home.html")


@never_cache
def healthz(request):
    """For the load balancer: the process answers and the database is reachable."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@never_cache
@staff_member_required
def export_download(request, pk):
    """A background export, to the staff login that asked for it and nobody else."""
    job = ExportJob.objects.filter(pk=pk, owner=request.user, status=ExportJob.Status.DONE).first()
    if job is None or not job.file:
        raise Http404
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=job.file.name.rsplit("/", 1)[-1])


@never_cache
@staff_member_required
def import_job_page(request, pk):
    """The progress bar of a background import, then its report (its owner only)."""
    job = get_object_or_404(ImportJob, pk=pk, owner=request.user)
    return render(request, "core/import_job.html", {
        "job": job, "progress": import_job_progress(job), "title": job.title,
        "problems": (job.report or {}).get("problems", [])[:500] if job.is_finished else [],
    })


@never_cache
@staff_member_required
def import_job_status(request, pk):
    """JSON for the progress bar's polling script."""
    job = get_object_or_404(ImportJob, pk=pk, owner=request.user)
    data = import_job_progress(job)
    if "report" in data:
        report = dict(data["report"])
        report["problems"] = [p["text"] for p in report.get("problems", [])[:500]]
        data["report"] = report
    return JsonResponse(data)
