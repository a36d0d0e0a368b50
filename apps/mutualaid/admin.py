"""Staff screens of mutual aid: the office (互助保障办公室) keeps schemes and decides claims;
grassroots officers enrol their own union's members; agency points (镇街代办点) enter and check
claims of their own town/street only. Every state change calls the same service as the
member's pages."""

from urllib.parse import quote

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.errors import DomainError
from apps.core.evidence import EvidenceAdminMixin, evidence_withdraw
from apps.core.imports import FileRefused, count_rows
from apps.core.services import import_job_start
from apps.members.models import Member
from apps.orgs.admin import OfficerScopedAdmin
from apps.orgs.models import AgencyPoint
from apps.orgs.selectors import agency_town_ids, in_scope

from .access import claims_for_staff, enrolments_for_staff, receipts_for_staff, staff_may_see_claims
from .exports import ClaimExporter, EnrolmentExporter, PayoutBankExporter
from .forms import BatchPayForm, ClaimForm, ClaimMoveForm, EnrolmentImportForm, SchemeAdminForm, SchemeVersionForm
from .imports import EnrolmentImport
from .models import (
    BenefitTier,
    BenefitType,
    Channel,
    Claim,
    ClaimReceipt,
    ClaimStatusChange,
    ContributionPayment,
    Enrolment,
    FixedBenefit,
    PayoutBatch,
    Scheme,
    Status,
)
from .services import (
    CLAIM_FLOW,
    claim_preview,
    claim_submit,
    claim_transition,
    contribution_record,
    enrolment_create,
    payout_batch_create,
    payout_batch_pay,
    scheme_assert_editable,
    scheme_copy,
    scheme_for_enrolment,
    scheme_version_create,
)

# --- schemes -----------------------------------------------------------------------------------


class LockedRulesMixin:
    """Inlines of a scheme's rules: read only once the scheme is in use."""

    def _locked(self, obj) -> bool:
        scheme = obj if isinstance(obj, Scheme) else getattr(obj, "scheme", None)
        return scheme is not None and scheme.pk is not None and scheme.is_locked

    def has_add_permission(self, request, obj=None):
        return not self._locked(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not self._locked(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._locked(obj) and super().has_delete_permission(request, obj)


class BenefitTypeInline(LockedRulesMixin, admin.TabularInline):
    model = BenefitType
    extra = 0
    fields = ["code", "name", "kind", "deductible", "yearly_cap", "women_only", "sort_order", "rules_link"]
    readonly_fields = ["rules_link"]
    show_change_link = True

    @admin.display(description=gettext_lazy("分段/定额标准"))
    def rules_link(self, obj):
        if obj.pk is None:
            return "—"
        return format_html('<a href="{}">{}</a>', reverse("admin:mutualaid_benefittype_change", args=[obj.pk]),
                           _("编辑"))


@admin.register(Scheme)
class SchemeAdmin(admin.ModelAdmin):
    form = SchemeAdminForm
    list_display = ["name", "year", "version", "effective_from", "contribution", "cover_start", "cover_end",
                    "waiting_days", "overall_cap", "is_active"]
    list_filter = ["year", "is_active"]
    inlines = [BenefitTypeInline]
    actions = ["copy_to_next_year"]
    show_full_result_count = False
    change_form_template = "mutualaid/admin/scheme_change_form.html"

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.is_locked:
            return [*SchemeAdminForm.Meta.fields, "version"]
        return ["version"]

    def has_delete_permission(self, request, obj=None):
        return (obj is None or not obj.is_locked) and super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        if change:
            scheme_assert_editable(Scheme.objects.get(pk=obj.pk))
        super().save_model(request, obj, form, change)

    def get_urls(self):
        return [
            path("<int:pk>/version/", self.admin_site.admin_view(self.version_view), name="mutualaid_scheme_version"),
            *super().get_urls(),
        ]

    def version_view(self, request, pk):
        scheme = Scheme.objects.filter(pk=pk).first()
        if scheme is None:
            raise Http404
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = SchemeVersionForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                new = scheme_version_create(source=scheme, effective_from=form.cleaned_data["effective_from"])
            except DomainError as exc:
                form.add_error(None, str(exc))
            else:
                self.message_user(request, _("已建立新版本：%(name)s") % {"name": new}, messages.SUCCESS)
                return redirect("admin:mutualaid_scheme_change", new.pk)
        return TemplateResponse(request, "mutualaid/admin/simple_form.html", {
            **self.admin_site.each_context(request), "title": _("为“%(name)s”建立更正版本") % {"name": scheme},
            "form": form, "opts": self.model._meta,
        })

    @admin.action(description=gettext_lazy("复制为下一年度计划"), permissions=["add"])
    def copy_to_next_year(self, request, queryset):
        for scheme in queryset.order_by("year", "-version"):
            try:
                new = scheme_copy(source=scheme, year=scheme.year + 1)
            except DomainError as exc:
                self.message_user(request, str(exc), messages.ERROR)
            else:
                self.message_user(request, _("已复制：%(name)s") % {"name": new}, messages.SUCCESS)


class BenefitTierInline(LockedRulesMixin, admin.TabularInline):
    model = BenefitTier
    extra = 0
    fields = ["upper_bound", "ratio"]


class FixedBenefitInline(LockedRulesMixin, admin.TabularInline):
    model = FixedBenefit
    extra = 0
    fields = ["name", "amount", "sort_order"]


@admin.register(BenefitType)
class BenefitTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "scheme", "code", "kind", "deductible", "yearly_cap"]
    list_filter = ["scheme__year", "kind"]
    list_select_related = ["scheme"]
    inlines = [BenefitTierInline, FixedBenefitInline]
    show_full_result_count = False

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.scheme.is_locked:
            return ["scheme", "code", "name", "kind", "deductible", "yearly_cap", "women_only", "sort_order"]
        return []

    def has_delete_permission(self, request, obj=None):
        return (obj is None or not obj.scheme.is_locked) and super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        scheme_assert_editable(obj.scheme)
        super().save_model(request, obj, form, change)


# --- enrolment ---------------------------------------------------------------------------------


class EnrolmentAddForm(forms.ModelForm):
    class Meta:
        model = Enrolment
        fields = ["member", "year"]


@admin.register(Enrolment)
class EnrolmentAdmin(OfficerScopedAdmin):
    list_display = ["member_name", "year", "union", "town_street", "contribution", "enrolled_on", "is_renewal",
                    "covered_from"]
    list_filter = ["year", "is_renewal", "town_street"]
    list_select_related = ["member", "union", "town_street"]
    search_fields = ["=member__document_number", "member__name"]
    autocomplete_fields = ["member"]
    show_full_result_count = False
    list_per_page = 50
    ordering = ["-id"]  # the primary key's index: quick at a year's volume
    actions = ["export_xlsx"]
    change_list_template = "mutualaid/admin/enrolment_change_list.html"

    def officer_scope(self, unions):
        return Q(union_id__in=unions)

    def town_scope(self, towns):
        return Q(town_street_id__in=towns)

    def get_queryset(self, request):
        return enrolments_for_staff(request.user, super().get_queryset(request))

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = EnrolmentAddForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["member", "year"]
        return ["member", "year", "scheme", "union", "town_street", "contribution", "enrolled_on", "is_renewal",
                "covered_from", "enrolled_by"]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.get_fields(request, obj)

    def has_delete_permission(self, request, obj=None):
        # An enrolment is withdrawn only while nothing was claimed on it (office staff).
        return super().has_delete_permission(request, obj) and (obj is None or not obj.claims.exists())

    def save_model(self, request, obj, form, change):
        if change:
            return
        created = enrolment_create(member=obj.member, year=obj.year, actor=request.user)
        obj.pk = created.pk

    def save_related(self, request, form, formsets, change):
        return

    def add_view(self, request, form_url="", extra_context=None):
        try:
            return super().add_view(request, form_url, extra_context)
        except DomainError as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return redirect(request.get_full_path())

    @admin.display(description=gettext_lazy("会员"), ordering="member__name")
    def member_name(self, obj):
        return obj.member.name

    @admin.action(description=gettext_lazy("导出 Excel"), permissions=["view"])
    def export_xlsx(self, request, queryset):
        return EnrolmentExporter(queryset).response("xlsx")

    def get_urls(self):
        return [
            path("import/", self.admin_site.admin_view(self.import_view), name="mutualaid_enrolment_import"),
            path("import/template/", self.admin_site.admin_view(self.import_template_view),
                 name="mutualaid_enrolment_import_template"),
            *super().get_urls(),
        ]

    def import_view(self, request):
        """An officer's list of members to enrol (apps.core.imports): all rows or none, bad
        rows by Excel line and column."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = EnrolmentImportForm(request.POST or None, request.FILES or None)
        problems = []
        if request.method == "POST" and form.is_valid():
            year = form.cleaned_data["year"]
            importer = EnrolmentImport(user=request.user, year=year)
            upload = form.cleaned_data["file"]
            data = upload.read()
            try:
                scheme_for_enrolment(year)  # a year without a scheme is refused at once, however long the list
                if count_rows(data, upload.name) > importer.background_rows + 10:
                    # A long list is written by a background job with a progress bar (all rows or none).
                    job = import_job_start(owner=request.user, importer=f"{EnrolmentImport.__module__}.EnrolmentImport",
                                           title=str(importer.title), data=data, filename=upload.name,
                                           options={"year": year})
                    return redirect("core:import_job", pk=job.pk)
                report = importer.run(data, filename=upload.name)
            except (FileRefused, DomainError) as exc:  # unreadable file, no scheme, enrolled meanwhile
                problems = [str(exc)]
            else:
                if report.ok:
                    self.message_user(request, _("已为 %(count)d 名会员办理参保。") % {"count": report.created},
                                      messages.SUCCESS)
                    return redirect("admin:mutualaid_enrolment_changelist")
                problems = [str(p) for p in report.problems]
        return TemplateResponse(request, "mutualaid/admin/enrolment_import.html", {
            **self.admin_site.each_context(request), "title": _("从 Excel 名单办理参保"), "form": form,
            "problems": problems, "opts": self.model._meta, "max_rows": EnrolmentImport.max_rows,
        })

    def import_template_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        response = HttpResponse(EnrolmentImport().template_xlsx(),
                                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        name = f"{EnrolmentImport.title}-{_('模板')}.xlsx"
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
        return response


@admin.register(ContributionPayment)
class ContributionPaymentAdmin(OfficerScopedAdmin):
    list_display = ["union", "year", "amount", "paid_on", "reference", "recorded_by"]
    list_filter = ["year"]
    list_select_related = ["union", "recorded_by"]
    autocomplete_fields = ["union"]
    fields = ["union", "year", "amount", "paid_on", "reference"]
    show_full_result_count = False

    def officer_scope(self, unions):
        return Q(union_id__in=unions)

    def town_scope(self, towns):
        return Q(union__town_street_id__in=towns)

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        created = contribution_record(union=obj.union, year=obj.year, amount=obj.amount, paid_on=obj.paid_on,
                                      reference=obj.reference, actor=request.user)
        obj.pk = created.pk


# --- claims ------------------------------------------------------------------------------------


class ClaimStatusChangeInline(admin.TabularInline):
    model = ClaimStatusChange
    extra = 0
    can_delete = False
    fields = readonly_fields = ["at", "from_status", "to_status", "actor", "note"]
    verbose_name_plural = gettext_lazy("流转记录（只读）")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")


class ClaimReceiptInline(EvidenceAdminMixin, admin.TabularInline):
    model = ClaimReceipt
    extra = 0
    fields = readonly_fields = ["link", "kind", "uploaded_at", "uploaded_by", "evidence_state", "withdraw_link"]
    verbose_name_plural = gettext_lazy("票据与证明")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("uploaded_by")

    @admin.display(description=gettext_lazy("文件"))
    def link(self, obj):
        return format_html('<a href="{}" target="_blank" rel="noopener">{}</a>',
                           reverse("mutualaid:receipt", kwargs={"pk": obj.pk}), obj.original_name)

    @admin.display(description=gettext_lazy("撤回"))
    def withdraw_link(self, obj):
        if obj.pk is None or obj.is_withdrawn:
            return "—"
        return format_html('<a href="{}">{}</a>', reverse("admin:mutualaid_claimreceipt_change", args=[obj.pk]),
                           _("撤回…"))


class ClaimAddForm(ClaimForm):
    """An agency point enters a paper claim on a member's behalf, finding the member by ID
    number among those its login may see."""

    member = forms.CharField(label=gettext_lazy("会员身份证号码"), max_length=30)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["token"].required = False
        self.order_fields(["member"])

    def clean_member(self):
        import unicodedata

        from apps.core.validators import normalise_document_number
        from apps.members.access import member_queryset_for_staff

        number = normalise_document_number(unicodedata.normalize("NFKC", self.cleaned_data["member"]))
        member = member_queryset_for_staff(self.user, Member.objects.all()).filter(document_number=number).first()
        if member is None:
            raise forms.ValidationError(_("找不到这一身份证号码的会员（只能为本镇街的会员代办）。"))
        return member

    def clean(self):
        self.member = self.cleaned_data.get("member")
        return super().clean()


class StatusFilter(admin.SimpleListFilter):
    title = gettext_lazy("状态")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return Status.choices

    def queryset(self, request, queryset):
        return queryset.filter(status=self.value()) if self.value() in Status.values else queryset


class ClaimStaffOnly:
    """Claims and what hangs off them: only staff who may see claims (access.py), whatever
    permissions a group was given by mistake."""

    def has_module_permission(self, request):
        return staff_may_see_claims(request.user) and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return staff_may_see_claims(request.user) and super().has_view_permission(request, obj)

    def has_add_permission(self, request, *args):
        return staff_may_see_claims(request.user) and super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        return staff_may_see_claims(request.user) and super().has_change_permission(request, obj)


@admin.register(Claim)
class ClaimAdmin(ClaimStaffOnly, OfficerScopedAdmin):
    list_display = ["number", "member_name", "benefit", "town_street", "agency_point", "admitted_on",
                    "out_of_pocket", "status", "payable_amount", "submitted_at"]
    list_filter = [StatusFilter, "channel", "town_street", "year", "benefit__code"]
    list_select_related = ["member", "benefit", "town_street", "agency_point"]
    search_fields = ["=number"]  # shows the box; get_search_results decides what a query means
    search_help_text = gettext_lazy("输入申请编号、完整身份证号或姓名（开头）")
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    list_per_page = 50
    ordering = ["-id"]
    actions = ["check_selected", "approve_selected", "batch_selected", "export_xlsx", "export_background"]
    inlines = [ClaimStatusChangeInline, ClaimReceiptInline]
    change_form_template = "mutualaid/admin/claim_change_form.html"
    change_list_template = "mutualaid/admin/claim_change_list.html"
    readonly_fields = [
        "number", "status", "member", "channel", "benefit", "fixed_item", "scheme", "town_street", "agency_point",
        "hospital", "admitted_on", "discharged_on", "diagnosis", "total_cost", "insurance_paid", "out_of_pocket",
        "payee_bank", "payee_account", "payable_amount", "originals_checked", "return_note", "decline_reason",
        "batch", "paid_on", "payment_reference", "submitted_at", "checked_at", "decided_at", "created_by",
    ]
    fields = readonly_fields

    def officer_scope(self, unions):
        return Q(pk__in=[])  # grassroots officers do not handle claims

    def town_scope(self, towns):
        return Q(town_street_id__in=towns)

    def get_queryset(self, request):
        return claims_for_staff(request.user, super().get_queryset(request))

    def get_search_results(self, request, queryset, search_term):
        """A claim number or an ID number is looked up exactly (by index); anything else by name."""
        import re

        search_term = search_term.replace("\x00", "").strip()
        term = search_term.upper()
        if re.fullmatch(r"HZ\d{4}-\d{6}", term):
            return queryset.filter(number=term), False
        if re.fullmatch(r"\d{17}[\dX]", term):
            return queryset.filter(member__document_number=term), False
        if not term:
            return queryset, False
        return queryset.filter(member__name__startswith=search_term), False

    def has_delete_permission(self, request, obj=None):
        return False  # a claim is declined, never deleted

    @admin.display(description=gettext_lazy("会员"), ordering="member__name")
    def member_name(self, obj):
        return obj.member.name

    # -- the agency point's paper claim --

    def get_urls(self):
        return [
            path("<int:pk>/move/", self.admin_site.admin_view(self.move_view), name="mutualaid_claim_move"),
            *super().get_urls(),
        ]

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = ClaimAddForm(request.POST or None, request.FILES or None, user=request.user)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            member = data["member"]
            towns = agency_town_ids(request.user)
            point = AgencyPoint.objects.filter(town_street_id=member.town_street_id, is_active=True,
                                               staff__user=request.user).first() if towns else None
            if not in_scope(request.user, town_id=member.town_street_id):
                form.add_error("member", _("只能为本镇街的会员代办申请。"))
            else:
                try:
                    claim = claim_submit(
                        member=member, channel=Channel.AGENCY, benefit_code=data["benefit_code"],
                        fixed_item_name=data.get("fixed_item_name") or "", hospital=data["hospital"],
                        admitted_on=data["admitted_on"], discharged_on=data["discharged_on"],
                        diagnosis=data["diagnosis"], total_cost=data["total_cost"],
                        insurance_paid=data["insurance_paid"], out_of_pocket=data["out_of_pocket"],
                        payee_bank=data["payee_bank"], payee_account=data["payee_account"],
                        receipts=data["receipts"], agency_point=point, actor=request.user,
                    )
                except DomainError as exc:
                    form.add_error(None, str(exc))
                else:
                    self.message_user(request, _("已代为录入申请 %(number)s。") % {"number": claim.number},
                                      messages.SUCCESS)
                    return redirect("admin:mutualaid_claim_change", claim.pk)
        if request.method == "POST" and request.FILES and form.errors:
            form.add_error("receipts", _("表单有误，已选择的票据文件未保存，请改正后重新选择文件。"))
        return TemplateResponse(request, "mutualaid/admin/claim_add.html", {
            **self.admin_site.each_context(request), "title": _("代办互助金申请"), "form": form,
            "opts": self.model._meta,
        })

    # -- decisions --

    def change_view(self, request, object_id, form_url="", extra_context=None):
        self.check_object_scope(request, object_id)
        claim = self.get_queryset(request).filter(pk=object_id).select_related(
            "benefit", "scheme", "enrolment", "fixed_item").first() if str(object_id).isdigit() else None
        extra = dict(extra_context or {})
        extra.update(show_save=False, show_save_and_continue=False, show_save_and_add_another=False,
                     show_delete=False)
        if claim is not None:
            moves = CLAIM_FLOW.moves_for(claim, claim.status, request.user)
            extra["moves"] = [(m.target, Status(m.target).label) for m in moves]
            extra["move_form"] = ClaimMoveForm()
            if claim.calculation:
                extra["working"] = claim.calculation
                extra["working_title"] = _("核准时的计算过程")
            elif claim.status in (Status.SUBMITTED, Status.CHECKED, Status.RETURNED):
                extra["working"] = claim_preview(claim).as_json()
                extra["working_title"] = _("按现行已用额度试算（核准时锁定额度重新计算）")
        return super().change_view(request, object_id, form_url, extra)

    def move_view(self, request, pk):
        if request.method != "POST":
            raise PermissionDenied
        self.check_object_scope(request, str(pk))
        claim = self.get_queryset(request).filter(pk=pk).first()
        if claim is None:
            raise Http404
        form = ClaimMoveForm(request.POST)
        if not form.is_valid():
            self.message_user(request, _("请检查填写的内容。"), messages.ERROR)
            return redirect("admin:mutualaid_claim_change", pk)
        data = form.cleaned_data
        try:
            claim = claim_transition(claim=claim, target=data["target"], actor=request.user, note=data["note"],
                                     paid_on=data["paid_on"], reference=data["reference"])
        except DomainError as exc:
            self.message_user(request, str(exc), messages.ERROR)
        else:
            self.message_user(request, _("申请 %(number)s 已变更为“%(status)s”。")
                              % {"number": claim.number, "status": claim.get_status_display()}, messages.SUCCESS)
        return redirect("admin:mutualaid_claim_change", pk)

    def _bulk(self, request, queryset, target):
        done, refused = 0, []
        for claim in queryset.order_by("pk"):
            try:
                claim_transition(claim=claim, target=target, actor=request.user)
                done += 1
            except DomainError as exc:
                refused.append(f"{claim.number}：{exc}")
        if done:
            self.message_user(request, _("已办理 %(count)d 件。") % {"count": done}, messages.SUCCESS)
        for line in refused[:20]:
            self.message_user(request, line, messages.ERROR)

    @admin.action(description=gettext_lazy("代办点审核通过（已核验原件）"))
    def check_selected(self, request, queryset):
        self._bulk(request, queryset, Status.CHECKED)

    @admin.action(description=gettext_lazy("核准（按规则计算金额）"))
    def approve_selected(self, request, queryset):
        self._bulk(request, queryset, Status.APPROVED)

    @admin.action(description=gettext_lazy("编入拨付批次"))
    def batch_selected(self, request, queryset):
        if not request.user.has_perm("mutualaid.pay_claim"):
            raise PermissionDenied
        try:
            batch = payout_batch_create(claims=queryset, actor=request.user)
        except DomainError as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return None
        self.message_user(request, _("已生成拨付批次 %(number)s。") % {"number": batch.number}, messages.SUCCESS)
        return redirect("admin:mutualaid_payoutbatch_change", batch.pk)

    @admin.action(description=gettext_lazy("导出 Excel"), permissions=["view"])
    def export_xlsx(self, request, queryset):
        return ClaimExporter(queryset).response("xlsx")

    @admin.action(description=gettext_lazy("后台导出本年度全部申请（按状态筛选）"), permissions=["view"])
    def export_background(self, request, queryset):
        """A whole year's claims in the login's own scope, built by a task (too many for a request)."""
        from apps.core.services import export_job_start

        params = {"year": request.GET.get("year") or str(timezone.localdate().year),
                  "status": request.GET.get("status", "")}
        export_job_start(owner=request.user, exporter="apps.mutualaid.exports.ClaimExporter",
                         title=str(_("互助金申请")), params=params)
        self.message_user(request, _("已开始在后台导出，完成后可在“后台导出”中下载。"), messages.SUCCESS)
        return redirect("admin:core_exportjob_changelist")


class ReceiptWithdrawForm(forms.ModelForm):
    reason = forms.CharField(label=gettext_lazy("撤回原因"), max_length=200)

    class Meta:
        model = ClaimReceipt
        fields = []


@admin.register(ClaimReceipt)
class ClaimReceiptAdmin(EvidenceAdminMixin, ClaimStaffOnly, admin.ModelAdmin):
    """A wrong receipt is withdrawn with a reason, never deleted."""

    form = ReceiptWithdrawForm
    list_display = ["original_name", "claim", "kind", "uploaded_at", "evidence_state"]
    list_select_related = ["claim"]
    readonly_fields = ["claim", "original_name", "kind", "uploaded_at", "evidence_state"]
    show_full_result_count = False

    def get_queryset(self, request):
        return receipts_for_staff(request.user, super().get_queryset(request))

    def has_module_permission(self, request):
        return False  # reached from the claim page

    def has_add_permission(self, request):
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if not str(object_id).isdigit() or not self.get_queryset(request).filter(pk=object_id).exists():
            raise Http404
        return super().change_view(request, object_id, form_url, extra_context)

    def get_fields(self, request, obj=None):
        fields = ["claim", "original_name", "kind", "uploaded_at", "evidence_state"]
        return fields if obj is None or obj.is_withdrawn else [*fields, "reason"]

    def save_model(self, request, obj, form, change):
        evidence_withdraw(evidence=obj, actor=request.user, reason=form.cleaned_data.get("reason", ""))


@admin.register(PayoutBatch)
class PayoutBatchAdmin(ClaimStaffOnly, admin.ModelAdmin):
    list_display = ["number", "created_at", "created_by", "claim_count", "paid_on", "reference"]
    list_select_related = ["created_by"]
    readonly_fields = ["number", "created_at", "created_by", "paid_on", "reference"]
    fields = readonly_fields
    actions = ["export_bank"]
    show_full_result_count = False
    change_form_template = "mutualaid/admin/batch_change_form.html"

    def get_queryset(self, request):
        from django.db.models import Count

        queryset = super().get_queryset(request).annotate(claims_total=Count("claims"))
        return queryset if staff_may_see_claims(request.user) and not agency_town_ids(request.user) else queryset.none()

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=gettext_lazy("申请件数"))
    def claim_count(self, obj):
        return obj.claims_total

    @admin.action(description=gettext_lazy("导出银行拨付清单"), permissions=["view"])
    def export_bank(self, request, queryset):
        batch = queryset.order_by("pk").first()
        return PayoutBankExporter(batch).response("xlsx") if batch else None

    def get_urls(self):
        return [
            path("<int:pk>/pay/", self.admin_site.admin_view(self.pay_view), name="mutualaid_payoutbatch_pay"),
            path("<int:pk>/bank/", self.admin_site.admin_view(self.bank_view), name="mutualaid_payoutbatch_bank"),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra = {**(extra_context or {}), "pay_form": BatchPayForm(), "show_save": False,
                 "show_save_and_continue": False}
        return super().change_view(request, object_id, form_url, extra)

    def bank_view(self, request, pk):
        batch = self.get_queryset(request).filter(pk=pk).first()
        if batch is None:
            raise Http404
        return PayoutBankExporter(batch).response("xlsx")

    def pay_view(self, request, pk):
        batch = self.get_queryset(request).filter(pk=pk).first()
        if batch is None:
            raise Http404
        if request.method != "POST" or not request.user.has_perm("mutualaid.pay_claim"):
            raise PermissionDenied
        form = BatchPayForm(request.POST)
        if not form.is_valid():
            self.message_user(request, _("请填写拨付日期和银行凭证号。"), messages.ERROR)
        else:
            try:
                count = payout_batch_pay(batch=batch, actor=request.user, **form.cleaned_data)
            except DomainError as exc:
                self.message_user(request, str(exc), messages.ERROR)
            else:
                self.message_user(request, _("已登记拨付 %(count)d 件。") % {"count": count}, messages.SUCCESS)
        return redirect("admin:mutualaid_payoutbatch_change", pk)
