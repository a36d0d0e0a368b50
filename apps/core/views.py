from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.db import connection
from django.http import FileResponse, Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from apps.news.selectors import public_page_seconds

from .cache import public_page
from .models import ExportJob, ImportJob
from .services import import_job_progress


@public_page("news", "notices", seconds=public_page_seconds)  # the home page shows the latest of both
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


@require_GET
def language_switch(request, code):
    """The footer's language links: a plain GET (no form, no CSRF cookie on the page that links
    here) that stores the choice in the language cookie and goes back to `next`."""
    if code not in dict(settings.LANGUAGES):
        raise Http404
    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        target = reverse("core:home")
    response = HttpResponseRedirect(target)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME, code, max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH, domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE, httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response
