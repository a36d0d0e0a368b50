"""Reads shared by the pages, the admin and the exports of the innovation space."""

import datetime

from django.db.models import Avg, Count, Exists, OuterRef, Q, Sum
from django.utils import timezone

from apps.workdays.calendar import add_workdays

from .models import Application, ProgressReport, Residency, Review, Status, Studio

# A quarter's report is due this many working days after the quarter ends.
REPORT_DUE_WORKDAYS = 10


def reviewer_conflicted(reviewer, application) -> bool:
    """Whether `reviewer` works for the employer of the application's lead or of a team member
    who is a member (uses a prefetched `team__member` when there is one)."""
    if reviewer.employer_id is None:
        return False
    employers = {application.employer_id}
    employers |= {mate.member.employer_id for mate in application.team.all() if mate.member_id}
    return reviewer.employer_id in employers


def _quarter_of(day: datetime.date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def _quarter_end(year: int, quarter: int) -> datetime.date:
    if quarter == 4:
        return datetime.date(year, 12, 31)
    return datetime.date(year, quarter * 3 + 1, 1) - datetime.timedelta(days=1)


def report_quarters_due(residency: Residency, today: datetime.date, *, include_current: bool = False):
    """(year, quarter, due_on) of each quarter of the term that has ended by `today` (and the
    running one with `include_current`): the quarters the team reports on."""
    year, quarter = _quarter_of(residency.starts_on)
    last = residency.left_on or residency.ends_on
    result = []
    while True:
        end = _quarter_end(year, quarter)
        started = datetime.date(year, quarter * 3 - 2, 1)
        if started > min(last, today):
            break
        if end < today or include_current:
            result.append((year, quarter, add_workdays(end, REPORT_DUE_WORKDAYS)))
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
    return result


def reports_overdue(residency: Residency, today: datetime.date | None = None) -> list[tuple[int, int]]:
    """The (year, quarter) whose report is past its due day and not filed (uses prefetched `reports`)."""
    today = today or timezone.localdate()
    if residency.state != Residency.State.RESIDENT:
        return []
    filed = {(r.year, r.quarter) for r in residency.reports.all()}
    return [(y, q) for y, q, due in report_quarters_due(residency, today) if due < today and (y, q) not in filed]


def scores_visible(user, application) -> bool:
    """Other reviewers' scores of `application`: a reviewer on its panel sees them only after
    submitting their own sheet (a conflicted reviewer never); other staff with the permission see them."""
    if not user.is_authenticated:
        return False
    own = Review.objects.filter(application=application, reviewer__user=user).first()
    on_panel = application.call.reviewers.filter(user=user).exists()
    if on_panel:
        return own is not None and own.submitted_at is not None
    return user.has_perm("innovation.view_all_scores")


def call_ranking(call):
    """The call's applications under review or decided, with the mean of the submitted totals
    and the number of submitted sheets, best first."""
    submitted = Q(reviews__submitted_at__isnull=False)
    return (
        Application.objects.filter(call=call, status__in=[Status.REVIEWING, Status.ADMITTED, Status.REJECTED])
        .select_related("lead", "industry")
        .annotate(mean_score=Avg("reviews__total", filter=submitted), sheets=Count("reviews", filter=submitted))
        .order_by("-mean_score", "submitted_at", "pk")
    )


def applications_for_member(member):
    return (
        Application.objects.filter(team__member=member).select_related("call", "industry")
        .distinct().order_by("-created_at")
    )


def showcase_projects(q: str = ""):
    """Resident and graduated projects whose team agreed to publish them (public fields only)."""
    rows = (
        Residency.objects.filter(
            application__publish_consent=True,
            state__in=[Residency.State.RESIDENT, Residency.State.GRADUATED],
        )
        .select_related("application__industry", "place__space")
        .order_by("-starts_on", "-pk")
    )
    if q:
        rows = rows.filter(
            Q(application__project_name__icontains=q) | Q(application__public_summary__icontains=q)
            | Q(application__industry__name__icontains=q)
        )
    return rows


def showcase_studios(q: str = ""):
    """Published studios with their city recognitions and how many adopted proposals and
    innovations (apps.competitions) count for them, in one query plus the recognitions'."""
    rows = (
        Studio.objects.filter(is_published=True).select_related("employer").prefetch_related("recognitions")
        .annotate(adopted_proposals=Count("proposals", filter=Q(proposals__status="adopted"), distinct=True))
        .order_by("name", "pk")
    )
    if q:
        rows = rows.filter(Q(name__icontains=q) | Q(leader_name__icontains=q) | Q(employer__name__icontains=q))
    return rows


def studio_public_proposals(studio):
    """The studio's adopted proposals and innovations whose authors agreed to publication."""
    return list(
        studio.proposals.filter(status="adopted", consent_public=True).select_related("member")
        .prefetch_related("co_authors").order_by("-reviewed_at", "-id")
    )


def numbers_for_year(year: int) -> dict:
    """The year's figures: applications submitted, admissions, places offered and occupied,
    reports filed and on time, jobs created and patents reported."""
    apps = Application.objects.filter(submitted_at__isnull=False, call__opens_on__year=year)
    reports = ProgressReport.objects.filter(year=year).aggregate(
        filed=Count("pk"), on_time=Count("pk", filter=Q(on_time=True)), jobs=Sum("jobs_created"),
        patents=Sum("patents"),
    )
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    from .models import Call, Place

    return {
        "year": year,
        "applications": apps.count(),
        "admissions": apps.filter(status=Status.ADMITTED).count(),
        "places_offered": Call.objects.filter(opens_on__year=year).aggregate(n=Sum("places_offered"))["n"] or 0,
        "places": Place.objects.filter(is_active=True).count(),
        "occupied": Residency.objects.filter(starts_on__lte=end, ends_on__gte=start).filter(
            Q(left_on__isnull=True) | Q(left_on__gte=start)).count(),
        "reports_filed": reports["filed"],
        "reports_on_time": reports["on_time"],
        "jobs_created": reports["jobs"] or 0,
        "patents": reports["patents"] or 0,
    }


def residencies_for_admin(queryset):
    return queryset.select_related("application__lead", "place__space").prefetch_related("reports")


def has_open_review(user):
    return Review.objects.filter(reviewer__user=user, submitted_at__isnull=True).exists()


def reviewed_exists():
    return Exists(Review.objects.filter(application=OuterRef("pk"), submitted_at__isnull=False))


# Dashboard figures
def innovation_year_figures(*, year: int, today: datetime.date | None = None) -> dict:
    """The maker space in `year`: per space, places in use and their residents today (or on
    the year's last day for a past year), and the year's applications and admissions. Two
    queries. The space is the city's, so there is no town/street breakdown."""
    from .models import Place

    today = today or timezone.localdate()
    day = min(today, datetime.date(year, 12, 31))
    on_day = (Q(residencies__starts_on__lte=day, residencies__ends_on__gte=day)
              & (Q(residencies__left_on__isnull=True) | Q(residencies__left_on__gt=day)))
    spaces = list(
        Place.objects.filter(is_active=True).values("space__name").annotate(
            places=Count("id", distinct=True),
            occupied=Count("id", filter=on_day, distinct=True),
        ).order_by("space__name")
    )
    for row in spaces:
        row["rate"] = row["occupied"] / row["places"] if row["places"] else None
    applications = Application.objects.filter(submitted_at__isnull=False, call__opens_on__year=year).aggregate(
        applications=Count("id"), admitted=Count("id", filter=Q(status=Status.ADMITTED)),
    )
    places = sum(r["places"] for r in spaces)
    occupied = sum(r["occupied"] for r in spaces)
    return {
        "year": year,
        "day": day,
        "spaces": spaces,
        "totals": {**applications, "places": places, "occupied": occupied,
                   "rate": occupied / places if places else None},
    }
