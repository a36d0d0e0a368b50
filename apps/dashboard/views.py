"""The leadership's dashboard (数据驾驶舱) and the year's work report (年度工作数据)."""

from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from apps.core.services import export_log_write

from .access import dashboard_sections_get
from .exports import DashboardExporter, PanelExporter, ReportExporter
from .figures import dashboard_sections
from .filters import filters_from
from .pdf import report_pdf
from .report import report_brands, report_rolls


def _load(request):
    allowed = dashboard_sections_get(request.user)  # 403 for every other role
    filters = filters_from(request.GET)
    sections = dashboard_sections(year=filters.year, town=filters.town.pk if filters.town else None, sections=allowed)
    return allowed, filters, sections


@never_cache
@login_required(login_url="admin:login")
def index(request):
    allowed, filters, sections = _load(request)
    charts = [panel.as_json() for section in sections for panel in section.panels]
    return TemplateResponse(request, "dashboard/index.html", {
        "filters": filters, "sections": sections, "charts": charts, "limited": len(allowed) < 10,
    })


@never_cache
@login_required(login_url="admin:login")
def export(request, panel_id: str = ""):
    _allowed, filters, sections = _load(request)
    if not panel_id:
        return DashboardExporter(sections=sections, year=filters.year, town=filters.town).response("xlsx", request=request)
    panel = next((p for s in sections for p in s.panels if p.id == panel_id), None)
    if panel is None:  # a table of another department's section, or none at all
        raise Http404
    return PanelExporter(panel=panel, year=filters.year, town=filters.town).response("xlsx", request=request)


def _report(request):
    allowed = dashboard_sections_get(request.user)
    filters = filters_from(request.GET, with_towns=False)  # the work report is the federation's whole year
    sections = dashboard_sections(year=filters.year, town=None, sections=allowed)
    return filters, report_brands(sections), report_rolls(year=filters.year, sections=sections)


@never_cache
@login_required(login_url="admin:login")
def report(request):
    filters, brands, rolls = _report(request)
    return TemplateResponse(request, "dashboard/report.html", {"filters": filters, "brands": brands, "rolls": rolls})


@never_cache
@login_required(login_url="admin:login")
def report_xlsx(request):
    filters, brands, rolls = _report(request)
    return ReportExporter(brands=brands, rolls=rolls, year=filters.year).response("xlsx", request=request)


@never_cache
@login_required(login_url="admin:login")
def report_pdf_download(request):
    filters, brands, rolls = _report(request)
    content = report_pdf(brands=brands, rolls=rolls, year=filters.year)
    name = _("%(year)d年度工作数据") % {"year": filters.year}
    export_log_write(user=request.user, what=name, source="apps.dashboard.pdf.report_pdf",
                     filters={"year": filters.year}, row_count=len(brands), file_format="pdf")
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}.pdf"
    return response
