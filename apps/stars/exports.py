"""Excel export of the staff overview of one year."""

from django.utils.translation import gettext_lazy as _

from apps.core.exports import Exporter

from . import selectors


class OverviewExporter(Exporter):
    columns = [_("镇街"), _("工会数"), _("已提交"), _("已评审"), _("一星级"), _("二星级"), _("三星级"), _("四星级"),
               _("五星级")]

    def __init__(self, *, year: int, actor=None):
        self.year, self.actor = year, actor
        self.title = f"stars-overview-{year}"

    def rows(self):
        for row in selectors.overview(year=self.year):
            yield [row.town.full_name, row.unions, row.submitted, row.reviewed, *[row.levels[n] for n in range(1, 6)]]
