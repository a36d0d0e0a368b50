"""Reads of the public honour rolls, shared by the pages, the admin and the tests.

Only published entries of published programmes are public; every public read starts from
`public_entries()` so that rule lives once.
"""

from dataclasses import dataclass, field

from django.db.models import Count, F, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from apps.orgs.models import TownStreet

from .models import KIND_SLUGS, ROLL_SLUGS, AwardKind, AwardProgramme, HonourEntry

# The order the rolls appear in on /honours/.
ROLL_ORDER = [
    AwardKind.MOST_BEAUTIFUL_WORKER,
    AwardKind.FIVE_STAR_UNION,
    AwardKind.WORKER_PIONEER,
    AwardKind.CRAFTSMAN,
]



@dataclass(frozen=True)
class RollInfo:
    title: str
    icon: str  # a bootstrap-icons name
    intro: str
    unit: str  # the measure word for a count: 名 for people, 个 for teams and unions


ROLL_INFO = {
    AwardKind.MOST_BEAUTIFUL_WORKER: RollInfo(
        _("义乌市“最美职工”"), "star-fill", _("市总工会评选表彰的各行各业“最美职工”。"), _("名")
    ),
    AwardKind.FIVE_STAR_UNION: RollInfo(
        _("“五星级示范工会”"), "stars", _("“星级工会”创建中命名的五星级示范基层工会。"), _("个")
    ),
    AwardKind.WORKER_PIONEER: RollInfo(
        _("义乌市“工人先锋号”"), "flag-fill", _("“工人先锋号”创建活动中表彰的先进班组和集体。"), _("个")
    ),
    AwardKind.CRAFTSMAN: RollInfo(
        _("“义乌工匠”"), "tools", _("“义乌工匠”评选活动中评出的工匠。"), _("名")
    ),
}


def roll_kind_for_slug(slug: str) -> str:
    """The award kind behind a roll's public slug, or 404."""
    try:
        return ROLL_SLUGS[slug]
    except KeyError:
        raise Http404("no such honour roll") from None


def public_entries() -> QuerySet[HonourEntry]:
    return HonourEntry.objects.filter(is_published=True, programme__is_published=True)


def entries_visible_to(user) -> QuerySet[HonourEntry]:
    """Public entries, or every entry for staff allowed to view entries (the admin's previews)."""
    if user.is_authenticated and user.is_staff and user.has_perm("awards.view_honourentry"):
        return HonourEntry.objects.all()
    return public_entries()


def roll_entries(*, kind: str, q: str = "", year: int | None = None, town: TownStreet | None = None):
    """Public entries of one roll, filtered, in display order, with what the list shows joined.

    `q` matches the entry's name, its employer's name or its union's name.
    """
    entries = public_entries().filter(programme__kind=kind)
    if q:
        entries = entries.filter(Q(name__icontains=q) | Q(employer__name__icontains=q) | Q(union__name__icontains=q))
    if year:
        entries = entries.filter(programme__year=year)
    if town is not None:
        entries = entries.filter(town_street=town)
    return entries.select_related("programme", "employer", "union", "town_street").order_by(
        "-programme__year", "sort_order", "id"
    )


def roll_years(*, kind: str) -> list[int]:
    """Years with a published programme of this kind, newest first."""
    return list(
        AwardProgramme.objects.filter(kind=kind, is_published=True)
        .order_by("-year").values_list("year", flat=True).distinct()
    )


def public_entry_get(*, kind: str, pk: int) -> HonourEntry:
    """One public entry of the roll `kind`, or 404 (unpublished, other roll, missing)."""
    entry = (
        public_entries().filter(programme__kind=kind, pk=pk)
        .select_related("programme", "employer", "union", "town_street").first()
    )
    if entry is None:
        raise Http404("no such honour-roll entry")
    return entry


@dataclass
class RollSummary:
    kind: str
    info: RollInfo
    slug: str
    count: int = 0
    years: list[int] = field(default_factory=list)


def roll_summaries() -> list[RollSummary]:
    """Each roll with its number of public entries and its years, from one aggregate query."""
    summaries = {kind: RollSummary(kind, ROLL_INFO[kind], KIND_SLUGS[kind]) for kind in ROLL_ORDER}
    rows = (
        public_entries().values("programme__kind", "programme__year")
        .annotate(n=Count("id")).order_by("-programme__year")
    )
    for row in rows:
        summary = summaries[row["programme__kind"]]
        summary.count += row["n"]
        summary.years.append(row["programme__year"])
    return [summaries[kind] for kind in ROLL_ORDER]


# --- Nominations ---------------------------------------------------------------------------

def programmes_running():
    """Programmes that take nominations (a window is set), whatever today is."""
    return AwardProgramme.objects.filter(opens_on__isnull=False, closes_on__isnull=False)


def programmes_open(*, today):
    return programmes_running().filter(opens_on__lte=today, closes_on__gte=today).order_by("closes_on", "id")


def employers_for_nominator(user, *, channel: str):
    """The employers whose teams a login may nominate: its union's, or its town's."""
    from apps.orgs.models import Employer
    from apps.orgs.selectors import agency_town_ids, officer_union_ids

    from .models import NominationChannel

    if channel == NominationChannel.TOWN:
        return Employer.objects.filter(town_street_id__in=agency_town_ids(user)).order_by("name")
    return Employer.objects.filter(union_id__in=officer_union_ids(user)).order_by("name")


def nomination_initial(nomination) -> dict:
    return {
        "document_number": nomination.member.document_number if nomination.member_id else "",
        "team_name": nomination.team_name, "team_employer": nomination.team_employer_id,
        "team_size": nomination.team_size, "team_leader": nomination.team_leader,
        "deeds": nomination.deeds, "contact_phone": nomination.contact_phone,
    }


def member_honours(member):
    return (
        HonourEntry.objects.filter(member=member, is_published=True, programme__is_published=True)
        .select_related("programme", "employer").order_by("-programme__year", "id")
    )


def member_nominations(member):
    """The member's own nominations once submitted (drafts stay the officer's)."""
    from .models import Nomination, NominationStatus

    return (
        Nomination.objects.filter(member=member)
        .exclude(status__in=[NominationStatus.DRAFT, NominationStatus.WITHDRAWN])
        .select_related("programme").order_by("-created_at")
    )


# --- Numbers per programme -----------------------------------------------------------------

SHORTLIST_REACHED = ("shortlisted", "on_notice", "awarded", "not_awarded")


def _counts(queryset, group: str) -> list[dict]:
    """Nominations grouped by `group` (a values() path), with the stages they reached."""
    return list(
        queryset.exclude(status__in=["draft", "withdrawn"]).values(name=F(group))
        .annotate(
            nominated=Count("id"),
            shortlisted=Count("id", filter=Q(status__in=SHORTLIST_REACHED)),
            awarded=Count("id", filter=Q(status="awarded")),
        ).order_by("-nominated", "name")
    )


def programme_numbers(programme) -> dict:
    """Per programme: nominations by union and by town/street, shortlisted, decided, objections."""
    from apps.notices.models import Objection, ObjectionStatus

    from .models import NominationStatus

    nominations = programme.nominations.all()
    totals = nominations.aggregate(
        drafts=Count("id", filter=Q(status=NominationStatus.DRAFT)),
        nominated=Count("id", filter=~Q(status__in=[NominationStatus.DRAFT, NominationStatus.WITHDRAWN])),
        shortlisted=Count("id", filter=Q(status__in=SHORTLIST_REACHED)),
        awarded=Count("id", filter=Q(status=NominationStatus.AWARDED)),
        not_awarded=Count("id", filter=Q(status=NominationStatus.NOT_AWARDED)),
        rejected=Count("id", filter=Q(status=NominationStatus.REJECTED)),
        flagged=Count("id", filter=Q(recently_awarded=True)),
    )
    objections = Objection.objects.filter(notice__source=f"awards.programme:{programme.pk}").aggregate(
        total=Count("id"), open=Count("id", filter=Q(status=ObjectionStatus.OPEN)),
    )
    totals["objections"] = objections["total"]
    totals["objections_open"] = objections["open"]
    return {
        "totals": totals,
        "by_union": _counts(nominations, "union__name"),
        "by_town": _counts(nominations, "town_street__name"),
    }


# --- Competition winners on the honour rolls (apps.competitions) --------------------------

COMPETITION_ROLL_SLUG = "competition-winners"
COMPETITION_ROLL_INFO = RollInfo(
    _("劳动和技能竞赛获奖者"), "trophy-fill",
    _("市总工会和基层工会举办的劳动和技能竞赛中获奖或被授予市级称号的职工（姓名已部分遮蔽）。"), _("名"),
)


def competition_roll_summary() -> RollSummary:
    """The competition roll's count and years, from one aggregate query."""
    from apps.competitions.selectors import winners_published

    summary = RollSummary("competitions", COMPETITION_ROLL_INFO, COMPETITION_ROLL_SLUG)
    rows = (winners_published().values("event__competition__year").annotate(n=Count("id"))
            .order_by("-event__competition__year"))
    for row in rows:
        summary.count += row["n"]
        summary.years.append(row["event__competition__year"])
    return summary


def competition_roll_years() -> list[int]:
    from apps.competitions.selectors import winners_published

    return list(winners_published().order_by("-event__competition__year")
                .values_list("event__competition__year", flat=True).distinct())


def competition_roll_entries(*, q: str = "", year: int | None = None, town: TownStreet | None = None):
    """Published prize winners and city titles, filtered; `q` matches the competition, the
    event, the trade, the union or the title (never a person's name: names are shown masked)."""
    from apps.competitions.selectors import winners_published

    entries = winners_published()
    if q:
        entries = entries.filter(
            Q(event__competition__name__icontains=q) | Q(event__name__icontains=q) | Q(event__trade__icontains=q)
            | Q(member__union__name__icontains=q) | Q(city_title__icontains=q)
        )
    if year:
        entries = entries.filter(event__competition__year=year)
    if town is not None:
        entries = entries.filter(member__town_street=town)
    return entries.select_related("member__union", "member__town_street", "event__competition").order_by(
        "-event__competition__year", "event__competition_id", "event_id", "rank", "id"
    )


def entry_studios(entry):
    """The published innovation studios (apps.innovation) led under this honour."""
    from apps.innovation.models import Studio

    return list(Studio.objects.filter(honour=entry, is_published=True).select_related("employer").order_by("name"))


# Dashboard figures
def awards_year_figures(*, year: int, town: int | None = None) -> dict:
    """Nominations of `year`'s programmes by award, with their decisions, and the year's
    published honour-roll entries per award. Two queries."""
    from .models import Nomination, NominationStatus

    nominations = Nomination.objects.filter(programme__year=year).exclude(status=NominationStatus.DRAFT)
    entries = HonourEntry.objects.filter(programme__year=year, is_published=True)
    if town:
        nominations = nominations.filter(town_street_id=town)
        entries = entries.filter(town_street_id=town)
    S = NominationStatus
    counts = {row["programme__kind"]: row for row in nominations.values("programme__kind").annotate(
        nominated=Count("id"),
        shortlisted=Count("id", filter=Q(status__in=[S.SHORTLISTED, S.ON_NOTICE, S.AWARDED, S.NOT_AWARDED])),
        awarded=Count("id", filter=Q(status=S.AWARDED)),
        not_awarded=Count("id", filter=Q(status__in=[S.NOT_AWARDED, S.REJECTED])),
        pending=Count("id", filter=Q(status__in=[S.SUBMITTED, S.SHORTLISTED, S.ON_NOTICE])),
    ).order_by()}
    on_roll = {row["programme__kind"]: row["n"] for row in
               entries.values("programme__kind").annotate(n=Count("id")).order_by()}
    keys = ("nominated", "shortlisted", "awarded", "not_awarded", "pending")
    rows = [
        {"kind": kind, "label": str(label), **{k: counts.get(kind, {}).get(k, 0) for k in keys},
         "on_roll": on_roll.get(kind, 0)}
        for kind, label in AwardKind.choices
    ]
    totals = {k: sum(r[k] for r in rows) for k in (*keys, "on_roll")}
    return {"year": year, "by_kind": rows, "totals": totals}


def honour_rolls_for_year(*, year: int, limit: int = 300) -> list[dict]:
    """The year's published honour-roll entries (name, employer, award), for the work report."""
    return list(
        HonourEntry.objects.filter(programme__year=year, is_published=True, programme__is_published=True)
        .values("programme__kind", "programme__title", "name", "employer__name", "union__name")
        .order_by("programme__kind", "sort_order", "name")[:limit]
    )
