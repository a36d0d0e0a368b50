"""Counselling on the member's timeline: the most sensitive service, so the least is shown.

Only the member themself and the counselling supervisors (心理咨询督导) learn that a member
used the service: an entry "心理服务" with the day only, never the studio, counsellor, topic,
note or status, and no link. Every other viewer, superusers and the studio's counsellors
included (they read their own cases in the counselling admin), gets nothing at all, not even
an empty query result to time. Cancelled bookings are left out: nothing took place."""

from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.timeline import TimelineEntry, Viewer, day_start, timeline_provider

from .access import is_supervisor
from .models import Booking


def may_know_of_counselling(viewer: Viewer) -> bool:
    return viewer.is_self or is_supervisor(viewer.user)


@timeline_provider("counselling")
def counselling_days(member, viewer: Viewer) -> list[TimelineEntry]:
    if not may_know_of_counselling(viewer):
        return []
    starts = (
        Booking.objects.filter(member=member).exclude(status=Booking.Status.CANCELLED)
        .order_by("-slot__starts_at").values_list("pk", "slot__starts_at")[:200]
    )
    return [
        TimelineEntry(
            at=day_start(timezone.localdate(starts_at)), service=_("心理服务"), title=_("心理服务"),
            date_only=True, order=("counselling", pk),
        )
        for pk, starts_at in starts
    ]
