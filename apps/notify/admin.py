from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from apps.core.admin import ReadOnlyAdminMixin
from apps.core.masking import mask_phone

from .models import Notification, SmsMessage


class ReadOnlyAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    show_full_result_count = False
    actions = None


@admin.register(SmsMessage)
class SmsMessageAdmin(ReadOnlyAdmin):
    """The SMS outbox. Codes in sensitive messages are redacted once sent."""

    list_display = ["masked_phone", "purpose", "status", "attempts", "created_at", "sent_at"]
    list_filter = ["status", "purpose"]
    search_fields = ["=phone"]
    search_help_text = _("输入完整手机号")
    date_hierarchy = "created_at"
    fields = ["masked_phone", "purpose", "text_display", "sensitive", "status", "attempts", "last_error",
              "created_at", "claimed_at", "sent_at", "purged_at"]
    readonly_fields = fields

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
