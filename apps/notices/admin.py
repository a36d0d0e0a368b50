from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from apps.accounts import roles
from apps.core.errors import DomainError

from .models import NoticeItem, NoticeKind, Objection, ObjectionStatus, PublicNotice
from .selectors import notices_with_open_objections
from .services import objection_answer

# Which department answers the objections of each kind of notice.
KIND_GROUPS = {
    NoticeKind.AID: {roles.AID},
    NoticeKind.AWARD: {roles.ECONOMIC, roles.ORGANISATION},
    NoticeKind.STAR: {roles.ORGANISATION},
    NoticeKind.INNOVATION: {roles.ECONOMIC},
    NoticeKind.OTHER: {roles.ORGANISATION},
}


def kinds_for(user) -> list[str] | None:
    """The kinds of notice a staff login works on, None for all (superuser, leadership)."""
    if user.is_superuser or roles.user_in_group(user, roles.LEADERSHIP):
        return None
    return [kind for kind, groups in KIND_GROUPS.items() if any(roles.user_in_group(user, g) for g in groups)]


class ByKindAdmin:
    kind_path = "kind"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        kinds = kinds_for(request.user)
        return queryset if kinds is None else queryset.filter(**{f"{self.kind_path}__in": kinds})


class NoticeItemInline(admin.TabularInline):
    model = NoticeItem
    extra = 0
    can_delete = False
    fields = readonly_fields = ["display_name", "organisation", "summary", "amount", "ref"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(PublicNotice)
class PublicNoticeAdmin(ByKindAdmin, SimpleHistoryAdmin):
    """Notices are published by the apps' services; here staff follow them and their objections."""

    list_display = ["title", "kind", "starts_on", "ends_on", "status", "open_objections"]
    list_filter = ["kind", "status"]
    search_fields = ["title"]
    show_full_result_count = False
    inlines = [NoticeItemInline]
    readonly_fields = ["kind", "source", "workdays", "starts_on", "ends_on", "status", "published_by", "published_at"]
    fields = ["title", "body", *readonly_fields, "withdrawn_reason"]

    def get_queryset(self, request):
        return notices_with_open_objections(super().get_queryset(request))

    @admin.display(description=_("待答复异议"), ordering="open_objections")
    def open_objections(self, obj):
        return obj.open_objections

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ObjectionAnswerForm(forms.ModelForm):
    class Meta:
        model = Objection
        fields = ["answer", "upheld"]

    def clean_answer(self):
        answer = self.cleaned_data.get("answer", "")
        if not answer.strip():
            raise forms.ValidationError(_("请填写对异议的答复。"))
        return answer


@admin.register(Objection)
class ObjectionAdmin(ByKindAdmin, SimpleHistoryAdmin):
    kind_path = "notice__kind"
    list_display = ["notice", "item", "submitted_at", "status", "answered_by", "answered_at"]
    list_filter = ["status", "notice__kind"]
    list_select_related = ["notice", "item", "answered_by"]
    search_fields = ["notice__title"]
    show_full_result_count = False
    form = ObjectionAnswerForm
    readonly_fields = ["notice", "item", "content", "contact", "submitted_at", "status", "answered_by", "answered_at"]

    def get_fields(self, request, obj=None):
        return [*self.readonly_fields, "answer", "upheld"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.status == ObjectionStatus.ANSWERED:
            return [*self.readonly_fields, "answer", "upheld"]
        return self.readonly_fields

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        try:
            objection_answer(
                objection=obj, actor=request.user, answer=form.cleaned_data["answer"],
                upheld=form.cleaned_data.get("upheld", False),
            )
        except DomainError as exc:
            messages.error(request, exc.message)
