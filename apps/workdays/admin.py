from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .calendar import overrides_changed
from .models import CalendarDay


@admin.register(CalendarDay)
class CalendarDayAdmin(SimpleHistoryAdmin):
    list_display = ["date", "is_workday", "note"]
    list_filter = ["is_workday"]
    date_hierarchy = "date"
    search_fields = ["note"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        overrides_changed()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        overrides_changed()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        overrides_changed()
