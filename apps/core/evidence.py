"""Evidence is append-only: uploaded proofs are withdrawn with a reason, never deleted.

`EvidenceAdminMixin` (for inlines and model admins of an `Evidence` subclass) removes every
delete path from admin and adds the "withdraw" column; `evidence_withdraw` is the one service.
"""

from django.contrib import admin
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .errors import WithdrawReasonRequired


def evidence_withdraw(*, evidence, actor, reason: str):
    """Mark `evidence` withdrawn by `actor` for `reason` (kept, shown struck through). Taking
    the row lock, so two withdrawals keep the first. Raises WithdrawReasonRequired."""
    if not reason or not reason.strip():
        raise WithdrawReasonRequired()
    model = type(evidence)
    with transaction.atomic():
        locked = model._base_manager.select_for_update().get(pk=evidence.pk)
        if locked.withdrawn_at is not None:
            return locked
        locked.withdrawn_at = timezone.now()
        locked.withdrawn_by = actor
        locked.withdrawn_reason = reason.strip()[:200]
        locked.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawn_reason"])
        return locked


class EvidenceAdminMixin:
    """No delete button, no delete checkbox, no bulk delete action: proofs stay."""

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        actions = super().get_actions(request) if hasattr(super(), "get_actions") else {}
        actions.pop("delete_selected", None)
        return actions

    @admin.display(description=_("状态"))
    def evidence_state(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        if obj.withdrawn_at is None:
            return _("有效")
        return _("已撤回：%(reason)s") % {"reason": obj.withdrawn_reason}
