from django.contrib import admin, messages
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from apps.core.admin import ReadOnlyAdminMixin
from apps.core.masking import mask_phone

from .models import Notification, SmsMessage, SmsTemplate, StaffNotice
from .services import sms_retry_now
from .texts import template_defaults


class ReadOnlyAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    show_full_result_count = False
    actions = None


@admin.register(SmsMessage)
class SmsMessageAdmin(ReadOnlyAdmin):
    """The SMS outbox. Codes in sensitive messages are redacted once sent. A message the
    provider refused shows its attempts, last error and next retry; "立即重试" sends it now."""

    list_display = ["masked_phone", "purpose", "status", "attempts", "last_error", "next_retry_at", "created_at",
                    "sent_at"]
    list_filter = ["status", "purpose"]
    search_fields = ["=phone"]
    search_help_text = _("输入完整手机号")
    date_hierarchy = "created_at"
    fields = ["masked_phone", "purpose", "template_key", "text_display", "sensitive", "status", "attempts",
              "last_error", "next_retry_at", "created_at", "claimed_at", "sent_at", "purged_at", "dedupe_key"]
    readonly_fields = fields
    actions = ["retry_now"]

    def has_retry_permission(self, request):
        return request.user.has_perm("notify.retry_smsmessage")

    @admin.action(description=_("立即重试发送"), permissions=["retry"])
    def retry_now(self, request, queryset):
        count = sms_retry_now(messages=queryset)
        self.message_user(request, _("已安排 %(count)d 条短信立即重试。") % {"count": count}, messages.SUCCESS)

    @admin.display(description=_("手机号码"))
    def masked_phone(self, obj):
        return mask_phone(obj.phone)

    @admin.display(description=_("内容"))
    def text_display(self, obj):
        if obj.purged_at:
            return _("（已按保存期限清除）")
        # A code waiting to be sent is still in the text: staff never read it.
        if obj.sensitive and obj.status != SmsMessage.Status.SENT:
            return _("（含验证码，发送后自动隐去，此处不显示）")
        return obj.text


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["title", "member", "created_at", "read_at"]
    list_select_related = ["member"]
    search_fields = ["title"]
    date_hierarchy = "created_at"
    raw_id_fields = ["member"]
    fields = ["member", "title", "body", "link", "created_at", "read_at"]
    readonly_fields = fields


@admin.register(StaffNotice)
class StaffNoticeAdmin(admin.ModelAdmin):
    """Every staff login sees its own notices; opening one marks it read."""

    list_display = ["title", "urgent", "created_at", "read_at"]
    list_filter = ["urgent"]
    fields = ["title", "body", "link_display", "urgent", "created_at", "read_at"]
    readonly_fields = fields
    show_full_result_count = False
    actions = None

    def get_queryset(self, request):
        return super().get_queryset(request).filter(user=request.user)

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request) and (obj is None or obj.user_id == request.user.pk)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        StaffNotice.objects.filter(pk=object_id, user=request.user, read_at__isnull=True).update(read_at=timezone.now())
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.display(description=_("链接"))
    def link_display(self, obj):
        if not obj.link or not obj.link.startswith("/"):
            return "—"
        return format_html('<a href="{}">{}</a>', obj.link, _("前往办理"))


@admin.register(SmsTemplate)
class SmsTemplateAdmin(admin.ModelAdmin):
    """The SMS texts. Each lists the placeholders the code fills for it; saving a text with any
    other placeholder is refused with the list of allowed ones."""

    list_display = ["name", "key", "text", "updated_at"]
    search_fields = ["name", "key", "text"]
    fields = ["key", "name", "text", "placeholders_display", "updated_at", "updated_by"]
    readonly_fields = ["key", "placeholders_display", "updated_at", "updated_by"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False  # a key only means something when the code sends it

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        # Every text the code declares is listed, also those not sent yet.
        known = set(SmsTemplate.objects.values_list("key", flat=True))
        SmsTemplate.objects.bulk_create([
            SmsTemplate(key=d.key, name=d.name, text=d.text, placeholders=",".join(d.placeholders))
            for d in template_defaults().values() if d.key not in known
        ], ignore_conflicts=True)
        return super().changelist_view(request, extra_context)

    @admin.display(description=_("可用占位符"))
    def placeholders_display(self, obj):
        if not obj.allowed:
            return _("（无）")
        return "、".join(f"{{{name}}}" for name in obj.allowed)

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)
