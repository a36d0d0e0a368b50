"""Staff screens of the innovation space. Every action calls the same services as the pages."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Avg, Q
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from apps.core.errors import DomainError
from apps.core.evidence import EvidenceAdminMixin

from . import selectors
from .exports import ApplicationExporter, ResidencyExporter
from .forms import ReviewForm
from .models import (
    Application,
    ApplicationStatusChange,
    BusinessPlan,
    Call,
    Criterion,
    Industry,
    Place,
    ProgressReport,
    Residency,
    Review,
    Reviewer,
    Space,
    Status,
    Studio,
    StudioRecognition,
    TeamMember,
)
from .services import (
    application_transition,
    call_admissions_notice_publish,
    residency_end,
    residency_start,
    review_assign,
    review_submit,
)
from .workflows import APPLICATION_FLOW


@admin.register(Industry)
class IndustryAdmin(admin.ModelAdmin):
    list_display = ["name", "is_strategic", "sort_order", "is_active"]
    list_editable = ["sort_order", "is_active"]
    search_fields = ["name"]


class PlaceInline(admin.TabularInline):
    model = Place
    extra = 0


@admin.register(Space)
class SpaceAdmin(admin.ModelAdmin):
    list_display = ["name", "address"]
    search_fields = ["name", "address"]
    inlines = [PlaceInline]


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin):
    list_display = ["name", "space", "kind", "capacity", "is_active"]
    list_filter = ["space", "kind", "is_active"]
    list_select_related = ["space"]
    search_fields = ["name", "space__name"]


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0


class ReviewerInline(admin.TabularInline):
    model = Reviewer
    extra = 0
    raw_id_fields = ["user", "employer"]


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    list_display = ["title", "space", "opens_on", "closes_on", "places_offered"]
    list_select_related = ["space"]
    search_fields = ["title"]
    filter_horizontal = ["industries"]
    inlines = [CriterionInline, ReviewerInline]
    actions = ["assign_reviews", "publish_admissions_notice"]
    change_form_template = "innovation/admin/call_change_form.html"

    def change_view(self, request, object_id, form_url="", extra_context=None):
        call = self.get_object(request, object_id)
        extra_context = dict(extra_context or {})
        if call is not None:
            user = request.user
            on_panel = call.reviewers.filter(user=user).exists()
            extra_context["ranking_hidden"] = on_panel or not user.has_perm("innovation.view_all_scores")
            extra_context["ranking"] = [] if extra_context["ranking_hidden"] else list(selectors.call_ranking(call))
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.action(description=_lazy("为评审中的申请分配评审专家（同单位回避）"))
    def assign_reviews(self, request, queryset):
        made = sum(review_assign(call=call) for call in queryset)
        self.message_user(request, _("已分配 %(n)d 份评分表。") % {"n": made})

    @admin.action(description=_lazy("发布入驻名单公示（负责人姓名遮蔽）"), permissions=["decide"])
    def publish_admissions_notice(self, request, queryset):
        for call in queryset:
            try:
                notice = call_admissions_notice_publish(call=call, actor=request.user)
            except DomainError as error:
                self.message_user(request, f"{call.title}：{error}", messages.ERROR)
            else:
                self.message_user(request, _("%(call)s：公示已发布，至 %(ends)s 结束。") % {
                    "call": call.title, "ends": f"{notice.ends_on:%Y-%m-%d}"}, messages.SUCCESS)

    def has_decide_permission(self, request):
        return request.user.has_perm("innovation.decide_application")


class TeamInline(admin.TabularInline):
    model = TeamMember
    extra = 0
    fields = ["name", "role", "member", "is_lead"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class PlanInline(EvidenceAdminMixin, admin.TabularInline):
    model = BusinessPlan
    extra = 0
    fields = ["original_name", "kind", "uploaded_at", "evidence_state"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class ChangeInline(admin.TabularInline):
    model = ApplicationStatusChange
    extra = 0
    fields = ["at", "from_status", "to_status", "actor", "note"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class ReviewInline(admin.TabularInline):
    model = Review
    extra = 0
    fields = ["reviewer", "total", "comment", "submitted_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


MOVE_LABELS = {
    Status.SUBMITTED: _lazy("提交"), Status.RETURNED: _lazy("退回修改"), Status.REVIEWING: _lazy("进入评审"),
    Status.ADMITTED: _lazy("准予入驻"), Status.REJECTED: _lazy("未入选"),
}


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ["project_name", "lead", "call", "industry", "stage", "status", "submitted_at"]
    list_filter = ["status", "stage", "call", "industry"]
    list_select_related = ["lead", "call", "industry"]
    search_fields = ["project_name", "lead__name"]
    show_full_result_count = False
    readonly_fields = ["call", "lead", "employer", "project_name", "industry", "stage", "summary", "needs_desk",
                       "needs_mentor", "needs_funding_advice", "publish_consent", "public_summary", "status",
                       "return_reason", "submitted_at"]
    actions = ["start_review", "admit", "reject", "export_xlsx"]
    change_form_template = "innovation/admin/application_change_form.html"

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_inlines(self, request, obj):
        inlines = [TeamInline, PlanInline, ChangeInline]
        if obj is not None and selectors.scores_visible(request.user, obj):
            inlines.append(ReviewInline)
        return inlines

    def get_list_display(self, request):
        shown = list(self.list_display)
        if request.user.has_perm("innovation.view_all_scores") and not Reviewer.objects.filter(
                user=request.user).exists():
            shown.append("mean_score")
        return shown

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(
            _mean=Avg("reviews__total", filter=Q(reviews__submitted_at__isnull=False)))

    @admin.display(description=_lazy("平均分"), ordering="_mean")
    def mean_score(self, obj):
        return f"{obj._mean:.1f}" if obj._mean is not None else "—"

    def get_urls(self):
        return [path("<int:pk>/move/", self.admin_site.admin_view(self.move_view), name="innovation_application_move"),
                *super().get_urls()]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        extra_context = dict(extra_context or {})
        if obj is not None:
            extra_context["moves"] = [
                (m.target, MOVE_LABELS[m.target], "reason" in m.requires)
                for m in APPLICATION_FLOW.moves_for(obj, obj.status, request.user)
            ]
        return super().change_view(request, object_id, form_url, extra_context)

    def move_view(self, request, pk):
        if request.method != "POST":
            raise Http404
        application = self.get_object(request, str(pk))
        if application is None:
            raise Http404
        if not self.has_change_permission(request, application):
            raise PermissionDenied
        target = request.POST.get("target", "")
        if target not in Status.values:
            messages.error(request, _("未知的操作。"))
        else:
            self._move(request, application, target, request.POST.get("reason", ""))
        return redirect(reverse("admin:innovation_application_change", args=[application.pk]))

    def _move(self, request, application, target, reason=""):
        try:
            application_transition(application=application, target=target, actor=request.user, reason=reason)
        except DomainError as error:
            messages.error(request, f"{application.project_name}：{error.message}")
            return False
        messages.success(request, _("%(name)s：已变更为“%(status)s”。") % {
            "name": application.project_name, "status": Status(target).label})
        return True

    def _bulk(self, request, queryset, target):
        for application in queryset.order_by("pk"):
            self._move(request, application, target)

    @admin.action(description=_lazy("进入评审"), permissions=["change"])
    def start_review(self, request, queryset):
        self._bulk(request, queryset, Status.REVIEWING)

    @admin.action(description=_lazy("准予入驻（不超过名额）"), permissions=["change"])
    def admit(self, request, queryset):
        self._bulk(request, queryset, Status.ADMITTED)

    @admin.action(description=_lazy("未入选"), permissions=["change"])
    def reject(self, request, queryset):
        self._bulk(request, queryset, Status.REJECTED)

    @admin.action(description=_lazy("导出所选申请（Excel）"), permissions=["view"])
    def export_xlsx(self, request, queryset):
        return ApplicationExporter(queryset=queryset).response("xlsx", request=request)


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    """A reviewer's own score sheets only; scores entered through review_submit."""

    list_display = ["application", "call_title", "total", "submitted_at"]
    list_select_related = ["application__call", "reviewer"]
    show_full_result_count = False

    def _on_panel(self, request):
        return request.user.is_active and request.user.is_staff and Reviewer.objects.filter(
            user=request.user).exists()

    def has_module_permission(self, request):
        return self._on_panel(request)

    def has_view_permission(self, request, obj=None):
        return self._on_panel(request) and (obj is None or obj.reviewer.user_id == request.user.pk)

    def has_change_permission(self, request, obj=None):
        return self.has_view_permission(request, obj)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).filter(reviewer__user=request.user)

    @admin.display(description=_lazy("入驻征集"))
    def call_title(self, obj):
        return obj.application.call.title

    def change_view(self, request, object_id, form_url="", extra_context=None):
        review = self.get_object(request, object_id)
        if review is None:
            raise Http404
        application = review.application
        criteria = application.call.criteria.all()
        form = ReviewForm(request.POST or None, criteria=criteria)
        if request.method == "POST" and review.submitted_at is None and form.is_valid():
            try:
                review_submit(review=review, actor=request.user, scores=form.scores(),
                              comment=form.cleaned_data["comment"])
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("评分已提交。"))
                return redirect(reverse("admin:innovation_review_change", args=[review.pk]))
        review.refresh_from_db()
        others = []
        if review.submitted_at is not None:
            others = list(application.reviews.exclude(pk=review.pk).filter(submitted_at__isnull=False)
                          .select_related("reviewer__user"))
        return TemplateResponse(request, "innovation/admin/review_form.html", {
            **self.admin_site.each_context(request), "title": _("评审打分"), "review": review,
            "application": application, "form": form, "others": others,
            "conflicted": selectors.reviewer_conflicted(review.reviewer, application),
            "plans": application.plans.filter(withdrawn_at__isnull=True), "opts": self.model._meta,
            "scores": review.scores.select_related("criterion"),
        })


class ReportInline(admin.TabularInline):
    model = ProgressReport
    extra = 0
    fields = ["year", "quarter", "milestones", "revenue", "jobs_created", "patents", "filed_at", "on_time"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Residency)
class ResidencyAdmin(admin.ModelAdmin):
    list_display = ["application", "place", "starts_on", "ends_on", "mentor", "state", "overdue_flag"]
    list_filter = ["state", "place__space"]
    search_fields = ["application__project_name"]
    show_full_result_count = False
    inlines = [ReportInline]
    raw_id_fields = ["application"]
    actions = ["graduate", "withdraw", "remove", "export_xlsx"]

    def get_queryset(self, request):
        return selectors.residencies_for_admin(super().get_queryset(request))

    def get_readonly_fields(self, request, obj=None):
        return ["application", "place", "starts_on", "state", "left_on", "left_reason"] if obj else []

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_lazy("逾期未报"))
    def overdue_flag(self, obj):
        late = selectors.reports_overdue(obj)
        if not late:
            return "—"
        return format_html('<strong class="text-danger">{}</strong>',
                           "、".join(_("%(y)d年Q%(q)d") % {"y": y, "q": q} for y, q in late))

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        created = residency_start(application=obj.application, place=obj.place, starts_on=obj.starts_on,
                                  ends_on=obj.ends_on, mentor=obj.mentor, actor=request.user)
        obj.pk = created.pk

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except DomainError as error:
            messages.error(request, error.message)
            return redirect(request.get_full_path())

    def _end(self, request, queryset, state):
        for residency in queryset:
            try:
                residency_end(residency=residency, state=state, actor=request.user)
            except DomainError as error:
                messages.error(request, f"{residency}：{error.message}")
            else:
                messages.success(request, _("%(name)s：%(state)s") % {
                    "name": residency, "state": Residency.State(state).label})

    @admin.action(description=_lazy("毕业离开"), permissions=["change"])
    def graduate(self, request, queryset):
        self._end(request, queryset, Residency.State.GRADUATED)

    @admin.action(description=_lazy("主动退出"), permissions=["change"])
    def withdraw(self, request, queryset):
        self._end(request, queryset, Residency.State.WITHDRAWN)

    @admin.action(description=_lazy("清退"), permissions=["change"])
    def remove(self, request, queryset):
        self._end(request, queryset, Residency.State.REMOVED)

    @admin.action(description=_lazy("导出所选入驻团队（Excel）"), permissions=["view"])
    def export_xlsx(self, request, queryset):
        return ResidencyExporter(queryset=queryset).response("xlsx", request=request)


@admin.register(ProgressReport)
class ProgressReportAdmin(admin.ModelAdmin):
    list_display = ["residency", "year", "quarter", "revenue", "jobs_created", "patents", "filed_at", "on_time"]
    list_filter = ["year", "quarter", "on_time"]
    list_select_related = ["residency__application"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class RecognitionInline(admin.TabularInline):
    model = StudioRecognition
    extra = 0


@admin.register(Studio)
class StudioAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "leader_name", "employer", "patents", "recognised_years", "is_published"]
    list_filter = ["kind", "is_published", "recognitions__year"]
    list_select_related = ["employer"]
    search_fields = ["name", "leader_name"]
    raw_id_fields = ["honour", "employer"]
    autocomplete_fields = ["proposals"]
    inlines = [RecognitionInline]
    show_full_result_count = False

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("recognitions")

    @admin.display(description=_lazy("市级命名年度"))
    def recognised_years(self, obj):
        return "、".join(str(r.year) for r in obj.recognitions.all()) or "—"
