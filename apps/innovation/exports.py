"""Excel exports of the innovation space."""

from django.utils.translation import gettext_lazy as _

from apps.core.exports import Exporter

from .selectors import numbers_for_year


class NumbersExporter(Exporter):
    title = "innovation-numbers"
    columns = [_("年度"), _("申请数"), _("入驻数"), _("提供名额"), _("工位/房间"), _("在驻团队"),
               _("报告数"), _("按时报告"), _("新增就业"), _("专利")]

    def __init__(self, *, years):
        self.years = list(years)
        self.filters = {"years": f"{self.years[0]}-{self.years[-1]}"}

    def rows(self):
        for year in self.years:
            n = numbers_for_year(year)
            yield [year, n["applications"], n["admissions"], n["places_offered"], n["places"], n["occupied"],
                   n["reports_filed"], n["reports_on_time"], n["jobs_created"], n["patents"]]
