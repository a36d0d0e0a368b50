"""Pages of the rights app: the online request form, the member's and the non-member's
follow-up, attachments. Thin: bind a form, call one service, redirect or show the error."""

import datetime
import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.accounts.forms import SEND_CODE
from apps.accounts.otp import SESSION_KEY, client_ip, session_phone_mark
from apps.core.errors import DomainError
from apps.core.masking import mask_phone
from apps.core.ratelimit import address_hit
from apps.core.uploads import PendingUploads, document_clean
from apps.members.access import member_for_user

from .access import (
    STATUS_PURPOSE,
    attachment_for_request,
    case_for_member,
    case_for_status_phone,
    status_phone,
)
from .errors import CaseNotOpen, SubmitTooOften
from .forms import MaterialForm, MemberCaseForm, StatusForm, WorkerCaseForm
from .models import Channel
from .selectors import (
    case_for_token,
    case_history_for_worker,
    cases_for_member,
    cases_for_phone,
    employers_search,
)
from .services import case_material_add, case_submit

# How long the token of a submitted form still leads its browser to the case it created.
TOKEN_REPLAY_WINDOW = datetime.timedelta(hours=1)


def _signed_in_member(request):
    user = request.user
    return getattr(user, "member", None) if user.is_authenticated else None


def _after_submit(request, case):
    """Where a submitted form leads: the member's case page, or a non-member's status page."""
    if case.member_id:
        return redirect("rights:detail", number=case.number)
    session_phone_mark(request, purpose=STATUS_PURPOSE, phone=case.worker_phone)
    return redirect("rights:status")


def _replayed(request, member):
    """The case this very form already created (double tap, back button), if any.

    The token is a random value only the browser that loaded the form holds, and the case was
    created by a valid submission of it, so that browser may be led to the case."""
    case = case_for_token(request.POST.get("token"))
    if case is None or timezone.now() - case.submitted_at > TOKEN_REPLAY_WINDOW:
        return None
    if case.member_id is not None and (member is None or case.member_id != member.pk):
        return None
    return case


def _pending_for(request):
    """The files kept for the form this post belongs to (its token), in this browser's session."""
    try:
        token = uuid.UUID(str(request.POST.get("token", "")))
    except ValueError:
        return None
    return PendingUploads(request, key=f"rights-new:{token}")


@never_cache
@require_http_methods(["GET", "POST"])
def case_new(request):
    member = _signed_in_member(request)
    form_class = MemberCaseForm if member is not None else WorkerCaseForm
    if request.method != "POST":
        return render(request, "rights/case_form.html", {"form": form_class(member=member), "member": member})
    pending = _pending_for(request)
    form = form_class(request.POST, member=member, pending=pending)
    replay = _replayed(request, member)
    if replay is not None:
        return _after_submit(request, replay)
    if member is None and not address_hit(
        scope="rights-new", address=client_ip(request),
        limit=settings.RIGHTS_ANONYMOUS_POSTS_PER_HOUR, window_seconds=3600,
    ):
        form.add_error(None, SubmitTooOften.message)
        return render(request, "rights/case_form.html", {"form": form, "member": member}, status=429)
    # Files are checked by their headers only and kept across the code step; nothing is
    # decoded before the sign-in or the phone code is checked.
    form.keep_uploads(request.FILES.getlist("attachments"))
    if SEND_CODE in request.POST and member is None:
        form.send_code(request)
        return render(request, "rights/case_form.html", {"form": form, "member": member})
    case = None
    try:
        # One transaction from the code check to the new case: a second copy of the same
        # form waits on the code's row lock, then finds the case the first one created. A file
        # that fails to decode rolls the code's use back with everything else.
        with transaction.atomic():
            if form.is_valid():
                case = _submit(form, member)
    except ValidationError as exc:
        form.add_error("attachments", exc)
    if case is not None:
        if pending is not None:
            pending.clear()
        messages.success(request, _("已提交，案件编号 %(number)s。我们会以短信告知办理进展。") % {"number": case.number})
        return _after_submit(request, case)
    replay = _replayed(request, member)
    if replay is not None:
        return _after_submit(request, replay)
    return render(request, "rights/case_form.html", {"form": form, "member": member})


def _submit(form, member):
    data = form.cleaned_data
    person = (
        {"member": member}
        if member is not None
        else {"worker_name": data["name"], "worker_phone": data["phone"], "worker_id_number": data["id_number"]}
    )
    return case_submit(
        channel=Channel.ONLINE,
        category=data["category"],
        description=data["description"],
        employer=data["employer"],
        employer_name=data.get("employer_name") or "",
        town_street=data.get("town_street"),
        amount_owed=data.get("amount_owed"),
        attachments=form.documents(),
        idempotency_key=data["token"],
        **person,
    )


@require_GET
def employer_search(request):
    """Known employers matching ?q= for the online form's chooser (names are public)."""
    rows = employers_search(request.GET.get("q", ""))
    return JsonResponse(
        {"results": [{"id": r["id"], "name": r["name"], "town": r["town_street__name"]} for r in rows]}
    )


@login_required
def mine(request):
    member = member_for_user(request.user)
    cases = list(cases_for_member(member))
    return render(request, "rights/my_cases.html", {"member": member, "cases": cases, "today": timezone.localdate()})


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def detail(request, number):
    member = member_for_user(request.user)
    case = case_for_member(member, number)
    return _case_page(request, case, back="rights:mine", by=request.user)


def _case_page(request, case, back, by=None):
    """A case as its worker sees it; a POST adds material to it (open cases only)."""
    form = MaterialForm(request.POST, request.FILES) if request.method == "POST" else MaterialForm()
    status = 200
    if request.method == "POST":
        if not case.is_open:
            messages.error(request, CaseNotOpen.message)
        elif form.is_valid():
            try:
                # The person is signed in or proved the case's phone: decoding may start.
                documents = [document_clean(upload) for upload in form.cleaned_data["attachments"]]
                count = case_material_add(case=case, documents=documents, by=by)
            except ValidationError as exc:
                form.add_error("attachments", exc)
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("已补充 %(count)d 份材料。") % {"count": count})
                return redirect(request.path)
        status = 400
    return render(
        request, "rights/case_detail.html",
        {
            "case": case,
            "history": case_history_for_worker(case),
            "attachments": case.attachments.all(),
            "material_form": form if case.is_open else None,
            "today": timezone.localdate(),
            "back": back,
        },
        status=status,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def status(request):
    """A non-member follows their cases after proving their phone by a code."""
    phone = status_phone(request)
    if phone is not None and request.method == "GET":
        cases = list(cases_for_phone(phone))
        return render(
            request, "rights/status.html",
            {"masked_phone": mask_phone(phone), "cases": cases, "today": timezone.localdate()},
        )
    form = StatusForm(request.POST or None)
    if request.method == "POST":
        if SEND_CODE in request.POST:
            form.send_code(request)
        elif form.is_valid():
            session_phone_mark(request, purpose=STATUS_PURPOSE, phone=form.cleaned_data["phone"])
            return redirect("rights:status")
    return render(request, "rights/status.html", {"form": form})


@require_POST
def status_forget(request):
    """Stop following cases in this browser (a shared phone or computer)."""
    verified = request.session.get(SESSION_KEY, {})
    verified.pop(STATUS_PURPOSE, None)
    request.session[SESSION_KEY] = verified
    return redirect("rights:status")


@never_cache
@require_http_methods(["GET", "POST"])
def status_detail(request, number):
    case = case_for_status_phone(request, number)
    return _case_page(request, case, back="rights:status")


@never_cache
def attachment(request, pk):
    item = attachment_for_request(request, pk)
    response = FileResponse(item.file.open("rb"), content_type=item.content_type)
    response["Content-Disposition"] = "inline"
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
