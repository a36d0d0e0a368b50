"""One exporter base for every Excel or CSV download: subclasses only yield rows.

Cells that a spreadsheet would read as a formula (starting with =, +, -, @, tab or CR) are
neutralised with a leading apostrophe, so exported personal data can never run in Excel.
Large files are never built whole in memory: the workbook is written to a temporary file and
served from it, a CSV is streamed row by row. Every download is written to the ExportLog.
"""

import csv
import datetime
import decimal
import os
import tempfile
from urllib.parse import quote

from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.utils import timezone
from openpyxl import Workbook

from yiwu_union.routers import replica_iter

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

    def render_xlsx_file(self) -> str:
        """Write the workbook to a temporary file (write-only mode: rows are not kept in
        memory) and return its path; the caller deletes it."""
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(title=str(self.title)[:31])
        sheet.append([str(c) for c in self.columns])
        self.row_count = 0
        for row in replica_iter(self.rows()):  # a lag of seconds is fine for an export
            sheet.append([safe_cell(v) for v in row])
            self.row_count += 1
        handle, path = tempfile.mkstemp(prefix="export-", suffix=".xlsx")
        os.close(handle)
        try:
            workbook.save(path)
        except BaseException:
            os.unlink(path)
            raise
        return path

    def render_xlsx(self) -> bytes:
        path = self.render_xlsx_file()
        try:
            with open(path, "rb") as handle:
                return handle.read()
        finally:
            os.unlink(path)

    def csv_lines(self):
        """The CSV, one encoded line at a time (UTF-8 with a BOM, so Excel reads the Chinese)."""

        class Line:
            def write(self, text):
                return text

        writer = csv.writer(Line())
        yield "\ufeff" + writer.writerow([str(c) for c in self.columns])
        self.row_count = 0
        for row in replica_iter(self.rows()):  # a lag of seconds is fine for an export
            yield writer.writerow([safe_cell(v) for v in row])
            self.row_count += 1

    def render_csv(self) -> str:
        return "".join(self.csv_lines()).removeprefix("\ufeff")

    def log_filters(self) -> dict:
        """The filters this export applied, for the export log (subclasses with filters override)."""
        return dict(getattr(self, "filters", None) or {})

    def response(self, fmt: str = "xlsx", *, request=None) -> HttpResponse:
        """The download, streamed from a temporary file (xlsx) or row by row (csv); recorded in
        the export log under the requesting staff login."""
        from .services import export_log_write

        user = getattr(request, "user", None) or getattr(self, "user", None)
        if fmt == "csv":
            response = StreamingHttpResponse(
                (line.encode("utf-8") for line in self.csv_lines()), content_type="text/csv; charset=utf-8"
            )
            row_count = None  # known only once the stream ends
        else:
            path = self.render_xlsx_file()
            handle = open(path, "rb")  # noqa: SIM115 - FileResponse closes it
            os.unlink(path)  # the open handle keeps the data until the response is sent
            response = FileResponse(
                handle, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
            row_count = self.row_count
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(self.filename(fmt))}"
        if user is not None and user.is_authenticated:
            export_log_write(
                user=user, what=str(self.title), source=f"{type(self).__module__}.{type(self).__qualname__}",
                filters=self.log_filters() or (dict(request.GET.lists()) if request is not None else {}),
                row_count=row_count, file_format=fmt,
            )
        return response
