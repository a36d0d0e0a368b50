"""Excel exports of competitions and proposals (formula-safe through apps.core.exports)."""

from django.utils.translation import gettext as _

from apps.core.exports import Exporter


class ProposalNumbersExporter(Exporter):
    def __init__(self, *, rows, year: int, by: str):
        self.rows_data, self.year, self.by = rows, year, by
        self.title = _("合理化建议统计-%(year)s") % {"year": year}
        self.columns = [_("基层工会") if by == "union" else _("镇街"), _("提交数"), _("已评审"), _("采纳数"),
                        _("采纳率（%）"), _("效益（元/年）"), _("奖励金额（元）")]

    def rows(self):
        for row in self.rows_data:
            yield [row["name"], row["total"], row["decided"], row["adopted"], row["rate"], row["benefit"], row["awards"]]


class RegistrationExporter(Exporter):
    """The changelist of registrations as staff filtered it."""

    def __init__(self, queryset):
        self.queryset = queryset
        self.title = _("竞赛报名")
        self.columns = [_("竞赛"), _("项目"), _("姓名"), _("基层工会"), _("状态"), _("总成绩"), _("名次"), _("奖项"),
                        _("市级称号")]

    def rows(self):
        for r in self.queryset.select_related("event__competition", "member__union").iterator(chunk_size=500):
            yield [r.event.competition.name, r.event.name, r.member.name, r.member.union.name,
                   r.get_status_display(), r.total, r.rank, r.get_award_display(), r.city_title]
