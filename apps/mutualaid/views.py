"""Pages of the mutual-aid app: the member's cover and claims, the online claim form, receipt
files and the staff numbers page. Thin: bind a form, call one service, redirect or show."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from apps.core.errors import DomainError
from apps.members.access import member_for_user
from yiwu_union.routers import replica_view

from .access import claim_for_member, claims_for_staff, receipt_for_request
from .exports import NumbersExporter
from .forms import ClaimForm, MoreReceiptsForm
from .models import Channel, Claim, Status
from .selectors import caps_left_for_member, claim_history, claims_for_member, enrolments_for_member, numbers_for_year
from .services import claim_preview, claim_receipts_add, claim_submit, claim_transition


@login_required
@never_cache
def mine(request):
    member = member_for_user(request.user)
    enrolments = enrolments_for_member(member)
    today = timezone.localdate()
    current = next((e for e in enrolments if e.scheme.cover_start <= today <= e.scheme.cover_end), None)
    return render(request, "mutualaid/mine.html", {
        "member": member, "enrolments": enrolments, "current": current,
        "caps": caps_left_for_member(member, current), "claims": claims_for_member(member)[:200], "today": today,
    })


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def claim_new(request):
    member = member_for_user(request.user)
    form = ClaimForm(request.POST or None, request.FILES or None, member=member)
    if request.method == "POST":
        replay = Claim.objects.filter(member=member, idempotency_key=_token(request)).first()
        if replay is not None:
            return redirect("mutualaid:detail", number=replay.number)
        if form.is_valid():
            data = form.cleaned_data
            try:
                claim = claim_submit(
                    member=member, channel=Channel.ONLINE, benefit_code=data["benefit_code"],
                    fixed_item_name=data.get("fixed_item_name") or "", hospital=data["hospital"],
                    admitted_on=data["admitted_on"], discharged_on=data["discharged_on"], diagnosis=data["diagnosis"],
                    total_cost=data["total_cost"], insurance_paid=data["insurance_paid"],
                    out_of_pocket=data["out_of_pocket"], payee_bank=data["payee_bank"],
                    payee_account=data["payee_account"], receipts=data["receipts"], actor=request.user,
                    idempotency_key=data["token"],
                )
            except DomainError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("已提交，申请编号 %(number)s。请将票据原件交所在镇街代办点核验。")
                                 % {"number": claim.number})
                return redirect("mutualaid:detail", number=claim.number)
        if request.FILES:
            # Files are not kept across a re-shown form: say so plainly rather than drop them.
            form.add_error("receipts", _("表单有误，已选择的票据文件未保存，请改正后重新选择文件。"))
    return render(request, "mutualaid/claim_form.html", {"form": form, "member": member})


def _token(request):
    import uuid

    try:
        return uuid.UUID(request.POST.get("token", ""))
    except ValueError:
        return None


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def detail(request, number):
    member = member_for_user(request.user)
    claim = claim_for_member(member, number)
    form = MoreReceiptsForm(request.POST or None, request.FILES or None) if claim.status == Status.RETURNED else None
    if form is not None and request.method == "POST":
        if form.is_valid():
            try:
                claim_receipts_add(claim=claim, documents=form.cleaned_data["receipts"], actor=request.user)
                claim_transition(claim=claim, target=Status.SUBMITTED, actor=request.user, note=_("会员补充材料"))
            except DomainError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("材料已补充，申请已重新提交。"))
                return redirect("mutualaid:detail", number=claim.number)
    elif request.method == "POST":
        raise Http404
    preview = None
    if claim.status in (Status.SUBMITTED, Status.CHECKED, Status.RETURNED):
        preview = claim_preview(claim)
    return render(request, "mutualaid/claim_detail.html", {
        "claim": claim, "history": claim_history(claim), "receipts": claim.receipts.filter(withdrawn_at__isnull=True),
        "preview": preview, "form": form,
    })


@require_GET
def receipt(request, pk):
    item = receipt_for_request(request, pk)
    response = FileResponse(item.file.open("rb"), content_type=item.content_type)
    response["Content-Disposition"] = "inline"
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _numbers_year(request) -> int:
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", today.year))
    except (TypeError, ValueError):
        return today.year
    return year if 2000 <= year <= today.year + 1 else today.year


@login_required
@never_cache
@replica_view  # the year's figures may lag the primary by a second
def numbers(request):
    """The year's figures for the mutual-aid office and leadership (not scoped logins)."""
    user = request.user
    if not user.is_staff or not user.has_perm("mutualaid.view_mutualaid_numbers"):
        raise PermissionDenied
    year = _numbers_year(request)
    figures = numbers_for_year(year, claims=claims_for_staff(user))
    if request.GET.get("format") == "xlsx":
        return NumbersExporter(figures).response("xlsx")
    today = timezone.localdate()
    return render(request, "mutualaid/numbers.html", {
        "figures": figures, "years": range(today.year + 1, today.year - 5, -1),
    })
