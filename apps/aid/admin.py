"""Staff screens of the aid app. Every decision goes through the services: the decision page
of an application, the notice and payment actions, the re-check page of a hardship file."""

import datetime

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, CharField, F, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Concat
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from simple_history.admin import SimpleHistoryAdmin

from apps.core.admin import ReadOnlyAdminMixin
from apps.core.errors import DomainError
from apps.core.evidence import EvidenceAdminMixin
from apps.core.masking import mask_document_number
from apps.core.models import Allowance
from apps.core.uploads import document_clean
from apps.orgs.admin import OfficerScopedAdmin
from apps.orgs.selectors import officer_union_ids
from yiwu_union.routers import replica_view

from .errors import FileExists
from .exports import ApplicationExporter, NeverAidedExporter, NumbersExporter, PaymentListExporter
from .flow import FLOW
from .forms import DecisionForm, FileDecisionForm, RecheckForm, WithdrawForm
from .models import (
    LIVE_FILE_STATUSES,
    AidPolicy,
    AidType,
    AmountRow,
    Application,
    ApplicationDocument,
    ApplicationStatusChange,
    Campaign,
    Cause,
    Enrolment,
    FileStatus,
    FileStatusChange,
    HardshipDocument,
    HardshipFile,
    HealthProgramme,
    HouseholdMember,
    Nomination,
    ProgrammeQuota,
    Status,
)
from .selectors import campaign_budgets, file_holders_never_aided, members_aided_more_than_once, numbers_by
from .services import (
    application_document_withdraw,
    application_notice_publish,
    application_standard,
    application_transition,
    campaign_copy,
    causes_check,
    file_change_record,
    hardship_file_decide,
    hardship_file_recheck,
    household_conflict_find,
    household_income_per_person,
)


class SearchCleanMixin:
    """Search terms and filters with a NUL byte (which PostgreSQL refuses) are read without it, not a 500."""

    def get_search_results(self, request, queryset, search_term):
        return super().get_search_results(request, queryset, search_term.replace("\x00", ""))

    def changelist_view(self, request, extra_context=None):
        if any("\x00" in value for value in request.GET.values()):
            cleaned = request.GET.copy()
            for key in list(cleaned):
                cleaned.setlist(key, [v.replace("\x00", "") for v in cleaned.getlist(key)])
            request.GET = cleaned
        return super().changelist_view(request, extra_context)


# A larger selection is published by a Celery task rather than inside the request.
NOTICE_IN_REQUEST = 500


def _year(request) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return timezone.localdate().year
    return year if 2000 <= year <= 2100 else timezone.localdate().year


# ---------------------------------------------------------------- hardship files

class HouseholdInline(admin.TabularInline):
    model = HouseholdMember
    extra = 1
    fields = ["name", "relation", "age", "health", "work", "monthly_income", "document_number"]


class HardshipDocumentForm(forms.ModelForm):
    """A new proof is checked by content (apps.core.uploads); an existing one is never replaced."""

    upload = forms.FileField(label=_lazy("上传材料"), required=False)

    class Meta:
        model = HardshipDocument
        fields = []

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("upload")
        if upload and self.instance.pk is None:
            try:
                self.document = document_clean(upload)
            except ValidationError as exc:
                self.add_error("upload", exc)
        return cleaned

    def has_changed(self):
        return self.instance.pk is None and bool(self.files) and super().has_changed()

    def save(self, commit=True):
        document = getattr(self, "document", None)
        if self.instance.pk is None and document is not None:
            self.instance.file = document.content
            self.instance.kind, self.instance.content_type = document.kind, document.content_type
            self.instance.original_name = document.original_name
        return super().save(commit)


class HardshipDocumentInline(EvidenceAdminMixin, admin.TabularInline):
    model = HardshipDocument
    form = HardshipDocumentForm
    extra = 1
    fields = ["upload", "original_name", "kind", "uploaded_at", "evidence_state"]
    readonly_fields = ["original_name", "kind", "uploaded_at", "evidence_state"]


class FileChangeInline(admin.TabularInline):
    model = FileStatusChange
    extra = 0
    fields = ["at", "from_status", "to_status", "actor", "note"]
    readonly_fields = fields

    def has_view_permission(self, request, obj=None):
        # Not on the add page (nothing to show, and no formset to post).
        return obj is not None and super().has_view_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class RecheckDueFilter(admin.SimpleListFilter):
    title = _lazy("复核")
    parameter_name = "recheck"

    def lookups(self, request, model_admin):
        return [("due", _lazy("待复核（30天内到期或已过期）")), ("past", _lazy("已过复核日期"))]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "due":
            return queryset.filter(status=FileStatus.OPEN, recheck_due__lte=today + datetime.timedelta(days=30))
        if self.value() == "past":
            return queryset.filter(status=FileStatus.OPEN, recheck_due__lt=today)
        return queryset


class NeverAidedFilter(admin.SimpleListFilter):
    title = _lazy("本年救助")
    parameter_name = "aided"

    def lookups(self, request, model_admin):
        return [("never", _lazy("本年尚未获得救助"))]

    def queryset(self, request, queryset):
        if self.value() == "never":
            return queryset.filter(pk__in=file_holders_never_aided(timezone.localdate().year).values("pk"))
        return queryset


class HardshipFileForm(forms.ModelForm):
    secondary_causes = forms.MultipleChoiceField(
        label=_lazy("次要致困原因（最多三项）"), choices=Cause.choices, required=False, widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = HardshipFile
        fields = ["member", "level", "address", "primary_cause", "secondary_causes", "situation", "proposed_by_union"]

    def clean(self):
        cleaned = super().clean()
        member = cleaned.get("member")
        live = HardshipFile.objects.filter(member=member, status__in=LIVE_FILE_STATUSES).exclude(pk=self.instance.pk)
        if member is not None and live.exists():
            self.add_error("member", FileExists().message)
        try:
            cleaned["secondary_causes"] = causes_check(cleaned.get("primary_cause"), cleaned.get("secondary_causes") or [])
        except DomainError as exc:
            self.add_error("secondary_causes", exc.message)
        return cleaned


@admin.register(HardshipFile)
class HardshipFileAdmin(SearchCleanMixin, OfficerScopedAdmin):
    form = HardshipFileForm
    list_display = ["member_name", "level", "status", "recheck_flag", "income_per_person", "proposed_by_union", "conflict_flag"]
    list_filter = [RecheckDueFilter, NeverAidedFilter, "status", "level", "primary_cause"]
    search_fields = ["member__name", "member__membership_number", "address"]
    list_select_related = ["member", "proposed_by_union"]
    autocomplete_fields = ["member", "proposed_by_union"]
    show_full_result_count = False
    inlines = [HouseholdInline, HardshipDocumentInline, FileChangeInline]
    actions = ["decide_open", "export_never_aided"]
    readonly_fields = ["status", "decided_on", "decided_by", "decision_note", "recheck_due", "closed_on", "closed_reason",
                       "household_conflict", "income_per_person", "recheck_link"]

    @admin.display(description=_lazy("认定/年度复核"))
    def recheck_link(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        if obj.status == FileStatus.PROPOSED:
            return format_html('<a class="button" href="{}">{}</a>', reverse("admin:aid_hardshipfile_decide", args=[obj.pk]),
                               _("认定建档或不予建档"))
        if obj.status != FileStatus.OPEN:
            return "—"
        return format_html('<a class="button" href="{}">{}</a>', reverse("admin:aid_hardshipfile_recheck", args=[obj.pk]),
                           _("记录复核"))

    def officer_scope(self, unions):
        return Q(member__union_id__in=unions)

    def town_scope(self, towns):
        return Q(member__town_street_id__in=towns)

    def get_queryset(self, request):
        # Due and past re-checks first (open files by re-check date), then proposals waiting
        # for a decision, then the closed files.
        return super().get_queryset(request).prefetch_related("household")

    def get_ordering(self, request):
        rank = Case(When(status=FileStatus.OPEN, then=Value(0)), When(status=FileStatus.PROPOSED, then=Value(1)),
                    default=Value(2), output_field=IntegerField())
        return [rank.asc(), F("recheck_due").asc(nulls_last=True), "-id"]

    @admin.display(description=_lazy("职工"), ordering="member__name")
    def member_name(self, obj):
        return obj.member.name

    @admin.display(description=_lazy("家庭月人均收入（元）"))
    def income_per_person(self, obj):
        return household_income_per_person(obj) if obj and obj.pk else "—"

    @admin.display(description=_lazy("下次复核"), ordering="recheck_due")
    def recheck_flag(self, obj):
        if obj.recheck_due is None:
            return "—"
        if obj.status == FileStatus.OPEN and obj.recheck_due <= timezone.localdate():
            return format_html('<strong class="text-danger">{} {}</strong>', obj.recheck_due, _("待复核"))
        return obj.recheck_due

    @admin.display(description=_lazy("一户多档"), boolean=True)
    def conflict_flag(self, obj):
        return obj.household_conflict_id is not None

    def save_model(self, request, obj, form, change):
        if not change:
            obj.proposed_by = request.user
            unions = officer_union_ids(request.user)
            if unions and obj.member.union_id not in unions:
                raise PermissionDenied
        obj._history_user = request.user
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        if formset.model is HardshipDocument:
            for item in formset.forms:
                if item.instance.pk is None:
                    item.instance.uploaded_by = request.user
        super().save_formset(request, form, formset, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        file = form.instance
        if not change:
            file_change_record(file, "", FileStatus.PROPOSED, request.user,
                               _("%(union)s推荐建档") % {"union": file.proposed_by_union.name})
        conflict = household_conflict_find(file)
        if (conflict.pk if conflict else None) != file.household_conflict_id:
            file.household_conflict = conflict
            file.save(update_fields=["household_conflict"])
        if conflict is not None:
            self.message_user(request, _("注意：同一住址已有在档档案（%(other)s）且家庭成员重复，请核实是否一户多档。")
                              % {"other": conflict}, messages.WARNING)

    @admin.action(description=_lazy("帮扶中心认定：建档"), permissions=["decide"])
    def decide_open(self, request, queryset):
        done = 0
        for file in queryset.filter(status=FileStatus.PROPOSED):
            try:
                hardship_file_decide(file=file, actor=request.user, approve=True)
            except DomainError as exc:
                self.message_user(request, f"{file}：{exc.message}", messages.ERROR)
            else:
                done += 1
        self.message_user(request, _("%(n)d 份档案已认定建档，已通知职工。不予建档请在档案页逐份填写原因。") % {"n": done},
                          messages.SUCCESS)

    @admin.action(description=_lazy("导出本年未获救助的档案职工（Excel）"), permissions=["view"])
    def export_never_aided(self, request, queryset):
        return NeverAidedExporter(year=timezone.localdate().year, queryset=queryset).response("xlsx")

    def has_decide_permission(self, request):
        return request.user.has_perm("aid.decide_hardshipfile")

    def get_urls(self):
        return [
            path("<int:pk>/recheck/", self.admin_site.admin_view(self.recheck_view), name="aid_hardshipfile_recheck"),
            path("<int:pk>/decide/", self.admin_site.admin_view(self.decide_view), name="aid_hardshipfile_decide"),
            *super().get_urls(),
        ]

    def _file_in_scope(self, request, pk):
        if not self.has_decide_permission(request):
            raise PermissionDenied
        self.check_object_scope(request, str(pk))
        file = self.get_queryset(request).filter(pk=pk).select_related("member").first()
        if file is None:
            raise Http404
        return file

    def decide_view(self, request, pk):
        """The aid centre opens a proposed file or refuses it with a reason (told to the member)."""
        file = self._file_in_scope(request, pk)
        form = FileDecisionForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            approve = form.cleaned_data["decision"] == "open"
            try:
                hardship_file_decide(file=file, actor=request.user, approve=approve, note=form.cleaned_data["note"])
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                self.message_user(request, _("认定已记录，已通知职工。"), messages.SUCCESS)
                return redirect("admin:aid_hardshipfile_change", file.pk)
        context = {**self.admin_site.each_context(request), "opts": self.model._meta,
                   "title": _("档案认定：%(f)s") % {"f": file}, "form": form, "file": file,
                   "changes": list(file.changes.select_related("actor")), "conflict": file.household_conflict}
        return TemplateResponse(request, "aid/admin/file_decide.html", context)

    def recheck_view(self, request, pk):
        file = self._file_in_scope(request, pk)
        form = RecheckForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                hardship_file_recheck(file=file, actor=request.user, **form.cleaned_data)
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                self.message_user(request, _("复核已记录。"), messages.SUCCESS)
                return redirect("admin:aid_hardshipfile_change", file.pk)
        context = {**self.admin_site.each_context(request), "opts": self.model._meta, "title": _("年度复核：%(f)s") % {"f": file},
                   "form": form, "file": file, "rechecks": list(file.rechecks.select_related("actor"))}
        return TemplateResponse(request, "aid/admin/recheck.html", context)


# ---------------------------------------------------------------- campaigns

class AmountRowInline(admin.TabularInline):
    model = AmountRow
    extra = 0


class AidTypeInline(admin.TabularInline):
    model = AidType
    extra = 0
    fields = ["name", "facts", "eligibility", "standard_amount", "sort_order", "edit_link"]
    readonly_fields = ["edit_link"]

    @admin.display(description=_lazy("救助标准表"))
    def edit_link(self, obj):
        if not obj.pk:
            return "—"
        return format_html('<a href="{}">{}</a>', reverse("admin:aid_aidtype_change", args=[obj.pk]), _("编辑标准表"))


@admin.register(Campaign)
class CampaignAdmin(SearchCleanMixin, SimpleHistoryAdmin):
    list_display = ["title", "kind", "year", "starts_on", "ends_on", "budget", "budget_used", "is_published"]
    list_filter = ["year", "kind", "is_published"]
    search_fields = ["title"]
    show_full_result_count = False
    inlines = [AidTypeInline]
    actions = ["copy_to_next_year"]
    list_max_show_all = 300

    def get_queryset(self, request):
        used = Allowance.objects.filter(
            key=Concat(Value("aid.budget:campaign="), OuterRef("pk"), output_field=CharField())
        ).values("used")[:1]
        return super().get_queryset(request).annotate(used_amount=Subquery(used))

    @admin.display(description=_lazy("已批准（元）"))
    def budget_used(self, obj):
        return obj.used_amount or 0

    @admin.action(description=_lazy("复制到下一年度"), permissions=["add"])
    def copy_to_next_year(self, request, queryset):
        for campaign in queryset:
            if Campaign.objects.filter(kind=campaign.kind, year=campaign.year + 1).exists():
                self.message_user(request, _("%(year)d年已有“%(kind)s”，未复制。") % {"year": campaign.year + 1,
                                  "kind": campaign.get_kind_display()}, messages.ERROR)
                continue
            copy = campaign_copy(source=campaign, year=campaign.year + 1, actor=request.user)
            self.message_user(request, _("已复制为“%(title)s”（未开放，请核对日期后开放）。") % {"title": copy.title}, messages.SUCCESS)


@admin.register(AidType)
class AidTypeAdmin(SearchCleanMixin, admin.ModelAdmin):
    list_display = ["name", "campaign", "facts", "eligibility", "standard_amount"]
    list_filter = ["campaign__year", "facts", "eligibility"]
    list_select_related = ["campaign"]
    search_fields = ["name", "campaign__title"]
    show_full_result_count = False
    inlines = [AmountRowInline]


@admin.register(AidPolicy)
class AidPolicyAdmin(SimpleHistoryAdmin):
    list_display = ["year", "yearly_limit", "second_approval_over", "notice_workdays"]


# ---------------------------------------------------------------- applications

class ApplicationDocumentInline(EvidenceAdminMixin, admin.TabularInline):
    model = ApplicationDocument
    extra = 0
    fields = ["link", "purpose", "kind", "uploaded_at", "evidence_state", "withdraw_link"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_lazy("撤回"))
    def withdraw_link(self, obj):
        if obj is None or obj.pk is None or obj.withdrawn_at is not None:
            return "—"
        return format_html('<a href="{}">{}</a>', reverse("admin:aid_application_withdraw", args=[obj.application_id, obj.pk]),
                           _("撤回此材料"))

    @admin.display(description=_lazy("文件"))
    def link(self, obj):
        return format_html('<a href="{}" target="_blank" rel="noopener">{}</a>', reverse("aid:document", args=[obj.pk]), obj.original_name)


class StatusChangeInline(admin.TabularInline):
    model = ApplicationStatusChange
    extra = 0
    fields = ["at", "from_status", "to_status", "actor", "note"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Application)
class ApplicationAdmin(SearchCleanMixin, OfficerScopedAdmin):
    list_display = ["number_link", "member_name", "aid_type", "union", "status", "amount", "submitted_at"]
    list_filter = ["status", "year", "campaign", "hardship_level", "town_street"]
    search_fields = ["number", "member__name", "member__membership_number"]
    search_help_text = _lazy("按申请编号、姓名或会员号搜索")
    list_select_related = ["member", "aid_type__campaign", "union"]
    show_full_result_count = False
    inlines = [ApplicationDocumentInline, StatusChangeInline]
    actions = ["publish_notice", "export_payment_list", "export_applications"]
    exclude = ["bank_account"]
    readonly_fields = [
        "number", "year", "campaign", "aid_type", "member_display", "union", "town_street", "hardship_file", "hardship_level",
        "status", "created_by", "created_at", "submitted_at", "reason", "child_name", "school", "school_level", "enrolled_on",
        "diagnosis", "hospital", "treated_from", "treated_to", "total_cost", "insurance_paid", "mutual_aid_paid",
        "out_of_pocket", "return_reason", "decline_reason", "checked_by", "amount", "first_approver", "second_approver",
        "approved_at", "notice", "paid_method", "paid_on", "paid_reference", "paid_by", "decide_link",
    ]
    fieldsets = [
        (None, {"fields": ["decide_link", "number", "status", "campaign", "aid_type", "member_display", "union", "town_street",
                           "hardship_file", "hardship_level", "created_by", "created_at", "submitted_at", "reason"]}),
        (_lazy("金秋助学"), {"fields": ["child_name", "school", "school_level", "enrolled_on"]}),
        (_lazy("大病救助"), {"fields": ["diagnosis", "hospital", "treated_from", "treated_to", "total_cost", "insurance_paid",
                                    "mutual_aid_paid", "out_of_pocket"]}),
        (_lazy("审核与发放"), {"fields": ["checked_by", "return_reason", "decline_reason", "amount", "first_approver",
                                     "second_approver", "approved_at", "notice", "paid_method", "paid_on", "paid_reference",
                                     "paid_by", "bank_name"]}),
    ]

    def officer_scope(self, unions):
        return Q(union_id__in=unions)

    def town_scope(self, towns):
        return Q(town_street_id__in=towns)

    def get_queryset(self, request):
        return super().get_queryset(request).exclude(status=Status.DRAFT)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_lazy("申请编号"), ordering="number")
    def number_link(self, obj):
        return obj.number

    @admin.display(description=_lazy("申请人"), ordering="member__name")
    def member_name(self, obj):
        return obj.member.name

    @admin.display(description=_lazy("申请人"))
    def member_display(self, obj):
        member = obj.member
        return f"{member.name} · {mask_document_number(member.document_number)} · {member.masked_phone}"

    @admin.display(description=_lazy("处理"))
    def decide_link(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        return format_html('<a class="button" href="{}">{}</a>', reverse("admin:aid_application_decide", args=[obj.pk]),
                           _("审核/审批/发放"))

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/decide/", view(self.decide_view), name="aid_application_decide"),
            path("<int:pk>/documents/<int:doc>/withdraw/", view(self.withdraw_view), name="aid_application_withdraw"),
            path("numbers/", view(self.numbers_view), name="aid_application_numbers"),
            path("numbers/export/", view(self.numbers_export), name="aid_application_numbers_export"),
            *super().get_urls(),
        ]

    def decide_view(self, request, pk):
        self.check_object_scope(request, str(pk))
        application = self.get_queryset(request).filter(pk=pk).select_related("member", "aid_type__campaign").first()
        if application is None or not self.has_view_permission(request, application):
            raise PermissionDenied
        moves = [m.target for m in FLOW.moves_for(application, application.status, request.user)
                 if m.target not in (Status.SUBMITTED, Status.NOTICED, Status.REVIEWED)]
        form = DecisionForm(request.POST or None, targets=moves, initial={"paid_on": timezone.localdate()})
        if request.method == "POST":
            if not moves:
                raise PermissionDenied
            if form.is_valid():
                data = form.cleaned_data
                try:
                    moved = application_transition(
                        application=application, target=data["target"], actor=request.user, reason=data["reason"],
                        amount=data["amount"], paid_method=data["paid_method"], paid_on=data["paid_on"],
                        paid_reference=data["paid_reference"],
                    )
                except DomainError as exc:
                    form.add_error(None, exc.message)
                else:
                    self.message_user(request, _("申请 %(number)s 已变更为“%(status)s”，已通知申请人。")
                                      % {"number": moved.number, "status": moved.get_status_display()}, messages.SUCCESS)
                    return redirect("admin:aid_application_change", moved.pk)
        context = {
            **self.admin_site.each_context(request), "opts": self.model._meta, "title": _("处理申请 %(n)s") % {"n": application.number},
            "application": application, "form": form, "moves": moves, "standard": application_standard(application),
            "documents": list(application.documents.all()),
        }
        return TemplateResponse(request, "aid/admin/decide.html", context)

    def withdraw_view(self, request, pk, doc):
        """Withdraw one file of an application with a reason: it stays in the record, struck
        through; the member is told and may upload another."""
        if not (request.user.has_perm("aid.check_application") or request.user.has_perm("aid.approve_application")):
            raise PermissionDenied
        self.check_object_scope(request, str(pk))
        application = self.get_queryset(request).filter(pk=pk).first()
        document = application.documents.filter(pk=doc).first() if application is not None else None
        if document is None:
            raise Http404
        form = WithdrawForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                application_document_withdraw(document=document, actor=request.user, reason=form.cleaned_data["reason"])
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                self.message_user(request, _("材料“%(name)s”已撤回（文件保留），已通知申请人。") % {"name": document.original_name},
                                  messages.SUCCESS)
                return redirect("admin:aid_application_change", application.pk)
        context = {**self.admin_site.each_context(request), "opts": self.model._meta,
                   "title": _("撤回材料：%(name)s") % {"name": document.original_name},
                   "form": form, "application": application, "document": document}
        return TemplateResponse(request, "aid/admin/withdraw.html", context)

    @admin.action(description=_lazy("发布公示（已批准的申请）"), permissions=["approve"])
    def publish_notice(self, request, queryset):
        if queryset.count() > NOTICE_IN_REQUEST:
            from .tasks import notice_publish_task

            notice_publish_task.delay_on_commit(list(queryset.values_list("pk", flat=True)), request.user.pk)
            self.message_user(request, _("所选申请较多，公示将在后台发布，完成后可在公示列表查看。"), messages.INFO)
            return
        try:
            notices = application_notice_publish(applications=list(queryset), actor=request.user)
        except DomainError as exc:
            self.message_user(request, exc.message, messages.ERROR)
            return
        for notice in notices:
            self.message_user(request, _("已发布公示“%(title)s”，截止 %(end)s。") % {"title": notice.title, "end": notice.ends_on},
                              messages.SUCCESS)

    def has_approve_permission(self, request):
        return request.user.has_perm("aid.approve_application")

    def has_pay_permission(self, request):
        return request.user.has_perm("aid.pay_application")

    @admin.action(description=_lazy("导出银行发放清单（Excel）"), permissions=["pay"])
    def export_payment_list(self, request, queryset):
        return PaymentListExporter(queryset=queryset).response("xlsx")

    @admin.action(description=_lazy("导出所选申请（Excel）"), permissions=["view"])
    def export_applications(self, request, queryset):
        return ApplicationExporter(queryset=queryset).response("xlsx")

    @replica_view  # the year's figures may lag the primary by a second
    def numbers_view(self, request):
        if not (self.has_view_permission(request) and request.user.has_perm("aid.approve_application")):
            raise PermissionDenied
        year = _year(request)
        this_year = timezone.localdate().year
        groups = []
        for field, title in (("town_street", _("按镇街")), ("union", _("按工会")), ("hardship_level", _("按困难类别"))):
            rows, label = numbers_by(year, field)
            groups.append({"title": title, "label": label, "rows": list(rows[:200])})
        level_labels = dict(HardshipFile._meta.get_field("level").choices)
        for row in groups[2]["rows"]:
            row["hardship_level"] = level_labels.get(row["hardship_level"], _("非档案职工"))
        context = {
            **self.admin_site.each_context(request), "opts": self.model._meta,
            "title": _("帮扶工作数据（%(year)d年）") % {"year": year}, "year": year,
            "years": range(this_year, this_year - 6, -1), "campaigns": list(campaign_budgets(year)), "groups": groups,
            "repeat": list(members_aided_more_than_once(year)[:200]),
            "never_aided": list(file_holders_never_aided(year)[:200]),
        }
        return TemplateResponse(request, "aid/admin/numbers.html", context)

    @replica_view  # the year's figures may lag the primary by a second
    def numbers_export(self, request):
        if not (self.has_view_permission(request) and request.user.has_perm("aid.approve_application")):
            raise PermissionDenied
        return NumbersExporter(year=_year(request)).response("xlsx")


@admin.register(Nomination)
class NominationAdmin(SearchCleanMixin, OfficerScopedAdmin):
    list_display = ["member", "year", "union", "reason", "created_at"]
    list_filter = ["year"]
    search_fields = ["member__name", "member__membership_number"]
    list_select_related = ["member", "union"]
    autocomplete_fields = ["member"]
    fields = ["member", "year", "reason"]
    show_full_result_count = False

    def officer_scope(self, unions):
        return Q(union_id__in=unions)

    def save_model(self, request, obj, form, change):
        unions = officer_union_ids(request.user)
        if unions and obj.member.union_id not in unions:
            raise PermissionDenied
        obj.union_id = obj.member.union_id
        obj.nominated_by = request.user
        super().save_model(request, obj, form, change)


class QuotaInline(admin.TabularInline):
    model = ProgrammeQuota
    extra = 0
    autocomplete_fields = ["union"]


@admin.register(HealthProgramme)
class HealthProgrammeAdmin(SearchCleanMixin, SimpleHistoryAdmin):
    list_display = ["title", "kind", "year", "starts_on", "ends_on", "quota_scope", "default_quota"]
    list_filter = ["year", "kind"]
    search_fields = ["title"]
    show_full_result_count = False
    inlines = [QuotaInline]


@admin.register(Enrolment)
class EnrolmentAdmin(SearchCleanMixin, ReadOnlyAdminMixin, OfficerScopedAdmin):
    list_display = ["member", "programme", "union", "town_street", "enrolled_at"]
    list_filter = ["programme__year", "programme__kind", "town_street"]
    search_fields = ["member__name", "member__membership_number"]
    list_select_related = ["member", "programme", "union", "town_street"]
    show_full_result_count = False

    def officer_scope(self, unions):
        return Q(union_id__in=unions)

    def town_scope(self, towns):
        return Q(town_street_id__in=towns)


