from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Avg, Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from apps.core.errors import DomainError
from apps.core.evidence import EvidenceAdminMixin
from yiwu_union.routers import replica_view

from . import services
from .access import nomination_files_for_staff, nominations_for_staff
from .exports import NominationExporter, ProgrammeNumbersExporter
from .forms import HonourEntryAdminForm, ReasonForm
from .models import (
    AwardProgramme,
    HonourEntry,
    Nomination,
    NominationFile,
    NominationStatus,
    NominationStatusChange,
    PanelScore,
    ProgrammeQuota,
)
from .selectors import programme_numbers
from .workflows import DECIDE, NOMINATION_FLOW, REVIEW


class HonourEntryInline(admin.TabularInline):
    """The programme's entries at a glance; each is edited on its own page (photo, deeds)."""

    model = HonourEntry
    fields = ["sort_order", "name", "employer", "union", "town_street", "is_published"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True
    verbose_name_plural = _("荣誉榜条目（点“修改”编辑）")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("employer", "union", "town_street")

    def has_add_permission(self, request, obj=None):
        return False


class ProgrammeQuotaInline(admin.TabularInline):
    model = ProgrammeQuota
    extra = 0
    fields = ["union", "town_street", "places"]
    autocomplete_fields = ["union"]
    verbose_name_plural = _("单独设定的推荐名额（每行一个基层工会或一个镇街）")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("union", "town_street")


@admin.register(AwardProgramme)
class AwardProgrammeAdmin(SimpleHistoryAdmin):
    list_display = ["title", "kind", "year", "opens_on", "closes_on", "quota", "is_published"]
    list_filter = ["kind", "year", "is_published"]
    search_fields = ["title"]
    show_full_result_count = False
    inlines = [ProgrammeQuotaInline, HonourEntryInline]
    fieldsets = [
        (None, {"fields": ["kind", "year", "title", "description", "is_published"]}),
        (_("推荐"), {"fields": ["opens_on", "closes_on", "quota", "union_places", "criteria", "required_documents",
                              "deeds_min_length"]}),
        (_("评审与公示"), {"fields": ["notice_workdays", "repeat_years"]}),
    ]
    actions = ["publish_notice"]

    @admin.action(description=_("发布入围名单公示"), permissions=["review"])
    def publish_notice(self, request, queryset):
        for programme in queryset:
            try:
                notice = services.programme_notice_publish(programme=programme, actor=request.user)
            except DomainError as error:
                self.message_user(request, f"{programme.title}：{error}", messages.ERROR)
            else:
                self.message_user(
                    request, _("%(title)s：公示已发布，至 %(ends)s 结束。") % {
                        "title": programme.title, "ends": notice.ends_on.strftime("%Y-%m-%d")},
                    messages.SUCCESS,
                )

    def has_review_permission(self, request):
        return request.user.has_perm(REVIEW)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/numbers/", view(self.numbers_view), name="awards_awardprogramme_numbers"),
            *super().get_urls(),
        ]

    @replica_view  # the year's figures may lag the primary by a second
    def numbers_view(self, request, pk):
        """Per programme: nominations by union and by town/street, shortlisted, decided, objections."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        programme = AwardProgramme.objects.filter(pk=pk).first()
        if programme is None:
            raise Http404
        if request.GET.get("export") == "xlsx":
            return ProgrammeNumbersExporter(programme=programme).response("xlsx")
        context = {
            **self.admin_site.each_context(request), "opts": self.model._meta, "original": programme,
            "title": _("%(title)s：统计") % {"title": programme.title}, "numbers": programme_numbers(programme),
        }
        return TemplateResponse(request, "awards/admin/programme_numbers.html", context)


@admin.register(HonourEntry)
class HonourEntryAdmin(SimpleHistoryAdmin):
    form = HonourEntryAdminForm
    list_display = ["name", "programme", "organisation", "town_street", "has_photo", "is_published", "sort_order"]
    list_display_links = ["name"]
    list_editable = ["is_published", "sort_order"]
    list_filter = ["programme__kind", "programme__year", "town_street", "is_published"]
    search_fields = ["name", "employer__name", "union__name"]
    search_help_text = _("按名称/姓名、单位名称或工会名称搜索")
    list_select_related = ["programme", "employer", "union", "town_street"]
    show_full_result_count = False
    autocomplete_fields = ["employer", "union"]
    readonly_fields = ["photo_preview"]
    fieldsets = [
        (None, {"fields": ["programme", "name", "employer", "union", "town_street"]}),
        (_("公开内容"), {"fields": ["deeds", "photo_preview", "photo_upload", "photo_remove"]}),
        (_("发布"), {"fields": ["is_published", "sort_order"]}),
    ]

    @admin.display(description=_("单位/工会"))
    def organisation(self, obj):
        return obj.employer or obj.union or "—"

    @admin.display(description=_("照片"), boolean=True)
    def has_photo(self, obj):
        return bool(obj.photo)

    @admin.display(description=_("当前照片"))
    def photo_preview(self, obj):
        if not obj or not obj.photo_thumbnail:
            return _("无")
        url = reverse("awards:photo", kwargs={"pk": obj.pk, "size": "thumb"})
        return format_html('<img src="{}" alt="" width="120">', url)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        upload = form.cleaned_data.get("photo_upload")
        if upload:
            services.honour_entry_photo_set(entry=obj, upload=upload)
        elif form.cleaned_data.get("photo_remove") and obj.photo:
            services.honour_entry_photo_remove(entry=obj)


# --- The selection process ----------------------------------------------------------------

class PanelScoreInline(admin.TabularInline):
    model = PanelScore
    extra = 1
    fields = ["juror", "score", "in_favour", "recorded_by", "recorded_at"]
    readonly_fields = ["recorded_by", "recorded_at"]
    verbose_name_plural = _("评审打分与投票")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("recorded_by")


class NominationFileInline(EvidenceAdminMixin, admin.TabularInline):
    model = NominationFile
    extra = 0
    fields = readonly_fields = ["opened", "kind", "uploaded_at", "uploaded_by", "evidence_state", "withdrawn_by",
                                "withdrawn_at", "withdraw_link"]
    verbose_name_plural = _("推荐材料")

    @admin.display(description=_("撤回"))
    def withdraw_link(self, obj):
        if obj.pk is None or obj.is_withdrawn:
            return "—"
        url = reverse("admin:awards_nomination_file_withdraw", kwargs={"pk": obj.nomination_id, "file_pk": obj.pk})
        return format_html('<a href="{}">{}</a>', url, _("撤回…"))

    @admin.display(description=_("文件"))
    def opened(self, obj):
        url = reverse("admin:awards_nomination_file", kwargs={"pk": obj.nomination_id, "file_pk": obj.pk})
        return format_html('<a href="{}" target="_blank" rel="noopener">{}</a>', url, obj.original_name)

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("uploaded_by", "withdrawn_by")


class NominationStatusChangeInline(admin.TabularInline):
    model = NominationStatusChange
    extra = 0
    can_delete = False
    fields = readonly_fields = ["at", "from_status", "to_status", "actor", "note"]
    verbose_name_plural = _("状态变更记录")

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")


class RecentlyAwardedFilter(admin.SimpleListFilter):
    title = _("近年已获同一荣誉")
    parameter_name = "flagged"

    def lookups(self, request, model_admin):
        return [("1", _("是"))]

    def queryset(self, request, queryset):
        return queryset.filter(recently_awarded=True) if self.value() == "1" else queryset


@admin.register(Nomination)
class NominationAdmin(admin.ModelAdmin):
    """Staff review: shortlist, panel scores and votes, decide. Every move goes through
    `services.nomination_transition`; nominations themselves come from the portal."""

    list_display = ["nominee", "programme", "status", "union", "town_street", "flag", "avg_score_shown",
                    "votes_for", "submitted_at"]
    list_filter = ["status", "programme__kind", "programme__year", RecentlyAwardedFilter, "channel", "town_street"]
    search_fields = ["member__name", "team_name", "union__name"]
    list_select_related = ["programme", "member", "union", "town_street"]
    show_full_result_count = False
    inlines = [PanelScoreInline, NominationFileInline, NominationStatusChangeInline]
    readonly_fields = [
        "programme", "status", "channel", "union", "town_street", "member", "team_name", "team_employer",
        "team_size", "team_leader", "deeds", "photo_preview", "nominated_by", "submitted_at", "recently_awarded",
        "decided_at", "decision_note", "entry",
    ]
    fields = readonly_fields
    actions = ["shortlist", "award", "export_xlsx"]

    def get_queryset(self, request):
        return nominations_for_staff(request.user, super().get_queryset(request)).annotate(
            avg_score=Avg("scores__score"), votes_for=Count("scores", filter=Q(scores__in_favour=True)),
        )

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("被推荐对象"), ordering="id")
    def nominee(self, obj):
        return obj.nominee_name

    @admin.display(description=_("近年已获"), boolean=True, ordering="recently_awarded")
    def flag(self, obj):
        return obj.recently_awarded

    @admin.display(description=_("平均分"), ordering="avg_score")
    def avg_score_shown(self, obj):
        return "—" if obj.avg_score is None else f"{obj.avg_score:.2f}"

    @admin.display(description=_("赞成票"))
    def votes_for(self, obj):
        return obj.votes_for

    @admin.display(description=_("照片"))
    def photo_preview(self, obj):
        if not obj or not obj.photo_thumbnail:
            return _("无")
        url = reverse("admin:awards_nomination_photo", kwargs={"pk": obj.pk})
        return format_html('<img src="{}" alt="" width="120">', url)

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for instance in instances:
            if isinstance(instance, PanelScore) and instance.recorded_by_id is None:
                instance.recorded_by = request.user
            instance.save()
        formset.save_m2m()

    def _move(self, request, queryset, target, reason=""):
        done = 0
        for nomination in queryset:
            try:
                services.nomination_transition(nomination=nomination, target=target, actor=request.user,
                                               reason=reason)
                done += 1
            except DomainError as error:
                self.message_user(request, f"{nomination.nominee_name}：{error}", messages.ERROR)
        if done:
            self.message_user(request, _("已处理 %(n)d 条。") % {"n": done}, messages.SUCCESS)

    @admin.action(description=_("入围"), permissions=["review"])
    def shortlist(self, request, queryset):
        self._move(request, queryset, NominationStatus.SHORTLISTED)

    @admin.action(description=_("授予荣誉（公示期满且异议均已答复）"), permissions=["decide"])
    def award(self, request, queryset):
        self._move(request, queryset, NominationStatus.AWARDED)

    @admin.action(description=_("导出所选（Excel）"))
    def export_xlsx(self, request, queryset):
        return NominationExporter(queryset=queryset.select_related("team_employer", "member__employer")).response()

    def has_review_permission(self, request):
        return request.user.has_perm(REVIEW)

    def has_decide_permission(self, request):
        return request.user.has_perm(DECIDE)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/move/<str:target>/", view(self.move_view), name="awards_nomination_move"),
            path("<int:pk>/photo.jpg", view(self.photo_view), name="awards_nomination_photo"),
            path("<int:pk>/files/<int:file_pk>/", view(self.file_view), name="awards_nomination_file"),
            path("<int:pk>/files/<int:file_pk>/withdraw/", view(self.file_withdraw_view),
                 name="awards_nomination_file_withdraw"),
            *super().get_urls(),
        ]

    def _object_or_404(self, request, pk):
        nomination = self.get_queryset(request).filter(pk=pk).first()
        if nomination is None:
            raise Http404
        return nomination

    def photo_view(self, request, pk):
        nomination = self._object_or_404(request, pk)
        if not nomination.photo_thumbnail:
            raise Http404
        response = FileResponse(nomination.photo_thumbnail.open("rb"), content_type="image/jpeg")
        response["Cache-Control"] = "private, no-store"
        return response

    def file_view(self, request, pk, file_pk):
        """A supporting file, to staff who may see the nomination."""
        nomination = self._object_or_404(request, pk)
        evidence = nomination_files_for_staff(request.user, nomination.files.all()).filter(pk=file_pk).first()
        if evidence is None:
            raise Http404
        response = FileResponse(evidence.file.open("rb"), content_type=evidence.content_type)
        response["Cache-Control"] = "private, no-store"
        response["X-Content-Type-Options"] = "nosniff"
        return response

    def file_withdraw_view(self, request, pk, file_pk):
        """Withdraw a wrong supporting file with a reason; it stays on record (who, when, why)."""
        nomination = self._object_or_404(request, pk)
        if not (self.has_review_permission(request) or self.has_decide_permission(request)):
            raise PermissionDenied
        evidence = nomination_files_for_staff(request.user, nomination.files.filter(withdrawn_at__isnull=True)).filter(
            pk=file_pk).first()
        if evidence is None:
            raise Http404
        form = ReasonForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            try:
                services.nomination_file_withdraw(nomination=nomination, evidence=evidence, actor=request.user,
                                                  reason=form.cleaned_data["reason"], as_staff=True)
            except DomainError as error:
                self.message_user(request, str(error), messages.ERROR)
            else:
                self.message_user(request, _("材料“%(name)s”已撤回（留档备查）。") % {"name": evidence.original_name},
                                  messages.SUCCESS)
            return redirect("admin:awards_nomination_change", nomination.pk)
        context = {
            **self.admin_site.each_context(request), "opts": self.model._meta, "original": nomination,
            "title": _("撤回材料：%(name)s") % {"name": evidence.original_name}, "form": form,
        }
        return TemplateResponse(request, "awards/admin/nomination_move.html", context)

    def move_view(self, request, pk, target):
        """A move that needs a reason (未入围, 未授予), or any move from the change page's buttons."""
        nomination = self._object_or_404(request, pk)
        if target not in NominationStatus.values:
            raise Http404
        form = ReasonForm(request.POST if request.method == "POST" else None)
        needs_reason = target in (NominationStatus.REJECTED, NominationStatus.NOT_AWARDED)
        if not needs_reason:
            form.fields["reason"].required = False
        if request.method == "POST" and form.is_valid():
            try:
                services.nomination_transition(nomination=nomination, target=target, actor=request.user,
                                               reason=form.cleaned_data.get("reason", ""))
            except DomainError as error:
                self.message_user(request, str(error), messages.ERROR)
            else:
                self.message_user(request, _("已更新为“%(s)s”。") % {"s": NominationStatus(target).label},
                                  messages.SUCCESS)
            return redirect("admin:awards_nomination_change", nomination.pk)
        context = {
            **self.admin_site.each_context(request), "opts": self.model._meta, "original": nomination,
            "title": _("%(name)s：%(target)s") % {"name": nomination.nominee_name,
                                                 "target": NominationStatus(target).label},
            "form": form, "target": target,
        }
        return TemplateResponse(request, "awards/admin/nomination_move.html", context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        nomination = self.get_queryset(request).filter(pk=object_id).first() if str(object_id).isdigit() else None
        if nomination is not None:
            extra_context["moves"] = [
                (m.target, NominationStatus(m.target).label)
                for m in NOMINATION_FLOW.moves_for(nomination, nomination.status, request.user)
            ]
        return super().change_view(request, object_id, form_url, extra_context)
