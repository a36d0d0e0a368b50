"""Reads shared by pages, admin and exports."""

from django.db.models import Exists, OuterRef, Prefetch
from django.utils import timezone

from .models import Booking, Counsellor, OpeningHours, Slot, Studio


def studios_public():
    """Open studios with their hours and counsellors (two prefetches, whatever the count)."""
    return (Studio.objects.filter(is_active=True).select_related("town_street")
            .prefetch_related(Prefetch("hours", queryset=OpeningHours.objects.order_by("weekday", "opens")),
                              Prefetch("counsellors", queryset=Counsellor.objects.filter(is_active=True)))
            .order_by("town_street__sort_order", "name"))


def free_slots(studio, *, limit: int = 200):
    """Upcoming, not withdrawn, not booked slots of a studio, soonest first."""
    taken = Booking.objects.filter(slot=OuterRef("pk")).exclude(status=Booking.Status.CANCELLED)
    return (Slot.objects.filter(studio=studio, is_withdrawn=False, starts_at__gt=timezone.now())
            .exclude(Exists(taken)).select_related("counsellor").order_by("starts_at", "id")[:limit])


def bookable_slot(pk):
    return (Slot.objects.select_related("studio", "counsellor")
            .filter(pk=pk, is_withdrawn=False, starts_at__gt=timezone.now(), studio__is_active=True).first())
