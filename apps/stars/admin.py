from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms.models import BaseInlineFormSet
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from apps.core.errors import DomainError
from apps.core.evidence import EvidenceAdminMixin

from . import services
from .models import (
    Criterion,
    Evaluation,
    EvaluationEvidence,
    EvaluationScore,
    EvaluationStatus,
    EvaluationStatusChange,
    Rubric,
    StarRating,
    Threshold,
)

S = EvaluationStatus


@admin.register(StarRating)
class StarRatingAdmin(SimpleHistoryAdmin):
    list_display = ["union", "year", "level", "is_demonstration", "decided_on", "withdrawn_on", "town_street"]
    list_filter = ["year", "level", "is_demonstration", "union__town_street"]
    search_fields = ["union__name"]
    list_select_related = ["union__town_street"]
    show_full_result_count = False
    autocomplete_fields = ["union"]
    fields = ["union", "year", "level", "is_demonstration", "decided_on", "note"]

    @admin.display(description=_("所在镇街"), ordering="union__town_street__sort_order")
    def town_street(self, obj):
        return obj.union.town_street


# ----------------------------------------------------------------------------- rubric

class FrozenWhenInUse:
    """Inlines of a rubric an evaluation uses are read-only: make a new version instead."""

    def _frozen(self, obj):
        return obj is not None and obj.pk and obj.is_in_use

    def has_add_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_delete_permission(request, obj)


class CriterionInline(FrozenWhenInUse, admin.TabularInline):
    model = Criterion
    extra = 0
    fields = ["sort_order", "dimension", "title", "max_score", "evidence_expected", "is_veto"]


class ThresholdFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        bands = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE") or data.get("level") is None:
                continue
            if data.get("min_score") is None or data.get("max_score") is None:
                continue
            bands.append(services.Band(data["level"], data["min_score"], data["max_score"]))
        try:
            services.thresholds_check(bands)
        except DomainError as error:
            raise ValidationError(error.message) from None


class ThresholdInline(FrozenWhenInUse, admin.TabularInline):
    model = Threshold
    formset = ThresholdFormSet
    extra = 0
    max_num = 5
    fields = ["level", "min_score", "max_score"]


@admin.register(Rubric)
class RubricAdmin(SimpleHistoryAdmin):
    list_display = ["title", "year", "version", "deadline", "valid_years", "criteria_count"]
    list_filter = ["year"]
    inlines = [CriterionInline, ThresholdInline]
    actions = ["copy_to_next_year", "copy_as_new_version"]
    fields = ["title", "year", "version", "deadline", "valid_years"]

    def get_queryset(self, request):
        from django.db.models import Count

        return super().get_queryset(request).annotate(n_criteria=Count("criteria"))

    @admin.display(description=_("细则数"))
    def criteria_count(self, obj):
        return obj.n_criteria

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.is_in_use:
            return ["year", "version"]
        return []

    @admin.action(description=_("复制为下一年度的评定标准"), permissions=["add"])
    def copy_to_next_year(self, request, queryset):
        for rubric in queryset:
            copy = services.rubric_copy(rubric=rubric, year=rubric.year + 1, actor=request.user)
            self.message_user(request, _("已复制为 %(copy)s。") % {"copy": copy})

    @admin.action(description=_("复制为同一年度的新版本（修改已使用的标准）"), permissions=["add"])
    def copy_as_new_version(self, request, queryset):
        for rubric in queryset:
            copy = services.rubric_copy(rubric=rubric, year=rubric.year, actor=request.user)
            self.message_user(request, _("已复制为 %(copy)s。") % {"copy": copy})


# ----------------------------------------------------------------------------- evaluation

class ReviewScoreForm(forms.ModelForm):
    class Meta:
        model = EvaluationScore
        fields = ["review_score", "review_comment", "veto_triggered"]
        widgets = {"review_comment": forms.Textarea(attrs={"rows": 2, "cols": 30})}

    def clean_review_score(self):
        value = self.cleaned_data.get("review_score")
        criterion = self.instance.criterion
        if value is not None and (value < 0 or value > criterion.max_score):
            raise ValidationError(
                _("“%(title)s”的分数应在 0 到 %(max)s 之间。") % {"title": criterion.title, "max": criterion.max_score}
            )
        return value


class ScoreInline(admin.TabularInline):
    model = EvaluationScore
    form = ReviewScoreForm
    extra = 0
    can_delete = False
    fields = ["criterion_text", "self_score", "explanation", "self_veto", "evidence_links", "review_score",
              "review_comment", "veto_triggered"]
    readonly_fields = ["criterion_text", "self_score", "explanation", "self_veto", "evidence_links"]
    verbose_name_plural = _("逐项评审（左侧为自评）")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("criterion").prefetch_related("evidence")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return (obj is not None and obj.status == S.SUBMITTED
                and request.user.has_perm("stars.review_evaluation"))

    @admin.display(description=_("评定细则"))
    def criterion_text(self, obj):
        c = obj.criterion
        veto = _("（一票否决项）") if c.is_veto else ""
        return format_html("<strong>{}</strong>{}<br>{} · {} {}<br><small>{}</small>", c.title, veto,
                           c.get_dimension_display(), _("满分"), c.max_score, c.evidence_expected)

    @admin.display(description=_("佐证材料"))
    def evidence_links(self, obj):
        items = [e for e in obj.evidence.all()]
        if not items:
            return "—"
        return format_html_join(
            # bandit: a constant separator
            mark_safe("<br>"), '<a href="{}" target="_blank" rel="noopener">{}</a>{}',  # nosec B308
            ((reverse("stars:evidence", args=[e.pk]), e.original_name,
              _("（已撤回）") if e.withdrawn_at else "") for e in items),
        )


class StatusChangeInline(admin.TabularInline):
    model = EvaluationStatusChange
    extra = 0
    can_delete = False
    fields = ["at", "from_status", "to_status", "level_before", "level_after", "actor", "note"]
    readonly_fields = fields
    verbose_name_plural = _("办理记录")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


DECISIONS = [
    ("", _("只保存")),
    (S.REVIEWED, _("评审完成（按分数线和否决项定级）")),
    (S.RETURNED, _("退回修改（须填原因）")),
    (S.PUBLISHED, _("公布结果（已评审的）/ 降星（已公布的，须填原因和新星级）")),
    (S.WITHDRAWN, _("摘星（须填原因）")),
]


class EvaluationForm(forms.ModelForm):
    decision = forms.ChoiceField(label=_("办理"), choices=DECISIONS, required=False)
    decision_reason = forms.CharField(label=_("原因"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                                      help_text=_("退回、降星、摘星时必填；将通知工会"))
    new_level = forms.TypedChoiceField(label=_("降为星级"), required=False, coerce=int, empty_value=None,
                                       choices=[("", "—"), *StarRating.Level.choices])

    class Meta:
        model = Evaluation
        fields = ["review_comment", "site_visit_on", "site_visit_note", "is_demonstration",
                  "demonstration_decided_on"]


@admin.register(Evaluation)
class EvaluationAdmin(SimpleHistoryAdmin):
    form = EvaluationForm
    list_display = ["union", "year", "status", "self_total", "review_total", "level", "is_demonstration",
                    "town_street"]
    list_filter = ["year", "status", "level", "is_demonstration", "union__town_street"]
    search_fields = ["union__name"]
    list_select_related = ["union__town_street"]
    show_full_result_count = False
    inlines = [ScoreInline, StatusChangeInline]
    actions = ["publish_selected"]
    readonly_fields = ["union", "year", "rubric", "status", "self_total", "review_total", "vetoed", "level",
                       "submitted_at", "returned_reason", "reviewed_by", "reviewed_at", "published_at",
                       "valid_until_year", "withdrawn_reason"]
    fieldsets = [
        (None, {"fields": ["union", "year", "rubric", "status", "submitted_at", "self_total", "returned_reason"]}),
        (_("评审"), {"fields": ["review_comment", "site_visit_on", "site_visit_note", "review_total", "vetoed",
                               "level", "reviewed_by", "reviewed_at"]}),
        (_("公布与命名"), {"fields": ["is_demonstration", "demonstration_decided_on", "published_at",
                                   "valid_until_year", "withdrawn_reason"]}),
        (_("办理"), {"fields": ["decision", "decision_reason", "new_level"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is None or obj.status != S.REVIEWED:  # designated between review and publication only
            fields += ["is_demonstration", "demonstration_decided_on"]
        if obj is None or obj.status not in (S.SUBMITTED, S.REVIEWED):
            fields += ["review_comment", "site_visit_on", "site_visit_note"]
        return fields

    def has_add_permission(self, request):
        return False  # evaluations are opened by the union's officer on /stars/assess/

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("所在镇街"), ordering="union__town_street__sort_order")
    def town_street(self, obj):
        return obj.union.town_street

    def save_model(self, request, obj, form, change):
        request._stars_savepoint = transaction.savepoint()  # a refused decision undoes the whole save
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        target = form.cleaned_data.get("decision")
        if not target:
            return
        try:
            services.evaluation_transition(
                evaluation=form.instance, target=target, actor=request.user,
                reason=form.cleaned_data.get("decision_reason", ""), level=form.cleaned_data.get("new_level"),
            )
        except DomainError as error:
            transaction.savepoint_rollback(request._stars_savepoint)  # nothing of this save stays
            self.message_user(request, error.message, messages.ERROR)
            request._stars_refused = True
        else:
            self.message_user(request, _("已办理：%(status)s。") % {"status": S(target).label})

    def response_change(self, request, obj):
        if getattr(request, "_stars_refused", False):
            from django.http import HttpResponseRedirect

            return HttpResponseRedirect(request.path)
        return super().response_change(request, obj)

    def message_user(self, request, message, level=messages.INFO, *args, **kwargs):
        if getattr(request, "_stars_refused", False) and level != messages.ERROR:
            return None
        return super().message_user(request, message, level, *args, **kwargs)

    @admin.action(description=_("公布所选的已评审结果"), permissions=["publish"])
    def publish_selected(self, request, queryset):
        done = 0
        for evaluation in queryset.select_related("union"):
            try:
                services.evaluation_transition(evaluation=evaluation, target=S.PUBLISHED, actor=request.user)
            except DomainError as error:
                self.message_user(request, f"{evaluation.union}：{error.message}", messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(request, _("已公布 %(n)d 个评定结果。") % {"n": done})

    def has_publish_permission(self, request):
        return request.user.has_perm("stars.publish_evaluation")


@admin.register(EvaluationEvidence)
class EvaluationEvidenceAdmin(EvidenceAdminMixin, admin.ModelAdmin):
    list_display = ["original_name", "score", "kind", "uploaded_at", "evidence_state"]
    list_select_related = ["score__criterion"]
    readonly_fields = ["score", "kind", "content_type", "original_name", "uploaded_at", "uploaded_by",
                       "withdrawn_at", "withdrawn_by", "withdrawn_reason", "file"]
    fields = readonly_fields

    def has_add_permission(self, request):
        return False
