"""Staff screens of the rights app (权益保障部; 领导 read-only). Every state change calls the
same service as the rest of the portal; who may see cases is decided in access.py."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Q
from django.forms.models import BaseInlineFormSet
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from simple_history.admin import SimpleHistoryAdmin

from apps.core.admin import ReadOnlyAdminMixin
from apps.core.errors import DomainError
from apps.core.evidence import EvidenceAdminMixin, evidence_withdraw
from apps.core.history import MaskedHistoryMixin
from apps.core.masking import mask_document_number, sees_full_document
from apps.workdays.calendar import is_provisional
from yiwu_union.routers import replica_reads

from .access import attachments_for_staff, cases_for_staff, staff_may_see_cases
from .exports import CaseExporter, CaseStatsExporter
from .forms import AttachmentAdminForm, CaseAdminForm
from .models import (
    OPEN_STATUSES,
    TRANSITIONS,
    ArbitrationObservation,
    CaseAttachment,
    CaseStatusChange,
    Channel,
    ChecklistItem,
    Finding,
    FollowUp,
    Grade,
    Inspection,
    InspectionCandidate,
    LegalAidGrant,
    RightsCase,
    Status,
    SupervisionCampaign,
    SupervisionTheme,
    TimeLimit,
)
from .selectors import (
    campaign_report,
    case_stats,
    cases_due_within,
    cases_overdue,
    cases_with_deadline_flags,
    findings_overdue,
    inspection_candidates,
    overdue_expression,
)
from .services import (
    case_submit,
    case_transition,
    finding_follow_up,
    supervision_campaign_create,
)


class RightsStaffOnly:
    """Cases and everything hanging off them: only staff who may see cases (access.py), whatever
    permissions a group was given by mistake."""

    def has_module_permission(self, request):
        return staff_may_see_cases(request.user) and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return staff_may_see_cases(request.user) and super().has_view_permission(request, obj)

    def has_add_permission(self, request, *args):
        return staff_may_see_cases(request.user) and super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        return staff_may_see_cases(request.user) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return staff_may_see_cases(request.user) and super().has_delete_permission(request, obj)


class StyledAdmin:
    class Media:
        css = {"all": ["rights/admin.css"]}


# --- cases -----------------------------------------------------------------------------------

class DeadlineFilter(admin.SimpleListFilter):
    title = _lazy("办理时限")
    parameter_name = "deadline"

    def lookups(self, request, model_admin):
        return [
            ("overdue", _lazy("已超期")),
            ("today", _lazy("今日到期")),
            ("within2", _lazy("2个工作日内到期")),
        ]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "overdue":
            return cases_overdue(queryset, today)
        if self.value() == "today":
            return queryset.filter(status__in=OPEN_STATUSES, due_on=today)
        if self.value() == "within2":
            return cases_due_within(queryset, 2, today)
        return queryset


class CaseStatusChangeInline(RightsStaffOnly, admin.TabularInline):
    model = CaseStatusChange
    extra = 0
    can_delete = False
    fields = readonly_fields = ["at", "from_status", "to_status", "actor", "note", "is_internal", "due_on", "was_late"]
    verbose_name_plural = _lazy("流转记录（只读）")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")


class CaseAttachmentInline(EvidenceAdminMixin, RightsStaffOnly, admin.TabularInline):
    """Existing files: listed with a link through the access-checked view, never edited or
    deleted; a wrong file is withdrawn with a reason from its own page."""

    model = CaseAttachment
    extra = 0
    fields = readonly_fields = ["link", "kind", "uploaded_at", "uploaded_by", "evidence_state", "withdraw_link"]
    verbose_name_plural = _lazy("证明材料")

    @admin.display(description=_lazy("撤回"))
    def withdraw_link(self, obj):
        if obj.pk is None or obj.is_withdrawn:
            return "—"
        return format_html(
            '<a href="{}">{}</a>', reverse("admin:rights_caseattachment_change", args=[obj.pk]), _("撤回…")
        )

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("uploaded_by")

    @admin.display(description=_lazy("文件"))
    def link(self, obj):
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a>',
            reverse("rights:attachment", kwargs={"pk": obj.pk}), obj.original_name,
        )


class CaseAttachmentAddInline(EvidenceAdminMixin, RightsStaffOnly, admin.TabularInline):
    """New files staff add (paper evidence scanned at the counter), checked by content."""

    model = CaseAttachment
    form = AttachmentAdminForm
    extra = 0
    fields = ["file"]
    verbose_name = _lazy("新增材料")
    verbose_name_plural = _lazy("新增材料（图片或 PDF）")

    def get_queryset(self, request):
        return super().get_queryset(request).none()

    def has_change_permission(self, request, obj=None):
        return self.has_add_permission(request, obj)


class LegalAidGrantInline(RightsStaffOnly, admin.StackedInline):
    model = LegalAidGrant
    extra = 0
    max_num = 1


class CaseAddForm(forms.ModelForm):
    """A case staff take at the counter, at a circuit point or on the 12351 hotline."""

    class Meta:
        model = RightsCase
        fields = [
            "channel", "category", "member", "worker_name", "worker_phone", "worker_id_number",
            "employer", "employer_name", "town_street", "description", "amount_owed", "handler",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["channel"].choices = [c for c in Channel.choices if c[0] != Channel.ONLINE]
        self.fields["channel"].initial = Channel.WALK_IN
        self.fields["worker_name"].required = False
        self.fields["worker_phone"].required = False
        self.fields["worker_name"].help_text = _lazy("会员可不填，取会员档案")

    def clean_worker_phone(self):
        from apps.core.validators import normalise_phone, validate_mobile_phone

        phone = normalise_phone(self.cleaned_data.get("worker_phone", ""))
        if phone:
            validate_mobile_phone(phone)
        return phone

    def clean_worker_id_number(self):
        from apps.core.validators import normalise_document_number, validate_resident_id

        number = self.cleaned_data.get("worker_id_number", "")
        if number:
            validate_resident_id(number)
        return normalise_document_number(number)

    def clean(self):
        cleaned = super().clean()
        member = cleaned.get("member")
        if member is not None:
            cleaned["worker_name"], cleaned["worker_phone"] = member.name, member.phone
            self.instance.worker_name, self.instance.worker_phone = member.name, member.phone
        else:
            if not cleaned.get("worker_name"):
                self.add_error("worker_name", _("非会员请填写职工姓名。"))
            if not cleaned.get("worker_phone"):
                self.add_error("worker_phone", _("非会员请填写联系电话。"))
        return cleaned


@admin.register(RightsCase)
class RightsCaseAdmin(RightsStaffOnly, StyledAdmin, MaskedHistoryMixin, SimpleHistoryAdmin):
    form = CaseAdminForm
    list_display = [
        "number", "deadline", "status_label", "worker", "category", "channel", "grade_label",
        "employer_label", "handler",
    ]
    list_display_links = ["number"]
    list_filter = [DeadlineFilter, "status", "category", "channel", "grade", "town_street", "year"]
    search_fields = ["=number", "worker_name", "=worker_phone", "employer__name", "employer_name"]
    list_select_related = ["employer", "handler"]
    show_full_result_count = False
    list_per_page = 50
    autocomplete_fields = ["member", "employer"]
    change_list_template = "rights/admin/case_change_list.html"
    actions = ["accept_general", "to_mediation", "to_legal_aid", "to_arbitration", "to_return_visit"]
    readonly_fields = [
        "number", "status", "grade_label", "due_on", "channel", "decline_reason", "settled", "satisfaction",
        "outcome", "amount_recovered", "submitted_at", "accepted_at", "closed_at", "created_by",
        "allowed_moves",
    ]
    fieldsets = [
        (None, {"fields": ["number", "status", "grade_label", "due_on", "handler"]}),
        (_lazy("职工"), {"fields": ["member", "worker_name", "worker_phone", "worker_id_number"]}),
        (_lazy("求助内容"), {"fields": [
            "channel", "category", "employer", "employer_name", "town_street", "description", "amount_owed",
            "submitted_at", "created_by",
        ]}),
        (_lazy("办理（变更状态将短信告知职工）"), {"fields": [
            "allowed_moves", "move_to", "move_grade", "move_note", "move_internal",
            "move_settled", "move_satisfaction", "move_outcome", "move_amount_recovered",
        ]}),
        (_lazy("结果"), {"fields": [
            "decline_reason", "accepted_at", "settled", "satisfaction", "outcome", "amount_recovered", "closed_at",
        ]}),
    ]
    add_fieldsets = [
        (_lazy("职工"), {"fields": ["member", "worker_name", "worker_phone", "worker_id_number"]}),
        (_lazy("求助内容"), {"fields": [
            "channel", "category", "employer", "employer_name", "town_street", "description", "amount_owed", "handler",
        ]}),
    ]

    # -- screens --

    def has_delete_permission(self, request, obj=None):
        # A case is a record of the federation's work: it is closed or declined, never deleted.
        return request.user.is_superuser and super().has_delete_permission(request, obj)

    def get_queryset(self, request):
        return cases_with_deadline_flags(cases_for_staff(request.user, super().get_queryset(request)))

    def get_ordering(self, request):
        # Overdue first, then the nearest deadline; finished cases last.
        # An expression, not the annotation's name: the ordering is reused for the case chooser
        # of other admins (legal aid, arbitration observation), whose querysets lack it.
        return [overdue_expression().desc(), F("due_on").asc(nulls_last=True), "-id"]

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return self.add_fieldsets
        fieldsets = self.fieldsets
        if not self.has_change_permission(request, obj):  # 领导: read only, no moves
            fieldsets = [fs for fs in fieldsets if "move_to" not in fs[1]["fields"]]
        if not sees_full_document(request.user):
            # 权益保障部 and 领导 see the worker's ID number masked (it embeds the birth date).
            fieldsets = [
                (name, {**options, "fields": [
                    "masked_worker_id_number" if f == "worker_id_number" else f for f in options["fields"]
                ]})
                for name, options in fieldsets
            ]
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        if not sees_full_document(request.user):
            return [*self.readonly_fields, "masked_worker_id_number"]
        return self.readonly_fields

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = CaseAddForm
        form = super().get_form(request, obj, change=change, **kwargs)
        form.actor = request.user  # the move's checks need who asks (a fresh class per request)
        return form

    def get_inlines(self, request, obj):
        if obj is None:
            return [CaseAttachmentAddInline]
        if not self.has_change_permission(request, obj):
            return [CaseStatusChangeInline, CaseAttachmentInline, LegalAidGrantInline]
        return [CaseStatusChangeInline, CaseAttachmentInline, CaseAttachmentAddInline, LegalAidGrantInline]

    # -- columns --

    @admin.display(description=_lazy("办理时限"), ordering="due_on")
    def deadline(self, obj):
        if obj.due_on is None:
            return "—"
        shown = date_format(obj.due_on)
        if obj.is_overdue_flag:
            return format_html('<span class="rights-overdue" title="{}">⚑ {}</span>', _("已超期"), shown)
        if obj.due_on == timezone.localdate():
            return format_html('<span class="rights-due-soon">{} {}</span>', shown, _("今日到期"))
        if is_provisional(obj.due_on):
            return format_html('{} <span title="{}">（{}）</span>', shown, _("该年度节假日安排尚未公布"), _("暂定"))
        return shown

    @admin.display(description=_lazy("状态"), ordering="status")
    def status_label(self, obj):
        return obj.get_status_display()

    @admin.display(description=_lazy("等级"), ordering="grade")
    def grade_label(self, obj):
        return obj.get_grade_display() if obj.accepted_at else "—"

    @admin.display(description=_lazy("职工"), ordering="worker_name")
    def worker(self, obj):
        return obj.worker_name

    @admin.display(description=_lazy("身份证号码"))
    def masked_worker_id_number(self, obj):
        return mask_document_number(obj.worker_id_number) or "—"

    @admin.display(description=_lazy("用人单位"))
    def employer_label(self, obj):
        return obj.employer_display

    @admin.display(description=_lazy("可办理的下一步"))
    def allowed_moves(self, obj):
        targets = TRANSITIONS.get(obj.status, ())
        return "、".join(str(Status(t).label) for t in targets) or _("已办结，不能再变更")

    # -- saving: the services do the work --

    def save_model(self, request, obj, form, change):
        obj._history_user = request.user
        if not change:
            data = form.cleaned_data
            case = case_submit(
                channel=data["channel"], category=data["category"], description=data["description"],
                member=data.get("member"), worker_name=data.get("worker_name") or "",
                worker_phone=data.get("worker_phone") or "", worker_id_number=data.get("worker_id_number") or "",
                employer=data.get("employer"), employer_name=data.get("employer_name") or "",
                town_street=data.get("town_street"), amount_owed=data.get("amount_owed"),
                handler=data.get("handler"), created_by=request.user,
            )
            # The admin goes on with `obj` (inlines, log, redirect): make it the created case.
            obj.pk = case.pk
            obj.refresh_from_db()
            obj._state.adding = False
            return
        editable = {f.name for f in obj._meta.concrete_fields if f.editable}
        fields = [name for name in form.changed_data if name in editable]
        if fields:
            # Only what this form changed: a move another officer made meanwhile stays.
            obj.save(update_fields=fields)
        target = form.cleaned_data.get("move_to")
        if target:
            try:
                case_transition(
                    case=obj, target=target, actor=request.user,
                    internal=form.cleaned_data.get("move_internal", False), **form.move_details(),
                )
            except DomainError as exc:
                messages.error(request, exc.message)

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for instance in instances:
            if isinstance(instance, CaseAttachment) and instance.uploaded_by_id is None:
                instance.uploaded_by = request.user
            instance.save()
        for obj in formset.deleted_objects:
            if not isinstance(obj, CaseAttachment):  # evidence is never deleted (EvidenceAdminMixin)
                obj.delete()
        formset.save_m2m()

    # -- actions: one move for several cases, through the same service --

    def _move(self, request, queryset, target, **details):
        moved, refused = 0, []
        for case in queryset:
            try:
                case_transition(case=case, target=target, actor=request.user, **details)
            except DomainError as exc:
                refused.append(f"{case.number}：{exc.message}")
            else:
                moved += 1
        if moved:
            self.message_user(
                request, _("%(n)d 件案件已变更为“%(status)s”，已短信告知职工。") % {"n": moved, "status": Status(target).label},
                messages.SUCCESS,
            )
        for line in refused:
            self.message_user(request, line, messages.ERROR)

    @admin.action(description=_lazy("受理为一般案件"), permissions=["change"])
    def accept_general(self, request, queryset):
        self._move(request, queryset, Status.ACCEPTED, grade=Grade.GENERAL)

    @admin.action(description=_lazy("转入调解"), permissions=["change"])
    def to_mediation(self, request, queryset):
        self._move(request, queryset, Status.MEDIATION)

    @admin.action(description=_lazy("转入法律援助"), permissions=["change"])
    def to_legal_aid(self, request, queryset):
        self._move(request, queryset, Status.LEGAL_AID)

    @admin.action(description=_lazy("转入仲裁"), permissions=["change"])
    def to_arbitration(self, request, queryset):
        self._move(request, queryset, Status.ARBITRATION)

    @admin.action(description=_lazy("办理完毕，转入回访"), permissions=["change"])
    def to_return_visit(self, request, queryset):
        self._move(request, queryset, Status.RETURN_VISIT)

    # -- the leadership's numbers --

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("stats/", view(self.stats_view), name="rights_rightscase_stats"),
            path("stats/export/", view(self.stats_export), name="rights_rightscase_export"),
            *super().get_urls(),
        ]

    def _year(self, request) -> int:
        try:
            year = int(request.GET.get("year", ""))
        except ValueError:
            return timezone.localdate().year
        return year if 2000 <= year <= 2100 else timezone.localdate().year

    def stats_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        year = self._year(request)
        this_year = timezone.localdate().year
        with replica_reads():  # the leadership's numbers may lag the primary by a second
            stats = case_stats(year=year)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("维权工作统计（%(year)d年）") % {"year": year},
            "year": year,
            "years": range(this_year, this_year - 6, -1),
            "stats": stats,
        }
        return TemplateResponse(request, "rights/admin/case_stats.html", context)

    def stats_export(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        year = self._year(request)
        if request.GET.get("what") == "summary":
            return CaseStatsExporter(year=year).response("xlsx", request=request)
        return CaseExporter(year=year).response("xlsx", request=request)


@admin.register(TimeLimit)
class TimeLimitAdmin(SimpleHistoryAdmin):
    list_display = ["category", "grade", "step", "workdays"]
    list_editable = ["workdays"]
    list_filter = ["category", "grade", "step"]
    show_full_result_count = False
    list_per_page = 120


@admin.register(LegalAidGrant)
class LegalAidGrantAdmin(RightsStaffOnly, SimpleHistoryAdmin):
    list_display = ["case", "provider_kind", "provider_name", "lawyer_name", "approved_on", "approved_hours",
                    "approved_fee", "result"]
    list_filter = ["provider_kind", "result"]
    search_fields = ["=case__number", "provider_name", "lawyer_name"]
    list_select_related = ["case"]
    autocomplete_fields = ["case"]
    show_full_result_count = False
    date_hierarchy = "approved_on"


@admin.register(ArbitrationObservation)
class ArbitrationObservationAdmin(SimpleHistoryAdmin):
    list_display = ["hearing_on", "chair_name", "union", "tribunal", "arbitration_number", "case"]
    list_filter = ["tribunal"]
    search_fields = ["chair_name", "arbitration_number", "record", "=case__number"]
    list_select_related = ["union", "case"]
    autocomplete_fields = ["union", "case"]
    show_full_result_count = False
    date_hierarchy = "hearing_on"
    readonly_fields = ["recorded_by"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.recorded_by = request.user
        super().save_model(request, obj, form, change)


# --- supervision (监督四季行) ------------------------------------------------------------------

class SupervisionThemeInline(admin.TabularInline):
    model = SupervisionTheme
    extra = 0
    can_delete = False
    fields = ["season", "title", "checklist_link"]
    readonly_fields = ["season", "checklist_link"]

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_lazy("检查清单"))
    def checklist_link(self, obj):
        return format_html('<a href="{}">{}</a>', reverse("admin:rights_supervisiontheme_change", args=[obj.pk]), _("编辑清单"))


@admin.register(SupervisionCampaign)
class SupervisionCampaignAdmin(StyledAdmin, SimpleHistoryAdmin):
    list_display = ["year", "title", "report_link"]
    inlines = [SupervisionThemeInline]

    def get_readonly_fields(self, request, obj=None):
        return ["year"] if obj is not None else []

    def get_inlines(self, request, obj):
        return [SupervisionThemeInline] if obj is not None else []

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        # The form's unique check on `year` has already refused a second campaign for the year.
        campaign = supervision_campaign_create(year=obj.year, title=obj.title)
        obj.pk = campaign.pk
        obj.refresh_from_db()
        obj._state.adding = False

    @admin.display(description=_lazy("活动报表"))
    def report_link(self, obj):
        return format_html('<a href="{}">{}</a>', reverse("admin:rights_supervisioncampaign_report", args=[obj.pk]), _("查看"))

    def get_urls(self):
        return [
            path("<int:pk>/report/", self.admin_site.admin_view(self.report_view), name="rights_supervisioncampaign_report"),
            *super().get_urls(),
        ]

    def report_view(self, request, pk):
        campaign = self.get_object(request, str(pk))
        if campaign is None or not self.has_view_permission(request, campaign):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": campaign,
            "title": _("%(title)s：检查与整改情况") % {"title": campaign.title},
            "campaign": campaign,
            "report": campaign_report(campaign),
        }
        return TemplateResponse(request, "rights/admin/campaign_report.html", context)


class ChecklistItemInline(admin.TabularInline):
    model = ChecklistItem
    extra = 1
    fields = ["order", "text"]


@admin.register(SupervisionTheme)
class SupervisionThemeAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "campaign", "season"]
    list_filter = ["campaign", "season"]
    list_select_related = ["campaign"]
    readonly_fields = ["campaign", "season"]
    inlines = [ChecklistItemInline]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False  # the four themes come with their campaign


class FindingFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        theme_id = self.instance.theme_id
        for form in self.forms:
            item = form.cleaned_data.get("item") if hasattr(form, "cleaned_data") else None
            if item is not None and theme_id and item.theme_id != theme_id and not form.cleaned_data.get("DELETE"):
                form.add_error("item", _("检查项目不属于本次检查的主题。"))


class FindingInline(admin.TabularInline):
    model = Finding
    formset = FindingFormSet
    extra = 0
    fields = ["item", "is_compliant", "description", "follow_up", "followed_up_on"]
    readonly_fields = ["follow_up", "followed_up_on"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("item")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "item":
            kwargs["queryset"] = ChecklistItem.objects.select_related("theme__campaign")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class RectificationFilter(admin.SimpleListFilter):
    title = _lazy("整改")
    parameter_name = "rectification"

    def lookups(self, request, model_admin):
        return [("open", _lazy("有未整改问题")), ("overdue", _lazy("整改已超期"))]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "open":
            return queryset.filter(findings__follow_up=FollowUp.OPEN).distinct()
        if self.value() == "overdue":
            return queryset.filter(findings__follow_up=FollowUp.OPEN, rectification_due__lt=today).distinct()
        return queryset


@admin.register(Inspection)
class InspectionAdmin(StyledAdmin, SimpleHistoryAdmin):
    list_display = ["employer", "theme", "inspected_on", "rectification_due", "problems", "open_problems"]
    list_filter = [RectificationFilter, "theme__campaign", "theme__season"]
    search_fields = ["employer__name", "inspectors"]
    list_select_related = ["employer", "theme__campaign"]
    autocomplete_fields = ["employer"]
    show_full_result_count = False
    date_hierarchy = "inspected_on"
    inlines = [FindingInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(
            problem_count=Count("findings", filter=Q(findings__is_compliant=False)),
            open_count=Count("findings", filter=Q(findings__follow_up=FollowUp.OPEN)),
        )

    @admin.display(description=_lazy("发现问题"), ordering="problem_count")
    def problems(self, obj):
        return obj.problem_count

    @admin.display(description=_lazy("未整改"), ordering="open_count")
    def open_problems(self, obj):
        if obj.open_count and obj.rectification_due and obj.rectification_due < timezone.localdate():
            return format_html('<span class="rights-overdue">⚑ {}</span>', obj.open_count)
        return obj.open_count


class FindingOverdueFilter(admin.SimpleListFilter):
    title = _lazy("整改期限")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", _lazy("已过整改期限仍未整改"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(pk__in=findings_overdue().values("pk"))
        return queryset


@admin.register(Finding)
class FindingAdmin(StyledAdmin, SimpleHistoryAdmin):
    list_display = ["inspection", "item", "is_compliant", "follow_up", "rectification_due", "followed_up_on"]
    list_filter = ["follow_up", FindingOverdueFilter, "inspection__theme__campaign", "inspection__theme__season"]
    search_fields = ["inspection__employer__name", "item__text", "description"]
    list_select_related = ["inspection__employer", "item"]
    readonly_fields = ["follow_up", "follow_up_note", "followed_up_on", "followed_up_by"]
    show_full_result_count = False
    actions = ["mark_rectified", "mark_referred"]

    def has_add_permission(self, request):
        return False  # findings are recorded with their inspection

    @admin.display(description=_lazy("整改期限"), ordering="inspection__rectification_due")
    def rectification_due(self, obj):
        return obj.inspection.rectification_due

    def _follow_up(self, request, queryset, target):
        done, refused = 0, []
        for finding in queryset:
            try:
                finding_follow_up(finding=finding, target=target, actor=request.user)
            except DomainError as exc:
                refused.append(f"{finding}：{exc.message}")
            else:
                done += 1
        if done:
            self.message_user(request, _("已更新 %(n)d 项。") % {"n": done}, messages.SUCCESS)
        for line in refused:
            self.message_user(request, line, messages.ERROR)

    @admin.action(description=_lazy("标记为已整改"), permissions=["change"])
    def mark_rectified(self, request, queryset):
        self._follow_up(request, queryset, FollowUp.RECTIFIED)

    @admin.action(description=_lazy("移交劳动监察"), permissions=["change"])
    def mark_referred(self, request, queryset):
        self._follow_up(request, queryset, FollowUp.REFERRED)


@admin.register(InspectionCandidate)
class InspectionCandidateAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: employers with two or more cases in 12 months, not inspected this year."""

    list_display = ["name", "town_street", "union", "recent_cases", "last_case_at"]
    list_select_related = ["town_street", "union"]
    list_filter = ["town_street"]
    search_fields = ["name"]
    show_full_result_count = False

    def get_queryset(self, request):
        return inspection_candidates()

    def get_ordering(self, request):
        return ["-recent_cases", "name"]

    @admin.display(description=_lazy("近12个月案件数"), ordering="recent_cases")
    def recent_cases(self, obj):
        return obj.recent_cases

    @admin.display(description=_lazy("最近一件"), ordering="last_case_at")
    def last_case_at(self, obj):
        return timezone.localdate(obj.last_case_at) if obj.last_case_at else "—"


class AttachmentWithdrawForm(forms.ModelForm):
    reason = forms.CharField(label=_lazy("撤回原因"), max_length=200, widget=forms.Textarea(attrs={"rows": 2}))

    class Meta:
        model = CaseAttachment
        fields = []


@admin.register(CaseAttachment)
class CaseAttachmentAdmin(EvidenceAdminMixin, RightsStaffOnly, admin.ModelAdmin):
    """One file of a case: its page only offers withdrawal with a reason (the file stays)."""

    list_display = ["original_name", "case", "kind", "uploaded_at", "uploaded_by", "evidence_state"]
    list_select_related = ["case", "uploaded_by"]
    search_fields = ["case__number"]
    show_full_result_count = False
    readonly_fields = [
        "case", "original_name", "kind", "content_type", "uploaded_at", "uploaded_by", "evidence_state",
        "withdrawn_at", "withdrawn_by",
    ]

    def get_queryset(self, request):
        return attachments_for_staff(request.user)

    def has_add_permission(self, request):
        return False

    def get_form(self, request, obj=None, **kwargs):
        if obj is not None and not obj.is_withdrawn:
            kwargs["form"] = AttachmentWithdrawForm
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        fields = list(self.readonly_fields)
        if obj is not None and not obj.is_withdrawn:
            fields.append("reason")
        else:
            fields.append("withdrawn_reason")
        return fields

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.is_withdrawn:
            return [*self.readonly_fields, "withdrawn_reason"]
        return self.readonly_fields

    def save_model(self, request, obj, form, change):
        reason = form.cleaned_data.get("reason", "")
        if reason:
            evidence_withdraw(evidence=obj, actor=request.user, reason=reason)
            messages.success(request, _("材料已撤回（保留在案卷中）。"))

    def save_related(self, request, form, formsets, change):
        return None
