"""Reads of star ratings and evaluations for the public pages, the officer and the staff."""

from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404

from apps.orgs.models import GrassrootsUnion, TownStreet

from .models import Evaluation, EvaluationStatus, StarRating

# A union is put on the review list when its employers had this many rights cases in a year.
REPEATED_CASES = 2


def demonstration_years() -> list[int]:
    return list(
        public_ratings().filter(is_demonstration=True).order_by("-year").values_list("year", flat=True).distinct()
    )


def demonstration_unions(*, year: int) -> QuerySet[StarRating]:
    """The five-star demonstration unions of one year, with their town/street, by name."""
    return (
        public_ratings().filter(is_demonstration=True, year=year)
        .select_related("union__town_street").order_by("union__town_street__sort_order", "union__name")
    )


def public_ratings() -> QuerySet[StarRating]:
    """Star ratings in force on the public site: not withdrawn (摘星)."""
    return StarRating.objects.filter(withdrawn_on__isnull=True)


def rating_years() -> list[int]:
    return list(public_ratings().order_by("-year").values_list("year", flat=True).distinct())


def rated_unions(*, year: int | None, q: str = "", town: TownStreet | None = None,
                 level: int | None = None) -> QuerySet[StarRating]:
    """The public list of /stars/: one year's ratings, highest level first, filtered."""
    ratings = public_ratings()
    if year:
        ratings = ratings.filter(year=year)
    if q:
        ratings = ratings.filter(union__name__icontains=q)
    if town is not None:
        ratings = ratings.filter(union__town_street=town)
    if level:
        ratings = ratings.filter(level=level)
    return ratings.select_related("union__town_street").order_by("-level", "union__town_street__sort_order",
                                                                  "union__name", "id")


def public_union_get(pk: int) -> GrassrootsUnion:
    """A union with at least one star rating (past or withdrawn), or 404."""
    union = GrassrootsUnion.objects.filter(pk=pk, star_ratings__isnull=False).select_related("town_street").first()
    if union is None:
        raise Http404("no star history for this union")
    return union


def union_star_history(union: GrassrootsUnion) -> list[StarRating]:
    """Every year's rating of a union, withdrawn ones included (with their reason), newest first."""
    return list(StarRating.objects.filter(union=union).order_by("-year"))


def published_five_star(*, year: int | None = None) -> QuerySet[StarRating]:
    """Published five-star demonstration results, for any app that lists them (the honour roll)."""
    ratings = public_ratings().filter(is_demonstration=True)
    return ratings.filter(year=year) if year else ratings


def unions_not_submitted(*, year: int) -> QuerySet[GrassrootsUnion]:
    """Active unions without a submitted (or later) evaluation for `year`."""
    done = Evaluation.objects.filter(union=OuterRef("pk"), year=year).exclude(
        status__in=[EvaluationStatus.DRAFT, EvaluationStatus.RETURNED]
    )
    return (GrassrootsUnion.objects.filter(is_active=True).exclude(Exists(done))
            .select_related("town_street").order_by("town_street__sort_order", "name"))


@dataclass
class ReviewItem:
    rating: StarRating
    reasons: list[str] = field(default_factory=list)
    cases: int = 0


def review_list(*, year: int) -> list[ReviewItem]:
    """Stars to re-examine in `year` (动态管理): ratings in force whose validity has run out,
    and unions whose employers had REPEATED_CASES or more rights cases in the year."""
    from django.utils.translation import gettext as _

    from apps.rights.models import RightsCase

    cases = dict(
        RightsCase.objects.filter(year=year, employer__union__isnull=False)
        .values_list("employer__union_id").annotate(n=Count("id")).values_list("employer__union_id", "n")
    )
    busy = {uid for uid, n in cases.items() if n >= REPEATED_CASES}
    ratings = (
        public_ratings().filter(Q(union_id__in=busy) | Q(evaluation__valid_until_year__lt=year))
        .filter(year__gte=year - 10).select_related("union__town_street", "evaluation").order_by("union__name", "-year")
    )
    items, seen = [], set()
    for rating in ratings:
        if rating.union_id in seen:
            continue
        seen.add(rating.union_id)
        item = ReviewItem(rating, cases=cases.get(rating.union_id, 0))
        if rating.union_id in busy:
            item.reasons.append(_("本年度所属单位维权案件 %(n)d 件") % {"n": item.cases})
        if rating.evaluation_id and rating.evaluation.valid_until_year and rating.evaluation.valid_until_year < year:
            item.reasons.append(_("星级有效期已满（至 %(y)d 年度），须重新评定") % {"y": rating.evaluation.valid_until_year})
        items.append(item)
    return items


@dataclass
class TownRow:
    town: TownStreet
    unions: int = 0
    submitted: int = 0
    reviewed: int = 0
    levels: dict = field(default_factory=lambda: {n: 0 for n in range(1, 6)})


def overview(*, year: int) -> list[TownRow]:
    """Per town/street: unions, evaluations submitted, reviewed and published per level."""
    rows = {t.pk: TownRow(t) for t in TownStreet.objects.order_by("sort_order")}
    for tid, n in (GrassrootsUnion.objects.filter(is_active=True).values_list("town_street")
                   .annotate(n=Count("id")).values_list("town_street", "n")):
        rows[tid].unions = n
    after_submit = [EvaluationStatus.SUBMITTED, EvaluationStatus.REVIEWED, EvaluationStatus.PUBLISHED,
                    EvaluationStatus.WITHDRAWN]
    reviewed = [EvaluationStatus.REVIEWED, EvaluationStatus.PUBLISHED, EvaluationStatus.WITHDRAWN]
    stats = (Evaluation.objects.filter(year=year).values("union__town_street")
             .annotate(submitted=Count("id", filter=Q(status__in=after_submit)),
                       reviewed=Count("id", filter=Q(status__in=reviewed)),
                       **{f"l{n}": Count("id", filter=Q(status=EvaluationStatus.PUBLISHED, level=n))
                          for n in range(1, 6)}))
    for stat in stats:
        row = rows[stat["union__town_street"]]
        row.submitted, row.reviewed = stat["submitted"], stat["reviewed"]
        row.levels = {n: stat[f"l{n}"] for n in range(1, 6)}
    return list(rows.values())


def officer_notices(user) -> QuerySet:
    """The star-rating notices of an officer's login (shared staff notices linking to the
    self-assessment page), newest first."""
    from django.urls import reverse

    from apps.notify.models import StaffNotice

    return StaffNotice.objects.filter(user=user, link__startswith=reverse("stars:assess")).order_by("-created_at", "-id")


# Dashboard figures
def stars_year_figures(*, year: int, town: int | None = None) -> dict:
    """Unions by star level held for `year` (withdrawn stars left out), five-star
    demonstration unions, and the year's self-assessments by status. Two queries."""
    ratings = StarRating.objects.filter(year=year, withdrawn_on__isnull=True)
    evaluations = Evaluation.objects.filter(year=year)
    if town:
        ratings = ratings.filter(union__town_street_id=town)
        evaluations = evaluations.filter(union__town_street_id=town)
    counts = {row["level"]: row for row in ratings.values("level").annotate(
        n=Count("id"), demonstration=Count("id", filter=Q(is_demonstration=True))).order_by("level")}
    levels = [
        {"level": level, "label": str(label), "n": counts.get(level, {}).get("n", 0)}
        for level, label in StarRating.Level.choices
    ]
    statuses = dict(EvaluationStatus.choices)
    by_status = {row["status"]: row["n"] for row in evaluations.values("status").annotate(n=Count("id")).order_by()}
    return {
        "year": year,
        "levels": levels,
        "rated": sum(row["n"] for row in levels),
        "demonstration": sum(row["demonstration"] for row in counts.values()),
        "evaluations": [{"status": k, "label": str(v), "n": by_status.get(k, 0)} for k, v in statuses.items()],
        "submitted": sum(n for k, n in by_status.items() if k != EvaluationStatus.DRAFT),
    }
