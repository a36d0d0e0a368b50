"""Reads of rights data shared by pages, admin, tasks and exports (aggregates in the database)."""

import datetime

from django.db.models import (
    Avg,
    BooleanField,
    Case,
    Count,
    Exists,
    F,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.utils import timezone

from apps.core.validators import normalize_text
from apps.orgs.models import Employer
from apps.workdays.calendar import add_workdays

from .models import (
    DEFAULT_LIMIT_DAYS,
    OPEN_STATUSES,
    CaseStatusChange,
    Category,
    Channel,
    Finding,
    FollowUp,
    Grade,
    Inspection,
    Outcome,
    RightsCase,
    Season,
    Status,
    SupervisionCampaign,
    TimeLimit,
)


def time_limit_days(*, category: str, grade: str, step: str) -> int:
    """Working days allowed for `step` of a case of this category and grade (staff's table,
    else the defaults the data migration entered)."""
    days = (
        TimeLimit.objects.filter(category=category, grade=grade, step=step)
        .values_list("workdays", flat=True)
        .first()
    )
    return days if days is not None else DEFAULT_LIMIT_DAYS[step][grade]


# --- cases -----------------------------------------------------------------------------------

def cases_for_member(member) -> QuerySet[RightsCase]:
    """A member's own cases, newest first, with what the list shows."""
    return (
        RightsCase.objects.filter(member=member)
        .select_related("employer")
        .order_by("-submitted_at", "-id")
    )


def cases_for_phone(phone: str) -> QuerySet[RightsCase]:
    """The cases a non-member filed with `phone` (members follow theirs after signing in)."""
    return (
        RightsCase.objects.filter(worker_phone=phone, member__isnull=True)
        .select_related("employer")
        .order_by("-submitted_at", "-id")
    )


def case_history_for_worker(case: RightsCase) -> QuerySet[CaseStatusChange]:
    """What the worker may see of a case's history: every move, and the notes not marked
    internal (an internal note row is left out; an internal move is shown without its note)."""
    return case.changes.filter(Q(is_internal=False) | ~Q(from_status=F("to_status"))).order_by("at", "id")


def case_for_token(token) -> RightsCase | None:
    """The case a form with this idempotency token created, if any."""
    if not token:
        return None
    return RightsCase.objects.select_related("member").filter(idempotency_key=token).first()


def overdue_expression(today: datetime.date | None = None) -> Case:
    """True for an open case past its step's deadline, as an expression: usable in ordering on
    any queryset of cases (admin reuses the case admin's ordering for other admins' widgets)."""
    today = today or timezone.localdate()
    return Case(
        When(status__in=OPEN_STATUSES, due_on__lt=today, then=Value(True)),
        default=Value(False),
        output_field=BooleanField(),
    )


def cases_with_deadline_flags(queryset: QuerySet[RightsCase], today: datetime.date | None = None):
    """Annotate `is_overdue_flag`: open and past its step's deadline (for ordering overdue first)."""
    return queryset.annotate(is_overdue_flag=overdue_expression(today))


def cases_overdue(queryset: QuerySet[RightsCase], today: datetime.date | None = None):
    today = today or timezone.localdate()
    return queryset.filter(status__in=OPEN_STATUSES, due_on__lt=today)


def cases_due_within(queryset: QuerySet[RightsCase], workdays: int, today: datetime.date | None = None):
    """Open cases whose deadline falls from today to `workdays` working days ahead."""
    today = today or timezone.localdate()
    return queryset.filter(status__in=OPEN_STATUSES, due_on__gte=today, due_on__lte=add_workdays(today, workdays))


def cases_due_for_digest(today: datetime.date) -> QuerySet[RightsCase]:
    """Open cases due today or already overdue, by handler: what the morning digest lists."""
    return (
        RightsCase.objects.filter(status__in=OPEN_STATUSES, due_on__lte=today)
        .select_related("handler", "employer")
        .order_by("handler_id", "due_on", "id")
    )


def _labelled(rows, key, labels):
    return [{**row, "label": labels.get(row[key], row[key] or "—")} for row in rows]


def case_stats(*, year: int, today: datetime.date | None = None) -> dict:
    """The leadership's numbers for cases submitted in `year`, all computed by the database."""
    today = today or timezone.localdate()
    cases = RightsCase.objects.filter(year=year)
    late = CaseStatusChange.objects.filter(case=OuterRef("pk"), was_late=True)
    closed = Q(status=Status.CLOSED)
    totals = cases.annotate(ever_late=Exists(late)).aggregate(
        total=Count("id"),
        closed=Count("id", filter=closed),
        declined=Count("id", filter=Q(status=Status.DECLINED)),
        open=Count("id", filter=Q(status__in=OPEN_STATUSES)),
        closed_on_time=Count("id", filter=closed & Q(ever_late=False)),
        overdue=Count("id", filter=Q(status__in=OPEN_STATUSES, due_on__lt=today)),
        owed=Sum("amount_owed"),
        recovered=Sum("amount_recovered"),
        visited=Count("id", filter=Q(satisfaction__isnull=False)),
        satisfaction_avg=Avg("satisfaction"),
        satisfied=Count("id", filter=Q(satisfaction__gte=4)),
    )
    totals["on_time_rate"] = totals["closed_on_time"] / totals["closed"] if totals["closed"] else None
    totals["satisfied_rate"] = totals["satisfied"] / totals["visited"] if totals["visited"] else None

    def by(field, labels, queryset=cases):
        rows = (
            queryset.values(field)
            .annotate(n=Count("id"), recovered=Sum("amount_recovered"))
            .order_by("-n", field)
        )
        return _labelled(rows, field, labels)

    return {
        "year": year,
        "totals": totals,
        "by_category": by("category", dict(Category.choices)),
        "by_channel": by("channel", dict(Channel.choices)),
        "by_grade": by("grade", dict(Grade.choices), cases.exclude(status__in=[Status.SUBMITTED, Status.DECLINED])),
        "by_status": by("status", dict(Status.choices)),
        "by_outcome": by("outcome", dict(Outcome.choices), cases.filter(closed)),
        "by_town": [
            {**row, "label": row["town_street__name"] or "未填写"}
            for row in cases.values("town_street__name", "town_street__sort_order")
            .annotate(n=Count("id"), recovered=Sum("amount_recovered"))
            .order_by("town_street__sort_order", "town_street__name")
        ],
        "satisfaction": list(
            cases.filter(satisfaction__isnull=False).values("satisfaction").annotate(n=Count("id")).order_by("-satisfaction")
        ),
    }


def cases_for_export(*, year: int) -> QuerySet[RightsCase]:
    late = CaseStatusChange.objects.filter(case=OuterRef("pk"), was_late=True)
    return (
        RightsCase.objects.filter(year=year)
        .select_related("employer", "town_street", "handler")
        .annotate(ever_late=Exists(late))
        .order_by("number")
    )


# --- supervision -----------------------------------------------------------------------------

def inspection_candidates(*, today: datetime.date | None = None) -> QuerySet[Employer]:
    """Employers with two or more cases in the last 12 months and no inspection this year."""
    today = today or timezone.localdate()
    since = today - datetime.timedelta(days=365)
    recent = Q(rights_cases__submitted_at__date__gte=since)
    inspected = Inspection.objects.filter(employer=OuterRef("pk"), inspected_on__year=today.year)
    return (
        Employer.objects.annotate(
            recent_cases=Count("rights_cases", filter=recent),
            last_case_at=Max("rights_cases__submitted_at"),
            inspected_this_year=Exists(inspected),
        )
        .filter(recent_cases__gte=2, inspected_this_year=False)
        .select_related("town_street", "union")
        .order_by("-recent_cases", "name")
    )


def campaign_report(campaign: SupervisionCampaign) -> dict:
    """Per theme and for the year: employers inspected, findings, rectification rate
    (rectified problems over problems found)."""
    inspections = (
        Inspection.objects.filter(theme__campaign=campaign)
        .values("theme_id")
        .annotate(inspections=Count("id"), employers=Count("employer", distinct=True))
    )
    findings = (
        Finding.objects.filter(inspection__theme__campaign=campaign)
        .values("inspection__theme_id")
        .annotate(
            checked=Count("id"),
            problems=Count("id", filter=Q(is_compliant=False)),
            rectified=Count("id", filter=Q(follow_up=FollowUp.RECTIFIED)),
            referred=Count("id", filter=Q(follow_up=FollowUp.REFERRED)),
            open=Count("id", filter=Q(follow_up=FollowUp.OPEN)),
        )
    )
    visits = {row["theme_id"]: row for row in inspections}
    found = {row["inspection__theme_id"]: row for row in findings}
    season_order = list(Season.values)
    rows = []
    for theme in sorted(campaign.themes.all(), key=lambda t: season_order.index(t.season)):  # four rows
        counts = {"inspections": 0, "employers": 0, "checked": 0, "problems": 0, "rectified": 0,
                  "referred": 0, "open": 0}
        counts.update({k: v for k, v in visits.get(theme.pk, {}).items() if k in counts})
        counts.update({k: v for k, v in found.get(theme.pk, {}).items() if k in counts})
        counts["rate"] = counts["rectified"] / counts["problems"] if counts["problems"] else None
        rows.append({"theme": theme, **counts})
    totals = {
        key: sum(row[key] for row in rows)
        for key in ("inspections", "checked", "problems", "rectified", "referred", "open")
    }
    totals["employers"] = (
        Inspection.objects.filter(theme__campaign=campaign).values("employer").distinct().count()
    )
    totals["rate"] = totals["rectified"] / totals["problems"] if totals["problems"] else None
    return {"rows": rows, "totals": totals}


def findings_overdue(today: datetime.date | None = None) -> QuerySet[Finding]:
    today = today or timezone.localdate()
    return Finding.objects.filter(follow_up=FollowUp.OPEN, inspection__rectification_due__lt=today)


def employers_search(query: str, limit: int = 10) -> list[dict]:
    """Known employers whose name contains `query`, for the online form's chooser."""
    query = (query or "").replace("\x00", "")  # PostgreSQL refuses NUL in a string
    query, typed = normalize_text(query), query.strip()
    if len(query) < 2:
        return []
    return list(
        Employer.objects.filter(Q(name__icontains=query) | Q(name__icontains=typed))
        .select_related("town_street")
        .order_by("name")
        .values("id", "name", "town_street__name")[:limit]
    )


# Dashboard figures
def rights_year_figures(*, year: int, town: int | None = None, today: datetime.date | None = None) -> dict:
    """Cases of `year` by category, grade and outcome, money recovered, open cases overdue now,
    and the year's supervision findings with their rectification rate. Two queries."""
    from decimal import Decimal

    from django.db.models import Count, Q, Sum

    today = today or timezone.localdate()
    cases = RightsCase.objects.filter(year=year)
    findings = Finding.objects.filter(inspection__theme__campaign__year=year)
    if town:
        cases = cases.filter(town_street_id=town)
        findings = findings.filter(inspection__employer__town_street_id=town)
    # One grouped query: per category, grade, outcome and status (a few hundred groups at
    # most, whatever the number of cases); the totals and breakdowns are sums of its groups.
    groups = list(
        cases.values("category", "grade", "outcome", "status").annotate(
            n=Count("id"),
            overdue=Count("id", filter=Q(status__in=OPEN_STATUSES, due_on__lt=today)),
            owed=Sum("amount_owed"),
            recovered=Sum("amount_recovered"),
        ).order_by()
    )
    zero = Decimal("0")
    totals = {
        "total": sum(g["n"] for g in groups),
        "closed": sum(g["n"] for g in groups if g["status"] == Status.CLOSED),
        "declined": sum(g["n"] for g in groups if g["status"] == Status.DECLINED),
        "open": sum(g["n"] for g in groups if g["status"] in OPEN_STATUSES),
        "overdue": sum(g["overdue"] for g in groups),
        "owed": sum((g["owed"] or zero for g in groups), zero),
        "recovered": sum((g["recovered"] or zero for g in groups), zero),
    }

    def by(field, labels, keep=lambda g: True):
        counts: dict = {}
        for g in groups:
            if keep(g):
                row = counts.setdefault(g[field], {"n": 0, "recovered": zero})
                row["n"] += g["n"]
                row["recovered"] += g["recovered"] or zero
        order = list(labels)
        return sorted(
            ({"key": key, "label": str(labels.get(key, key or "—")), **row} for key, row in counts.items()),
            key=lambda r: order.index(r["key"]) if r["key"] in order else len(order),
        )

    seasons = dict(Season.choices)
    supervision = list(
        findings.values("inspection__theme__season").annotate(
            inspections=Count("inspection", distinct=True),
            checked=Count("id"),
            problems=Count("id", filter=Q(is_compliant=False)),
            rectified=Count("id", filter=Q(follow_up=FollowUp.RECTIFIED)),
            referred=Count("id", filter=Q(follow_up=FollowUp.REFERRED)),
            open=Count("id", filter=Q(follow_up=FollowUp.OPEN)),
            overdue=Count("id", filter=Q(follow_up=FollowUp.OPEN, inspection__rectification_due__lt=today)),
        ).order_by("inspection__theme__season")
    )
    order = list(seasons)
    supervision.sort(key=lambda r: order.index(r["inspection__theme__season"]))
    for row in supervision:
        row["label"] = str(seasons[row["inspection__theme__season"]])
        row["rate"] = row["rectified"] / row["problems"] if row["problems"] else None
    sup_totals = {k: sum(r[k] for r in supervision) for k in ("inspections", "checked", "problems", "rectified", "referred", "open", "overdue")}
    sup_totals["rate"] = sup_totals["rectified"] / sup_totals["problems"] if sup_totals["problems"] else None
    return {
        "year": year,
        "totals": totals,
        "by_category": by("category", dict(Category.choices)),
        "by_grade": by("grade", dict(Grade.choices), lambda g: g["status"] not in (Status.SUBMITTED, Status.DECLINED)),
        "by_outcome": by("outcome", dict(Outcome.choices), lambda g: g["status"] == Status.CLOSED),
        "supervision": supervision,
        "supervision_totals": sup_totals,
    }
