"""Totals, ranks with ties and the tie-break, prizes by count and by share: pure functions."""

from decimal import Decimal

import pytest

from apps.competitions.ranking import Entry, award_cutoffs, awards_assign, rank_entries, weighted_total

D = Decimal


def ranks(entries, **kwargs):
    return [(e.key, r) for e, r in rank_entries(entries, **kwargs)]


def test_weighted_total_follows_the_weights_in_decimal():
    assert weighted_total([(D("80"), D("100"), D("30")), (D("90"), D("100"), D("70"))]) == D("87.00")
    # a round marked out of 50 is scaled to 100 first
    assert weighted_total([(D("40"), D("50"), D("40")), (D("70.5"), D("100"), D("60"))]) == D("74.30")
    assert isinstance(weighted_total([(D("1"), D("3"), D("100"))]), Decimal)
    assert weighted_total([(D("1"), D("3"), D("100"))]) == D("33.33")


def test_weighted_total_without_rounds_is_refused():
    with pytest.raises(ValueError):
        weighted_total([])


def test_ties_share_a_rank_and_the_next_rank_is_skipped():
    entries = [Entry("a", D("95")), Entry("b", D("90")), Entry("c", D("90")), Entry("d", D("80")), Entry("e", D("80")),
               Entry("f", D("70"))]
    assert ranks(entries) == [("a", 1), ("b", 2), ("c", 2), ("d", 4), ("e", 4), ("f", 6)]


def test_practical_tie_break_decides_a_tie_on_the_total_and_shares_only_a_double_tie():
    entries = [Entry("a", D("95"), D("90")), Entry("b", D("90"), D("80")), Entry("c", D("90"), D("85")),
               Entry("d", D("90"), D("80")), Entry("e", D("70"), D("99"))]
    assert ranks(entries, tie_break="practical") == [("a", 1), ("c", 2), ("b", 3), ("d", 3), ("e", 5)]
    assert ranks(entries, tie_break="none") == [("a", 1), ("b", 2), ("c", 2), ("d", 2), ("e", 5)]


def test_awards_by_count_give_a_tie_at_the_boundary_the_higher_prize():
    entries = [Entry(k, D(t)) for k, t in [("a", "99"), ("b", "95"), ("c", "95"), ("d", "90"), ("e", "85"),
                                            ("f", "80"), ("g", "70")]]
    ranked = rank_entries(entries)
    amounts = {"first": D("1"), "second": D("1"), "third": D("2"), "merit": D("1")}
    prizes = awards_assign(ranked, basis="count", amounts=amounts)
    assert prizes == {"a": "first", "b": "second", "c": "second", "d": "third", "e": "merit", "f": "", "g": ""}


def test_awards_by_count_first_place_tie_both_first():
    ranked = rank_entries([Entry("a", D("90")), Entry("b", D("90")), Entry("c", D("80"))])
    prizes = awards_assign(ranked, basis="count", amounts={"first": D("1"), "second": D("1")})
    assert prizes == {"a": "first", "b": "first", "c": ""}


def test_awards_by_share_round_half_up_of_the_ranked_entrants():
    entries = [Entry(str(i), D(100 - i)) for i in range(20)]
    ranked = rank_entries(entries)
    # 20 entrants: 10% = 2, 15% = 3, 25% = 5, 12.5% = 2.5 -> 3
    amounts = {"first": D("10"), "second": D("15"), "third": D("25"), "merit": D("12.5")}
    assert award_cutoffs(basis="share", amounts=amounts, entrants=20) == {
        "first": 2, "second": 5, "third": 10, "merit": 13}
    prizes = awards_assign(ranked, basis="share", amounts=amounts)
    counts = {a: list(prizes.values()).count(a) for a in ("first", "second", "third", "merit", "")}
    assert counts == {"first": 2, "second": 3, "third": 5, "merit": 3, "": 7}
    assert prizes["0"] == "first" and prizes["12"] == "merit" and prizes["13"] == ""


def test_a_prize_without_places_is_skipped():
    ranked = rank_entries([Entry("a", D("90")), Entry("b", D("80"))])
    prizes = awards_assign(ranked, basis="count", amounts={"first": D("0"), "second": D("1")})
    assert prizes == {"a": "second", "b": ""}
