from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from apps.core.admin import ReadOnlyAdminMixin

from .models import AgencyPoint, AgencyPointStaff, Employer, GrassrootsUnion, TownStreet, UnionOfficer
from .selectors import agency_town_ids, officer_union_ids


class OfficerScopedAdmin(SimpleHistoryAdmin):
    """History-keeping admin whose rows a scoped login sees only within its scope: a grassroots
    officer its own union(s), an agency point its own town(s)/street(s).

    Subclasses say how a row belongs to unions in `officer_scope(unions)` and to towns in
    `town_scope(towns)` (each a Q; a model that does not say how it belongs to a town is
    invisible to agency points). For everyone else (federation staff, superuser) the queryset is
    not narrowed: their model permissions decide. An object outside the scope answers 404 in
    every object view (change, delete, history, historical version), as if it did not exist.
    """

    def officer_scope(self, unions: list[int]) -> Q:
        raise NotImplementedError("say how a row belongs to a union")

    def town_scope(self, towns: list[int]) -> Q:
        return Q(pk__in=[])

    def scoped_unions(self, request) -> list[int] | None:
        """The officer's unions, or None when the login is not limited to any."""
        if request.user.is_superuser:
            return None
        return officer_union_ids(request.user) or None

    def scope(self, request) -> Q | None:
        """The filter of a scoped login, None for unscoped staff."""
        if request.user.is_superuser:
            return None
        unions, towns = self.scoped_unions(request) or [], agency_town_ids(request.user)
        if not unions and not towns:
            return None
        q = Q(pk__in=[])
        if unions:
            q |= self.officer_scope(unions)
        if towns:
            q |= self.town_scope(towns)
        return q

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        q = self.scope(request)
        return queryset if q is None else queryset.filter(q)

    def object_in_scope(self, request, obj) -> bool:
        if obj is None or self.scope(request) is None:
            return True
        return self.get_queryset(request).filter(pk=obj.pk).exists()

    def check_object_scope(self, request, object_id) -> None:
        if object_id is None or self.scope(request) is None:
            return
        try:
            found = self.get_queryset(request).filter(pk=unquote(object_id)).exists()
        except (ValueError, ValidationError):
            found = False
        if not found:
            raise Http404

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self.object_in_scope(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self.object_in_scope(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self.object_in_scope(request, obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        self.check_object_scope(request, object_id)
        return super().change_view(request, object_id, form_url, extra_context)

    def delete_view(self, request, object_id, extra_context=None):
        self.check_object_scope(request, object_id)
        return super().delete_view(request, object_id, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        self.check_object_scope(request, object_id)
        if not hasattr(self.model._meta, "simple_history_manager_attribute"):
            # a model without HistoricalRecords: Django's own log of admin changes
            return admin.ModelAdmin.history_view(self, request, object_id, extra_context)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self.check_object_scope(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)


@admin.register(TownStreet)
class TownStreetAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The 14 towns and streets: reference data from a migration, never edited here."""

    list_display = ["name", "kind", "code", "sort_order"]
    list_filter = ["kind"]
    search_fields = ["name", "code"]
    show_full_result_count = False


class UnionOfficerInline(admin.TabularInline):
    model = UnionOfficer
    extra = 0
    autocomplete_fields = ["user"]
    fields = ["user", "title", "is_active"]
    verbose_name = _("工会干部")
    verbose_name_plural = _("工会干部（可登录后台管理本会会员）")


class HasUnionFilter(admin.SimpleListFilter):
    title = _("是否建会")
    parameter_name = "has_union"

    def lookups(self, request, model_admin):
        return [("yes", _("已建会")), ("no", _("未建会"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(union__isnull=False)
        if self.value() == "no":
            return queryset.filter(union__isnull=True)
        return queryset


@admin.register(GrassrootsUnion)
class GrassrootsUnionAdmin(OfficerScopedAdmin):
    list_display = ["name", "kind", "town_street", "chair_name", "member_count", "is_catch_all", "is_active"]
    list_filter = ["kind", "town_street", "is_catch_all", "is_active"]
    search_fields = ["name", "chair_name"]
    search_help_text = _("按工会名称或工会主席搜索")
    list_select_related = ["town_street"]
    show_full_result_count = False
    inlines = [UnionOfficerInline]
    fieldsets = [
        (None, {"fields": ["name", "kind", "town_street", "is_catch_all", "is_active"]}),
        (_("联系信息"), {"fields": ["chair_name", "contact_phone", "founded_on"]}),
    ]

    def officer_scope(self, unions):
        return Q(pk__in=unions)

    def get_queryset(self, request):
        from apps.members.models import Member

        # One correlated count per listed union (members_union_status_idx), never a GROUP BY
        # over every member of the city.
        active = (
            Member.objects.filter(union=OuterRef("pk"), status=Member.Status.ACTIVE)
            .order_by().values("union").annotate(n=Count("pk")).values("n")
        )
        return super().get_queryset(request).annotate(member_count=Coalesce(Subquery(active), 0))

    @admin.display(description=_("在册会员"), ordering="member_count")
    def member_count(self, obj):
        return obj.member_count


@admin.register(Employer)
class EmployerAdmin(OfficerScopedAdmin):
    list_display = ["name", "kind", "credit_code", "town_street", "union"]
    list_filter = ["kind", "town_street", HasUnionFilter]
    search_fields = ["name", "credit_code"]
    search_help_text = _("按单位名称或统一社会信用代码搜索")
    list_select_related = ["town_street", "union"]
    show_full_result_count = False
    autocomplete_fields = ["union"]

    def officer_scope(self, unions):
        # A town's catch-all union looks after the workers of that town's employers without
        # a union of their own.
        towns = GrassrootsUnion.objects.filter(pk__in=unions, is_catch_all=True).values("town_street_id")
        return Q(union_id__in=unions) | Q(union__isnull=True, town_street_id__in=towns)


@admin.register(UnionOfficer)
class UnionOfficerAdmin(SimpleHistoryAdmin):
    list_display = ["user", "union", "title", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["user__username", "user__first_name", "union__name"]
    list_select_related = ["user", "union"]
    show_full_result_count = False
    autocomplete_fields = ["user", "union"]


class AgencyPointStaffInline(admin.TabularInline):
    model = AgencyPointStaff
    extra = 0
    autocomplete_fields = ["user"]
    fields = ["user", "is_active"]
    verbose_name_plural = _("工作人员（可登录后台办理本镇街会员事务）")


@admin.register(AgencyPoint)
class AgencyPointAdmin(SimpleHistoryAdmin):
    list_display = ["name", "town_street", "phone", "is_active"]
    list_filter = ["town_street", "is_active"]
    list_select_related = ["town_street"]
    search_fields = ["name"]
    inlines = [AgencyPointStaffInline]
    show_full_result_count = False
