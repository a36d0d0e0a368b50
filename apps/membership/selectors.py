"""Reads shared by pages, admin and exports: employer search, likely duplicates, numbers."""

import datetime
import statistics
from dataclasses import dataclass, field
from itertools import combinations

from django.db.models import Count, F, Q, Sum, Window
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from apps.core.tally import tallied
from apps.core.validators import normalize_text
from apps.members.models import Member, MemberTally
from apps.orgs.models import Employer, TownStreet

from .models import (
    JOIN_OPEN,
    JoinRequest,
    JoinStatus,
    ProfileChangeRequest,
    Transfer,
    TransferStatus,
)

EMPLOYER_SEARCH_LIMIT = 10


def employers_search(query: str, limit: int = EMPLOYER_SEARCH_LIMIT) -> list[dict]:
    """Known employers whose name contains `query` (at least 2 characters), for the join and
    transfer forms: id, name and town/street only (nothing personal)."""
    query = (query or "").replace("\x00", "")  # PostgreSQL refuses NUL in a string
    query, typed = normalize_text(query), query.strip()
    if len(query) < 2:
        return []
    rows = (
        Employer.objects.filter(Q(name__icontains=query) | Q(name__icontains=typed))
        .select_related("town_street")
        .order_by("name")[:limit]
    )
    return [
        {"id": e.pk, "name": e.name, "town_street": e.town_street_id, "town_street_name": e.town_street.full_name}
        for e in rows
    ]


def open_transfer_for_member(member):
    return (
        Transfer.objects.filter(member=member, status__in=[TransferStatus.PENDING_RELEASE, TransferStatus.PENDING_ACCEPT])
        .select_related("from_union", "to_union", "to_employer")
        .prefetch_related("changes")
        .first()
    )


def transfers_for_member(member):
    return (
        Transfer.objects.filter(member=member)
        .select_related("from_union", "to_union", "to_employer")
        .prefetch_related("changes")
        .order_by("-requested_at")
    )


def change_requests_for_member(member):
    return ProfileChangeRequest.objects.filter(member=member).order_by("-submitted_at")


# ---- likely duplicates ---------------------------------------------------------------------
@dataclass
class DuplicatePair:
    first: Member
    second: Member
    reasons: list[str] = field(default_factory=list)

    @property
    def members(self) -> tuple[Member, Member]:
        return self.first, self.second


DUPLICATE_RULES = [
    ("document", "证件号码相同（不同证件类型）", ["document_number"], Q()),
    ("name_phone", "姓名和手机号相同", ["name", "phone"], ~Q(phone="")),
    ("name_birth_union", "姓名、出生日期和所属工会相同", ["name", "birth_date", "union_id"], Q(birth_date__isnull=False)),
]


def duplicate_pairs(limit: int = 200) -> list[DuplicatePair]:
    """Pairs of members that are likely the same person, by each rule of DUPLICATE_RULES.

    One query per rule: a window count over the rule's key keeps only members whose key is
    shared, with their union and town joined; pairing is done in memory. The number of queries
    does not depend on the number of members or pairs. At most `limit` pairs.
    """
    pairs: dict[tuple[int, int], DuplicatePair] = {}
    for _code, label, keys, condition in DUPLICATE_RULES:
        members = (
            Member.objects.filter(condition)
            .annotate(shared=Window(Count("pk"), partition_by=[F(k) for k in keys]))
            .filter(shared__gt=1)
            .select_related("union", "town_street")
            .order_by(*keys, "pk")[: limit * 2]
        )
        by_key: dict[tuple, list[Member]] = {}
        for member in members:
            by_key.setdefault(tuple(getattr(member, k) for k in keys), []).append(member)
        for group in by_key.values():
            for first, second in combinations(group, 2):
                pair = pairs.setdefault((first.pk, second.pk), DuplicatePair(first, second))
                pair.reasons.append(label)
        if len(pairs) >= limit:
            break
    return list(pairs.values())[:limit]


# ---- numbers -------------------------------------------------------------------------------
@dataclass
class MonthTownRow:
    month: datetime.date
    town_street: TownStreet
    requests: int = 0
    approved: int = 0
    declined: int = 0
    median_days: float | None = None
    transfers: int = 0


def _year_bounds(year: int):
    tz = timezone.get_current_timezone()
    start = datetime.datetime(year, 1, 1, tzinfo=tz)
    return start, datetime.datetime(year + 1, 1, 1, tzinfo=tz)


def membership_numbers(*, year: int, town_street_id: int | None = None) -> list[MonthTownRow]:
    """Per month and town/street of `year`: join requests received, approvals and declines
    decided, median days to decide, transfers completed into the town. Four queries."""
    start, end = _year_bounds(year)
    towns = {t.pk: t for t in TownStreet.objects.all()}
    rows: dict[tuple, MonthTownRow] = {}

    def row(month, town_id):
        key = (month.date() if isinstance(month, datetime.datetime) else month, town_id)
        if key not in rows:
            rows[key] = MonthTownRow(month=key[0], town_street=towns[town_id])
        return rows[key]

    joins = JoinRequest.objects.all()
    transfers = Transfer.objects.filter(status=TransferStatus.COMPLETED)
    if town_street_id:
        joins = joins.filter(town_street_id=town_street_id)
        transfers = transfers.filter(to_town_street_id=town_street_id)
    received = (
        joins.filter(submitted_at__gte=start, submitted_at__lt=end)
        .annotate(month=TruncMonth("submitted_at")).values("month", "town_street_id")
        .annotate(n=Count("pk")).order_by()
    )
    for item in received:
        row(item["month"], item["town_street_id"]).requests = item["n"]
    # One row per decision, grouped here: the median needs no database-specific SQL, so the
    # page works on SQLite (make run) as on PostgreSQL.
    decided = (
        joins.filter(decided_at__gte=start, decided_at__lt=end, status__in=[JoinStatus.APPROVED, JoinStatus.DECLINED])
        .annotate(month=TruncMonth("decided_at")).values_list("month", "town_street_id", "status", "decided_at", "submitted_at")
        .order_by()
    )
    durations: dict[tuple, list[float]] = {}
    for month, town_id, status, decided_at, submitted_at in decided:
        target = row(month, town_id)
        if status == JoinStatus.APPROVED:
            target.approved += 1
        else:
            target.declined += 1
        durations.setdefault((target.month, town_id), []).append((decided_at - submitted_at).total_seconds() / 86400)
    for key, days in durations.items():
        rows[key].median_days = round(statistics.median(days), 1)
    moved = (
        transfers.filter(finished_at__gte=start, finished_at__lt=end)
        .annotate(month=TruncMonth("finished_at")).values("month", "to_town_street_id")
        .annotate(n=Count("pk")).order_by()
    )
    for item in moved:
        row(item["month"], item["to_town_street_id"]).transfers = item["n"]
    return sorted(rows.values(), key=lambda r: (r.month, r.town_street.sort_order, r.town_street.pk))


def open_join_requests_count(union_ids: list[int] | None) -> int:
    qs = JoinRequest.objects.filter(status__in=JOIN_OPEN)
    if union_ids is not None:
        qs = qs.filter(union_id__in=union_ids)
    return qs.count()


# Dashboard figures
def _members_by_town_counted(*, year: int, town: int | None) -> list[dict]:
    """Counted over the member table itself (SQLite; and what the tally is tested against).
    Over the member table alone, then named: joining the towns before grouping a million rows
    costs the database as much again as the counting."""
    members = Member.objects.all() if not town else Member.objects.filter(town_street_id=town)
    status = Member.Status
    return list(
        members.values("town_street_id")
        .annotate(
            total=Count("*"),
            active=Count("id", filter=Q(status=status.ACTIVE)),
            transferred=Count("id", filter=Q(status=status.TRANSFERRED)),
            withdrawn=Count("id", filter=Q(status=status.WITHDRAWN)),
            joined=Count("id", filter=Q(joined_on__year=year)),
            with_login=Count("id", filter=Q(status=status.ACTIVE, user__isnull=False)),
        )
        .order_by()
    )


def _members_by_town_tallied(*, year: int, town: int | None) -> list[dict]:
    """The same figures summed from `MemberTally`, which PostgreSQL keeps with every write to
    the member table: a few thousand rows read instead of a million counted."""
    tally = MemberTally.objects.all() if not town else MemberTally.objects.filter(town_street_id=town)
    status = Member.Status

    def total(condition=None):
        return Coalesce(Sum("n", filter=condition), 0)

    return list(
        tally.values("town_street_id")
        .annotate(
            total=total(),
            active=total(Q(status=status.ACTIVE)),
            transferred=total(Q(status=status.TRANSFERRED)),
            withdrawn=total(Q(status=status.WITHDRAWN)),
            joined=total(Q(joined_year=year)),
            with_login=total(Q(status=status.ACTIVE, with_login=True)),
        )
        .filter(total__gt=0)
        .order_by()
    )


def members_by_town(*, year: int, town: int | None = None) -> list[dict]:
    """Members of each town/street (or of `town`): total, active, transferred, withdrawn, joined
    in `year`, active with a login; one query, unnamed and unordered."""
    if tallied(MemberTally):
        return _members_by_town_tallied(year=year, town=town)
    return _members_by_town_counted(year=year, town=town)


def members_year_figures(*, year: int, town: int | None = None) -> dict:
    """Members by town/street and status (as they stand), members joined in `year`, and the
    year's join requests and completed transfers by month. Four queries, all aggregated in
    the database (the fourth names the towns/streets counted)."""
    from django.db.models.functions import ExtractMonth

    start, end = _year_bounds(year)
    tz = timezone.get_current_timezone()
    joins = JoinRequest.objects.filter(submitted_at__gte=start, submitted_at__lt=end)
    transfers = Transfer.objects.filter(status=TransferStatus.COMPLETED, finished_at__gte=start, finished_at__lt=end)
    if town:
        joins = joins.filter(town_street_id=town)
        transfers = transfers.filter(to_town_street_id=town)
    by_town = members_by_town(year=year, town=town)
    towns = {t["pk"]: t for t in TownStreet.objects.filter(pk__in=[r["town_street_id"] for r in by_town])
             .values("pk", "name", "sort_order")}
    for row in by_town:
        town_row = towns.get(row["town_street_id"], {})
        row["town_street__name"], row["town_street__sort_order"] = town_row.get("name"), town_row.get("sort_order")
    by_town.sort(key=lambda r: (r["town_street__sort_order"] is None, r["town_street__sort_order"] or 0,
                                r["town_street__name"] or ""))
    months = [{"month": m, "requests": 0, "approved": 0, "declined": 0, "transfers": 0} for m in range(1, 13)]
    for row in (
        joins.annotate(m=ExtractMonth("submitted_at", tzinfo=tz)).values("m")
        .annotate(
            n=Count("id"),
            approved=Count("id", filter=Q(status=JoinStatus.APPROVED)),
            declined=Count("id", filter=Q(status=JoinStatus.DECLINED)),
        ).order_by("m")
    ):
        months[row["m"] - 1].update(requests=row["n"], approved=row["approved"], declined=row["declined"])
    for row in transfers.annotate(m=ExtractMonth("finished_at", tzinfo=tz)).values("m").annotate(n=Count("id")).order_by("m"):
        months[row["m"] - 1]["transfers"] = row["n"]
    totals = {key: sum(r[key] for r in by_town) for key in ("total", "active", "transferred", "withdrawn", "joined", "with_login")}
    totals.update({key: sum(m[key] for m in months) for key in ("requests", "approved", "declined", "transfers")})
    return {"year": year, "by_town": by_town, "by_month": months, "totals": totals}
