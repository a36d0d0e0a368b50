"""The payable amount as a pure function: deductible, each tier at its boundaries, the yearly
caps per benefit and overall across several claims. No database."""

from decimal import Decimal

import pytest

from apps.mutualaid.calculation import Rules, Tier, payable_compute

D = Decimal
HOSPITAL = Rules(
    kind="reimburse", benefit_name="住院医疗互助", type_cap=D("50000"), overall_cap=D("80000"),
    deductible=D("1000"), tiers=(Tier(D("10000"), D("0.5")), Tier(D("30000"), D("0.6")), Tier(None, D("0.7"))),
)


def pay(out_of_pocket, paid_type="0", paid_all="0", rules=HOSPITAL):
    return payable_compute(rules=rules, out_of_pocket=D(out_of_pocket), paid_this_type=D(paid_type),
                           paid_overall=D(paid_all))


@pytest.mark.parametrize(("out_of_pocket", "expected"), [
    ("0", "0.00"),             # nothing paid out of pocket
    ("999.99", "0.00"),        # under the deductible
    ("1000", "0.00"),          # exactly the deductible
    ("1000.01", "0.01"),       # one cent over: 50% of 0.01 rounds half up
    ("1002", "1.00"),
    ("10999.99", "5000.00"),   # 9,999.99 eligible x 50% = 4,999.995, rounded half up
    ("11000", "5000.00"),      # eligible exactly 10,000: the first tier's top
    ("11000.01", "5000.01"),   # first cent of the second tier at 60%
    ("31000", "17000.00"),     # eligible 30,000: 5,000 + 12,000
    ("31000.01", "17000.01"),  # first cent of the third tier at 70%
    ("41000", "24000.00"),     # 5,000 + 12,000 + 7,000
])
def test_tiers_at_their_boundaries(out_of_pocket, expected):
    assert pay(out_of_pocket).amount == D(expected)


def test_half_cent_rounds_half_up_per_tier():
    # 9,999.99 eligible x 50% = 4,999.995 -> 5,000.00 under ROUND_HALF_UP
    assert pay("10999.99").lines[3].amount == D("5000.00")


def test_working_names_every_step():
    result = pay("41000")
    labels = [line.label for line in result.lines]
    assert labels[0] == "个人自付费用" and result.lines[0].amount == D("41000.00")
    assert labels[1] == "减：起付线" and result.lines[1].amount == D("1000.00")
    assert labels[2] == "可报销金额" and result.lines[2].amount == D("40000.00")
    assert [line.amount for line in result.lines[3:6]] == [D("5000.00"), D("12000.00"), D("7000.00")]
    assert "× 50%" in labels[3] and "× 60%" in labels[4] and "× 70%" in labels[5]
    assert labels[-1] == "核准金额" and result.lines[-1].amount == D("24000.00")
    assert result.capped_by == ""


def test_type_cap_holds_across_claims():
    # 80,000 out of pocket pays 5,000 + 12,000 + 34,300 = 51,300: held to the 50,000 cap
    first = pay("80000")
    assert first.amount == D("50000.00") and first.capped_by == "type"
    # a second claim the same year: the type cap is used up
    second = pay("20000", paid_type="50000", paid_all="50000")
    assert second.amount == D("0.00") and second.capped_by == "type"
    # partly used: pays only what is left
    third = pay("11000", paid_type="47000.50", paid_all="47000.50")
    assert third.amount == D("2999.50")
    assert any("本项目年度限额" in line.label for line in third.lines)


def test_overall_cap_holds_across_benefits():
    # 75,000 already granted across benefits: 5,000 of the overall 80,000 is left
    result = pay("31000", paid_type="10000", paid_all="75000")
    assert result.amount == D("5000.00") and result.capped_by == "overall"
    assert any("年度总限额" in line.label for line in result.lines)


def test_overall_cap_smaller_than_type_left():
    result = pay("41000", paid_type="0", paid_all="79999.99")
    assert result.amount == D("0.01")


def test_fixed_benefit_pays_its_amount_within_caps():
    rules = Rules(kind="fixed", benefit_name="重大疾病", type_cap=D("20000"), overall_cap=D("80000"),
                  fixed_amount=D("20000"))
    assert payable_compute(rules=rules, out_of_pocket=D("0"), paid_this_type=D("0"), paid_overall=D("0")).amount \
        == D("20000.00")
    assert payable_compute(rules=rules, out_of_pocket=D("0"), paid_this_type=D("15000"),
                           paid_overall=D("15000")).amount == D("5000.00")
    assert payable_compute(rules=rules, out_of_pocket=D("0"), paid_this_type=D("0"),
                           paid_overall=D("79000")).amount == D("1000.00")


def test_over_granted_history_never_gives_a_negative_amount():
    assert pay("20000", paid_type="60000", paid_all="90000").amount == D("0.00")


def test_no_deductible_single_tier():
    rules = Rules(kind="reimburse", benefit_name="门诊", type_cap=D("1000"), overall_cap=D("1000"),
                  tiers=(Tier(None, D("0.8")),))
    assert payable_compute(rules=rules, out_of_pocket=D("500"), paid_this_type=D("0"),
                           paid_overall=D("0")).amount == D("400.00")
