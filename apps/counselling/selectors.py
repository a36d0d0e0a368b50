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


# Dashboard figures
def counselling_year_figures(*, year: int, town: int | None = None) -> dict:
    """Sessions held in `year` per studio: counts only, every count under 5 shown as "<5"
    and the total rounded when a studio's count is hidden (never a topic, a name or a note).
    One query."""
    import datetime

    from django.db.models import Count

    from .models import Session
    from .stats import small_count

    tz = timezone.get_current_timezone()
    start, end = datetime.datetime(year, 1, 1, tzinfo=tz), datetime.datetime(year + 1, 1, 1, tzinfo=tz)
    sessions = Session.objects.filter(held_at__gte=start, held_at__lt=end)
    if town:
        sessions = sessions.filter(studio__town_street_id=town)
    rows = list(sessions.values("studio__name", "studio__town_street__sort_order").annotate(n=Count("id"))
                .order_by("studio__town_street__sort_order", "studio__name"))
    total = sum(row["n"] for row in rows)
    by_studio = [{"studio": row["studio__name"], "sessions": small_count(row["n"])} for row in rows]
    if any(isinstance(row["sessions"], str) for row in by_studio) and total >= 5:
        # An exact total beside the other studios' exact counts would give the hidden one away
        # by subtraction: the total is then shown to the ten below it ("<10", "120+").
        sessions = "<10" if total < 10 else f"{total - total % 10}+"
    else:
        sessions = small_count(total)
    return {
        "year": year,
        "by_studio": by_studio,
        "sessions": sessions,
        "studios": len(rows),
    }

