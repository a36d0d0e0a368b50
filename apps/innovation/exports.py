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


class ApplicationExporter(Exporter):
    """The applications staff selected in the changelist, one row each; the lead's name masked."""

    title = "innovation-applications"
    columns = [_("项目名称"), _("入驻征集"), _("所属产业"), _("项目阶段"), _("项目负责人"), _("状态"), _("提交时间"),
               _("需要工位"), _("需要导师"), _("需要融资咨询")]

    def __init__(self, *, queryset):
        self.queryset = queryset.select_related("call", "industry", "lead")
        self.filters = {"count": self.queryset.count()}

    def rows(self):
        from apps.core.masking import mask_name

        for a in self.queryset.iterator(chunk_size=500):
            yield [a.project_name, a.call.title, a.industry.name, a.get_stage_display(), mask_name(a.lead.name),
                   a.get_status_display(), a.submitted_at, a.needs_desk, a.needs_mentor, a.needs_funding_advice]


class ResidencyExporter(Exporter):
    title = "innovation-residencies"
    columns = [_("项目名称"), _("工位/房间"), _("入驻日期"), _("到期日期"), _("创业导师"), _("状态"), _("报告数"),
               _("新增就业"), _("专利")]

    def __init__(self, *, queryset):
        from django.db.models import Count, Sum

        self.queryset = queryset.select_related("application", "place__space").annotate(
            _reports=Count("reports"), _jobs=Sum("reports__jobs_created"), _patents=Sum("reports__patents"))
        self.filters = {}

    def rows(self):
        for r in self.queryset.iterator(chunk_size=500):
            yield [r.application.project_name, str(r.place), r.starts_on, r.ends_on, r.mentor, r.get_state_display(),
                   r._reports, r._jobs or 0, r._patents or 0]
