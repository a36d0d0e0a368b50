"""Member and officer pages of the aid app: open campaigns, applying from a phone, following
each step, health enrolments. Thin: bind a form, call one service, redirect or show the error."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.core.cache import public_page
from apps.core.errors import DomainError
from apps.core.uploads import PendingUploads, document_clean, documents_check
from apps.members.access import member_for_user
from apps.members.models import Member
from apps.orgs.selectors import officer_union_ids

from .access import (
    application_for_editor,
    application_for_member,
    counter_unions,
    document_for_request,
    is_aid_centre_staff,
)
from .forms import ApplicationForm, CounterEnrolForm, CounterFileForm, HouseholdFormSet, OfficerApplyForm
from .models import AidType, Application, HealthProgramme, Status
from .selectors import (
    application_history,
    applications_for_member,
    campaigns_open,
    enrolments_for_member,
    files_for_member,
    programmes_open,
)
from .services import (
    MAX_DOCUMENTS,
    application_documents_add,
    application_standard,
    application_start,
    application_transition,
    application_update,
    hardship_file_propose,
    ineligibility,
    member_facts,
    programme_enrol,
    standard_amount,
)


def _member_or_none(request):
    if not request.user.is_authenticated:
        return None
    return Member.objects.select_related("union", "town_street").filter(user=request.user).first()


@require_GET
@public_page("aid", seconds=300)  # anonymous visitors only; a campaign opening at midnight shows within minutes
def index(request):
    """Open campaigns; for a signed-in member, which aid types they may apply for."""
    member = _member_or_none(request)
    today = timezone.localdate()
    campaigns = list(campaigns_open(today))
    facts = member_facts(member) if member else None
    applied = (
        dict(applications_for_member(member).exclude(status=Status.CANCELLED).values_list("aid_type_id", "pk")) if member else {}
    )
    has_file = bool(facts and "open" in facts["file_statuses"])
    for campaign in campaigns:
        for aid_type in campaign.aid_types.all():
            aid_type.application_pk = applied.get(aid_type.pk)
            error = ineligibility(aid_type=aid_type, member=member, facts=facts, today=today) if member else None
            aid_type.refusal = error.message if error else ""
            aid_type.amount_rows = list(aid_type.amounts.all())
            aid_type.shown_standard = None if aid_type.amount_rows else aid_type.standard_amount
    programmes = list(programmes_open(today))
    return render(request, "aid/index.html", {
        "member": member, "campaigns": campaigns, "programmes": programmes, "has_file": has_file,
        "is_officer": bool(request.user.is_authenticated and (officer_union_ids(request.user) or is_aid_centre_staff(request.user))),
    })


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def apply(request, type_pk: int):
    """A member starts an application for an aid type (a draft is made on the first save)."""
    member = member_for_user(request.user)
    aid_type = get_object_or_404(AidType.objects.select_related("campaign"), pk=type_pk)
    existing = Application.objects.filter(member=member, aid_type=aid_type).exclude(status=Status.CANCELLED).first()
    if existing is not None:
        return redirect("aid:edit", pk=existing.pk) if existing.is_editable else redirect("aid:mine_detail", pk=existing.pk)
    error = ineligibility(aid_type=aid_type, member=member, facts=member_facts(member), today=timezone.localdate())
    form = ApplicationForm(request.POST or None, request.FILES or None, aid_type=aid_type)
    if error is not None:
        messages.error(request, error.message)
        return redirect("aid:index")
    if request.method == "POST":
        # One transaction for the whole post: a server that dies half-way leaves no application
        # (and its files to the orphan sweep, apps/core/media.py), never a half-saved one.
        with transaction.atomic():
            try:
                application = application_start(aid_type=aid_type, member=member, actor=request.user)
            except DomainError as exc:
                messages.error(request, exc.message)
                return redirect("aid:index")
            return _fill(request, application, form)
    return _form_page(request, aid_type=aid_type, member=member, form=form, application=None)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def edit(request, pk: int):
    """Fill in a draft or a returned application (the member, or an officer for them)."""
    application = application_for_editor(request.user, pk)
    if not application.is_editable:
        messages.info(request, _("申请已提交，处理期间不能修改。"))
        return _after_save(request, application)
    form = ApplicationForm(request.POST or None, request.FILES or None, aid_type=application.aid_type,
                           initial=None if request.method == "POST" else _initial(application))
    if request.method == "POST":
        with transaction.atomic():  # all of the post or none of it (see apply)
            return _fill(request, application, form)
    return _form_page(request, aid_type=application.aid_type, member=application.member, form=form, application=application)


def _initial(application):
    return {name: getattr(application, name) for name in ApplicationForm.base_fields if hasattr(application, name)}


def _fill(request, application, form):
    valid = form.is_valid()
    kept = []
    try:
        kept = application_documents_add(application=application, actor=request.user, documents=form.documents())
    except DomainError as exc:
        form.add_error(None, exc.message)
        valid = False
    if valid:
        try:
            application = application_update(application=application, actor=request.user, facts=form.facts())
            if "submit" in request.POST:
                application = application_transition(application=application, target=Status.SUBMITTED, actor=request.user)
                messages.success(request, _("申请已提交，编号 %(number)s。审核结果会通过短信和消息通知。") % {"number": application.number})
            else:
                messages.success(request, _("草稿已保存，可以稍后继续填写。"))
            return _after_save(request, application)
        except DomainError as exc:
            form.add_error(None, exc.message)
    if kept:
        messages.info(request, _("已选择的 %(count)d 个文件已保存在申请中，无需再次选择。") % {"count": len(kept)})
    return _form_page(request, aid_type=application.aid_type, member=application.member, form=form, application=application)


def _after_save(request, application):
    if application.member.user_id == request.user.pk:
        return redirect("aid:mine_detail", pk=application.pk)
    return redirect("aid:officer")


def _form_page(request, *, aid_type, member, form, application):
    documents = list(application.documents.all()) if application is not None else []
    has_file = member.hardship_files.filter(status="open").exists()
    return render(request, "aid/apply.html", {
        "aid_type": aid_type, "campaign": aid_type.campaign, "member": member, "form": form,
        "application": application, "documents": documents,
        "amount_rows": list(aid_type.amounts.all()), "has_file": has_file,
        "on_behalf": member.user_id != request.user.pk,
        "standard": standard_amount(aid_type=aid_type, has_file=has_file),
    })


@login_required
def mine(request):
    member = member_for_user(request.user)
    return render(request, "aid/mine.html", {
        "member": member, "applications": list(applications_for_member(member)),
        "enrolments": list(enrolments_for_member(member)), "files": list(files_for_member(member)),
    })


@never_cache
@login_required
def mine_detail(request, pk: int):
    member = member_for_user(request.user)
    application = application_for_member(member, pk)
    return render(request, "aid/detail.html", {
        "application": application, "history": list(application_history(application).select_related(None)),
        "documents": list(application.documents.all()), "standard": application_standard(application),
        "steps": _steps(application),
    })


STEPS = [Status.SUBMITTED, Status.CHECKED, Status.APPROVED, Status.NOTICED, Status.PAID]


def _steps(application):
    """The progress bar: done, current or to come, for each main step."""
    order = {Status.DRAFT: 0, Status.RETURNED: 0, Status.SUBMITTED: 1, Status.CHECKED: 2, Status.REVIEWED: 2,
             Status.APPROVED: 3, Status.NOTICED: 4, Status.PAID: 5, Status.DECLINED: -1, Status.CANCELLED: -1}
    reached = order[application.status]
    labels = dict(Status.choices)
    labels[Status.SUBMITTED], labels[Status.CHECKED] = _("已提交"), _("工会审核")
    return [{"label": labels[s], "done": reached > i, "current": reached == i + 1} for i, s in enumerate(STEPS)]


@never_cache
@login_required
def document(request, pk: int):
    item = document_for_request(request, pk)
    response = FileResponse(item.file.open("rb"), content_type=item.content_type)
    response["Content-Disposition"] = "inline"
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def enrol(request, pk: int):
    member = member_for_user(request.user)
    programme = get_object_or_404(HealthProgramme, pk=pk)
    try:
        programme_enrol(programme=programme, member=member, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("aid:index")
    messages.success(request, _("报名成功：%(title)s。") % {"title": programme.title})
    return redirect("aid:mine")


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def officer(request):
    """The counter: an officer (for members of their own union) or aid-centre staff (for any
    member) start an application or enrol a member, through the member's own services."""
    unions = counter_unions(request.user)
    aid_types = [t for c in campaigns_open() for t in c.aid_types.all()]
    programmes = list(programmes_open())
    action = request.POST.get("action") if request.method == "POST" else None
    form = OfficerApplyForm(request.POST if action == "apply" else None, unions=unions, aid_types=aid_types,
                            prefix="apply")
    enrol_form = CounterEnrolForm(request.POST if action == "enrol" else None, unions=unions, programmes=programmes,
                                  prefix="enrol")
    if action == "apply" and form.is_valid():
        member, aid_type = form.cleaned_data["member_ref"], form.cleaned_data["aid_type"]
        existing = Application.objects.filter(member=member, aid_type=aid_type).exclude(status=Status.CANCELLED).first()
        if existing is not None and existing.is_editable:
            return redirect("aid:edit", pk=existing.pk)
        try:
            application = application_start(aid_type=aid_type, member=member, actor=request.user)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            return redirect("aid:edit", pk=application.pk)
    if action == "enrol" and enrol_form.is_valid():
        member, programme = enrol_form.cleaned_data["member_ref"], enrol_form.cleaned_data["programme"]
        try:
            programme_enrol(programme=programme, member=member, actor=request.user)
        except DomainError as exc:
            enrol_form.add_error(None, exc.message)
        else:
            messages.success(request, _("已为 %(name)s 报名%(title)s，已通知本人。") % {"name": member.name, "title": programme.title})
            return redirect("aid:officer")
    filed = Application.objects.filter(created_by=request.user).exclude(status=Status.CANCELLED)
    if unions is not None:
        filed = filed.filter(member__union_id__in=unions)
    return render(request, "aid/officer.html", {
        "form": form, "enrol_form": enrol_form, "programmes": programmes,
        "filed": list(filed.select_related("member", "aid_type").order_by("-created_at")[:50]),
    })


def _file_pending(request):
    try:
        token = uuid.UUID(str(request.POST.get("token", "")))
    except ValueError:
        return None
    return PendingUploads(request, key=f"aid-file:{token}")


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def officer_file(request):
    """Propose a hardship file at the counter (officer: own union's members; aid-centre staff:
    anyone), through hardship_file_propose with all its checks. Files chosen on a form shown
    again are kept server-side (PendingUploads) and listed, never dropped silently."""
    unions = counter_unions(request.user)
    if request.method != "POST":
        return render(request, "aid/officer_file.html", {
            "form": CounterFileForm(unions=unions), "household": HouseholdFormSet(prefix="household"), "kept": [],
        })
    form = CounterFileForm(request.POST, request.FILES, unions=unions)
    household = HouseholdFormSet(request.POST, prefix="household")
    pending = _file_pending(request)
    upload_errors = []
    uploads = request.FILES.getlist("documents")
    if pending is None:
        if uploads:
            upload_errors.append(_("页面已过期，请重新选择文件。"))
    else:
        room = MAX_DOCUMENTS - len(pending)
        if len(uploads) > room:
            upload_errors.append(_("最多上传 %(max)d 个材料，以下文件未保留：%(names)s")
                                 % {"max": MAX_DOCUMENTS, "names": "、".join(u.name for u in uploads[max(room, 0):])})
            uploads = uploads[:max(room, 0)]
        checked, errors = documents_check(uploads, already_pixels=pending.pixels())
        pending.add(checked)
        upload_errors.extend(errors)
    valid = form.is_valid() & household.is_valid() and not upload_errors
    if valid:
        documents, errors = [], []
        for handle, item in zip(pending.open_files(), pending.items(), strict=True):
            with handle:
                try:
                    documents.append(document_clean(handle))
                except ValidationError as exc:
                    errors.append(_("“%(name)s”：%(error)s") % {"name": item["name"], "error": " ".join(exc.messages)})
        if errors:
            upload_errors.extend(errors)
        else:
            data = form.cleaned_data
            member = data["member_ref"]
            try:
                file = hardship_file_propose(
                    member=member, level=data["level"], address=data["address"], primary_cause=data["primary_cause"],
                    secondary_causes=data["secondary_causes"], situation=data["situation"], union=member.union,
                    actor=request.user, household=household.rows(), documents=documents,
                )
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                pending.clear()
                messages.success(request, _("已为 %(name)s 提交困难职工档案，等待帮扶中心认定。") % {"name": member.name})
                if file.household_conflict_id:
                    messages.warning(request, _("注意：同一住址已有在档档案且家庭成员重复，帮扶中心会核实是否一户多档。"))
                return redirect("aid:officer")
    kept = pending.items() if pending is not None else []
    return render(request, "aid/officer_file.html", {
        "form": form, "household": household, "kept": kept, "upload_errors": upload_errors,
    })
