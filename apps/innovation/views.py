"""Pages of the innovation space: the team's application and reports, the public showcase and
the staff's numbers. Thin: bind a form, call one service, redirect or show the error."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from apps.core.cache import public_page
from apps.core.errors import DomainError
from yiwu_union.routers import replica_view

from . import selectors
from .access import application_for_lead, application_for_member, plan_for_member
from .exports import NumbersExporter
from .forms import ApplicationForm, ProgressReportForm, SearchForm
from .models import Call, Residency, Status, Studio
from .services import application_save, application_transition, progress_report_file

PER_PAGE = 20


def _member(request):
    return getattr(request.user, "member", None) if request.user.is_authenticated else None


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def apply(request, pk=None):
    member = _member(request)
    if member is None:
        return render(request, "innovation/not_member.html", status=403)
    application = application_for_lead(member, pk) if pk is not None else None
    if application is not None:
        call = application.call
        if not application.is_editable:
            messages.info(request, _("申请已提交，不能修改。"))
            return redirect("innovation:detail", pk=application.pk)
    else:
        today = timezone.localdate()
        calls = list(Call.objects.filter(opens_on__lte=today, closes_on__gte=today).order_by("closes_on"))
        chosen = request.GET.get("call") or request.POST.get("call")
        call = next((c for c in calls if str(c.pk) == chosen), calls[0] if len(calls) == 1 else None)
        if call is None:
            return render(request, "innovation/calls.html", {"calls": calls})
    initial = {}
    if application is not None:
        initial = {
            "project_name": application.project_name, "industry": application.industry_id, "stage": application.stage,
            "summary": application.summary, "needs_desk": application.needs_desk,
            "needs_mentor": application.needs_mentor, "needs_funding_advice": application.needs_funding_advice,
            "publish_consent": application.publish_consent, "public_summary": application.public_summary,
            "lead_role": next((m.role for m in application.team.all() if m.is_lead), ""),
            "team": "\n".join(
                f"{m.name}，{m.role}" + (f"，{m.member.phone}" if m.member_id else "")
                for m in application.team.select_related("member") if not m.is_lead
            ),
        }
    existing = application.plans.filter(withdrawn_at__isnull=True).count() if application else 0
    form = ApplicationForm(request.POST or None, request.FILES or None, call=call, lead=member, initial=initial,
                           existing_plans=existing)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                application = application_save(
                    call=call, lead=member, project_name=data["project_name"], industry=data["industry"],
                    summary=data["summary"], stage=data["stage"], needs_desk=data["needs_desk"],
                    needs_mentor=data["needs_mentor"], needs_funding_advice=data["needs_funding_advice"],
                    publish_consent=data["publish_consent"], public_summary=data["public_summary"],
                    lead_role=data["lead_role"], team=data["team"], plans=data["plans"], actor=request.user,
                    application=application,
                )
                if "submit" in request.POST:
                    application_transition(application=application, target=Status.SUBMITTED, actor=request.user)
        except DomainError as error:
            form.add_error(None, error.message)
            if data["plans"]:
                form.add_error("plans", _("已选择的文件尚未保存，请重新选择文件。"))
        else:
            messages.success(request, _("申请已提交。") if "submit" in request.POST else _("草稿已保存。"))
            return redirect("innovation:detail", pk=application.pk)
    plans = application.plans.filter(withdrawn_at__isnull=True) if application else []
    return render(request, "innovation/apply.html",
                  {"form": form, "call": call, "application": application, "plans": plans, "member": member})


@never_cache
@login_required
@require_GET
def mine(request):
    member = _member(request)
    if member is None:
        raise Http404
    return render(request, "innovation/mine.html", {"applications": selectors.applications_for_member(member)})


@never_cache
@login_required
@require_GET
def detail(request, pk):
    member = _member(request)
    if member is None:
        raise Http404
    application = application_for_member(member, pk)
    residency = Residency.objects.filter(application=application).select_related("place__space").first()
    reports, overdue = [], []
    if residency is not None:
        reports = list(residency.reports.all())
        overdue = selectors.reports_overdue(residency)
    return render(request, "innovation/detail.html", {
        "application": application, "team": application.team.all(), "residency": residency, "reports": reports,
        "overdue": overdue, "plans": application.plans.all(), "is_lead": application.lead_id == member.pk,
        "changes": application.changes.all(),
    })


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def report_new(request, pk):
    member = _member(request)
    if member is None:
        raise Http404
    application = application_for_lead(member, pk)
    residency = Residency.objects.filter(application=application, state=Residency.State.RESIDENT).first()
    if residency is None:
        raise Http404
    filed = set(residency.reports.values_list("year", "quarter"))
    periods = [(y, q) for y, q, _due in selectors.report_quarters_due(residency, timezone.localdate(),
                                                                      include_current=True) if (y, q) not in filed]
    form = ProgressReportForm(request.POST or None, periods=periods)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        year, quarter = data["period"]
        try:
            progress_report_file(
                residency=residency, year=year, quarter=quarter, milestones=data["milestones"],
                revenue=data["revenue"], jobs_created=data["jobs_created"], patents=data["patents"],
                actor=request.user,
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("进展报告已提交。"))
            return redirect("innovation:detail", pk=application.pk)
    return render(request, "innovation/report_form.html", {"form": form, "application": application})


@login_required
@require_GET
def plan_file(request, pk):
    member = _member(request)
    if member is None:
        raise Http404
    plan = plan_for_member(member, pk)
    return FileResponse(plan.file.open("rb"), content_type=plan.content_type)


@require_GET
@public_page("innovation", "awards")
def showcase(request):
    form = SearchForm(request.GET or None)
    q = form.cleaned_data["q"] if form.is_valid() else ""
    page = Paginator(selectors.showcase_projects(q), PER_PAGE).get_page(request.GET.get("page"))
    studios = list(selectors.showcase_studios(q)[:12])
    return render(request, "innovation/showcase.html", {"form": form, "page": page, "studios": studios, "q": q})


@require_GET
@public_page("innovation", "awards")
def studios(request):
    form = SearchForm(request.GET or None)
    q = form.cleaned_data["q"] if form.is_valid() else ""
    page = Paginator(selectors.showcase_studios(q), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "innovation/studios.html", {"form": form, "page": page, "q": q})


@require_GET
@public_page("innovation", "awards", "competitions")
def studio(request, pk):
    studio = get_object_or_404(
        Studio.objects.filter(is_published=True).select_related("employer", "honour__programme")
        .prefetch_related("recognitions"), pk=pk
    )
    honour = studio.honour if studio.honour_id and studio.honour.is_public else None
    return render(request, "innovation/studio.html", {
        "studio": studio, "honour": honour, "proposals": selectors.studio_public_proposals(studio),
    })


@never_cache
@login_required
@require_GET
@replica_view  # the year's figures may lag the primary by a second
def numbers(request):
    if not request.user.is_staff or not request.user.has_perm("innovation.view_application"):
        raise PermissionDenied
    this_year = timezone.localdate().year
    try:
        year = int(request.GET.get("year", this_year))
    except ValueError:
        year = this_year
    if not 2000 <= year <= this_year + 1:
        year = this_year
    if request.GET.get("format") == "xlsx":
        return NumbersExporter(years=range(year - 4, year + 1)).response("xlsx", request=request)
    return render(request, "innovation/numbers.html", {
        "numbers": selectors.numbers_for_year(year), "year": year, "years": range(this_year - 4, this_year + 2),
    })
