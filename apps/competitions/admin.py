"""Staff screens of the 经济技术部: competitions, events with rounds, registrations with scores,
results; proposals with their review (officers see their own union's). Actions call services."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from apps.core.errors import DomainError
from apps.core.evidence import EvidenceAdminMixin
from apps.orgs.admin import OfficerScopedAdmin

from .access import proposals_for_staff
from .errors import ResultsAlreadyPublished
from .exports import RegistrationExporter
from .forms import BulkRegistrationForm, ProposalReviewForm
from .imports import ScoreImport
from .models import (
    Competition,
    Event,
    Proposal,
    ProposalAttachment,
    ProposalChange,
    Registration,
    RegistrationChange,
    Round,
    Score,
)
from .services import (
    event_results_compute,
    event_results_publish,
    proposal_transition,
    registration_title_mark,
    registration_withdraw,
)
from .workflows import PROPOSAL_FLOW


class EventInline(admin.TabularInline):
    model = Event
    extra = 0
    fields = ["trade", "name", "held_on", "registration_opens", "registration_closes", "capacity"]
    show_change_link = True


@admin.register(Competition)
class CompetitionAdmin(admin.ModelAdmin):
    list_display = ["name", "year", "organiser", "one_event_only", "is_published"]
    list_filter = ["year", "is_published"]
    search_fields = ["name"]
    list_select_related = ["organiser"]
    autocomplete_fields = ["organiser"]
    inlines = [EventInline]
    show_full_result_count = False


class RoundInline(admin.TabularInline):
    model = Round
    extra = 0
    min_num = 1


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["name", "competition", "trade", "held_on", "registration_opens", "registration_closes",
                    "capacity", "results_published_at"]
    list_filter = ["competition__year", "trade"]
    search_fields = ["name", "trade", "competition__name"]
    list_select_related = ["competition"]
    readonly_fields = ["results_published_at", "scores_import_link"]
    inlines = [RoundInline]
    actions = ["compute_results", "publish_results"]
    show_full_result_count = False
    fieldsets = [
        (None, {"fields": ["competition", "trade", "name", "held_on", "registration_opens", "registration_closes",
                           "capacity"]}),
        (_("报名条件"), {"fields": ["min_age", "max_age", "required_level"]}),
        (_("排名与奖项"), {"fields": ["tie_break", "award_basis", "first_prizes", "second_prizes", "third_prizes",
                                  "merit_prizes", "results_published_at", "scores_import_link"]}),
    ]

    def save_model(self, request, obj, form, change):
        if change and "capacity" in form.changed_data:
            from .services import event_capacity_change

            capacity = obj.capacity
            obj.capacity = form.initial["capacity"]
            super().save_model(request, obj, form, change)
            try:
                event_capacity_change(event=obj, capacity=capacity, actor=request.user)
            except DomainError as error:
                messages.error(request, error.message)
            obj.refresh_from_db()
            return
        super().save_model(request, obj, form, change)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/scores-import/", view(self.scores_import_view), name="competitions_event_scores_import"),
            *super().get_urls(),
        ]

    def scores_import_view(self, request, pk):
        """The judges' Excel sheet: one line per entrant with theory and practical scores."""
        event = Event.objects.select_related("competition").filter(pk=pk).first()
        if event is None:
            raise Http404
        if not self.has_change_permission(request, event):
            raise PermissionDenied
        form = BulkRegistrationForm(request.POST or None, request.FILES or None)
        form.fields["file"].label = _("评分表（Excel .xlsx）")
        form.fields["file"].help_text = _("需有“证件号码”列和“理论”“实操”成绩列；有一行出错则整表不导入。")
        problems = []
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            if event.results_published:
                form.add_error("file", ResultsAlreadyPublished().message)
            else:
                report = ScoreImport(event=event, user=request.user).run(upload.read(), filename=upload.name)
                problems = [str(p) for p in report.problems]
                if report.ok:
                    messages.success(request, _("已导入 %(n)d 项成绩。") % {"n": report.created + report.updated})
                    return redirect("admin:competitions_event_change", event.pk)
        context = {
            **self.admin_site.each_context(request), "opts": self.model._meta, "original": event,
            "title": _("导入评分表：%(event)s") % {"event": event}, "form": form, "problems": problems,
        }
        return TemplateResponse(request, "competitions/admin/scores_import.html", context)

    @admin.display(description=_("评分表"))
    def scores_import_link(self, obj):
        if obj is None or not obj.pk:
            return "—"
        return format_html('<a class="button" href="{}">{}</a>',
                           reverse("admin:competitions_event_scores_import", args=[obj.pk]), _("导入评委评分表"))

    @admin.action(description=_("计算总成绩、名次和奖项"), permissions=["change"])
    def compute_results(self, request, queryset):
        for event in queryset:
            try:
                count = event_results_compute(event=event, actor=request.user)
            except DomainError as error:
                messages.error(request, f"{event.name}：{error.message}")
            else:
                messages.success(request, _("%(event)s：已排名 %(n)d 人。") % {"event": event.name, "n": count})

    @admin.action(description=_("公布成绩（并短信通知参赛者）"), permissions=["change"])
    def publish_results(self, request, queryset):
        for event in queryset:
            try:
                event_results_publish(event=event, actor=request.user)
            except DomainError as error:
                messages.error(request, f"{event.name}：{error.message}")
            else:
                messages.success(request, _("%(event)s：成绩已公布。") % {"event": event.name})


class ScoreForm(forms.ModelForm):
    class Meta:
        model = Score
        fields = ["round", "points"]


class ScoreInline(admin.TabularInline):
    model = Score
    form = ScoreForm
    extra = 0
    fields = ["round", "points"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "round":
            object_id = request.resolver_match.kwargs.get("object_id") if request.resolver_match else None
            event_ids = Registration.objects.filter(pk=object_id).values("event_id") if object_id else []
            kwargs["queryset"] = Round.objects.filter(event_id__in=event_ids).select_related("event")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class RegistrationChangeInline(admin.TabularInline):
    model = RegistrationChange
    extra = 0
    can_delete = False
    fields = ["at", "from_status", "to_status", "actor", "note"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["member", "member_union", "event", "status", "total", "rank", "award", "city_title", "created_at"]
    list_filter = ["status", "award", "event__competition__year", "event__competition"]
    search_fields = ["member__name", "member__membership_number", "event__name"]
    list_select_related = ["member__union", "event__competition"]
    autocomplete_fields = ["member"]
    readonly_fields = ["event", "member", "status", "certificate_level", "created_at", "created_by", "withdrawn_at",
                       "total", "rank", "award"]
    fields = ["event", "member", "status", "certificate_level", "created_at", "created_by", "withdrawn_at", "total",
              "rank", "award", "city_title", "title_decided_on"]
    inlines = [ScoreInline, RegistrationChangeInline]
    actions = ["withdraw", "export_xlsx"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False  # members register on the site, officers in bulk: both through the service

    @admin.display(description=_("基层工会"), ordering="member__union__name")
    def member_union(self, obj):
        return obj.member.union.name

    def save_model(self, request, obj, form, change):
        title_fields = {"city_title", "title_decided_on"} & set(form.changed_data)
        if title_fields and obj.city_title:
            if not obj.title_decided_on:
                messages.error(request, _("请填写称号决定日期。"))
                return
            registration_title_mark(registration=obj, title=obj.city_title, decided_on=obj.title_decided_on,
                                    actor=request.user)
            return
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for instance in instances:
            if isinstance(instance, Score):
                instance.entered_by = request.user
            instance.save()
        for gone in formset.deleted_objects:
            gone.delete()
        formset.save_m2m()

    @admin.action(description=_("退出报名（名额递补给候补）"), permissions=["change"])
    def withdraw(self, request, queryset):
        for registration in queryset:
            try:
                registration_withdraw(registration=registration, actor=request.user)
            except DomainError as error:
                messages.error(request, f"{registration}：{error.message}")

    @admin.action(description=_("导出 Excel"), permissions=["view"])
    def export_xlsx(self, request, queryset):
        return RegistrationExporter(queryset).response("xlsx")


class ProposalAttachmentInline(EvidenceAdminMixin, admin.TabularInline):
    model = ProposalAttachment
    extra = 0
    fields = ["original_name", "kind", "uploaded_at", "evidence_state", "file_link"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("文件"))
    def file_link(self, obj):
        return format_html('<a href="{}">{}</a>', reverse("competitions:proposal_attachment", args=[obj.pk]), _("查看"))


class ProposalChangeInline(admin.TabularInline):
    model = ProposalChange
    extra = 0
    can_delete = False
    fields = ["at", "from_status", "to_status", "actor", "note"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Proposal)
class ProposalAdmin(OfficerScopedAdmin):
    list_display = ["number", "title", "kind", "member", "union", "status", "benefit", "award_amount", "submitted_at"]
    list_filter = ["status", "kind", "year", "consent_public"]
    search_fields = ["number", "title", "member__name"]
    list_select_related = ["member", "union"]
    readonly_fields = ["number", "kind", "title", "problem", "proposal", "expected_benefit", "member", "co_authors",
                       "union", "town_street", "consent_public", "status", "submitted_at", "year", "reason",
                       "benefit", "benefit_measured", "award_amount", "reviewed_by", "reviewed_at", "studio_links", "review_link"]
    fields = readonly_fields
    inlines = [ProposalAttachmentInline, ProposalChangeInline]
    show_full_result_count = False

    def officer_scope(self, unions):
        return Q(union_id__in=unions)

    def town_scope(self, towns):
        return Q(town_street_id__in=towns)

    def get_queryset(self, request):
        return proposals_for_staff(request.user, super().get_queryset(request))

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("计入创新工作室"))
    def studio_links(self, obj):
        if obj is None or not obj.pk:
            return "—"
        from django.utils.html import format_html_join

        studios = obj.studios.only("id", "name").order_by("name")
        return format_html_join("、", '<a href="{}">{}</a>', (
            (reverse("admin:innovation_studio_change", args=[s.pk]), s.name) for s in studios)) or "—"

    @admin.display(description=_("评审"))
    def review_link(self, obj):
        if obj is None or not obj.pk:
            return "—"
        return format_html('<a class="button" href="{}">{}</a>',
                           reverse("admin:competitions_proposal_review", args=[obj.pk]), _("评审/变更"))

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/review/", view(self.review_view), name="competitions_proposal_review"),
            *super().get_urls(),
        ]

    def review_view(self, request, pk):
        proposal = self.get_queryset(request).filter(pk=pk).first()
        if proposal is None:
            raise Http404
        moves = PROPOSAL_FLOW.moves_for(proposal, proposal.status, request.user)
        if not moves:
            raise PermissionDenied
        form = ProposalReviewForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                proposal_transition(proposal=proposal, target=data["decision"], actor=request.user,
                                    reason=data["reason"], benefit=data["benefit"],
                                    benefit_measured=data["benefit_measured"], award_amount=data["award_amount"])
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("评审结果已保存并通知作者。"))
                return redirect("admin:competitions_proposal_change", proposal.pk)
        if request.method == "POST" and request.POST.get("reopen") and any(
                m.target == Proposal.Status.SUBMITTED for m in moves):
            try:
                proposal_transition(proposal=proposal, target=Proposal.Status.SUBMITTED, actor=request.user)
            except DomainError as error:
                messages.error(request, error.message)
            return redirect("admin:competitions_proposal_change", proposal.pk)
        context = {
            **self.admin_site.each_context(request), "opts": self.model._meta, "original": proposal,
            "title": _("评审：%(title)s") % {"title": proposal.title}, "form": form,
            "may_decide": proposal.status == Proposal.Status.SUBMITTED,
            "may_reopen": any(m.target == Proposal.Status.SUBMITTED for m in moves),
        }
        return TemplateResponse(request, "competitions/admin/proposal_review.html", context)
