"""Numbers without personal data: counts by studio, month and topic, rates and averages.

Every count under 5 is shown as "<5" (small_count) so that a single person cannot be picked
out of a table; no name, phone, contact or note is ever read here."""

import datetime

from django.db.models import Avg, Count, F, Q
from django.db.models.functions import ExtractMonth
from django.utils import timezone

from .models import AnonymousRequest, Session, SessionTopic, Topic

SMALL = 5


def small_count(n: int) -> str | int:
    return "<5" if n < SMALL else n


def _year_span(year: int):
    tz = timezone.get_current_timezone()
    start = datetime.datetime(year, 1, 1, tzinfo=tz)
    return start, datetime.datetime(year + 1, 1, 1, tzinfo=tz)


def counselling_stats(*, year: int) -> dict:
    """The year's numbers, all aggregated in the database (a fixed number of queries)."""
    start, end = _year_span(year)
    sessions = Session.objects.filter(held_at__gte=start, held_at__lt=end)
    tz = timezone.get_current_timezone()
    per_month = {}
    rows = (sessions.annotate(month=ExtractMonth("held_at", tzinfo=tz)).values("studio__name", "month")
            .annotate(n=Count("id")).order_by("studio__name", "month"))
    for row in rows:
        per_month.setdefault(row["studio__name"], [0] * 12)[row["month"] - 1] = row["n"]
    by_studio = [
        {"studio": name, "months": [small_count(n) for n in months], "total": small_count(sum(months))}
        for name, months in per_month.items()
    ]
    labels = dict(Topic.choices)
    # A session of several topic categories counts once under each of them.
    by_topic = [
        {"topic": str(labels.get(r["topic"], r["topic"])), "count": small_count(r["n"])}
        for r in SessionTopic.objects.filter(session__held_at__gte=start, session__held_at__lt=end)
        .values("topic").annotate(n=Count("session_id", distinct=True)).order_by("topic")
    ]
    totals = sessions.aggregate(
        total=Count("id"), no_show=Count("id", filter=Q(outcome=Session.Outcome.NO_SHOW)),
        waiting=Avg("waiting_days"),
    )
    requests = AnonymousRequest.objects.filter(created_at__gte=start, created_at__lt=end).aggregate(
        total=Count("id"),
        on_time=Count("id", filter=Q(called_back_on__isnull=False, called_back_on__lte=F("callback_due"))),
    )
    total = totals["total"]
    return {
        "year": year,
        "by_studio": by_studio,
        "by_topic": by_topic,
        "sessions": small_count(total),
        "no_show_rate": round(100 * totals["no_show"] / total, 1) if total >= SMALL else None,
        "waiting_days": round(totals["waiting"], 1) if totals["waiting"] is not None and total >= SMALL else None,
        "requests": small_count(requests["total"]),
        "requests_on_time_rate": (round(100 * requests["on_time"] / requests["total"], 1)
                                  if requests["total"] >= SMALL else None),
    }
