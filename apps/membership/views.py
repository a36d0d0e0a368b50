"""Pages of membership: join and follow the request, transfer, own profile. Thin: bind the
form, call one service, redirect or show the error."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.accounts.forms import SEND_CODE
from apps.accounts.models import PhoneCode
from apps.accounts.otp import client_ip, session_phone, session_phone_mark
from apps.core.errors import DomainError
from apps.members.access import member_for_user
from apps.members.forms import PhotoForm
from apps.members.services import member_photo_set

from .access import (
    change_request_for_member,
    join_requests_for_phone,
    transfer_for_member,
)
from .errors import AlreadyMember
from .forms import JoinForm, ProfileChangeForm, ProfileForm, StatusForm, TransferForm
from .models import ChangeStatus, JoinRequest, TransferStatus
from .selectors import (
    change_requests_for_member,
    employers_search,
    open_transfer_for_member,
    transfers_for_member,
)
from .services import (
    join_answer_throttle,
    join_request_submit,
    member_profile_update,
    profile_change_submit,
    profile_change_transition,
    transfer_request,
    transfer_transition,
)

STATUS = PhoneCode.Purpose.STATUS


@never_cache
@require_http_methods(["GET", "POST"])
def join(request):
    form = JoinForm(request.POST or None)
    if request.method == "POST":
        if SEND_CODE in request.POST:
            form.send_code(request)
        elif _already_sent(request):
            # The same form sent twice (a double tap): the first one went through.
            return redirect("membership:join_status")
        elif form.is_valid():
            data = form.cleaned_data
            try:
                join_answer_throttle(
                    client_ip=client_ip(request), document_type=data["document_type"],
                    document_number=data["document_number"],
                )
                join_request_submit(
                    name=data["name"], gender=data["gender"], document_type=data["document_type"],
                    document_number=data["document_number"], phone=data["phone"],
                    town_street=data["town_street"], job=data["job"], employer=data["employer_obj"],
                    employer_name=data["employer_name"], address=data["address"], consented=data["consent"],
                    idempotency_key=data["idempotency_key"],
                )
            except DomainError as exc:
                form.already_member = isinstance(exc, AlreadyMember)
                form.add_error(None, exc.message)
            else:
                # The phone was just proven by a code: this browser may follow the request.
                session_phone_mark(request, purpose=STATUS, phone=data["phone"])
                messages.success(request, _("入会申请已提交，审核结果将以短信通知您。"))
                return redirect("membership:join_status")
        elif _already_sent(request):
            # The twin of this submission won the race for the one-time code.
            return redirect("membership:join_status")
    return render(request, "membership/join.html", {"form": form})


def _already_sent(request) -> bool:
    """Whether the join form carrying this submission's key was already recorded. Says
    nothing about whose request it is: the status page asks for the phone's code."""
    try:
        key = uuid.UUID(str(request.POST.get("idempotency_key", "")))
    except ValueError:
        return False
    return JoinRequest.objects.filter(idempotency_key=key).exists()


@require_GET
def employer_search(request):
    """Known employers matching ?q= (names and towns only), for the join and transfer forms."""
    response = JsonResponse({"results": employers_search(request.GET.get("q", ""))})
    response["Cache-Control"] = "public, max-age=60"
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def join_status(request):
    phone = session_phone(request, purpose=STATUS)
    form = StatusForm(request.POST or None)
    if request.method == "POST":
        if SEND_CODE in request.POST:
            form.send_code(request)
        elif form.is_valid():
            session_phone_mark(request, purpose=STATUS, phone=form.cleaned_data["phone"])
            return redirect("membership:join_status")
    requests = list(join_requests_for_phone(phone)) if phone else []
    return render(
        request, "membership/join_status.html",
        {"form": form, "phone": phone, "join_requests": requests},
    )


@login_required
@require_http_methods(["GET", "POST"])
def transfer(request):
    member = member_for_user(request.user)
    current = open_transfer_for_member(member)
    form = TransferForm(request.POST or None)
    if request.method == "POST" and current is None and form.is_valid():
        data = form.cleaned_data
        try:
            transfer_request(
                member=member, by=request.user, to_employer=data["employer_obj"],
                to_employer_name=data["to_employer_name"], to_town_street=data["to_town_street"],
                reason=data["reason"],
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("转会申请已提交，请等待原工会放行、新工会接收。"))
            return redirect("membership:transfer")
    return render(
        request, "membership/transfer.html",
        {"member": member, "current": current, "form": form, "past": transfers_for_member(member)[:10]},
    )


@login_required
@require_POST
def transfer_cancel(request, pk):
    member = member_for_user(request.user)
    item = transfer_for_member(member, pk)
    try:
        transfer_transition(transfer=item, to=TransferStatus.CANCELLED, by=request.user, note=_("会员撤回"))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("转会申请已撤回。"))
    return redirect("membership:transfer")


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    member = member_for_user(request.user)
    action = request.POST.get("action")
    form = ProfileForm(
        request.POST if action == "profile" else None, initial={"address": member.address, "job": member.job}
    )
    photo_form = PhotoForm(request.POST if action == "photo" else None, request.FILES if action == "photo" else None)
    if action == "profile" and form.is_valid():
        member_profile_update(member=member, by=request.user, **form.cleaned_data)
        messages.success(request, _("资料已保存。"))
        return redirect("membership:profile")
    if action == "photo" and photo_form.is_valid():
        try:
            member_photo_set(member=member, upload=photo_form.cleaned_data["photo"])
        except ValidationError as exc:
            photo_form.add_error("photo", exc.messages)
        else:
            messages.success(request, _("照片已更新。"))
            return redirect("membership:profile")
    return render(
        request, "membership/profile.html",
        {
            "member": member, "form": form, "photo_form": photo_form,
            "changes": change_requests_for_member(member)[:10],
            "open_transfer": open_transfer_for_member(member),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def profile_change(request):
    member = member_for_user(request.user)
    form = ProfileChangeForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            profile_change_submit(
                member=member, kind=data["kind"], proof=data["proof"], new_name=data["new_name"],
                new_document_type=data["new_document_type"], new_document_number=data["new_document_number"],
                reason=data["reason"],
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("变更申请已提交，工会审核通过后生效。"))
            return redirect("membership:profile")
    return render(request, "membership/profile_change.html", {"member": member, "form": form})


@login_required
@require_POST
def profile_change_cancel(request, pk):
    member = member_for_user(request.user)
    change = change_request_for_member(member, pk)
    try:
        profile_change_transition(change=change, to=ChangeStatus.CANCELLED, by=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("变更申请已撤回。"))
    return redirect("membership:profile")
