"""The payable amount of a claim: a pure function of the rules, the claim and what the member
has already been granted that year. No database, no clock: the same inputs give the same
amount and the same working, which is shown line by line to staff and to the member.

Reimbursement (住院医疗互助): the out-of-pocket part, minus the deductible (起付线), is the
eligible amount; each tier pays its ratio of the part of the eligible amount that falls in it
(e.g. 50% up to 10,000, 60% from 10,000 to 30,000, 70% above); the sum is then held to what
is left of the benefit's yearly cap and of the overall yearly cap. A fixed benefit pays the
listed amount, held to the same caps.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0")


def _money(value) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Tier:
    upper_bound: Decimal | None  # None: everything above the previous bound
    ratio: Decimal


@dataclass(frozen=True)
class Rules:
    kind: str  # "reimburse" or "fixed"
    benefit_name: str
    type_cap: Decimal
    overall_cap: Decimal
    deductible: Decimal = ZERO
    tiers: tuple[Tier, ...] = ()
    fixed_amount: Decimal | None = None


@dataclass(frozen=True)
class Line:
    label: str
    amount: Decimal

    def as_dict(self) -> dict:
        return {"label": self.label, "amount": str(self.amount)}


@dataclass
class Calculation:
    amount: Decimal
    lines: list[Line] = field(default_factory=list)
    capped_by: str = ""  # "", "type" or "overall"

    def as_json(self) -> list[dict]:
        return [line.as_dict() for line in self.lines]


def _percent(ratio: Decimal) -> str:
    return f"{(Decimal(ratio) * 100).normalize():f}%"


def _tier_parts(eligible: Decimal, tiers: tuple[Tier, ...]) -> list[tuple]:
    """(from, to, base, ratio, paid) per tier for an eligible amount; tiers in ascending order."""
    parts, lower = [], ZERO
    ordered = sorted(tiers, key=lambda t: (t.upper_bound is None, t.upper_bound or ZERO))
    for tier in ordered:
        if eligible <= lower:
            break
        upper = tier.upper_bound
        top = eligible if upper is None else min(eligible, Decimal(upper))
        base = top - lower
        if base > 0:
            parts.append((lower, upper, base, tier.ratio, _money(base * Decimal(tier.ratio))))
        if upper is None:
            break
        lower = Decimal(upper)
    return parts


def payable_compute(*, rules: Rules, out_of_pocket: Decimal, paid_this_type: Decimal,
                    paid_overall: Decimal) -> Calculation:
    """The amount payable for one claim and its working.

    `paid_this_type` and `paid_overall` are what the member has already been granted that
    year for this benefit and in all (approved or paid claims). Never negative; never more
    than what is left of either cap.
    """
    lines: list[Line] = []
    if rules.kind == "fixed":
        gross = _money(rules.fixed_amount or ZERO)
        lines.append(Line(f"定额给付标准（{rules.benefit_name}）", gross))
    else:
        out_of_pocket = _money(out_of_pocket)
        deductible = _money(rules.deductible)
        lines.append(Line("个人自付费用", out_of_pocket))
        lines.append(Line("减：起付线", deductible))
        eligible = max(out_of_pocket - deductible, ZERO)
        lines.append(Line("可报销金额", eligible))
        gross = ZERO
        for lower, upper, base, ratio, paid in _tier_parts(eligible, rules.tiers):
            span = f"{lower:,.0f}元以上" if upper is None else f"{lower:,.0f}至{Decimal(upper):,.0f}元"
            lines.append(Line(f"{span}部分 {base:,.2f}元 × {_percent(ratio)}", paid))
            gross += paid
        lines.append(Line("按比例计算合计", gross))
    type_left = max(_money(rules.type_cap) - _money(paid_this_type), ZERO)
    overall_left = max(_money(rules.overall_cap) - _money(paid_overall), ZERO)
    amount, capped_by = gross, ""
    if amount > type_left:
        amount, capped_by = type_left, "type"
        lines.append(Line(f"本项目年度限额 {_money(rules.type_cap):,.2f}元，已获 {_money(paid_this_type):,.2f}元，"
                          f"剩余", type_left))
    if amount > overall_left:
        amount, capped_by = overall_left, "overall"
        lines.append(Line(f"年度总限额 {_money(rules.overall_cap):,.2f}元，已获 {_money(paid_overall):,.2f}元，"
                          f"剩余", overall_left))
    lines.append(Line("核准金额", amount))
    return Calculation(amount=amount, lines=lines, capped_by=capped_by)
