"""The work report as a PDF (reportlab, with its built-in CID font STSong-Light for Chinese:
no font file to ship)."""

import io
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

FONT = "STSong-Light"


def _font() -> str:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    return FONT


def _text(value) -> str:
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def report_pdf(*, brands, rolls, year: int) -> bytes:
    font = _font()
    title = ParagraphStyle("title", fontName=font, fontSize=18, leading=26, alignment=1, spaceAfter=4 * mm)
    heading = ParagraphStyle("heading", fontName=font, fontSize=13, leading=19, spaceBefore=4 * mm, spaceAfter=2 * mm)
    body = ParagraphStyle("body", fontName=font, fontSize=10, leading=15)
    grid = TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), font), ("FONTSIZE", (0, 0), (-1, -1), 9),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.grey), ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f1e3e3")),
        ("ALIGN", (1, 1), (-1, -1), "RIGHT"), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ])
    story = [Paragraph(_escape(_("义乌市总工会 %(year)d年度工作数据") % {"year": year}), title),
             Paragraph(_escape(_("生成时间：%(at)s") % {"at": timezone.localtime().strftime("%Y-%m-%d %H:%M")}), body)]
    for brand in brands:
        story.append(Paragraph(_escape(f"{brand.number}、{brand.title}"), heading))
        rows = [[_("项目"), _("数值")]] + [[label, _text(value)] for label, value in brand.figures]
        table = Table(rows, colWidths=[110 * mm, 50 * mm])
        table.setStyle(grid)
        story.append(table)
        for caption, columns, table_rows in brand.tables:
            if not table_rows:
                continue
            story += [Spacer(1, 2 * mm), Paragraph(_escape(caption), body)]
            table = Table([list(map(str, columns))] + [[_text(v) for v in row] for row in table_rows], repeatRows=1)
            table.setStyle(grid)
            story.append(table)
    for roll in rolls:
        story.append(Paragraph(_escape(_("荣誉榜：%(roll)s") % {"roll": roll["label"]}), heading))
        table = Table([[_("名称/姓名"), _("单位")]] + [[e["name"], e["employer"]] for e in roll["entries"]],
                      colWidths=[60 * mm, 100 * mm], repeatRows=1)
        table.setStyle(grid)
        story.append(table)
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, title=_("%(year)d年度工作数据") % {"year": year},
                            leftMargin=18 * mm, rightMargin=18 * mm, topMargin=16 * mm, bottomMargin=16 * mm)
    doc.build(story)
    return out.getvalue()
