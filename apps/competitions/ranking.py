"""Totals, ranks and awards: pure functions of the scores, with no database.

- `weighted_total`: the rounds' scores scaled to 100 and weighted, in Decimal, to 0.01.
- `rank_entries`: standard competition ranking, ties share a rank and the next rank skips
  (1, 2, 2, 4); with the practical tie-break a tie on the total is decided by the practical
  score, and only a tie on both is shared.
- `awards_assign`: prizes from the ranks, by count (first N places) or by share (a percentage
  of the ranked entrants, rounded half up). A tie at a boundary keeps the higher prize for all
  who share the rank, so no two equal results get different prizes.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
AWARD_ORDER = ("first", "second", "third", "merit")


@dataclass(frozen=True)
class Entry:
    key: object
    total: Decimal
    practical: Decimal | None = None


def weighted_total(parts: Iterable[tuple[Decimal, Decimal, Decimal]]) -> Decimal:
    """`parts` are (points, full_marks, weight %) per round; the weights need not add to 100
    (the total is normalised by their sum)."""
    parts = list(parts)
    weights = sum((Decimal(w) for _, _, w in parts), Decimal("0"))
    if not parts or weights <= 0:
        raise ValueError("no weighted rounds")
    value = sum((Decimal(p) / Decimal(f) * Decimal(100) * Decimal(w) for p, f, w in parts), Decimal("0")) / weights
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def rank_entries(entries: Iterable[Entry], *, tie_break: str = "none") -> list[tuple[Entry, int]]:
    """Entries best first with their rank. `tie_break` is "none" or "practical"."""

    def sort_key(entry: Entry):
        if tie_break == "practical":
            return (-entry.total, -(entry.practical if entry.practical is not None else Decimal("-1")))
        return (-entry.total,)

    ordered = sorted(entries, key=lambda e: (sort_key(e), str(e.key)))
    ranked: list[tuple[Entry, int]] = []
    previous = None
    for position, entry in enumerate(ordered, start=1):
        key = sort_key(entry)
        rank = ranked[-1][1] if previous is not None and key == previous else position
        ranked.append((entry, rank))
        previous = key
    return ranked


def award_cutoffs(*, basis: str, amounts: dict[str, Decimal], entrants: int) -> dict[str, int]:
    """The last rank (cumulative) that each prize reaches. By share, each prize's places are
    its percentage of `entrants`, rounded half up."""
    cutoffs, reached = {}, 0
    for award in AWARD_ORDER:
        amount = Decimal(amounts.get(award) or 0)
        if basis == "share":
            places = int((Decimal(entrants) * amount / Decimal(100)).quantize(Decimal("1"), rounding=ROUND_HALF_UP))
        else:
            places = int(amount)
        reached += places
        cutoffs[award] = reached if places else 0
    return cutoffs


def awards_assign(ranked: list[tuple[Entry, int]], *, basis: str, amounts: dict[str, Decimal]) -> dict[object, str]:
    """Entry key -> prize ("" for none). A rank within a prize's cumulative places wins it."""
    cutoffs = award_cutoffs(basis=basis, amounts=amounts, entrants=len(ranked))
    result = {}
    for entry, rank in ranked:
        result[entry.key] = next((a for a in AWARD_ORDER if cutoffs[a] and rank <= cutoffs[a]), "")
    return result
