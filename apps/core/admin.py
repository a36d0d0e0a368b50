from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import ExportJob


class ExportFiltersCheckedMixin:
    """For django-import-export admins: an export page opened with filters that are not the
    changelist's (a hand-edited URL, ?year=0) goes back to the changelist with Django's own
    "?e=1" notice, instead of a 500, and never exports an unfiltered list by mistake."""

    def export_action(self, request):
        try:
            return super().export_action(request)
        except IncorrectLookupParameters:
            messages.error(request, _("导出条件无效，请在列表中重新筛选后再导出。"))
            opts = self.model._meta
            return HttpResponseRedirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist") + "?e=1")


class ReadOnlyAdminMixin:
    """For records nobody edits by hand (logs, reference data, computed lists): view only."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False



@admin.register(ExportJob)
class ExportJobAdmin(admin.ModelAdmin):
    """Every staff login sees and downloads only the exports it asked for."""

    list_display = ["title", "status", "row_count", "created_at", "finished_at", "download"]
    list_filter = ["status"]
    show_full_result_count = False

    def get_queryset(self, request):
        return super().get_queryset(request).filter(owner=request.user)

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request) and (obj is None or obj.owner_id == request.user.pk)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return self.has_view_permission(request, obj)

    @admin.display(description=_("下载"))
    def download(self, obj):
        if obj.status != ExportJob.Status.DONE:
            return obj.error or "—"
        return format_html('<a href="{}">{}</a>', reverse("core:export_download", args=[obj.pk]), _("下载"))
