"""One exporter base for every Excel or CSV download: subclasses only yield rows.

Cells that a spreadsheet would read as a formula (starting with =, +, -, @, tab or CR) are
neutralised with a leading apostrophe, so exported personal data can never run in Excel.
"""

import csv
import datetime
import decimal
import io

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """The value as it may go in a cell: numbers and dates kept, text defused."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (int, float, decimal.Decimal, datetime.date)):
        if isinstance(value, datetime.datetime):
            return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
        return value
    text = str(value)
    if text.startswith(_FORMULA_START):
        return "'" + text
    return text


class Exporter:
    """Subclass: set `title`, `columns` (header labels) and implement `rows()`."""

    title = "export"
    columns: list[str] = []
    row_count = 0  # how many rows the last render wrote

    def rows(self):
        raise NotImplementedError("an exporter yields its rows")

    def filename(self, ext: str) -> str:
        return f"{self.title}-{timezone.localdate():%Y%m%d}.{ext}"

    def render_xlsx(self) -> bytes:
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(title=str(self.title)[:31])
        sheet.append([str(c) for c in self.columns])
        self.row_count = 0
        for row in self.rows():
            sheet.append([safe_cell(v) for v in row])
            self.row_count += 1
        out = io.BytesIO()
        workbook.save(out)
        return out.getvalue()

    def render_csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow([str(c) for c in self.columns])
        for row in self.rows():
            writer.writerow([safe_cell(v) for v in row])
        return out.getvalue()

    def response(self, fmt: str = "xlsx") -> HttpResponse:
        if fmt == "csv":
            response = HttpResponse("\ufeff" + self.render_csv(), content_type="text/csv; charset=utf-8")
        else:
            response = HttpResponse(
                self.render_xlsx(),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
        from urllib.parse import quote

        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(self.filename(fmt))}"
        return response
