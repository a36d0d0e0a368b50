"""Pages of competitions and proposals. Thin: bind a form, call one service, redirect or show
the error. Public pages carry no per-person content."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.core.cache import public_page
from apps.core.errors import DomainError
from apps.members.access import member_for_user
from apps.orgs.selectors import officer_union_ids
from yiwu_union.routers import replica_view

from .access import (
    attachment_for_request,
    officer_may_bulk_register,
    proposal_for_member,
    proposals_for_staff,
    registration_for_member,
)
from .exports import ProposalNumbersExporter
from .forms import BulkRegistrationForm, ProposalForm, RegistrationForm
from .imports import EntrantImport
from .models import Competition, Registration
from .selectors import (
    competitions_public,
    event_with_counts,
    events_for_competition,
    proposal_studios,
    proposals_for_member,
    proposals_public,
    registrations_for_member,
    winners_public,
)
from .selectors import (
    event_results as results_of_event,
)
from .selectors import (
    proposal_numbers as numbers_of_proposals,
)
from .services import (
    proposal_submit,
    registration_create,
    registration_withdraw,
    waiting_position,
)

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@require_GET
@public_page("competitions")
def competition_list(request):
    return render(request, "competitions/competition_list.html", {"competitions": competitions_public()})


@require_GET
@public_page("competitions")
def winners(request):
    """The honour list of the competitions: prize winners and city titles of a year."""
    year = _year_param(request.GET.get("year"))
    this_year = timezone.localdate().year
    return render(request, "competitions/winners.html", {
        "year": year, "winners": winners_public(year)[:500], "years": range(this_year, this_year - 6, -1),
    })


@require_GET
@public_page("competitions")
def competition_detail(request, pk):
    competition = get_object_or_404(Competition.objects.select_related("organiser"), pk=pk, is_published=True)
    return render(request, "competitions/competition_detail.html", {
        "competition": competition, "events": events_for_competition(competition),
        "today": timezone.localdate(),
    })


def _event_or_404(pk):
    event = event_with_counts(pk)
    if event is None:
        raise Http404
    return event


@never_cache
@require_GET
def event_detail(request, pk):
    event = _event_or_404(pk)
    mine = None
    member = getattr(request.user, "member", None) if request.user.is_authenticated else None
    if member is not None:
        mine = Registration.objects.filter(event=event, member=member).exclude(
            status=Registration.Status.WITHDRAWN).first()
    return render(request, "competitions/event_detail.html", {
        "event": event, "form": RegistrationForm(), "mine": mine, "member": member,
        "full": event.registered >= event.capacity, "open": event.is_open(),
        "may_bulk": officer_may_bulk_register(request.user),
    })


@login_required
@require_POST
def event_register(request, pk):
    member = member_for_user(request.user)
    event = _event_or_404(pk)
    form = RegistrationForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("competitions:event", pk=event.pk)
    try:
        registration = registration_create(
            event=event, member=member, actor=request.user,
            certificate_level=form.cleaned_data["certificate_level"],
            join_waiting_list=request.POST.get("waiting") == "1",
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("competitions:event", pk=event.pk)
    if registration.status == Registration.Status.WAITING:
        messages.success(request, _("已加入候补名单，当前为第 %(n)d 位。") % {"n": waiting_position(registration)})
    else:
        messages.success(request, _("报名成功：%(event)s。") % {"event": event.name})
    return redirect("competitions:mine")


@require_GET
@public_page("competitions")
def event_results(request, pk):
    event = _event_or_404(pk)
    if not event.results_published:
        raise Http404
    return render(request, "competitions/event_results.html", {
        "event": event, "results": results_of_event(event), "rounds": list(event.rounds.all()),
    })


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def event_bulk_register(request, pk):
    if not officer_may_bulk_register(request.user):
        raise PermissionDenied
    event = _event_or_404(pk)
    importer = EntrantImport(event=event, union_ids=officer_union_ids(request.user), user=request.user)
    if request.method == "GET" and request.GET.get("template") == "xlsx":
        response = HttpResponse(importer.template_xlsx(), content_type=XLSX_TYPE)
        response["Content-Disposition"] = 'attachment; filename="entrants-template.xlsx"'
        return response
    form = BulkRegistrationForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        report = importer.run(upload.read(), filename=upload.name)
        problems = [str(p) for p in report.problems]
        if report.ok:
            messages.success(request, _("已为 %(n)d 名会员报名。") % {"n": report.created})
            return redirect("competitions:bulk", pk=event.pk)
    return render(request, "competitions/bulk.html", {"event": event, "form": form, "problems": problems})


@login_required
@never_cache
@require_GET
def mine(request):
    member = member_for_user(request.user)
    registrations = list(registrations_for_member(member))
    today = timezone.localdate()
    for registration in registrations:
        registration.withdrawable = (registration.status != Registration.Status.WITHDRAWN
                                     and today <= registration.event.registration_closes)
    return render(request, "competitions/mine.html", {
        "registrations": registrations, "proposals": proposals_for_member(member),
    })


@login_required
@require_POST
def registration_withdraw_view(request, pk):
    member = member_for_user(request.user)
    registration = registration_for_member(member, pk)
    try:
        registration_withdraw(registration=registration, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已退出报名：%(event)s。") % {"event": registration.event.name})
    return redirect("competitions:mine")


@require_GET
@public_page("competitions", "innovation")
def proposal_public_list(request):
    return render(request, "competitions/proposal_list.html", {"proposals": proposals_public()[:200]})


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def proposal_new(request):
    member = member_for_user(request.user)
    form = ProposalForm(request.POST or None, request.FILES or None, member=member)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        proposal = proposal_submit(
            member=member, kind=data["kind"], title=data["title"], problem=data["problem"],
            proposal=data["proposal"], expected_benefit=data["expected_benefit"],
            co_authors=data["co_author_numbers"], consent_public=data["consent_public"],
            uploads=data["files"], actor=request.user,
        )
        messages.success(request, _("已提交，编号 %(number)s。评审结果会短信通知您。") % {"number": proposal.number})
        return redirect("competitions:proposal_detail", number=proposal.number)
    if request.method == "POST" and request.FILES:
        messages.warning(request, _("表单有误，已选的附件没有保存：改正后请重新选择附件。"))
    return render(request, "competitions/proposal_form.html", {"form": form})


@login_required
@never_cache
@require_GET
def proposal_detail(request, number):
    member = member_for_user(request.user)
    proposal = proposal_for_member(member, number)
    return render(request, "competitions/proposal_detail.html", {
        "proposal": proposal, "attachments": proposal.attachments.filter(withdrawn_at__isnull=True),
        "co_authors": proposal.co_authors.all(), "changes": proposal.changes.all(),
        "studios": proposal_studios(proposal),
    })


@login_required
@require_GET
def proposal_attachment(request, pk):
    attachment = attachment_for_request(request.user, pk)
    return FileResponse(attachment.file.open("rb"), content_type=attachment.content_type,
                        filename=attachment.original_name)


def _year_param(value) -> int:
    try:
        year = int(value)
    except (TypeError, ValueError):
        return timezone.localdate().year
    return year if 2000 <= year <= 2100 else timezone.localdate().year


@login_required
@never_cache
@require_GET
@replica_view  # the year's figures may lag the primary by a second
def proposal_numbers(request):
    """Numbers per year by union or town/street, for staff (officers: their own union)."""
    user = request.user
    if not user.is_staff or not (user.has_perm("competitions.view_proposal") or officer_union_ids(user)):
        raise PermissionDenied
    year = _year_param(request.GET.get("year"))
    by = request.GET.get("by") if request.GET.get("by") in ("union", "town") else "union"
    rows = numbers_of_proposals(proposals_for_staff(user), year=year, by=by)
    if request.GET.get("format") in ("xlsx", "csv"):
        return ProposalNumbersExporter(rows=rows, year=year, by=by).response(request.GET["format"])
    this_year = timezone.localdate().year
    return render(request, "competitions/proposal_numbers.html", {
        "rows": rows, "year": year, "by": by, "years": range(this_year, this_year - 6, -1),
    })

