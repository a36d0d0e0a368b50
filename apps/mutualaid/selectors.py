"""Reads shared by the member's pages, admin, exports and the numbers page."""

import statistics
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, Sum
from django.db.models.functions import Coalesce, ExtractMonth
from django.utils import timezone

from apps.core.models import Allowance
from apps.core.tally import tallied

from .models import (
    BenefitType,
    Claim,
    ClaimStatusChange,
    ClaimTally,
    ContributionPayment,
    Enrolment,
    EnrolmentTally,
    Status,
)
from .tallies import TALLY_ZONE

ZERO = Decimal("0")


@dataclass
class CapLeft:
    name: str
    cap: Decimal
    used: Decimal

    @property
    def left(self) -> Decimal:
        return max(self.cap - self.used, ZERO)


def enrolments_for_member(member) -> list[Enrolment]:
    return list(Enrolment.objects.filter(member=member).select_related("scheme", "union").order_by("-year"))


def claims_for_member(member):
    return (
        Claim.objects.filter(member=member)
        .select_related("benefit", "fixed_item")
        .order_by("-submitted_at", "-id")
    )


def caps_left_for_member(member, enrolment: Enrolment | None) -> list[CapLeft]:
    """What is left of each yearly cap of the member's enrolment (from the cap ledger)."""
    if enrolment is None:
        return []
    from .services import cap_keys, scheme_in_force

    scheme = scheme_in_force(year=enrolment.year, on=timezone.localdate()) or enrolment.scheme
    benefits = list(BenefitType.objects.filter(scheme=scheme).order_by("sort_order", "id"))
    keys = {b.code: cap_keys(member_id=member.pk, year=enrolment.year, code=b.code) for b in benefits}
    all_key = cap_keys(member_id=member.pk, year=enrolment.year, code="")[1]
    used = dict(
        Allowance.objects.filter(key__in=[k[0] for k in keys.values()] + [all_key]).values_list("key", "used")
    )
    caps = [CapLeft(b.name, b.yearly_cap, used.get(keys[b.code][0], ZERO)) for b in benefits]
    caps.append(CapLeft("年度总限额", scheme.overall_cap, used.get(all_key, ZERO)))
    return caps


def claim_history(claim: Claim):
    return ClaimStatusChange.objects.filter(claim=claim).order_by("at", "id")


def numbers_for_year(year: int, claims=None) -> dict:
    """The year's figures: enrolment and contributions by union and by town/street, claims and
    money by benefit, the fund's balance, and claims per agency point with the median days
    from submission to payout. `claims` may be a scoped queryset (the default: all)."""
    enrolments = Enrolment.objects.filter(year=year)
    claims = (claims if claims is not None else Claim.objects.all()).filter(enrolment__year=year)
    by_union = list(
        enrolments.values("union__name").annotate(members=Count("id"), contributions=Sum("contribution"))
        .order_by("-members", "union__name")
    )
    by_town = list(
        enrolments.values("town_street__name").annotate(members=Count("id"), contributions=Sum("contribution"))
        .order_by("town_street__sort_order")
    )
    by_benefit = list(
        claims.values("benefit__name").annotate(
            claims=Count("id"),
            paid_claims=Count("id", filter=Q(status=Status.PAID)),
            approved=Sum("payable_amount", filter=Q(status__in=[Status.APPROVED, Status.PAID])),
            paid=Sum("payable_amount", filter=Q(status=Status.PAID)),
        ).order_by("benefit__name")
    )
    totals = enrolments.aggregate(members=Count("id"), contributed=Sum("contribution"))
    contributed = totals["contributed"] or ZERO
    received = ContributionPayment.objects.filter(year=year).aggregate(total=Sum("amount"))["total"] or ZERO
    paid_out = sum((row["paid"] or ZERO for row in by_benefit), ZERO)
    by_point = list(
        claims.values("agency_point__name", "town_street__name").annotate(claims=Count("id"))
        .order_by("town_street__name", "agency_point__name")
    )
    # Days from submission to payout per paid claim, grouped by town/street in the database;
    # the median per group is taken from the durations list (PostgreSQL percentile_cont would
    # tie this to one backend).
    durations = (
        claims.filter(status=Status.PAID, paid_on__isnull=False)
        .annotate(days=ExpressionWrapper(F("paid_on") - F("submitted_at__date"), output_field=DurationField()))
        .values_list("town_street__name", "agency_point__name", "days")
    )
    per_point: dict[tuple, list[int]] = {}
    for town, point, days in durations.iterator(chunk_size=5000):
        per_point.setdefault((town, point), []).append(days.days if hasattr(days, "days") else int(days))
    for row in by_point:
        values = per_point.get((row["town_street__name"], row["agency_point__name"]), [])
        row["median_days"] = statistics.median(values) if values else None
    return {
        "year": year,
        "by_union": by_union,
        "by_town": by_town,
        "by_benefit": by_benefit,
        "members": totals["members"],
        "contributed": contributed,
        "received": received,
        "paid_out": paid_out,
        "balance": received - paid_out,
        "by_point": by_point,
    }


# Dashboard figures
def _year_counted(year: int, town: int | None) -> tuple[dict, list[dict]]:
    """Enrolment totals and claims by month counted over the year's rows (SQLite; and what the
    tallies are tested against)."""
    enrolments = Enrolment.objects.filter(year=year)
    claims = Claim.objects.filter(scheme__year=year)  # the scheme of the claim's enrolment year: no join to enrolments
    if town:
        enrolments = enrolments.filter(town_street_id=town)
        claims = claims.filter(town_street_id=town)
    totals = enrolments.aggregate(members=Count("id"), contributed=Coalesce(Sum("contribution"), ZERO))
    paid = Q(status=Status.PAID)
    months = list(
        claims.annotate(m=ExtractMonth("submitted_at", tzinfo=timezone.get_current_timezone())).values("m")
        .annotate(claims=Count("id"), paid_claims=Count("id", filter=paid), paid=Coalesce(Sum("payable_amount", filter=paid), ZERO))
        .order_by("m")
    )
    return totals, months


def _year_tallied(year: int, town: int | None) -> tuple[dict, list[dict]]:
    """The same figures summed from `EnrolmentTally` and `ClaimTally`, which PostgreSQL keeps
    with every write: a few hundred rows read instead of a year's enrolments and claims."""
    enrolments = EnrolmentTally.objects.filter(year=year)
    claims = ClaimTally.objects.filter(scheme__year=year)
    if town:
        enrolments = enrolments.filter(town=town)
        claims = claims.filter(town=town)
    totals = enrolments.aggregate(members=Coalesce(Sum("n"), 0), contributed=Coalesce(Sum("contribution"), ZERO))
    paid = Q(status=Status.PAID)
    months = list(
        claims.values(m=F("month"))
        .annotate(claims=Sum("n"), paid_claims=Coalesce(Sum("n", filter=paid), 0), paid=Coalesce(Sum("payable", filter=paid), ZERO))
        .filter(claims__gt=0).order_by("m")
    )
    return totals, months


def mutualaid_year_figures(*, year: int, town: int | None = None) -> dict:
    """The year's scheme in numbers: members enrolled and contributions due, contributions
    received from unions, claims and money paid by month (in the local calendar), and the
    fund's balance (received less paid). Three queries; on PostgreSQL the enrolments and
    claims are summed from their tallies."""
    use_tally = tallied(ClaimTally) and timezone.get_current_timezone_name() == TALLY_ZONE
    totals, counted = (_year_tallied if use_tally else _year_counted)(year, town)
    payments = ContributionPayment.objects.filter(year=year)
    if town:
        payments = payments.filter(union__town_street_id=town)
    months = [{"month": m, "claims": 0, "paid_claims": 0, "paid": ZERO} for m in range(1, 13)]
    for row in counted:
        months[row["m"] - 1].update(claims=row["claims"], paid_claims=row["paid_claims"], paid=row["paid"])
    received = payments.aggregate(total=Coalesce(Sum("amount"), ZERO))["total"]
    paid_out = sum((m["paid"] for m in months), ZERO)
    totals.update({
        "received": received,
        "claims": sum(m["claims"] for m in months),
        "paid_claims": sum(m["paid_claims"] for m in months),
        "paid_out": paid_out,
        "balance": received - paid_out,
    })
    return {"year": year, "by_month": months, "totals": totals}
