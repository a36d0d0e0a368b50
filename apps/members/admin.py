import re

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from import_export.formats.base_formats import XLSX
from import_export.forms import SelectableFieldsExportForm

from apps.core.admin import ExportFiltersCheckedMixin, LoggedExportMixin, TableImportAdminMixin
from apps.core.history import MaskedHistoryMixin
from apps.core.masking import mask_birth_date, sees_full_document
from apps.core.paging import EstimatedCountPaginator
from apps.core.services import export_job_start
from apps.core.timeline import Viewer, member_timeline
from apps.core.uploads import photo_check
from apps.core.validators import normalise_document_number, normalise_phone
from apps.orgs.admin import OfficerScopedAdmin
from apps.orgs.models import GrassrootsUnion
from apps.orgs.selectors import officer_union_ids

from .access import member_queryset_for_staff
from .exports import ALLOWED_FILTERS
from .models import DocumentType, Member
from .resources import MemberImport, MemberResource
from .services import member_admit, member_card_reissue, member_photo_set

RESIDENT_ID_LIKE = re.compile(r"^(\d{17}[\dX]|\d{15})$")
PHONE_LIKE = re.compile(r"^1\d{10}$")
MEMBERSHIP_NUMBER_LIKE = re.compile(r"^YW\d{4,}$")
PASSPORT_LIKE = re.compile(r"^(?=.*\d)[A-Z0-9]{5,20}$")
SENSITIVE_FIELDS = {"document_number", "phone"}


class UnionFilter(admin.SimpleListFilter):
    """Filter by union without listing the city's thousands of unions: officers get links to
    their own union(s); everyone else types (part of) a union's name."""

    title = _("所属工会")
    parameter_name = "union"
    template = "admin/members/union_filter.html"

    def lookups(self, request, model_admin):
        unions = [] if request.user.is_superuser else officer_union_ids(request.user)
        if unions:
            return [(str(u.pk), u.name) for u in GrassrootsUnion.objects.filter(pk__in=unions)]
        value = self.value()
        if value and value.isdigit():
            union = GrassrootsUnion.objects.filter(pk=int(value)).only("name").first()
            if union is not None:
                return [(value, union.name)]
        return []

    def has_output(self):
        return True

    def choices(self, changelist):
        self.hidden_params = [
            (key, value)
            for key, values in changelist.params.items()
            if key not in (self.parameter_name, "p")
            for value in (values if isinstance(values, list) else [values])
        ]
        value = self.value() or ""
        self.typed_value = "" if value.isdigit() else value
        yield from super().choices(changelist)

    def queryset(self, request, queryset):
        value = (self.value() or "").strip()
        if not value:
            return queryset
        if value.isdigit():
            return queryset.filter(union_id=int(value))
        # The matching unions first, so the planner knows which (and how many) unions it filters by.
        unions = list(GrassrootsUnion.objects.filter(name__contains=value).values_list("pk", flat=True)[:501])
        if len(unions) > 500:
            return queryset.filter(union__name__contains=value)
        return queryset.filter(union_id__in=unions)


STALE_EDIT_MESSAGE = _("该会员资料在您打开本页后已被修改（例如合并重复记录或会员本人更新），为免覆盖新资料，本次未保存。请重新打开本页核对后再修改。")


class MemberAdminForm(forms.ModelForm):
    photo_upload = forms.FileField(
        label=_("上传照片"), required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )

    # The record's version (updated_at) when the page was opened: a save from a page opened
    # before someone else's change (a merge, the member's own edit) is refused, not written over it.
    loaded_version = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Member
        exclude = ["photo", "photo_thumbnail"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["photo_upload"].help_text = _("JPEG、PNG 或 WebP，不超过 %(mb)d MB；保存后自动生成缩略图。") % {
            "mb": settings.PHOTO_MAX_BYTES // (1024 * 1024)
        }
        if self.instance.pk and self.instance.updated_at:
            self.fields["loaded_version"].initial = self.instance.updated_at.isoformat()

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            # Locked until the admin's transaction ends, so a merge either waits for this save
            # or has already changed the version this page was opened with.
            current = Member.objects.select_for_update().filter(pk=self.instance.pk).values_list("updated_at", flat=True).first()
            if current is None or cleaned.get("loaded_version") != current.isoformat():
                raise forms.ValidationError(STALE_EDIT_MESSAGE, code="stale")
        return cleaned

    def clean_photo_upload(self):
        upload = self.cleaned_data.get("photo_upload")
        if upload:
            photo_check(upload)  # header only: raises ValidationError with the Chinese reason
            upload.seek(0)
        return upload


class ChineseExportForm(SelectableFieldsExportForm):
    """The export page's column checkboxes, labelled by the Chinese column headers."""

    def _get_field_label(self, resource, field_name):
        field = resource.fields.get(field_name)
        return str(field.column_name) if field else field_name


@admin.register(Member)
class MemberAdmin(ExportFiltersCheckedMixin, TableImportAdminMixin, LoggedExportMixin, MaskedHistoryMixin, OfficerScopedAdmin):
    form = MemberAdminForm
    resource_classes = [MemberResource]
    importer_class = MemberImport
    export_formats = [XLSX]
    export_form_class = ChineseExportForm
    list_filter = ["town_street", "status", UnionFilter]
    list_select_related = ["union", "town_street"]
    list_per_page = 25  # a page is looked through, not read: staff search a million members
    show_full_result_count = False
    paginator = EstimatedCountPaginator  # no COUNT(*) over every member on each page
    show_facets = admin.ShowFacets.NEVER  # per-option counts over every member: too dear
    search_fields = ["name"]  # shows the box; get_search_results decides what a query means
    search_help_text = _("输入姓名、会员号、完整身份证号（精确）或手机号（精确）")
    autocomplete_fields = ["union", "employer"]
    actions = ["reissue_card"]
    ordering = ["-id"]
    change_list_template = "admin/members/member/change_list.html"
    change_form_template = "admin/members/member/change_form.html"

    # ---- background export (the whole selection, however large) --------------------------
    def get_urls(self):
        extra = [
            path(
                "export-background/",
                self.admin_site.admin_view(self.export_background_view),
                name="members_member_export_background",
            )
        ]
        return extra + super().get_urls()

    def export_background_view(self, request):
        """Start a background export of the changelist's current filters (owner's scope)."""
        if request.method != "POST" or not self.has_export_permission(request):
            raise PermissionDenied
        filters = {key: request.GET[key] for key in ALLOWED_FILTERS if request.GET.get(key)}
        export_job_start(
            owner=request.user, exporter="apps.members.exports.MemberExporter",
            title=str(_("会员名单")), params=filters,
        )
        self.message_user(request, _("已开始在后台生成会员名单，完成后可在“后台导出”中下载。"), messages.SUCCESS)
        return redirect("admin:core_exportjob_changelist")

    # ---- scope --------------------------------------------------------------------------
    def officer_scope(self, unions):
        return Q(union_id__in=unions)

    def town_scope(self, towns):
        return Q(town_street_id__in=towns)

    def get_queryset(self, request):
        queryset = super(OfficerScopedAdmin, self).get_queryset(request)
        return member_queryset_for_staff(request.user, queryset)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        unions = self.scoped_unions(request)
        if db_field.name == "union" and unions is not None:
            # An officer can only keep a member in, or add one to, their own union(s).
            kwargs["queryset"] = GrassrootsUnion.objects.filter(pk__in=unions)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    # ---- list ---------------------------------------------------------------------------
    def get_list_display(self, request):
        if sees_full_document(request.user):
            identity = ["document_number", "phone"]
        else:
            identity = ["masked_document_display", "masked_phone_display"]
        return [
            "name", "gender", *identity, "union", "town_street", "membership_number", "status", "joined_on",
        ]

    # bandit: a constant, no data
    @admin.display(description=mark_safe('<input type="checkbox" id="action-toggle">'))  # nosec B308
    def action_checkbox(self, obj):
        """The row's checkbox, written directly: Django renders a widget template for each of the
        50 rows, a fifth of the page's time."""
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            helpers.ACTION_CHECKBOX_NAME, obj.pk, format_html(gettext("Select this object for an action - {}"), obj),
        )

    @admin.display(description=_("证件号码"))
    def masked_document_display(self, obj):
        return obj.masked_document

    @admin.display(description=_("手机号码"))
    def masked_phone_display(self, obj):
        return obj.masked_phone

    def get_search_results(self, request, queryset, search_term):
        """Exact matches on indexed columns for numbers; a name prefix for anything else."""
        term = search_term.strip()
        if not term:
            return queryset, False
        compact = normalise_document_number(term)
        if RESIDENT_ID_LIKE.match(compact):
            types = [DocumentType.RESIDENT_ID, DocumentType.HMT_PERMIT]
            return queryset.filter(document_type__in=types, document_number=compact), False
        phone = normalise_phone(term)
        if PHONE_LIKE.match(phone):
            return queryset.filter(phone=phone), False
        if MEMBERSHIP_NUMBER_LIKE.match(compact):
            return queryset.filter(membership_number=compact), False
        if PASSPORT_LIKE.match(compact):
            types = [DocumentType.PASSPORT, DocumentType.FOREIGN_PR]
            return queryset.filter(document_type__in=types, document_number=compact), False
        return queryset.filter(name__startswith=term), False

    # ---- form ---------------------------------------------------------------------------
    def get_fieldsets(self, request, obj=None):
        masked = obj is not None and not sees_full_document(request.user)
        identity = (
            ["masked_document_display", "masked_phone_display", "birth_year_display"]
            if masked else ["document_type", "document_number", "phone", "birth_date"]
        )
        return [
            (_("基本信息"), {"fields": ["name", "gender", *identity, "photo_preview", "photo_upload"]}),
            (_("会籍"), {"fields": [
                "union", "employer", "town_street", "job", "address", "membership_number", "joined_on",
                "status", "card_serial",
            ]}),
            (_("账号"), {"fields": ["user", "phone_verified_at", "created_at", "updated_at",
                                   *(["loaded_version"] if obj is not None else [])]}),
        ]

    def get_readonly_fields(self, request, obj=None):
        fields = ["membership_number", "card_serial", "user", "phone_verified_at", "created_at", "updated_at",
                  "photo_preview"]
        if obj is not None and not sees_full_document(request.user):
            fields += ["masked_document_display", "masked_phone_display", "birth_year_display"]
        return fields

    @admin.display(description=_("出生年份"))
    def birth_year_display(self, obj):
        # The birth date with a masked ID number would give the number back: the year only.
        return mask_birth_date(obj.birth_date) or "—"

    @admin.display(description=_("照片"))
    def photo_preview(self, obj):
        if obj is None or not obj.pk or not obj.photo_thumbnail:
            return _("（未上传）")
        url = reverse("members:photo", kwargs={"pk": obj.pk, "size": "thumb"})
        return format_html('<img src="{}" alt="{}" class="member-photo-thumb" width="120">', url, obj.name)

    def save_model(self, request, obj, form, change):
        # The admin runs this inside the change view's transaction: the membership number is
        # issued gaplessly, and a refused photo below undoes nothing because it was checked
        # in the form already.
        if change:
            # Only the fields this page changed: anything else on the row stays as it is now.
            names = {f.name for f in Member._meta.concrete_fields if f.editable}
            fields = [name for name in form.changed_data if name in names]
            if {"document_number", "document_type"} & set(fields):
                fields.append("birth_date")  # Member.save() derives it from a resident ID
            if fields:
                obj.save(update_fields=[*dict.fromkeys(fields), "updated_at"])
        else:
            member_admit(member=obj)
        upload = form.cleaned_data.get("photo_upload")
        if upload:
            member_photo_set(member=obj, upload=upload)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk:
            # The member's history across every service; links only to what this login may open.
            context["member_timeline"] = member_timeline(obj, Viewer.staff(request))
        return super().render_change_form(request, context, add=add, change=change, form_url=form_url, obj=obj)

    # ---- actions ------------------------------------------------------------------------
    @admin.action(description=_("补发会员证（旧二维码作废）"), permissions=["change"])
    def reissue_card(self, request, queryset):
        count = member_card_reissue(members=queryset, by=request.user)
        self.message_user(
            request,
            ngettext("已为 %(count)d 名会员补发会员证，旧二维码已作废。",
                     "已为 %(count)d 名会员补发会员证，旧二维码已作废。", count) % {"count": count},
            messages.SUCCESS,
        )

    # ---- import / export ----------------------------------------------------------------
    def get_resource_kwargs(self, request, *args, **kwargs):
        return {"user": request.user}

    def has_export_permission(self, request):
        return self.has_view_permission(request)
