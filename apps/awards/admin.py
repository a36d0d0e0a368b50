from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from . import services
from .forms import HonourEntryAdminForm
from .models import AwardProgramme, HonourEntry


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


@admin.register(AwardProgramme)
class AwardProgrammeAdmin(SimpleHistoryAdmin):
    list_display = ["title", "kind", "year", "opens_on", "closes_on", "quota", "is_published"]
    list_filter = ["kind", "year", "is_published"]
    search_fields = ["title"]
    show_full_result_count = False
    inlines = [HonourEntryInline]
    fieldsets = [
        (None, {"fields": ["kind", "year", "title", "description", "is_published"]}),
        (_("推荐"), {"fields": ["opens_on", "closes_on", "quota"]}),
    ]


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
