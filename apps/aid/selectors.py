"""Reads shared by the member pages, admin, the numbers page and exports."""

import datetime
from decimal import Decimal

from django.db.models import Count, DecimalField, Exists, OuterRef, Prefetch, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from apps.core.tally import tallied

from .models import (
    AidType,
    Application,
    ApplicationStatusChange,
    ApplicationTally,
    Campaign,
    Enrolment,
    FileStatus,
    HardshipFile,
    HealthProgramme,
    Status,
)

PAID_OR_HELD = [Status.APPROVED, Status.NOTICED, Status.PAID]


def campaigns_open(today=None):
    """Published campaigns open today, with their aid types and amount tables."""
    today = today or timezone.localdate()
    return (
        Campaign.objects.filter(is_published=True, starts_on__lte=today, ends_on__gte=today)
        .prefetch_related(Prefetch("aid_types", queryset=AidType.objects.prefetch_related("amounts")))
        .order_by("ends_on", "id")
    )


def programmes_open(today=None):
    today = today or timezone.localdate()
    return HealthProgramme.objects.filter(starts_on__lte=today, ends_on__gte=today).order_by("ends_on", "id")


def applications_for_member(member):
    return (
        Application.objects.filter(member=member)
        .select_related("aid_type", "campaign")
        .order_by("-created_at", "-id")
    )


def enrolments_for_member(member):
    return Enrolment.objects.filter(member=member).select_related("programme").order_by("-enrolled_at")


def files_for_member(member):
    """The member's own hardship files (a refused or closed one shows with its reason)."""
    return HardshipFile.objects.filter(member=member).order_by("-proposed_on", "-id")


def application_history(application):
    return ApplicationStatusChange.objects.filter(application=application).order_by("at", "id")


def files_to_recheck(today=None):
    """Open files whose re-check is due within a month or past: the oldest due first."""
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=30)
    return (
        HardshipFile.objects.filter(status=FileStatus.OPEN, recheck_due__lte=horizon)
        .select_related("member", "proposed_by_union").order_by("recheck_due", "id")
    )


def file_holders_never_aided(year: int):
    """Open files whose member received no approved aid in `year`: the queue to reach out to."""
    aided = Application.objects.filter(member=OuterRef("member"), year=year, status__in=PAID_OR_HELD)
    return (
        HardshipFile.objects.filter(status=FileStatus.OPEN).filter(~Exists(aided))
        .select_related("member", "member__union", "member__town_street").order_by("level", "id")
    )


MONEY = DecimalField(max_digits=14, decimal_places=2)


def numbers_by(year: int, field: str, campaign=None):
    """Applications, approvals, money approved and paid per value of `field` (campaign,
    town_street, union or hardship_level), aggregated in the database."""
    queryset = Application.objects.filter(year=year).exclude(status__in=[Status.DRAFT, Status.CANCELLED])
    if campaign is not None:
        queryset = queryset.filter(campaign=campaign)
    label = {"campaign": "campaign__title", "town_street": "town_street__name", "union": "union__name",
             "hardship_level": "hardship_level"}[field]
    zero = Value(Decimal("0"), output_field=MONEY)
    return (
        queryset.values(label).order_by(label)
        .annotate(
            applications=Count("id"),
            approved=Count("id", filter=Q(status__in=PAID_OR_HELD)),
            amount_approved=Coalesce(Sum("amount", filter=Q(status__in=PAID_OR_HELD)), zero),
            amount_paid=Coalesce(Sum("amount", filter=Q(status=Status.PAID)), zero),
        )
    ), label


def campaign_budgets(year: int):
    zero = Value(Decimal("0"), output_field=MONEY)
    return Campaign.objects.filter(year=year).annotate(
        n_applications=Count("applications", filter=~Q(applications__status__in=[Status.DRAFT, Status.CANCELLED])),
        n_approved=Count("applications", filter=Q(applications__status__in=PAID_OR_HELD)),
        amount_approved=Coalesce(Sum("applications__amount", filter=Q(applications__status__in=PAID_OR_HELD)), zero),
        amount_paid=Coalesce(Sum("applications__amount", filter=Q(applications__status=Status.PAID)), zero),
    ).order_by("starts_on")


def members_aided_more_than_once(year: int):
    return (
        Application.objects.filter(year=year, status__in=PAID_OR_HELD)
        .values("member", "member__name", "member__union__name")
        .annotate(times=Count("id"), total=Sum("amount")).filter(times__gt=1).order_by("-times", "-total")
    )


def payment_list(queryset):
    """Applications ready for the bank (on notice or paid) in number order."""
    return queryset.filter(status__in=[Status.NOTICED, Status.PAID]).select_related("member", "union", "aid_type").order_by("number")


# Dashboard figures
def aid_year_figures(*, year: int, town: int | None = None) -> dict:
    """Per campaign of `year`: applications (drafts and merged duplicates left out), approvals
    (人次), money approved and paid against the campaign's budget; and the year's health
    programmes with their enrolments. Two queries: on PostgreSQL the campaigns' figures are summed from
    `ApplicationTally` (a few rows per campaign and town/street) instead of counted over the
    year's applications."""
    zero = Value(Decimal("0"), output_field=MONEY)
    if tallied(ApplicationTally):
        rows, town_field, amount = "tallies", "tallies__town", "tallies__amount"

        def number(condition):
            return Coalesce(Sum("tallies__n", filter=condition), 0)
    else:
        rows, town_field, amount = "applications", "applications__town_street_id", "applications__amount"

        def number(condition):
            return Count("applications", filter=condition)
    where = Q(**{town_field: town}) if town else Q()
    submitted = ~Q(**{f"{rows}__status__in": [Status.DRAFT, Status.CANCELLED]}) & where
    held = Q(**{f"{rows}__status__in": PAID_OR_HELD}) & where
    paid = Q(**{f"{rows}__status": Status.PAID}) & where
    campaigns = list(
        Campaign.objects.filter(year=year).annotate(
            n_applications=number(submitted),
            n_approved=number(held),
            amount_approved=Coalesce(Sum(amount, filter=held), zero),
            amount_paid=Coalesce(Sum(amount, filter=paid), zero),
        ).order_by("starts_on", "pk").values(
            "pk", "title", "kind", "budget", "n_applications", "n_approved", "amount_approved", "amount_paid",
        )
    )
    for row in campaigns:
        row["use_rate"] = row["amount_paid"] / row["budget"] if row["budget"] else None
    enrolled = Q(enrolments__town_street_id=town) if town else Q()
    programmes = list(
        HealthProgramme.objects.filter(year=year).annotate(n=Count("enrolments", filter=enrolled))
        .order_by("kind", "starts_on").values("pk", "title", "kind", "n")
    )
    totals = {key: sum((row[key] for row in campaigns), Decimal("0") if key.startswith(("amount", "budget")) else 0)
              for key in ("budget", "n_applications", "n_approved", "amount_approved", "amount_paid")}
    totals["enrolments"] = sum(row["n"] for row in programmes)
    return {"year": year, "campaigns": campaigns, "programmes": programmes, "totals": totals}
