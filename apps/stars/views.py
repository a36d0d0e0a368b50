"""Public star pages, the officer's self-assessment (/stars/assess/) and the staff overview."""

import os
import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from apps.core.cache import public_page
from apps.core.errors import DomainError
from apps.core.uploads import CleanDocument

from . import access, selectors, services
from .exports import OverviewExporter
from .forms import ScoreForm, StarFilterForm
from .models import EvaluationStatus

PER_PAGE = 30
PENDING_KEY = "stars_pending"


@require_GET
@public_page("stars", "orgs")
def demonstration(request):
    """五星级示范工会 of one year (the newest by default), public."""
    years = selectors.demonstration_years()
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = None
    if year not in years:
        year = years[0] if years else None
    ratings = selectors.demonstration_unions(year=year) if year else []
    return render(request, "stars/demonstration.html", {"years": years, "year": year, "ratings": ratings})


@require_GET
@public_page("stars", "orgs")
def rated_list(request):
    """/stars/: one year's star-rated unions by level, searchable and filtered by town/street."""
    years = selectors.rating_years()
    form = StarFilterForm(request.GET or None, years=years)
    filters = form.filters(default_year=years[0] if years else None) if form.is_bound else {
        "q": "", "year": years[0] if years else None, "town": None, "level": None}
    ratings = selectors.rated_unions(**filters) if years else selectors.public_ratings().none()
    page = Paginator(ratings, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "stars/list.html", {
        "form": form, "page": page, "year": filters["year"], "years": years,
        "elided_pages": page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1),
    })


@require_GET
@public_page("stars", "orgs")
def union_page(request, pk):
    """A union's star history across years, withdrawals and lowered levels with the reason."""
    union = selectors.public_union_get(pk)
    return render(request, "stars/union.html", {"union": union, "history": selectors.union_star_history(union)})


# ----------------------------------------------------------------------------- the officer

def _pending_store(request, form) -> None:
    """Keep a re-shown form's checked files server-side until the form is saved."""
    stash = request.session.get(PENDING_KEY, {})
    for clean in form.checked:
        ext = os.path.splitext(clean.content.name)[1]
        path = default_storage.save(f"stars/pending/{uuid.uuid4().hex}{ext}", clean.content)
        stash.setdefault(str(form.score.pk), []).append(
            {"path": path, "kind": clean.kind, "content_type": clean.content_type, "name": clean.original_name}
        )
    request.session[PENDING_KEY] = stash


def _pending_load(request, score_id) -> list[CleanDocument]:
    items = []
    for row in request.session.get(PENDING_KEY, {}).get(str(score_id), []):
        if not row["path"].startswith("stars/pending/") or not default_storage.exists(row["path"]):
            continue
        with default_storage.open(row["path"]) as handle:
            data = handle.read()
        items.append(CleanDocument(ContentFile(data, name=os.path.basename(row["path"])), row["kind"],
                                   row["content_type"], row["name"]))
    return items


def _pending_clear(request) -> None:
    for rows in request.session.pop(PENDING_KEY, {}).values():
        for row in rows:
            if row["path"].startswith("stars/pending/"):
                default_storage.delete(row["path"])


@require_http_methods(["GET", "POST"])
def assess(request):
    """The officer's self-assessment of their own union for the current rubric."""
    if not request.user.is_authenticated:
        return redirect(f"{reverse('admin:login')}?next={request.path}")
    unions = access.officer_unions(request.user)
    if not unions:
        raise PermissionDenied("not a grassroots-union officer")
    rubric = services.rubric_current()
    if rubric is None:
        return render(request, "stars/assess.html", {"no_rubric": True, "unions": unions})
    raw_union = request.POST.get("union") if request.method == "POST" else request.GET.get("union")
    union = access.officer_union_pick(request.user, unions, raw_union)
    if union is None:
        return render(request, "stars/refused.html", {"message": _("只能填报、提交本单位工会的星级自评。")}, status=403)
    evaluation = services.evaluation_open(union=union, rubric=rubric)
    scores = list(evaluation.scores.select_related("criterion").prefetch_related("evidence"))
    editable = evaluation.status in (EvaluationStatus.DRAFT, EvaluationStatus.RETURNED)
    data = request.POST if request.method == "POST" and editable else None
    forms = [ScoreForm(data, request.FILES if data else None, score=s, criterion=s.criterion) for s in scores]
    if data is not None:
        if all([f.is_valid() for f in forms]):
            try:
                with transaction.atomic():
                    services.evaluation_draft_save(
                        evaluation=evaluation, actor=request.user,
                        entries=[f.entry(_pending_load(request, f.score.pk)) for f in forms],
                    )
                    if "submit" in request.POST:
                        services.evaluation_transition(
                            evaluation=evaluation, target=EvaluationStatus.SUBMITTED, actor=request.user
                        )
            except DomainError as error:
                for form in forms:
                    _pending_store(request, form)
                messages.error(request, error.message)
            else:
                _pending_clear(request)
                messages.success(request, _("自评已提交，等待组织部评审。") if "submit" in request.POST
                                 else _("草稿已保存。"))
                return redirect(f"{reverse('stars:assess')}?union={union.pk}")
        else:
            for form in forms:
                if not form.errors.get("files"):
                    _pending_store(request, form)
            messages.error(request, _("有填写错误，未保存，请按提示修改。"))
    elif request.method == "POST":
        messages.error(request, _("自评已提交，不能再修改；如需修改，请联系组织部退回。"))
    pending = request.session.get(PENDING_KEY, {})
    return render(request, "stars/assess.html", {
        "union": union, "unions": unions, "rubric": rubric, "evaluation": evaluation, "editable": editable,
        "rows": [(f, f.score, [r["name"] for r in pending.get(str(f.score.pk), [])]) for f in forms],
        "history": evaluation.status_changes.select_related("actor"),
        "notices": selectors.officer_notices(request.user)[:10],
        "deadline_passed": timezone.localdate() > rubric.deadline,
    })


@require_GET
def evidence_file(request, pk):
    """An evidence file, to the union's officers and to staff who may view evaluations."""
    evidence = access.evidence_for_user(request.user, pk)
    handle = evidence.file.open("rb")
    return FileResponse(handle, content_type=evidence.content_type, filename=evidence.original_name)


# ----------------------------------------------------------------------------- staff

@require_GET
def overview(request):
    """Per year and town/street: submitted, reviewed, levels; not yet submitted; to review."""
    if not access.staff_may_view(request.user):
        if not request.user.is_authenticated:
            return redirect(f"{reverse('admin:login')}?next={request.path}")
        raise PermissionDenied("no star-rating permission")
    rubric = services.rubric_current()
    default = rubric.year if rubric else timezone.localdate().year
    try:
        year = int(request.GET.get("year", default))
    except ValueError:
        year = default
    if not 1949 <= year <= 2100:
        raise Http404("year out of range")
    if request.GET.get("format") in ("xlsx", "csv"):
        return OverviewExporter(year=year, actor=request.user).response(request.GET["format"])
    rows = selectors.overview(year=year)
    return render(request, "stars/overview.html", {
        "year": year, "rows": rows, "levels": range(1, 6),
        "not_submitted": selectors.unions_not_submitted(year=year)[:200],
        "review": selectors.review_list(year=year),
        "total_unions": sum(r.unions for r in rows),
    })
