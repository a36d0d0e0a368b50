from django.contrib import admin
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from apps.core.admin import ReadOnlyAdminMixin
from apps.core.masking import mask_phone

from .models import PhoneCode


@admin.register(PhoneCode)
class PhoneCodeAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Sent codes, for answering "I got no code": read only, and never the code's hash."""

    list_display = ["masked_phone", "purpose", "created_at", "expires_at", "tries", "used_at", "client_ip"]
    list_filter = ["purpose"]
    search_fields = ["=phone"]
    search_help_text = _("输入完整手机号")
    date_hierarchy = "created_at"
    show_full_result_count = False
    fields = ["masked_phone", "purpose", "client_ip", "created_at", "expires_at", "tries", "used_at"]
    readonly_fields = fields
    ordering = ["-created_at"]
    list_display_links = None  # every field is in the list; no detail page
    actions = None

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # The model's __str__ carries the whole phone number into the page title.
        return redirect("admin:accounts_phonecode_changelist")

    @admin.display(description=_("手机号码"))
    def masked_phone(self, obj):
        return mask_phone(obj.phone)
