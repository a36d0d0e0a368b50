"""Staff screens of counselling. Every action calls the same services as the member pages.

Sealed texts (Session.notes, Booking.note, CrisisFlag.clearing_note) appear only on the change
page, and only for whom access.notes_readable() / is_supervisor() lets in; never in a
changelist, search, autocomplete, history (excluded from the history tables) or export."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from simple_history.admin import SimpleHistoryAdmin

from apps.core.errors import DomainError
from apps.core.masking import mask_name, mask_phone
from yiwu_union.routers import replica_view

from . import services
from .access import is_supervisor, notes_readable
from .exports import BookingExporter, RequestExporter, SessionExporter, SlotExporter, StatsExporter
from .forms import WeeklyPatternForm
from .models import (
    AnonymousRequest,
    Booking,
    BookingAllowance,
    Counsellor,
    CrisisFlag,
    OpeningHours,
    Session,
    Slot,
    Studio,
    Topic,
)
from .stats import counselling_stats


def _export_action(exporter_class, description):
    @admin.action(description=description, permissions=["view"])
    def export(modeladmin, request, queryset):
        return exporter_class(queryset).response("xlsx")

    export.__name__ = f"export_{exporter_class.__name__.lower()}"
    return export


class OpeningHoursInline(admin.TabularInline):
    model = OpeningHours
    extra = 0


@admin.register(Studio)
class StudioAdmin(SimpleHistoryAdmin):
    list_display = ["name", "town_street", "phone", "is_active"]
    list_filter = ["town_street", "is_active"]
    list_select_related = ["town_street"]
    search_fields = ["name", "address"]
    inlines = [OpeningHoursInline]
    show_full_result_count = False


@admin.register(Counsellor)
class CounsellorAdmin(SimpleHistoryAdmin):
    list_display = ["name", "qualification", "languages", "serving_hours", "is_active"]
    list_filter = ["qualification", "is_active", "studios"]
    search_fields = ["name"]
    autocomplete_fields = ["user"]
    filter_horizontal = ["studios"]
    show_full_result_count = False


class SlotAdminForm(forms.ModelForm):
    class Meta:
        model = Slot
        fields = ["counsellor", "studio", "mode", "starts_at", "ends_at"]


@admin.register(Slot)
class SlotAdmin(SimpleHistoryAdmin):
    form = SlotAdminForm
    list_display = ["starts_at", "ends_at", "mode", "studio", "counsellor", "is_withdrawn"]
    list_filter = ["studio", "mode", "is_withdrawn", "counsellor"]
    list_select_related = ["studio", "counsellor"]
    search_fields = ["counsellor__name", "studio__name"]
    show_full_result_count = False
    actions = ["withdraw", _export_action(SlotExporter, _lazy("导出 Excel"))]
    change_list_template = "counselling/admin/slot_change_list.html"

    def get_readonly_fields(self, request, obj=None):
        # A published slot is withdrawn, not moved: members may hold it.
        return ["counsellor", "studio", "mode", "starts_at", "ends_at"] if obj else []

    def save_model(self, request, obj, form, change):
        if change:
            return
        try:
            created = services.slot_publish(
                counsellor=obj.counsellor, studio=obj.studio, mode=obj.mode, starts_at=obj.starts_at,
                ends_at=obj.ends_at, actor=request.user,
            )
        except DomainError as exc:
            raise _Refused(exc.message) from exc
        obj.pk = created.pk

    def add_view(self, request, form_url="", extra_context=None):
        try:
            return super().add_view(request, form_url, extra_context)
        except _Refused as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return redirect(request.get_full_path())

    @admin.action(description=_lazy("撤下所选时段（已预约的除外）"), permissions=["change"])
    def withdraw(self, request, queryset):
        live = Booking.objects.exclude(status=Booking.Status.CANCELLED).values("slot_id")
        n = queryset.exclude(pk__in=live).update(is_withdrawn=True)
        self.message_user(request, _("已撤下 %(n)s 个时段。") % {"n": n})

    def get_urls(self):
        return [path("weekly/", self.admin_site.admin_view(self.weekly_view), name="counselling_slot_weekly"),
                *super().get_urls()]

    def weekly_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = WeeklyPatternForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                created = services.slots_publish_weekly(
                    counsellor=data["counsellor"], studio=data["studio"], mode=data["mode"],
                    first_day=data["first_day"], last_day=data["last_day"], weekdays=data["weekdays"],
                    start=data["start"], minutes=data["minutes"], actor=request.user,
                )
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                self.message_user(request, _("已发布 %(n)s 个时段（法定节假日已跳过）。") % {"n": len(created)})
                return redirect("admin:counselling_slot_changelist")
        context = {**self.admin_site.each_context(request), "opts": self.model._meta, "form": form,
                   "title": _("按周发布时段")}
        return TemplateResponse(request, "counselling/admin/weekly.html", context)


class _Refused(Exception):
    pass


@admin.register(Booking)
class BookingAdmin(SimpleHistoryAdmin):
    list_display = ["pk", "slot", "studio_name", "counsellor_name", "member_masked", "topic", "status"]
    list_filter = ["status", "topic", "slot__studio"]
    list_select_related = ["slot__studio", "slot__counsellor", "member"]
    search_fields = ["=id"]
    show_full_result_count = False
    readonly_fields = ["slot", "member", "topic", "status", "booked_at", "cancelled_at", "reminded_at"]
    actions = ["record_attended", "record_no_show", "cancel", _export_action(BookingExporter, _lazy("导出 Excel"))]

    @admin.display(description=_lazy("工作室"))
    def studio_name(self, obj):
        return obj.slot.studio.name

    @admin.display(description=_lazy("咨询师"))
    def counsellor_name(self, obj):
        return obj.slot.counsellor.name

    @admin.display(description=_lazy("会员"))
    def member_masked(self, obj):
        return mask_name(obj.member.name)

    def has_add_permission(self, request):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).defer("note")

    def get_fields(self, request, obj=None):
        fields = list(self.readonly_fields)
        if obj is not None and self._note_readable(request, obj):
            fields.append("sealed_note")
        return fields

    def get_readonly_fields(self, request, obj=None):
        fields = list(self.readonly_fields)
        if obj is not None and self._note_readable(request, obj):
            fields.append("sealed_note")
        return fields

    def _note_readable(self, request, obj):
        return notes_readable(request.user, Session(counsellor_id=obj.slot.counsellor_id))

    @admin.display(description=_lazy("会员留言（保密）"))
    def sealed_note(self, obj):
        return Booking.objects.get(pk=obj.pk).note

    def _record(self, request, queryset, outcome):
        done = 0
        for booking in queryset.select_related("slot"):
            try:
                services.session_record(booking=booking, actor=request.user, outcome=outcome)
            except DomainError as exc:
                self.message_user(request, f"#{booking.pk}: {exc.message}", messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(request, _("已记录 %(n)s 次。") % {"n": done})

    @admin.action(description=_lazy("记录为已咨询（建立咨询记录）"), permissions=["change"])
    def record_attended(self, request, queryset):
        self._record(request, queryset, Session.Outcome.ATTENDED)

    @admin.action(description=_lazy("记录为未到"), permissions=["change"])
    def record_no_show(self, request, queryset):
        self._record(request, queryset, Session.Outcome.NO_SHOW)

    @admin.action(description=_lazy("取消预约"), permissions=["change"])
    def cancel(self, request, queryset):
        for booking in queryset:
            try:
                services.booking_cancel(booking=booking, actor=request.user)
            except DomainError as exc:
                self.message_user(request, f"#{booking.pk}: {exc.message}", messages.ERROR)


@admin.register(BookingAllowance)
class BookingAllowanceAdmin(SimpleHistoryAdmin):
    list_display = ["member", "max_upcoming", "granted_by"]
    list_select_related = ["member", "granted_by"]
    autocomplete_fields = ["member"]
    exclude = ["granted_by"]
    show_full_result_count = False

    def save_model(self, request, obj, form, change):
        obj.granted_by = request.user
        super().save_model(request, obj, form, change)


class SessionForm(forms.ModelForm):
    topics = forms.MultipleChoiceField(label=_lazy("主题类别"), choices=Topic.choices,
                                       widget=forms.CheckboxSelectMultiple,
                                       help_text=_lazy("可多选；至少选一项。"))

    class Meta:
        model = Session
        fields = ["counsellor", "studio", "held_at", "outcome", "follow_up", "request", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 8})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["topics"].initial = [t.topic for t in self.instance.topics.all()]


@admin.register(Session)
class SessionAdmin(SimpleHistoryAdmin):
    form = SessionForm
    list_display = ["pk", "held_at", "studio", "counsellor", "outcome", "topic_labels", "follow_up", "waiting_days"]
    list_filter = ["outcome", "topics__topic", "follow_up", "studio"]
    list_select_related = ["studio", "counsellor"]
    search_fields = ["=id", "counsellor__name"]
    date_hierarchy = "held_at"
    show_full_result_count = False
    raw_id_fields = ["request"]
    actions = ["raise_crisis", _export_action(SessionExporter, _lazy("导出 Excel"))]
    change_list_template = "counselling/admin/session_change_list.html"

    def get_queryset(self, request):
        return super().get_queryset(request).defer("notes").prefetch_related("topics")

    @admin.display(description=_lazy("主题类别"))
    def topic_labels(self, obj):
        return "、".join(t.get_topic_display() for t in obj.topics.all())

    def _may_write_new_notes(self, request):
        from .access import counsellor_of

        return is_supervisor(request.user) or counsellor_of(request.user) is not None

    def get_fields(self, request, obj=None):
        # the topic checkboxes for whom may change the session, the labels for whom only views it
        writable = self.has_add_permission(request) if obj is None else self.has_change_permission(request, obj)
        topics = "topics" if writable else "topic_labels"
        fields = ["counsellor", "studio", "held_at", "outcome", topics, "follow_up", "request"]
        if (obj is None and self._may_write_new_notes(request)) or (obj is not None and notes_readable(request.user, obj)):
            fields.append("notes")
        return fields

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["fields"] = self.get_fields(request, obj)
        return super().get_form(request, obj, change=change, **kwargs)

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is not None and notes_readable(request.user, obj):
            # the deferred notes are loaded (and decrypted) only for whom may read them
            obj.notes = Session.objects.get(pk=obj.pk).notes
        return obj

    def save_model(self, request, obj, form, change):
        if "notes" in form.changed_data and not notes_readable(request.user, obj):
            raise PermissionDenied
        obj._history_user = request.user
        if not change:
            obj.waiting_days = 0
            if obj.request_id:
                obj.waiting_days = max(0, (timezone.localtime(obj.held_at).date()
                                           - timezone.localtime(obj.request.created_at).date()).days)
        obj.save()  # with notes deferred (not readable), save() leaves the column alone
        services.session_topics_set(session=obj, topics=form.cleaned_data["topics"])

    @admin.action(description=_lazy("标记为危机（立即通知全部督导）"), permissions=["change"])
    def raise_crisis(self, request, queryset):
        for session in queryset:
            services.crisis_raise(actor=request.user, session=session)
        self.message_user(request, _("已发出危机预警，督导已收到短信和站内通知。"), messages.WARNING)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("stats/", view(self.stats_view), name="counselling_session_stats"),
            path("stats/export/", view(self.stats_export), name="counselling_session_stats_export"),
            *super().get_urls(),
        ]

    def _year(self, request) -> int:
        try:
            year = int(request.GET.get("year", ""))
        except ValueError:
            return timezone.localdate().year
        return year if 2000 <= year <= 2100 else timezone.localdate().year

    @replica_view  # the year's figures may lag the primary by a second
    def stats_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        year = self._year(request)
        this_year = timezone.localdate().year
        context = {
            **self.admin_site.each_context(request), "opts": self.model._meta,
            "title": _("心理咨询统计（%(year)d年）") % {"year": year}, "year": year,
            "years": range(this_year, this_year - 6, -1), "stats": counselling_stats(year=year),
            "months": range(1, 13),
        }
        return TemplateResponse(request, "counselling/admin/stats.html", context)

    @replica_view  # the year's figures may lag the primary by a second
    def stats_export(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        return StatsExporter(year=self._year(request)).response("xlsx")


@admin.register(AnonymousRequest)
class AnonymousRequestAdmin(SimpleHistoryAdmin):
    list_display = ["pk", "created_at", "contact_kind", "contact_masked", "topic", "call_time", "status", "callback_due"]
    list_filter = ["status", "contact_kind", "topic"]
    search_fields = ["=id"]
    show_full_result_count = False
    date_hierarchy = "created_at"
    fields = ["contact_kind", "contact", "topic", "call_time", "created_at", "callback_due", "status",
              "called_back_at", "called_back_by", "studio"]
    readonly_fields = ["contact_kind", "contact", "topic", "call_time", "created_at", "callback_due", "status",
                       "called_back_at", "called_back_by"]
    actions = ["called_back", "unreachable", "raise_crisis", _export_action(RequestExporter, _lazy("导出 Excel"))]

    def has_add_permission(self, request):
        return False

    @admin.display(description=_lazy("联系方式"))
    def contact_masked(self, obj):
        return mask_phone(obj.contact) if obj.contact_kind == AnonymousRequest.ContactKind.PHONE else "***"

    def _call(self, request, queryset, reached):
        for item in queryset:
            services.request_call_back(request=item, actor=request.user, reached=reached)
        self.message_user(request, _("已记录回电。"))

    @admin.action(description=_lazy("记录：已回电"), permissions=["change"])
    def called_back(self, request, queryset):
        self._call(request, queryset, True)

    @admin.action(description=_lazy("记录：未能联系上"), permissions=["change"])
    def unreachable(self, request, queryset):
        self._call(request, queryset, False)

    @admin.action(description=_lazy("标记为危机（立即通知全部督导）"), permissions=["change"])
    def raise_crisis(self, request, queryset):
        for item in queryset:
            services.crisis_raise(actor=request.user, request=item)
        self.message_user(request, _("已发出危机预警，督导已收到短信和站内通知。"), messages.WARNING)


class CrisisClearForm(forms.ModelForm):
    clearing_note = forms.CharField(label=_lazy("督导解除说明"), widget=forms.Textarea(attrs={"rows": 4}))

    class Meta:
        model = CrisisFlag
        fields = ["clearing_note"]


@admin.register(CrisisFlag)
class CrisisFlagAdmin(SimpleHistoryAdmin):
    list_display = ["pk", "is_open", "raised_at", "subject", "raised_by", "cleared_at", "cleared_by"]
    list_filter = ["is_open"]
    list_select_related = ["raised_by", "cleared_by"]
    ordering = ["-is_open", "-raised_at", "-id"]  # open crises first
    search_fields = ["=id"]
    show_full_result_count = False
    readonly_fields = ["session", "request", "raised_by", "raised_at", "is_open", "cleared_by", "cleared_at"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).defer("clearing_note")

    @admin.display(description=_lazy("对象"))
    def subject(self, obj):
        return _("咨询记录 #%(pk)s") % {"pk": obj.session_id} if obj.session_id else \
            _("匿名求助 #%(pk)s") % {"pk": obj.request_id}

    def get_form(self, request, obj=None, change=False, **kwargs):
        if is_supervisor(request.user) and obj is not None and obj.is_open:
            kwargs["form"] = CrisisClearForm
            kwargs["fields"] = ["clearing_note"]
        else:
            kwargs["fields"] = []
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request, obj=None):
        fields = list(self.readonly_fields)
        if is_supervisor(request.user) and obj is not None:
            fields.append("clearing_note" if obj.is_open else "sealed_clearing_note")
        return fields

    def get_readonly_fields(self, request, obj=None):
        fields = list(self.readonly_fields)
        if is_supervisor(request.user) and obj is not None and not obj.is_open:
            fields.append("sealed_clearing_note")
        return fields

    @admin.display(description=_lazy("督导解除说明"))
    def sealed_clearing_note(self, obj):
        return CrisisFlag.objects.get(pk=obj.pk).clearing_note

    def save_model(self, request, obj, form, change):
        try:
            services.crisis_clear(flag=obj, actor=request.user, note=form.cleaned_data.get("clearing_note", ""))
        except DomainError as exc:
            raise PermissionDenied(exc.message) from exc
