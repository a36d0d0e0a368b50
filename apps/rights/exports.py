"""Excel exports of rights data (the project's Exporter neutralises formula-like cells)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from apps.core.exports import Exporter

from .models import Status
from .selectors import case_stats, cases_for_export


class CaseExporter(Exporter):
    """One row per case submitted in a year, for the leadership's own analysis. Workers' names
    and phones are masked: the export leaves the portal."""

    columns = [
        _lazy("案件编号"), _lazy("提交日期"), _lazy("来源渠道"), _lazy("类别"), _lazy("案件等级"), _lazy("镇街"),
        _lazy("用人单位"), _lazy("职工"), _lazy("联系电话"), _lazy("涉及金额（元）"), _lazy("状态"), _lazy("本环节时限"),
        _lazy("承办人"), _lazy("结案结果"), _lazy("挽回金额（元）"), _lazy("回访满意度"), _lazy("按时办结"),
    ]

    def __init__(self, *, year: int):
        self.year = year
        self.title = _("维权案件%(year)d") % {"year": year}

    def rows(self):
        for case in cases_for_export(year=self.year).iterator(chunk_size=500):
            yield [
                case.number,
                case.submitted_at,
                case.get_channel_display(),
                case.get_category_display(),
                case.get_grade_display() if case.accepted_at else "",
                case.town_street.name if case.town_street_id else "",
                case.employer_display,
                case.masked_worker_name,
                case.masked_worker_phone,
                case.amount_owed,
                case.get_status_display(),
                case.due_on,
                (case.handler.get_full_name() or case.handler.username) if case.handler_id else "",
                case.get_outcome_display(),
                case.amount_recovered,
                case.satisfaction,
                (not case.ever_late) if case.status == Status.CLOSED else None,
            ]


class CaseStatsExporter(Exporter):
    """The leadership's yearly numbers as one sheet: section, item, value (cases unless said), money."""

    columns = [_lazy("分类"), _lazy("项目"), _lazy("数值"), _lazy("挽回金额（元）")]

    def __init__(self, *, year: int):
        self.year = year
        self.title = _("维权统计%(year)d") % {"year": year}

    def rows(self):
        stats = case_stats(year=self.year)
        totals = stats["totals"]
        yield [_("合计"), _("案件总数"), totals["total"], totals["recovered"]]
        yield [_("合计"), _("已结案"), totals["closed"], None]
        yield [_("合计"), _("按时办结"), totals["closed_on_time"], None]
        yield [_("合计"), _("当前超期"), totals["overdue"], None]
        yield [_("合计"), _("已回访"), totals["visited"], None]
        satisfaction = round(totals["satisfaction_avg"], 2) if totals["satisfaction_avg"] is not None else None
        yield [_("合计"), _("回访满意度平均分（5分制）"), satisfaction, None]
        sections = [
            ("by_category", _("类别")), ("by_channel", _("来源渠道")), ("by_grade", _("案件等级")),
            ("by_town", _("镇街")), ("by_outcome", _("结案结果")), ("by_status", _("状态")),
        ]
        for key, label in sections:
            for row in stats[key]:
                yield [label, row["label"], row["n"], row["recovered"]]
