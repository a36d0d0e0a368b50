from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import StarRating


@admin.register(StarRating)
class StarRatingAdmin(SimpleHistoryAdmin):
    list_display = ["union", "year", "level", "is_demonstration", "decided_on", "town_street"]
    list_filter = ["year", "level", "is_demonstration", "union__town_street"]
    search_fields = ["union__name"]
    list_select_related = ["union__town_street"]
    show_full_result_count = False
    autocomplete_fields = ["union"]
    fields = ["union", "year", "level", "is_demonstration", "decided_on", "note"]

    @admin.display(description=_("所在镇街"), ordering="union__town_street__sort_order")
    def town_street(self, obj):
        return obj.union.town_street
