"""The dashboard's sections built from each app's selectors (`*_year_figures`).

A section is a title, a few key figures and panels; a panel is one table (columns and rows)
that the page shows beside its chart, that the chart is drawn from and that downloads as
Excel. Nothing here counts rows itself: every figure comes aggregated from the app's own
selector, so the dashboard follows the app's rules."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from apps.aid.selectors import aid_year_figures
from apps.awards.selectors import awards_year_figures
from apps.competitions.selectors import competitions_year_figures
from apps.counselling.selectors import counselling_year_figures
from apps.innovation.selectors import innovation_year_figures
from apps.membership.selectors import members_year_figures
from apps.mutualaid.selectors import mutualaid_year_figures
from apps.rights.selectors import rights_year_figures
from apps.stars.selectors import stars_year_figures
from yiwu_union.routers import replica_reads

from .cache import cached_sections

ZERO = Decimal("0")


def rate(value) -> str:
    return "—" if value is None else f"{100 * value:.1f}%"


def money(value) -> Decimal:
    return ZERO if value is None else Decimal(value).quantize(Decimal("0.01"))


@dataclass
class Panel:
    id: str
    title: str
    chart: str  # bar, line, pie
    columns: list
    rows: list
    series: list = field(default_factory=lambda: [1])  # the columns the chart draws
    note: str = ""

    def as_json(self) -> dict:
        return {"id": self.id, "title": self.title, "chart": self.chart, "columns": self.columns,
                "rows": self.rows, "series": self.series}


@dataclass
class Section:
    key: str
    title: str
    figures: list  # (label, value) pairs
    panels: list
    note: str = ""
    raw: dict = field(default_factory=dict)  # the selector's figures, for the work report


def _months() -> list[str]:
    return [_("%(m)d月") % {"m": m} for m in range(1, 13)]


def members_section(year, town):
    f = members_year_figures(year=year, town=town)
    t = f["totals"]
    months = _months()
    return Section("members", _("会员与入会"), [
        (_("会员总数"), t["total"]), (_("在册会员"), t["active"]), (_("本年入会"), t["joined"]),
        (_("入会申请"), t["requests"]), (_("转会完成"), t["transfers"]),
    ], [
        Panel("members_town", _("各镇街会员"), "bar",
              [_("镇街"), _("在册"), _("已转出"), _("已退会"), _("本年入会")],
              [[r["town_street__name"] or _("未填写"), r["active"], r["transferred"], r["withdrawn"], r["joined"]]
               for r in f["by_town"]], [1, 4]),
        Panel("members_month", _("每月入会申请与转会"), "line",
              [_("月份"), _("入会申请"), _("通过"), _("未通过"), _("转会完成")],
              [[months[m["month"] - 1], m["requests"], m["approved"], m["declined"], m["transfers"]] for m in f["by_month"]],
              [1, 2, 4]),
        Panel("members_status", _("会籍状态"), "pie", [_("状态"), _("人数")],
              [[_("在册"), t["active"]], [_("已转出"), t["transferred"]], [_("已退会"), t["withdrawn"]]]),
    ], raw=f)


def rights_section(year, town):
    f = rights_year_figures(year=year, town=town)
    t = f["totals"]
    return Section("rights", _("社会化维权"), [
        (_("受理求助"), t["total"]), (_("已结案"), t["closed"]), (_("办理中"), t["open"]),
        (_("当前超期"), t["overdue"]), (_("追回金额（元）"), money(t["recovered"])),
    ], [
        Panel("rights_category", _("案件类别"), "bar", [_("类别"), _("案件数"), _("追回金额（元）")],
              [[r["label"], r["n"], money(r["recovered"])] for r in f["by_category"]]),
        Panel("rights_grade", _("案件等级（已受理）"), "pie", [_("等级"), _("案件数")],
              [[r["label"], r["n"]] for r in f["by_grade"]]),
        Panel("rights_outcome", _("结案结果"), "pie", [_("结果"), _("案件数"), _("追回金额（元）")],
              [[r["label"], r["n"], money(r["recovered"])] for r in f["by_outcome"]]),
    ], raw=f)


def _supervision_from(rights: Section) -> Section:
    f = rights.raw
    t = f["supervision_totals"]
    return Section("supervision", _("监督四季行"), [
        (_("检查次数"), t["inspections"]), (_("发现问题"), t["problems"]), (_("已整改"), t["rectified"]),
        (_("整改率"), rate(t["rate"])), (_("逾期未整改"), t["overdue"]),
    ], [
        Panel("supervision_season", _("各季检查与整改"), "bar",
              [_("季度"), _("检查次数"), _("检查项"), _("发现问题"), _("已整改"), _("移交劳动监察"), _("整改中"), _("整改率")],
              [[r["label"], r["inspections"], r["checked"], r["problems"], r["rectified"], r["referred"], r["open"],
                rate(r["rate"])] for r in f["supervision"]], [3, 4]),
    ], raw=f)


def stars_section(year, town):
    f = stars_year_figures(year=year, town=town)
    return Section("stars", _("星级工会"), [
        (_("评定工会"), f["rated"]), (_("五星级示范工会"), f["demonstration"]), (_("提交自评"), f["submitted"]),
    ], [
        Panel("stars_level", _("星级分布"), "pie", [_("星级"), _("工会数")], [[r["label"], r["n"]] for r in f["levels"]]),
        Panel("stars_evaluation", _("年度申报进度"), "bar", [_("状态"), _("申报数")],
              [[r["label"], r["n"]] for r in f["evaluations"]]),
    ], raw=f)


def competitions_section(year, town):
    f = competitions_year_figures(year=year, town=town)
    t = f["totals"]
    return Section("competitions", _("劳动和技能竞赛"), [
        (_("竞赛"), t["competitions"]), (_("竞赛项目"), t["events"]), (_("报名人次"), t["registrations"]),
        (_("参赛职工"), t["workers"]), (_("获奖"), t["awarded"]), (_("合理化建议"), t["proposals"]),
        (_("采纳建议"), t["adopted"]),
    ], [
        Panel("competitions_list", _("各竞赛报名与获奖"), "bar",
              [_("竞赛"), _("项目"), _("报名人次"), _("参赛职工"), _("获奖")],
              [[r["event__competition__name"], r["events"], r["registrations"], r["workers"], r["awarded"]]
               for r in f["by_competition"]], [2, 4]),
        Panel("competitions_prize", _("奖项分布"), "pie", [_("奖项"), _("人数")], [[r["label"], r["n"]] for r in f["by_prize"]]),
    ], raw=f)


def awards_section(year, town):
    f = awards_year_figures(year=year, town=town)
    t = f["totals"]
    return Section("awards", _("评选表彰"), [
        (_("推荐"), t["nominated"]), (_("授予"), t["awarded"]), (_("待决定"), t["pending"]), (_("荣誉榜上榜"), t["on_roll"]),
    ], [
        Panel("awards_kind", _("各荣誉推荐与决定"), "bar",
              [_("荣誉"), _("推荐"), _("入围"), _("授予"), _("未授予"), _("待决定"), _("荣誉榜上榜")],
              [[r["label"], r["nominated"], r["shortlisted"], r["awarded"], r["not_awarded"], r["pending"], r["on_roll"]]
               for r in f["by_kind"]], [1, 3, 4]),
    ], raw=f)


def aid_section(year, town):
    f = aid_year_figures(year=year, town=town)
    t = f["totals"]
    return Section("aid", _("送温暖与困难帮扶"), [
        (_("活动预算（元）"), money(t["budget"])), (_("申请"), t["n_applications"]), (_("批准"), t["n_approved"]),
        (_("已发放（元）"), money(t["amount_paid"])), (_("体检、筛查、疗休养报名"), t["enrolments"]),
    ], [
        Panel("aid_campaigns", _("各活动预算与发放"), "bar",
              [_("活动"), _("预算（元）"), _("批准金额（元）"), _("已发放（元）"), _("申请"), _("批准"), _("预算使用率")],
              [[r["title"], money(r["budget"]), money(r["amount_approved"]), money(r["amount_paid"]), r["n_applications"],
                r["n_approved"], rate(r["use_rate"])] for r in f["campaigns"]], [1, 2, 3]),
        Panel("aid_programmes", _("健康体检、两癌筛查与疗休养"), "bar", [_("项目"), _("报名人数")],
              [[r["title"], r["n"]] for r in f["programmes"]]),
    ], raw=f)


def mutualaid_section(year, town):
    f = mutualaid_year_figures(year=year, town=town)
    t = f["totals"]
    months = _months()
    return Section("mutualaid", _("职工医疗互助保障"), [
        (_("参保人数"), t["members"]), (_("已收缴费（元）"), money(t["received"])), (_("已拨付（元）"), money(t["paid_out"])),
        (_("基金结余（元）"), money(t["balance"])), (_("互助金申请"), t["claims"]),
    ], [
        Panel("mutualaid_fund", _("缴费与给付"), "bar", [_("项目"), _("金额（元）")], [
            [_("应缴费"), money(t["contributed"])], [_("已收缴费"), money(t["received"])],
            [_("已拨付互助金"), money(t["paid_out"])], [_("基金结余"), money(t["balance"])],
        ]),
        Panel("mutualaid_month", _("每月互助金申请与拨付"), "line",
              [_("月份"), _("申请"), _("已拨付件数"), _("已拨付（元）")],
              [[months[m["month"] - 1], m["claims"], m["paid_claims"], money(m["paid"])] for m in f["by_month"]], [1, 2]),
    ], raw=f)


def counselling_section(year, town):
    f = counselling_year_figures(year=year, town=town)
    return Section("counselling", _("心灵港湾工作室"), [
        (_("咨询次数"), f["sessions"]), (_("开展咨询的工作室"), f["studios"]),
    ], [
        Panel("counselling_studio", _("各工作室咨询次数"), "bar", [_("工作室"), _("咨询次数")],
              [[r["studio"], r["sessions"]] for r in f["by_studio"]]),
    ], note=_("只显示次数；少于5次显示为“<5”，此时合计只显示到十位。"), raw=f)


def innovation_section(year, town):
    f = innovation_year_figures(year=year)
    t = f["totals"]
    return Section("innovation", _("职工众创空间"), [
        (_("工位"), t["places"]), (_("在用工位"), t["occupied"]), (_("使用率"), rate(t["rate"])),
        (_("入驻申请"), t["applications"]), (_("入驻项目"), t["admitted"]),
    ], [
        Panel("innovation_space", _("各空间工位使用"), "bar", [_("众创空间"), _("工位"), _("在用"), _("使用率")],
              [[r["space__name"], r["places"], r["occupied"], rate(r["rate"])] for r in f["spaces"]], [1, 2]),
    ], note=_("众创空间为全市共用，不按镇街筛选；使用情况为 %(day)s 当日。") % {"day": f["day"].isoformat()}, raw=f)


BUILDERS = {
    "members": members_section, "rights": rights_section, "stars": stars_section,
    "competitions": competitions_section, "awards": awards_section, "aid": aid_section,
    "mutualaid": mutualaid_section, "counselling": counselling_section, "innovation": innovation_section,
}


# The apps whose decisions change each section's figures (apps.dashboard.cache).
READS = {
    "members": ("members", "membership"), "rights": ("rights",), "supervision": ("rights",),
    "stars": ("stars",), "competitions": ("competitions",), "awards": ("awards",), "aid": ("aid",),
    "mutualaid": ("mutualaid",), "counselling": ("counselling",), "innovation": ("innovation",),
}


def _compute(year: int, town: int | None, sections: list[str]) -> dict[str, Section]:
    """Every figure read on the PostgreSQL replica when one is configured (a few seconds'
    lag is fine on a dashboard cached for a minute), else on the primary."""
    built: dict[str, Section] = {}
    with replica_reads():
        if "rights" in sections or "supervision" in sections:
            built["rights"] = rights_section(year, town)
            built["supervision"] = _supervision_from(built["rights"])
        for key in sections:
            if key not in built:
                built[key] = BUILDERS[key](year, town)
    return {key: built[key] for key in sections}


def dashboard_sections(*, year: int, town: int | None, sections: list[str], refresh: bool = False) -> list[Section]:
    """The sections for this year, town/street and set of sections, each from the short
    cache unless its apps recorded a decision since it was counted (`refresh`: counted anew)."""
    common = f"{get_language()}:{timezone.localdate()}:{year}:{town or 0}"
    keys = {key: (f"{key}:{common}", READS[key]) for key in sections}
    values = cached_sections(keys, lambda missing: _compute(year, town, missing), refresh=refresh)
    return [values[key] for key in sections]


def dashboard_warm() -> int:
    """Count the page most opened (this year, the whole city, the site's language) afresh, so
    that a leader finds it in the cache: run by Celery beat more often than the cache expires
    (DASHBOARD_WARM_SECONDS, 30). Returns the number of sections counted."""
    from django.conf import settings
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        return len(dashboard_sections(year=timezone.localdate().year, town=None, sections=list(READS), refresh=True))
