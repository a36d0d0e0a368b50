from django.contrib import admin, messages
from django.utils.translation import gettext as _
from simple_history.admin import SimpleHistoryAdmin

from apps.core.admin import ReadOnlyAdminMixin

from .models import CalendarDay, CalendarYear, DeadlineRecount
from .recount import deadlines_recount


def _recount(request, reason: str) -> None:
    recount = deadlines_recount(actor=request.user, reason=reason)
    total = sum(recount.moved.values())
    if total:
        messages.info(request, _("已按新的工作日历重算 %(n)d 个未办结事项的办理时限。") % {"n": total})


@admin.register(CalendarDay)
class CalendarDayAdmin(SimpleHistoryAdmin):
    """Days staff set by hand; every change recomputes the stored open deadlines it moves."""

    list_display = ["date", "is_workday", "note"]
    list_filter = ["is_workday"]
    date_hierarchy = "date"
    search_fields = ["note"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        _recount(request, _("%(date)s 设为%(kind)s") % {"date": f"{obj.date:%Y-%m-%d}",
                                                        "kind": _("工作日") if obj.is_workday else _("休息日")})

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        _recount(request, _("删除 %(date)s 的调整") % {"date": f"{obj.date:%Y-%m-%d}"})

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        _recount(request, _("删除多条调整"))


@admin.register(CalendarYear)
class CalendarYearAdmin(SimpleHistoryAdmin):
    """“This year's schedule is entered in full”: deadlines in it stop being provisional."""

    list_display = ["year", "source", "confirmed_by", "confirmed_at"]
    readonly_fields = ["confirmed_by", "confirmed_at"]

    def save_model(self, request, obj, form, change):
        if obj.confirmed_by_id is None:
            obj.confirmed_by = request.user
        super().save_model(request, obj, form, change)
        _recount(request, _("确认 %(year)d 年全年工作日历") % {"year": obj.year})

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        _recount(request, _("撤销 %(year)d 年全年工作日历确认") % {"year": obj.year})


@admin.register(DeadlineRecount)
class DeadlineRecountAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["at", "actor", "reason", "moved"]
    list_select_related = ["actor"]
    show_full_result_count = False
