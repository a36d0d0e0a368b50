"""Portal pages: a member's own honours; an officer's (or town/street login's) nominations,
drafts and submissions, on a phone or at a desk. Thin: bind the form, call one service."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from apps.competitions.selectors import member_competition_honours
from apps.core.errors import DomainError
from apps.members.access import member_for_user
from apps.orgs.selectors import agency_town_ids

from . import selectors, services
from .access import nomination_for_nominator, nominations_for_nominator, nominator_required
from .forms import NominationForm, ReasonForm
from .models import NominationChannel, NominationStatus
from .workflows import NOMINATION_FLOW


@login_required
@never_cache
def my_honours(request):
    member = member_for_user(request.user)
    return render(request, "awards/my_honours.html", {
        "member": member, "entries": selectors.member_honours(member),
        "nominations": selectors.member_nominations(member),
        "competition_honours": member_competition_honours(member),
    })


@login_required
@never_cache
def nominations(request):
    items = nominations_for_nominator(request.user).select_related("programme", "member", "union").order_by(
        "-created_at", "-id")[:200]
    return render(request, "awards/nominations.html", {
        "programmes": selectors.programmes_open(today=timezone.localdate()),
        "nominations": items,
    })


def _channel(user) -> str:
    """A town/street login recommends through its town; an officer through the union."""
    return NominationChannel.TOWN if agency_town_ids(user) else NominationChannel.UNION


def _save(request, *, programme, nomination=None):
    channel = nomination.channel if nomination else _channel(request.user)
    employers = selectors.employers_for_nominator(request.user, channel=channel)
    initial = selectors.nomination_initial(nomination) if nomination else {}
    form = NominationForm(request.POST or None, request.FILES or None, programme=programme, employers=employers,
                          initial=initial)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                saved = services.nomination_draft_save(
                    actor=request.user, programme=programme, nomination=nomination, channel=channel,
                    document_number=data.get("document_number", ""), team_name=data.get("team_name", ""),
                    team_employer=data.get("team_employer"), team_size=data.get("team_size"),
                    team_leader=data.get("team_leader", ""), deeds=data.get("deeds", ""),
                    contact_phone=data["contact_phone"], photo=data.get("photo"),
                    documents=[data["document"]] if data.get("document") else [],
                )
            except DomainError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("草稿已保存。核对无误后请点击“提交推荐”。"))
                return redirect("awards_portal:nomination", pk=saved.pk)
        if request.FILES:
            form.add_error(None, _("所选照片和材料尚未保存，请改正后重新选择文件。"))
    return render(request, "awards/nomination_form.html", {
        "form": form, "programme": programme, "nomination": nomination,
    })


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def nomination_new(request, programme_pk):
    nominator_required(request.user)
    programme = get_object_or_404(selectors.programmes_running(), pk=programme_pk)
    return _save(request, programme=programme)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def nomination_edit(request, pk):
    nomination = nomination_for_nominator(request.user, pk)
    if nomination.status != NominationStatus.DRAFT:
        messages.error(request, _("已提交的推荐不能再修改。"))
        return redirect("awards_portal:nomination", pk=pk)
    return _save(request, programme=nomination.programme, nomination=nomination)


@login_required
@never_cache
def nomination_detail(request, pk):
    nomination = nomination_for_nominator(request.user, pk)
    moves = {m.target for m in NOMINATION_FLOW.moves_for(nomination, nomination.status, request.user)}
    return render(request, "awards/nomination_detail.html", {
        "nomination": nomination, "programme": nomination.programme,
        "files": nomination.files.all(),
        "history": nomination.status_changes.select_related("actor"),
        "may_submit": NominationStatus.SUBMITTED in moves, "may_withdraw": NominationStatus.WITHDRAWN in moves,
    })


@login_required
@require_POST
def nomination_submit(request, pk):
    nomination = nomination_for_nominator(request.user, pk)
    try:
        services.nomination_submit(nomination=nomination, actor=request.user)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("推荐已提交，评审结果将以短信告知。"))
    return redirect("awards_portal:nomination", pk=pk)


@login_required
@require_POST
def nomination_withdraw(request, pk):
    nomination = nomination_for_nominator(request.user, pk)
    try:
        services.nomination_transition(nomination=nomination, target=NominationStatus.WITHDRAWN, actor=request.user)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("推荐已撤回，名额已释放。"))
    return redirect("awards_portal:nomination", pk=pk)


@login_required
@require_POST
def nomination_file_withdraw(request, pk, file_pk):
    """The nominator takes back a wrong file of a draft, with a reason (the file is kept)."""
    nomination = nomination_for_nominator(request.user, pk)
    evidence = get_object_or_404(nomination.files.filter(withdrawn_at__isnull=True), pk=file_pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写撤回原因。"))
        return redirect("awards_portal:nomination", pk=pk)
    try:
        services.nomination_file_withdraw(nomination=nomination, evidence=evidence, actor=request.user,
                                          reason=form.cleaned_data["reason"])
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("材料“%(name)s”已撤回（留档备查）。") % {"name": evidence.original_name})
    return redirect("awards_portal:nomination", pk=pk)


@login_required
def nomination_photo(request, pk):
    """The nomination's photo, to its nominator only (staff see it in admin)."""
    try:
        nomination = nomination_for_nominator(request.user, pk)
    except PermissionDenied:
        raise Http404 from None
    if not nomination.photo_thumbnail:
        raise Http404
    response = FileResponse(nomination.photo_thumbnail.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, no-store"
    return response


