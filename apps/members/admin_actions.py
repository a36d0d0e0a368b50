"""Writes behind the member admin's actions (kept out of admin.py, which only calls them)."""

from django.db import transaction
from django.db.models import QuerySet

from .models import Member


def member_card_reissue(*, members: QuerySet, by) -> int:
    """Reissue the card of each member in `members` (补发会员证): card_serial + 1.

    Every QR code printed from the old card then verifies as revoked. Each member is saved on
    its own (row locked, update_fields) so the change shows in its history with who did it.
    Returns how many cards were reissued.
    """
    count = 0
    pks = list(members.values_list("pk", flat=True))
    with transaction.atomic():
        for member in Member.objects.filter(pk__in=pks).select_for_update().order_by("pk"):
            member.card_serial += 1
            member._history_user = by
            member.save(update_fields=["card_serial", "updated_at"])
            count += 1
    return count
