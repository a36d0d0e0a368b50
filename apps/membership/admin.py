"""Staff screens of membership (组织部 sees every union; a grassroots officer only their own).

Every decision calls the same service as the rest of the portal; the queryset of each screen
is narrowed to the officer's union(s) and each service checks it again.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import PermissionDenied
from django.db.models import Case, F, IntegerField, Q, Value, When
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from apps.core.admin import ReadOnlyAdminMixin
from apps.core.errors import DomainError
from apps.core.exports import Exporter
from apps.core.history import MaskedHistoryMixin
from apps.core.masking import mask_birth_date, mask_document_number, mask_phone, sees_full_document
from apps.core.validators import normalize_document_number, normalize_phone
from apps.members.models import Member
from apps.orgs.admin import OfficerScopedAdmin
from apps.orgs.models import Employer, TownStreet
from apps.workdays.calendar import is_provisional
from yiwu_union.routers import replica_reads

from .access import staff_union_scope
from .forms import DeclineForm, ForwardForm, IdentityConfirmForm
from .models import (
    JOIN_OPEN,
    TRANSFER_OPEN,
    ChangeStatus,
    JoinRequest,
    JoinRequestChange,
    JoinStatus,
    MemberMerge,
    ProfileChangeRequest,
    ProfileChangeStep,
    Transfer,
    TransferChange,
    TransferStatus,
)
from .selectors import duplicate_pairs, membership_numbers
from .services import (
    join_request_identity_confirm,
    join_request_transition,
    member_merge,
    profile_change_transition,
    transfer_request,
    transfer_transition,
)

# Requests are decided by the list's actions (which call the services), never by editing.
READ_ONLY_PAGE = {"show_save": False, "show_save_and_continue": False, "show_save_and_add_another": False}
MERGE_PERM = "membership.merge_member"


class MembershipScopedAdmin(OfficerScopedAdmin):
    """Officer scoping of apps.orgs, except that the organisation department sees every union
    even when its staff also act as an officer somewhere."""

    class Media:
        css = {"all": ["membership/admin.css"]}

    def scoped_unions(self, request):
        return staff_union_scope(request.user)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


def _run(model_admin, request, queryset, call, done_message):
    """Call a service for each selected row; report successes and each refusal by row."""
    done, refused = 0, []
    for obj in queryset:
        try:
            call(obj)
        except DomainError as exc:
            refused.append(f"{obj}：{exc.message}")
        else:
            done += 1
    if done:
        model_admin.message_user(request, done_message % {"count": done}, messages.SUCCESS)
    for text in refused:
        model_admin.message_user(request, text, messages.ERROR)


def _action_form(model_admin, request, queryset, form_class, *, title, action, **form_kwargs):
    """The intermediate page of an action that needs input (a reason, a target union).
    Returns the bound valid form, or the page to show."""
    if "apply" in request.POST:
        form = form_class(request.POST, **form_kwargs)
        if form.is_valid():
            return form
    else:
        form = form_class(**form_kwargs)
    context = {
        **model_admin.admin_site.each_context(request),
        "title": title,
        "form": form,
        "queryset": queryset,
        "action": action,
        "opts": model_admin.model._meta,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "media": model_admin.media + form.media,
    }
    return TemplateResponse(request, "membership/admin/action_form.html", context)


# ---- join requests -------------------------------------------------------------------------
class JoinRequestChangeInline(ReadOnlyInline):
    model = JoinRequestChange
    fields = ["at", "from_status", "to_status", "from_union", "to_union", "actor", "note"]
    readonly_fields = fields
    verbose_name_plural = _lazy("流转记录")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("from_union", "to_union", "actor")


class FlaggedFilter(admin.SimpleListFilter):
    title = _lazy("超期督办")
    parameter_name = "flag"

    def lookups(self, request, model_admin):
        return [("escalated", _lazy("已上报组织部")), ("overdue", _lazy("已超期未办结")), ("on_time", _lazy("未超期"))]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "escalated":
            return queryset.filter(escalated_at__isnull=False)
        if self.value() == "overdue":
            return queryset.filter(status__in=JOIN_OPEN, deadline__lt=today)
        if self.value() == "on_time":
            return queryset.filter(status__in=JOIN_OPEN, deadline__gte=today)
        return queryset


@admin.register(JoinRequest)
class JoinRequestAdmin(MaskedHistoryMixin, MembershipScopedAdmin):
    change_list_template = "membership/admin/joinrequest_change_list.html"
    list_filter = ["status", FlaggedFilter, ("union", admin.RelatedOnlyFieldListFilter), "town_street"]
    list_select_related = ["union", "town_street", "employer"]
    list_per_page = 50
    show_full_result_count = False
    search_fields = ["name"]
    search_help_text = _lazy("按姓名（开头）或完整手机号搜索")
    autocomplete_fields = ["union", "employer", "member"]
    inlines = [JoinRequestChangeInline]
    actions = ["identity_confirm", "approve", "decline", "forward"]

    def officer_scope(self, unions):
        return Q(union_id__in=unions)

    def get_queryset(self, request):
        today = timezone.localdate()
        flagged = Q(status__in=JOIN_OPEN) & (Q(escalated_at__isnull=False) | Q(deadline__lt=today))
        return super().get_queryset(request).annotate(
            urgency=Case(
                When(flagged, then=Value(0)), When(status__in=JOIN_OPEN, then=Value(1)), default=Value(2),
                output_field=IntegerField(),
            )
        )

    def get_ordering(self, request):
        # Flagged (escalated or past the deadline) first, then open by deadline, then decided.
        return [F("urgency").asc(), "deadline", "-submitted_at"]

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if not term:
            return queryset, False
        phone = normalize_phone(term)
        if phone.isdigit() and len(phone) == 11:
            return queryset.filter(phone=phone), False
        number = normalize_document_number(term)
        if len(number) >= 5 and any(c.isdigit() for c in number) and number.isalnum():
            return queryset.filter(document_number=number), False
        return queryset.filter(name__startswith=term), False

    @admin.display(description=_lazy("办理时限"), ordering="deadline")
    def deadline_col(self, obj):
        shown = date_format(obj.deadline)
        if is_provisional(obj.deadline):
            return format_html('{} <span title="{}">（{}）</span>', shown, _lazy("该年度节假日安排尚未公布"), _lazy("暂定"))
        return shown

    def get_list_display(self, request):
        identity = ["document_number", "phone"] if sees_full_document(request.user) else ["masked_document", "masked_phone"]
        return ["flag", "name", *identity, "union", "town_street", "employer_col", "status", "submitted_at", "deadline_col"]

    def get_fields(self, request, obj=None):
        identity = (
            ["document_type", "document_number", "phone", "birth_date"] if sees_full_document(request.user)
            else ["document_type", "masked_document", "masked_phone", "birth_year"]
        )
        return [
            "name", "gender", *identity, "employer", "employer_name", "town_street", "job", "address",
            "union", "status", "submitted_at", "consented_at", "deadline", "escalated_at", "decided_at",
            "decided_by", "decline_reason", "member",
            "identity_check_required", "identity_checked_at", "identity_checked_by",
        ]

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)

    @admin.display(description=_lazy("督办"), ordering="urgency")
    def flag(self, obj):
        if obj.is_open and obj.awaits_identity_check:
            return format_html('<span class="membership-flag" title="{}">⚠ {}</span>',
                               _("证件号码已有会员记录，手机号与登记的不同：通过前须现场核验身份证件"), _("待核验身份"))
        if obj.is_open and obj.escalated_at:
            return format_html('<span class="membership-flag" title="{}">⚠ {}</span>', _("已上报组织部"), _("督办"))
        if obj.is_overdue:
            return format_html('<span class="membership-flag">⚠ {}</span>', _("超期"))
        return ""

    @admin.display(description=_lazy("证件号码"))
    def masked_document(self, obj):
        return obj.masked_document

    @admin.display(description=_lazy("手机号码"))
    def masked_phone(self, obj):
        return obj.masked_phone

    @admin.display(description=_lazy("出生年份"))
    def birth_year(self, obj):
        return mask_birth_date(obj.birth_date) or "—"

    @admin.display(description=_lazy("工作单位"))
    def employer_col(self, obj):
        return obj.employer_display

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), **READ_ONLY_PAGE})

    # ---- actions ------------------------------------------------------------------------
    @admin.action(description=_lazy("通过所选入会申请（发放会员号）"), permissions=["change"])
    def approve(self, request, queryset):
        _run(
            self, request, queryset.filter(status__in=JOIN_OPEN),
            lambda obj: join_request_transition(join_request=obj, to=JoinStatus.APPROVED, by=request.user),
            _("已通过 %(count)d 份入会申请，会员号已发放并短信通知申请人。"),
        )

    @admin.action(description=_lazy("已现场核验所选申请人的身份证件"), permissions=["change"])
    def identity_confirm(self, request, queryset):
        form = _action_form(
            self, request, queryset, IdentityConfirmForm, title=_("现场核验身份证件"), action="identity_confirm"
        )
        if not isinstance(form, IdentityConfirmForm):
            return form
        _run(
            self, request, queryset,
            lambda obj: join_request_identity_confirm(join_request=obj, by=request.user, note=form.cleaned_data["note"]),
            _("已记录 %(count)d 份入会申请的身份核验，可以审核通过。"),
        )

    @admin.action(description=_lazy("不予通过所选入会申请（填写原因）"), permissions=["change"])
    def decline(self, request, queryset):
        form = _action_form(self, request, queryset, DeclineForm, title=_("填写未通过原因"), action="decline")
        if not isinstance(form, DeclineForm):
            return form
        _run(
            self, request, queryset,
            lambda obj: join_request_transition(
                join_request=obj, to=JoinStatus.DECLINED, by=request.user, note=form.cleaned_data["note"]
            ),
            _("已将 %(count)d 份入会申请办结为未通过，原因已短信告知申请人。"),
        )

    @admin.action(description=_lazy("转交其他工会办理"), permissions=["change"])
    def forward(self, request, queryset):
        form = _action_form(
            self, request, queryset, ForwardForm, title=_("转交其他工会"), action="forward", admin_site=self.admin_site
        )
        if not isinstance(form, ForwardForm):
            return form
        _run(
            self, request, queryset,
            lambda obj: join_request_transition(
                join_request=obj, to=JoinStatus.FORWARDED, by=request.user,
                to_union=form.cleaned_data["to_union"], note=form.cleaned_data["note"],
            ),
            _("已转交 %(count)d 份入会申请。"),
        )

    # ---- numbers ------------------------------------------------------------------------
    def get_urls(self):
        return [
            path("stats/", self.admin_site.admin_view(self.stats_view), name="membership_joinrequest_stats"),
            *super().get_urls(),
        ]

    def stats_view(self, request):
        if not self.has_view_permission(request) or staff_union_scope(request.user) is not None:
            raise PermissionDenied
        this_year = timezone.localdate().year
        try:
            year = int(request.GET.get("year", this_year))
        except ValueError:
            year = this_year
        if not 2000 <= year <= this_year + 1:  # ?year=0 or 10000: no such calendar year here
            year = this_year
        town = request.GET.get("town")
        town_id = int(town) if town and town.isdigit() and len(town) < 10 else None  # an id, not 10^30
        with replica_reads():  # the leadership's numbers may lag the primary by a second
            rows = membership_numbers(year=year, town_street_id=town_id)
        if request.GET.get("format") == "xlsx":
            return MembershipNumbersExporter(year, rows).response("xlsx", request=request)
        totals = {
            "requests": sum(r.requests for r in rows), "approved": sum(r.approved for r in rows),
            "declined": sum(r.declined for r in rows), "transfers": sum(r.transfers for r in rows),
        }
        context = {
            **self.admin_site.each_context(request),
            "title": _("入会与转会统计"), "opts": self.model._meta, "rows": rows, "totals": totals,
            "year": year, "years": list(range(this_year, this_year - 6, -1)), "town_id": town_id,
            "towns": TownStreet.objects.all(),
        }
        return TemplateResponse(request, "membership/admin/stats.html", context)


class MembershipNumbersExporter(Exporter):
    columns = [_lazy("月份"), _lazy("镇街"), _lazy("入会申请"), _lazy("通过"), _lazy("未通过"),
               _lazy("办理天数中位数"), _lazy("转入会员")]

    def __init__(self, year, rows):
        self.title = f"入会与转会统计-{year}"
        self.items = rows

    def rows(self):
        for r in self.items:
            yield [f"{r.month:%Y-%m}", r.town_street.full_name, r.requests, r.approved, r.declined,
                   r.median_days, r.transfers]


# ---- transfers -----------------------------------------------------------------------------
class TransferChangeInline(ReadOnlyInline):
    model = TransferChange
    fields = ["at", "from_status", "to_status", "actor", "note"]
    readonly_fields = fields
    verbose_name_plural = _lazy("流转记录")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")


class InitiateTransferForm(forms.Form):
    """An officer moves a member who left to the union of their new employer."""

    member = forms.ModelChoiceField(label=_lazy("会员"), queryset=Member.objects.all())
    to_employer = forms.ModelChoiceField(label=_lazy("新单位（名录中）"), queryset=Employer.objects.all(), required=False)
    to_employer_name = forms.CharField(label=_lazy("新单位（名录中没有时填写全称）"), max_length=100, required=False)
    to_town_street = forms.ModelChoiceField(label=_lazy("新单位所在镇街"), queryset=TownStreet.objects.all(), required=False)
    reason = forms.CharField(label=_lazy("说明"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, admin_site, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("member", "to_employer"):
            field = self.fields[name]
            field.widget = AutocompleteSelect(Transfer._meta.get_field(name), admin_site, choices=field.choices)


@admin.register(Transfer)
class TransferAdmin(MembershipScopedAdmin):
    change_list_template = "membership/admin/transfer_change_list.html"
    list_display = ["member", "from_union", "to_union", "to_employer_col", "status", "requested_at", "waiting", "by_officer"]
    list_filter = ["status", "by_officer", "to_town_street"]
    list_select_related = ["member", "from_union", "to_union", "to_employer"]
    show_full_result_count = False
    search_fields = ["member__name"]
    autocomplete_fields = ["member", "to_employer", "from_union", "to_union"]
    inlines = [TransferChangeInline]
    actions = ["release", "accept", "decline"]
    fields = [
        "member", "from_union", "from_employer", "to_union", "to_employer", "to_employer_name", "to_town_street",
        "reason", "status", "by_officer", "initiated_by", "requested_at", "released_at", "finished_at",
    ]
    readonly_fields = fields

    def officer_scope(self, unions):
        return Q(from_union_id__in=unions) | Q(to_union_id__in=unions)

    def get_ordering(self, request):
        return [
            Case(When(status__in=TRANSFER_OPEN, then=Value(0)), default=Value(1), output_field=IntegerField()).asc(),
            "requested_at",
        ]

    @admin.display(description=_lazy("新单位"))
    def to_employer_col(self, obj):
        return obj.to_employer_display

    @admin.display(description=_lazy("等待天数"))
    def waiting(self, obj):
        days = obj.days_waiting
        if obj.is_open and days > 15:
            return format_html('<span class="membership-flag">{}</span>', days)
        return days

    def has_delete_permission(self, request, obj=None):
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), **READ_ONLY_PAGE})

    def add_view(self, request, form_url="", extra_context=None):
        return redirect("admin:membership_transfer_initiate")

    def get_urls(self):
        return [
            path("initiate/", self.admin_site.admin_view(self.initiate_view), name="membership_transfer_initiate"),
            *super().get_urls(),
        ]

    def initiate_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = InitiateTransferForm(request.POST or None, admin_site=self.admin_site)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                transfer = transfer_request(
                    member=data["member"], by=request.user, to_employer=data["to_employer"],
                    to_employer_name=data["to_employer_name"], to_town_street=data["to_town_street"],
                    reason=data["reason"],
                )
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                self.message_user(request, _("已发起转会，待新工会接收。"), messages.SUCCESS)
                return redirect("admin:membership_transfer_change", transfer.pk)
        context = {
            **self.admin_site.each_context(request), "title": _("发起转会（会员已离职）"), "form": form,
            "opts": self.model._meta, "media": self.media + form.media,
        }
        return TemplateResponse(request, "membership/admin/transfer_initiate.html", context)

    @admin.action(description=_lazy("原工会：同意转出"), permissions=["change"])
    def release(self, request, queryset):
        _run(
            self, request, queryset,
            lambda obj: transfer_transition(transfer=obj, to=TransferStatus.PENDING_ACCEPT, by=request.user),
            _("已同意 %(count)d 份转会转出。"),
        )

    @admin.action(description=_lazy("新工会：接收转入"), permissions=["change"])
    def accept(self, request, queryset):
        _run(
            self, request, queryset,
            lambda obj: transfer_transition(transfer=obj, to=TransferStatus.COMPLETED, by=request.user),
            _("已接收 %(count)d 名会员转入，会员号不变。"),
        )

    @admin.action(description=_lazy("不同意转会（填写原因）"), permissions=["change"])
    def decline(self, request, queryset):
        form = _action_form(self, request, queryset, DeclineForm, title=_("填写不同意转会的原因"), action="decline")
        if not isinstance(form, DeclineForm):
            return form
        _run(
            self, request, queryset,
            lambda obj: transfer_transition(
                transfer=obj, to=TransferStatus.DECLINED, by=request.user, note=form.cleaned_data["note"]
            ),
            _("已将 %(count)d 份转会办结为未通过。"),
        )


# ---- name / document changes ---------------------------------------------------------------
class ProfileChangeStepInline(ReadOnlyInline):
    model = ProfileChangeStep
    fields = ["at", "from_status", "to_status", "actor", "note"]
    readonly_fields = fields
    verbose_name_plural = _lazy("审核记录")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")


@admin.register(ProfileChangeRequest)
class ProfileChangeRequestAdmin(MaskedHistoryMixin, MembershipScopedAdmin):
    list_display = ["member", "union_col", "kind", "old_value", "new_col", "status", "submitted_at"]
    list_filter = ["status", "kind"]
    list_select_related = ["member", "member__union"]
    show_full_result_count = False
    search_fields = ["member__name"]
    autocomplete_fields = ["member"]
    inlines = [ProfileChangeStepInline]
    actions = ["approve", "decline"]

    def get_fields(self, request, obj=None):
        new = "new_col_full" if sees_full_document(request.user) else "new_col"
        return [
            "member", "kind", "old_value", new, "reason", "proof_link", "status", "submitted_at", "decided_at",
            "decided_by", "decline_reason",
        ]

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)

    def officer_scope(self, unions):
        return Q(member__union_id__in=unions)

    def get_ordering(self, request):
        return [Case(When(status=ChangeStatus.PENDING, then=Value(0)), default=Value(1), output_field=IntegerField()).asc(),
                "-submitted_at"]

    @admin.display(description=_lazy("所属工会"))
    def union_col(self, obj):
        return obj.member.union

    @admin.display(description=_lazy("变更为"))
    def new_col(self, obj):
        return obj.new_value_display

    @admin.display(description=_lazy("变更为"))
    def new_col_full(self, obj):
        if obj.kind == ProfileChangeRequest.Kind.DOCUMENT:
            return f"{obj.get_new_document_type_display()} {obj.new_document_number}"
        return obj.new_name

    @admin.display(description=_lazy("证明材料"))
    def proof_link(self, obj):
        if not obj or not obj.proof:
            return "—"
        url = reverse("admin:membership_profilechangerequest_proof", args=[obj.pk])
        return format_html('<a href="{}" target="_blank" rel="noopener">{}</a>', url, _("查看证明材料"))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), **READ_ONLY_PAGE})

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        return [
            path("<int:pk>/proof/", self.admin_site.admin_view(self.proof_view), name="membership_profilechangerequest_proof"),
            *super().get_urls(),
        ]

    def proof_view(self, request, pk):
        change = self.get_queryset(request).filter(pk=pk).first()
        if change is None or not self.has_view_permission(request, change) or not change.proof:
            raise Http404
        response = FileResponse(change.proof.open("rb"), content_type=change.proof_content_type)
        response["Cache-Control"] = "private, no-store"
        response["X-Content-Type-Options"] = "nosniff"
        return response

    @admin.action(description=_lazy("通过所选变更（更新会员资料）"), permissions=["change"])
    def approve(self, request, queryset):
        _run(
            self, request, queryset,
            lambda obj: profile_change_transition(change=obj, to=ChangeStatus.APPROVED, by=request.user),
            _("已通过 %(count)d 份资料变更，会员资料已更新，原资料保留在变更历史中。"),
        )

    @admin.action(description=_lazy("不予通过（填写原因）"), permissions=["change"])
    def decline(self, request, queryset):
        form = _action_form(self, request, queryset, DeclineForm, title=_("填写未通过原因"), action="decline")
        if not isinstance(form, DeclineForm):
            return form
        _run(
            self, request, queryset,
            lambda obj: profile_change_transition(
                change=obj, to=ChangeStatus.DECLINED, by=request.user, note=form.cleaned_data["note"]
            ),
            _("已将 %(count)d 份资料变更办结为未通过。"),
        )


# ---- duplicates and merges -----------------------------------------------------------------
def _field_label(name: str) -> str:
    """A snapshot key as staff read it: the Member field's label (and its name)."""
    try:
        return f"{Member._meta.get_field(name).verbose_name}（{name}）"
    except Exception:  # a key of an older snapshot whose field has since been removed
        return name

@admin.register(MemberMerge)
class MemberMergeAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    change_list_template = "membership/admin/membermerge_change_list.html"
    list_display = ["at", "by", "survivor", "survivor_pk", "removed_pk", "removed_name", "moved_total"]
    list_select_related = ["by", "survivor"]
    show_full_result_count = False
    search_fields = ["=removed_pk", "=survivor_pk"]

    # ---- scope: an officer sees only the merges of their own union(s) ------------------
    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        unions = staff_union_scope(request.user)
        if unions is not None:
            # The survivor's union now, or the removed record's when it was merged.
            queryset = queryset.filter(Q(survivor__union_id__in=unions) | Q(removed_snapshot__union__in=unions))
        return queryset

    def _check_scope(self, request, object_id):
        """Another union's merge answers 404, as if it did not exist."""
        if staff_union_scope(request.user) is None:
            return
        try:
            found = self.get_queryset(request).filter(pk=int(object_id)).exists()
        except (TypeError, ValueError, OverflowError):
            found = False
        if not found:
            raise Http404

    def change_view(self, request, object_id, form_url="", extra_context=None):
        self._check_scope(request, object_id)
        return super().change_view(request, object_id, form_url, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        self._check_scope(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def get_fields(self, request, obj=None):
        snapshot = "snapshot_table_full" if sees_full_document(request.user) else "snapshot_table"
        return ["at", "by", "survivor", "survivor_pk", "removed_pk", "note", "moved_table", snapshot]

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)

    @admin.display(description=_lazy("被合并会员"))
    def removed_name(self, obj):
        return obj.removed_snapshot.get("name", "")

    @admin.display(description=_lazy("迁移记录数"))
    def moved_total(self, obj):
        return sum(obj.moved_counts.values())

    @admin.display(description=_lazy("迁移明细"))
    def moved_table(self, obj):
        from django.apps import apps

        def label(key):
            try:
                return str(apps.get_model(key.rsplit(".", 1)[0] if key.count(".") > 1 else key)._meta.verbose_name)
            except (LookupError, ValueError):
                return key

        return format_html_join("", "<div>{}（{}）：{}</div>", ((label(k), k, v) for k, v in obj.moved_counts.items())) or "—"

    @admin.display(description=_lazy("被合并记录快照"))
    def snapshot_table(self, obj):
        masks = {"document_number": mask_document_number, "phone": mask_phone, "birth_date": mask_birth_date}
        items = ((_field_label(k), masks[k](v) if k in masks and v else v) for k, v in obj.removed_snapshot.items())
        return format_html_join("", "<div>{}：{}</div>", items)

    @admin.display(description=_lazy("被合并记录快照"))
    def snapshot_table_full(self, obj):
        items = ((_field_label(k), v) for k, v in obj.removed_snapshot.items())
        return format_html_join("", "<div>{}：{}</div>", items)

    def get_urls(self):
        return [
            path("duplicates/", self.admin_site.admin_view(self.duplicates_view), name="membership_membermerge_duplicates"),
            path("merge/<int:first>/<int:second>/", self.admin_site.admin_view(self.merge_view),
                 name="membership_membermerge_merge"),
            *super().get_urls(),
        ]

    def _check_merge_permission(self, request):
        if not request.user.has_perm(MERGE_PERM):
            raise PermissionDenied

    def duplicates_view(self, request):
        self._check_merge_permission(request)
        context = {
            **self.admin_site.each_context(request), "title": _("疑似重复会员"), "opts": self.model._meta,
            "pairs": duplicate_pairs(), "full": sees_full_document(request.user),
        }
        return TemplateResponse(request, "membership/admin/duplicates.html", context)

    def merge_view(self, request, first, second):
        self._check_merge_permission(request)
        members = {m.pk: m for m in Member.objects.select_related("union", "town_street", "employer", "user")
                   .filter(pk__in=[first, second])}
        if len(members) != 2:
            raise Http404
        if request.method == "POST":
            survivor_pk = request.POST.get("survivor")
            if survivor_pk not in (str(first), str(second)):
                self.message_user(request, _("请选择要保留的记录。"), messages.ERROR)
            else:
                survivor = members[int(survivor_pk)]
                removed = members[second if survivor.pk == first else first]
                try:
                    merge = member_merge(survivor=survivor, removed=removed, by=request.user,
                                         note=request.POST.get("note", ""))
                except DomainError as exc:
                    self.message_user(request, exc.message, messages.ERROR)
                else:
                    self.message_user(
                        request, _("已合并：记录 #%(removed)s 并入 #%(survivor)s。")
                        % {"removed": merge.removed_pk, "survivor": merge.survivor_pk}, messages.SUCCESS,
                    )
                    return redirect("admin:membership_membermerge_change", merge.pk)
        context = {
            **self.admin_site.each_context(request), "title": _("合并重复会员"), "opts": self.model._meta,
            "pair": [members[first], members[second]], "full": sees_full_document(request.user),
        }
        return TemplateResponse(request, "membership/admin/merge.html", context)
