"""Excel exports of a programme: its numbers and its nominations (no ID number, no phone)."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.exports import Exporter

from .selectors import programme_numbers


class ProgrammeNumbersExporter(Exporter):
    columns = [_("分组"), _("名称"), _("推荐数"), _("入围数"), _("授予数")]

    def __init__(self, *, programme):
        self.programme = programme
        self.title = f"{programme.title}-统计"

    def rows(self):
        numbers = programme_numbers(self.programme)
        t = numbers["totals"]
        yield [_("合计"), self.programme.title, t["nominated"], t["shortlisted"], t["awarded"]]
        yield [_("异议"), _("收到 / 未答复"), t["objections"], t["objections_open"], ""]
        for group, rows in ((_("基层工会"), numbers["by_union"]), (_("镇街"), numbers["by_town"])):
            for row in rows:
                yield [group, row["name"] or "—", row["nominated"], row["shortlisted"], row["awarded"]]


class NominationExporter(Exporter):
    columns = [_("被推荐对象"), _("推荐渠道"), _("推荐工会"), _("镇街"), _("单位"), _("状态"),
               _("近年已获同一荣誉"), _("平均分"), _("赞成票"), _("推荐时间")]

    def __init__(self, *, queryset, title="推荐名单"):
        self.queryset = queryset
        self.title = title

    def rows(self):
        for n in self.queryset.iterator(chunk_size=500):
            employer = n.member.employer if n.member_id else n.team_employer
            yield [
                n.nominee_name, n.get_channel_display(), n.union.name if n.union_id else "",
                n.town_street.name, employer.name if employer else "", n.get_status_display(),
                "是" if n.recently_awarded else "", n.avg_score if n.avg_score is not None else "",
                n.votes_for, timezone.localtime(n.submitted_at).strftime("%Y-%m-%d %H:%M") if n.submitted_at else "",
            ]
