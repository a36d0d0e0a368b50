"""Excel downloads of the dashboard: one panel, the whole dashboard, the work report."""

from django.utils.translation import gettext as _

from apps.core.exports import Exporter


class PanelExporter(Exporter):
    """One chart's table, exactly as the page shows it."""

    def __init__(self, *, panel, year: int, town=None):
        self.title = f"{panel.title}{year}{('-' + town.name) if town else ''}"
        self.columns = panel.columns
        self.panel = panel
        self.filters = {"year": year, "town": town.name if town else "", "panel": panel.id}

    def rows(self):
        yield from self.panel.rows


class DashboardExporter(Exporter):
    """Every table of the dashboard in one sheet, each row led by its section and table."""

    def __init__(self, *, sections, year: int, town=None):
        self.title = _("数据驾驶舱%(year)d") % {"year": year} + (f"-{town.name}" if town else "")
        self.columns = [_("板块"), _("表"), _("项目"), _("数值")]
        self.sections = sections
        self.filters = {"year": year, "town": town.name if town else ""}

    def rows(self):
        for section in self.sections:
            for label, value in section.figures:
                yield [section.title, _("主要数据"), label, value]
            for panel in section.panels:
                for row in panel.rows:
                    for column, value in zip(panel.columns[1:], row[1:], strict=False):
                        yield [section.title, panel.title, f"{row[0]} · {column}", value]


class ReportExporter(Exporter):
    """The year's work report: brand, figure, value; then the honour rolls."""

    def __init__(self, *, brands, rolls, year: int):
        self.title = _("%(year)d年度工作数据") % {"year": year}
        self.columns = [_("工作品牌"), _("项目"), _("数值")]
        self.brands, self.rolls = brands, rolls
        self.filters = {"year": year}

    def rows(self):
        for brand in self.brands:
            heading = f"{brand.number}、{brand.title}"
            for label, value in brand.figures:
                yield [heading, label, value]
            for title, columns, rows in brand.tables:
                for row in rows:
                    for column, value in zip(columns[1:], row[1:], strict=False):
                        yield [heading, f"{title}：{row[0]} · {column}", value]
        for roll in self.rolls:
            for entry in roll["entries"]:
                yield [_("荣誉榜：%(roll)s") % {"roll": roll["label"]}, entry["name"], entry["employer"]]
