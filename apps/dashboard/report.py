"""The year's work report (年度工作数据): the federation's ten work brands, each with its figures
from the apps, and the year's honour rolls, in the shape of the seed work report."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.awards.models import AwardKind
from apps.awards.selectors import honour_rolls_for_year

from .figures import money, rate

# The ten brands of the federation's work report, in its order, with the sections they read.
BRANDS = [
    ("rights", gettext_lazy("工会社会化维权"), ["rights", "supervision"]),
    ("stars", gettext_lazy("“星级工会”创建"), ["stars"]),
    ("competitions", gettext_lazy("劳动和技能竞赛"), ["competitions"]),
    ("craftsmen", gettext_lazy("“义乌工匠”培育"), ["awards"]),
    ("pioneers", gettext_lazy("“工人先锋号”创建"), ["awards"]),
    ("innovation", gettext_lazy("职工众创空间建设"), ["innovation"]),
    ("aid", gettext_lazy("“送温暖”工程"), ["aid"]),
    ("mutualaid", gettext_lazy("职工医疗互助保障"), ["mutualaid"]),
    ("counselling", gettext_lazy("职工“心灵港湾工作室”建设"), ["counselling"]),
    ("online", gettext_lazy("网上工会建设"), ["members"]),
]
NUMERALS = "一二三四五六七八九十"


@dataclass
class Brand:
    number: str
    key: str
    title: str
    figures: list  # (label, value)
    tables: list = field(default_factory=list)  # (title, columns, rows)


def _award(raw, kind):
    return next(r for r in raw["by_kind"] if r["kind"] == kind)


def _rights(s):
    r, t, sup = s["rights"].raw, s["rights"].raw["totals"], s["supervision"].raw["supervision_totals"]
    return [(_("受理维权求助（件）"), t["total"]), (_("结案（件）"), t["closed"]), (_("追回金额（元）"), money(t["recovered"])),
            (_("“监督四季行”检查（次）"), sup["inspections"]), (_("发现问题（项）"), sup["problems"]),
            (_("整改率"), rate(sup["rate"]))], [
        (_("案件类别"), [_("类别"), _("案件数"), _("追回金额（元）")],
         [[c["label"], c["n"], money(c["recovered"])] for c in r["by_category"]]),
    ]


def _stars(s):
    raw = s["stars"].raw
    return [(_("评定星级工会（个）"), raw["rated"]), (_("五星级示范工会（个）"), raw["demonstration"])], [
        (_("星级分布"), [_("星级"), _("工会数")], [[r["label"], r["n"]] for r in reversed(raw["levels"])]),
    ]


def _competitions(s):
    t = s["competitions"].raw["totals"]
    return [(_("举办竞赛（项）"), t["competitions"]), (_("竞赛项目（个）"), t["events"]),
            (_("参赛职工（人）"), t["workers"]), (_("获奖（人次）"), t["awarded"]),
            (_("合理化建议、技术创新（条）"), t["proposals"]), (_("采纳（条）"), t["adopted"])], []


def _craftsmen(s):
    row = _award(s["awards"].raw, AwardKind.CRAFTSMAN)
    return [(_("推荐（人）"), row["nominated"]), (_("评选为“义乌工匠”（人）"), row["awarded"]),
            (_("荣誉榜上榜（人）"), row["on_roll"])], []


def _pioneers(s):
    row = _award(s["awards"].raw, AwardKind.WORKER_PIONEER)
    return [(_("推荐集体（个）"), row["nominated"]), (_("命名“工人先锋号”（个）"), row["awarded"]),
            (_("荣誉榜上榜（个）"), row["on_roll"])], []


def _innovation(s):
    t = s["innovation"].raw["totals"]
    return [(_("入驻申请（个）"), t["applications"]), (_("入驻项目（个）"), t["admitted"]),
            (_("工位（个）"), t["places"]), (_("在用工位（个）"), t["occupied"])], []


def _aid(s):
    raw = s["aid"].raw
    t = raw["totals"]
    return [(_("帮扶申请（件）"), t["n_applications"]), (_("批准（人次）"), t["n_approved"]),
            (_("发放金额（元）"), money(t["amount_paid"])), (_("体检、筛查、疗休养（人）"), t["enrolments"])], [
        (_("各活动帮扶"), [_("活动"), _("批准（人次）"), _("批准金额（元）"), _("已发放（元）"), _("预算（元）")],
         [[c["title"], c["n_approved"], money(c["amount_approved"]), money(c["amount_paid"]), money(c["budget"])]
          for c in raw["campaigns"]]),
    ]


def _mutualaid(s):
    t = s["mutualaid"].raw["totals"]
    return [(_("参保职工（人）"), t["members"]), (_("拨付互助金（件）"), t["paid_claims"]),
            (_("拨付金额（元）"), money(t["paid_out"])), (_("基金结余（元）"), money(t["balance"]))], []


def _counselling(s):
    raw = s["counselling"].raw
    return [(_("心理咨询（次）"), raw["sessions"]), (_("开展咨询的工作室（个）"), raw["studios"])], []


def _online(s):
    t = s["members"].raw["totals"]
    return [(_("网上入会申请（件）"), t["requests"]), (_("网上入会通过（人）"), t["approved"]),
            (_("本年入会（人）"), t["joined"]), (_("在册会员（人）"), t["active"]),
            (_("已开通电子会员证（人）"), t["with_login"])], []


READERS = {"rights": _rights, "stars": _stars, "competitions": _competitions, "craftsmen": _craftsmen,
           "pioneers": _pioneers, "innovation": _innovation, "aid": _aid, "mutualaid": _mutualaid,
           "counselling": _counselling, "online": _online}


def report_brands(sections) -> list[Brand]:
    """The brands whose sections are all among `sections` (Section objects), numbered as in
    the federation's report."""
    by_key = {s.key: s for s in sections}
    brands = []
    for index, (key, title, needs) in enumerate(BRANDS):
        if all(n in by_key for n in needs):
            figures, tables = READERS[key](by_key)
            brands.append(Brand(NUMERALS[index], key, str(title), figures, tables))
    return brands


def report_rolls(*, year: int, sections) -> list[dict]:
    """The year's honour rolls grouped by award (only for those who see the awards section)."""
    if not any(s.key == "awards" for s in sections):
        return []
    labels = dict(AwardKind.choices)
    rolls: dict[str, dict] = {}
    for entry in honour_rolls_for_year(year=year):
        roll = rolls.setdefault(entry["programme__kind"], {"label": str(labels.get(entry["programme__kind"], "")),
                                                           "entries": []})
        roll["entries"].append({"name": entry["name"], "employer": entry["employer__name"] or entry["union__name"] or ""})
    order = [AwardKind.MOST_BEAUTIFUL_WORKER, AwardKind.CRAFTSMAN, AwardKind.WORKER_PIONEER, AwardKind.FIVE_STAR_UNION]
    return [rolls[k] for k in order if k in rolls]
