from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from import_export.admin import ExportMixin

from .imports import FileRefused, TableImport, count_rows
from .models import ExportJob, ExportLog, ImportJob
from .services import export_log_write, import_job_start

IMPORT_MAX_BYTES = 20 * 1024 * 1024


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


class OwnerOnlyAdminMixin:
    """For a staff login's own background jobs: any staff login opens the list, sees its own rows only."""

    def get_queryset(self, request):
        return super().get_queryset(request).filter(owner=request.user)

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request) and (obj is None or obj.owner_id == request.user.pk)


@admin.register(ExportJob)
class ExportJobAdmin(OwnerOnlyAdminMixin, admin.ModelAdmin):
    """Every staff login sees and downloads only the exports it asked for."""

    list_display = ["title", "status", "row_count", "created_at", "finished_at", "download"]
    list_filter = ["status"]
    show_full_result_count = False

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


@admin.register(ExportLog)
class ExportLogAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Who exported personal data: read by staff with `core.view_exportlog`, edited by nobody."""

    list_display = ["at", "user", "what", "file_format", "row_count", "filters"]
    list_filter = ["what", "file_format"]
    list_select_related = ["user"]
    search_fields = ["user__username", "what"]
    show_full_result_count = False

    def lookup_allowed(self, lookup, value, request=None):
        # only the list filters: a hand-typed `at__year=99999999999` would reach the database
        return lookup in ("what", "what__exact", "file_format", "file_format__exact")


@admin.register(ImportJob)
class ImportJobAdmin(OwnerOnlyAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """Every staff login sees only the imports it started, with a link to the report."""

    list_display = ["title", "filename", "status", "created_at", "finished_at", "report_link"]
    list_filter = ["status"]
    show_full_result_count = False
    fields = ["title", "filename", "status", "created_at", "finished_at"]

    @admin.display(description=_("结果"))
    def report_link(self, obj):
        return format_html('<a href="{}">{}</a>', reverse("core:import_job", args=[obj.pk]), _("查看"))


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("文件"), help_text=_("Excel（.xlsx）或 CSV（UTF-8 或 GBK），表头上方可以有标题行。"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )
    dry_run = forms.BooleanField(label=_("只检查，不导入"), required=False)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > IMPORT_MAX_BYTES:
            raise forms.ValidationError(_("文件超过 20 MB，请拆分后分批导入。"))
        return upload


class TableImportAdminMixin:
    """Adds an import page (`<app>_<model>_import`) and its template download to a ModelAdmin.

    Set `importer_class` (a TableImport subclass, built with `user=request.user`). Small files
    are checked and written in the request; files above `importer_class.background_rows` rows
    go to a background job with a progress bar. Either way all rows or none.
    """

    importer_class: type[TableImport]
    table_import_template = "admin/core/table_import.html"

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path("import/", self.admin_site.admin_view(self.table_import_view), name="%s_%s_import" % info),
            path("import/template/", self.admin_site.admin_view(self.table_import_template_view),
                 name="%s_%s_import_template" % info),
        ] + super().get_urls()

    def has_import_permission(self, request):
        return self.has_add_permission(request) and self.has_change_permission(request)

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "has_import_permission": self.has_import_permission(request)}
        return super().changelist_view(request, extra_context)

    def importer_path(self) -> str:
        return f"{self.importer_class.__module__}.{self.importer_class.__qualname__}"

    def table_import_template_view(self, request):
        if not self.has_import_permission(request):
            raise PermissionDenied
        importer = self.importer_class(user=request.user)
        response = HttpResponse(
            importer.template_xlsx(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        from urllib.parse import quote

        name = f"{importer.title}-{_('模板')}.xlsx"
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
        return response

    def table_import_view(self, request):
        if not self.has_import_permission(request):
            raise PermissionDenied
        importer = self.importer_class(user=request.user)
        form = ImportUploadForm(request.POST or None, request.FILES or None)
        report = None
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            data = upload.read()
            dry_run = form.cleaned_data["dry_run"]
            try:
                rows = count_rows(data, upload.name)
            except FileRefused as exc:
                form.add_error("file", str(exc))
            else:
                if rows > importer.background_rows + 10:
                    job = import_job_start(
                        owner=request.user, importer=self.importer_path(), title=str(importer.title),
                        data=data, filename=upload.name, dry_run=dry_run,
                    )
                    return redirect("core:import_job", pk=job.pk)
                report = importer.run(data, filename=upload.name, dry_run=dry_run)
                if report.ok and not dry_run:
                    self.message_user(request, _("已导入：新增 %(created)d 条，更新 %(updated)d 条。") % {
                        "created": report.created, "updated": report.updated,
                    }, messages.SUCCESS)
                    return redirect(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts, "title": importer.title, "form": form, "report": report,
            "columns": importer.columns, "max_rows": importer.max_rows,
            "background_rows": importer.background_rows,
            "template_url": reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_import_template"),
        }
        return TemplateResponse(request, self.table_import_template, context)


class LoggedExportMixin(ExportMixin):
    """django-import-export's export, with each download written to the export log."""

    def get_data_for_export(self, request, queryset, **kwargs):
        data = super().get_data_for_export(request, queryset, **kwargs)
        self._exported_rows = len(data)
        return data

    def _do_file_export(self, file_format, request, queryset, export_form=None):
        response = super()._do_file_export(file_format, request, queryset, export_form=export_form)
        filters = {k: v for k, v in request.GET.lists() if k not in ("_changelist_filters",)}
        if export_form is not None and hasattr(export_form, "cleaned_data"):
            filters["_columns"] = [
                k for k, v in export_form.cleaned_data.items() if v is True
            ]
        export_log_write(
            user=request.user, what=str(self.opts.verbose_name_plural),
            source=f"admin:{self.opts.app_label}.{self.opts.model_name}", filters=filters,
            row_count=getattr(self, "_exported_rows", None), file_format=file_format.get_extension(),
        )
        return response
