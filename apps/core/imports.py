"""Reading the lists offices really send: one machinery for every staff import.

An office's spreadsheet has a title row or two above the headers, its own names for the
columns (身份证号码 for 证件号码, 所在工会 for 所属工会), trailing spaces, ID numbers that Excel
turned into numbers, dates as Excel serials (42005) or typed as 2015.1.1, and sometimes it is a
CSV saved by WPS in GBK. This module turns such a file into clean rows or a list of problems,
each in Chinese with the Excel line number and the column, and writes all rows or none.

An import is a subclass of `TableImport`: it declares its `columns` (each with its synonyms and
a cell normaliser), may look up everything the rows name in `prepare()` (a handful of queries
for the whole file, never per row), checks each row in `clean_row()` and writes them all in
`write()`. `TableImport.run()` does the rest: header detection, row cap, problems, one
transaction. Files above `background_rows` are run by a Celery task (see `ImportJob`).
"""

import csv
import datetime
import difflib
import io
import re
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .validators import (
    _EXCEL_FLOAT,
    ResidentIdValidator,
    normalise_document_number,
    normalise_phone,
    normalize_text,
    spreadsheet_cell_text,
    validate_mobile_phone,
)

HEADER_SCAN_ROWS = 10  # title rows an office puts above its headers, at most


class CellError(ValueError):
    """A cell that cannot be read; the message is shown to the person with line and column."""


class FileRefused(ValueError):
    """A whole file that cannot be read (wrong format, no header row, too many rows)."""


# ---- normalising text ---------------------------------------------------------------------

# Text as stored: Unicode NFKC (full-width digits and letters to ASCII), trimmed.
nfkc = normalize_text


def header_key(value) -> str:
    """A column header reduced for comparison: NFKC, no spaces, marks or bracketed hints."""
    text = nfkc(value)
    text = re.sub(r"[(\[（【].*?[)\]）】]", "", text)  # 证件号码（必填） -> 证件号码
    return re.sub(r"[\s*＊:：_\-]", "", text).lower()


def name_key(value) -> str:
    """An organisation's name reduced for matching: NFKC, no spaces or brackets, lower case."""
    text = nfkc(value)
    return re.sub(r"[\s()（）\[\]【】·.,，、\"'“”‘’]", "", text).lower()


# ---- cell normalisers: each takes the raw cell and returns the clean value or raises ---------

def cell_text(value) -> str:
    """Trimmed text; a whole number Excel stored as a float loses its `.0`."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (datetime.date, datetime.datetime)):
        value = value.isoformat()
    return nfkc(value)


def cell_document_number(value) -> str:
    """A document number (ID, passport) in its stored form.

    Excel keeps 15 significant digits: an 18-digit ID typed into a number cell comes back as
    3.30782199001011E+17 and its last digits are lost. Such a cell is given to the validator in
    the form Excel shows it, so the one ID validator (apps.core.validators) says what happened
    and how to fix it. An exact integer (a CSV, or a cell formatted as 0) is taken as it is.
    """
    if isinstance(value, bool):
        raise CellError(_("证件号码不正确。"))
    text = nfkc(spreadsheet_cell_text(value))
    number = normalise_document_number(text.lstrip("'"))
    if _EXCEL_FLOAT.match(number):
        try:
            ResidentIdValidator()(number)
        except ValidationError as exc:
            raise CellError(" ".join(exc.messages)) from exc
    return number


def cell_phone(value) -> str:
    """A mobile number as 11 digits (blank stays blank); +86, spaces, dashes, brackets go."""
    text = cell_text(value)
    if not text:
        return ""
    phone = normalise_phone(re.sub(r"[()（）.]", "", text))
    phone = phone.removeprefix("0086").removeprefix("86") if len(phone) > 11 else phone
    if re.fullmatch(r"0\d{9,11}", phone):
        raise CellError(_("“%(value)s”是固定电话，请填写11位手机号码。") % {"value": text})
    try:
        validate_mobile_phone(phone)
    except Exception as exc:
        raise CellError(_("“%(value)s”不是11位手机号码。") % {"value": text}) from exc
    return phone


EXCEL_EPOCH = datetime.date(1899, 12, 30)  # serial 1 is 1900-01-01, with Excel's 1900 leap day
_DATE_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


def cell_date(value) -> datetime.date | None:
    """A date from a date cell, an Excel serial (42005), 20150101, or 2015-1-1 / 2015/01/01 /
    2015.1.1 / 2015年1月1日. Blank is None."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _serial_date(value)
    text = nfkc(value)
    if not text:
        return None
    if re.fullmatch(r"\d{5}(\.0+)?", text):
        return _serial_date(float(text))
    match = _DATE_TEXT.match(text) or re.fullmatch(r"(\d{4})(\d{2})(\d{2})", text)
    if match:
        try:
            return datetime.date(*(int(g) for g in match.groups()))
        except ValueError:
            pass
    raise CellError(_("日期“%(value)s”无法识别，请写成 2015-01-01、2015/1/1 或 2015年1月1日。") % {"value": text})


def _serial_date(serial: float) -> datetime.date:
    if not 1 <= serial < 2958466:  # Excel's own range: 1900-01-01 to 9999-12-31
        raise CellError(_("日期“%(value)s”无法识别，请写成 2015-01-01 的形式。") % {"value": serial})
    return EXCEL_EPOCH + datetime.timedelta(days=int(serial))


def cell_choice(choices) -> Callable:
    """A normaliser for a TextChoices column: accepts the Chinese label or the stored value."""
    by_text = {}
    for stored, label in choices.choices:
        by_text[header_key(label)] = stored
        by_text[header_key(stored)] = stored

    def clean(value):
        text = cell_text(value)
        if not text:
            return ""
        stored = by_text.get(header_key(text))
        if stored is None:
            raise CellError(
                _("“%(value)s”不是有效选项，可填：%(options)s。")
                % {"value": text, "options": "、".join(str(label) for _v, label in choices.choices)}
            )
        return stored

    return clean


# ---- columns, problems, reading files -----------------------------------------------------

@dataclass
class Column:
    """One column of an import: its key, the header of the template, the other headers offices
    use for it, whether it must be filled, how a cell is read, and what to write in it."""

    key: str
    label: str
    synonyms: tuple = ()
    required: bool = False
    clean: Callable = cell_text
    help: str = ""
    example: str = ""

    def headers(self) -> set[str]:
        return {header_key(self.label), *(header_key(s) for s in self.synonyms)}


@dataclass
class Problem:
    line: int | None  # the Excel line number; None for a problem of the whole file
    column: str = ""
    message: str = ""

    def __str__(self):
        where = _("第 %(line)d 行") % {"line": self.line} if self.line else _("文件")
        if self.column:
            return _("%(where)s【%(column)s】：%(message)s") % {
                "where": where, "column": self.column, "message": self.message,
            }
        return _("%(where)s：%(message)s") % {"where": where, "message": self.message}

    def as_dict(self) -> dict:
        return {"line": self.line, "column": self.column, "message": self.message, "text": str(self)}


@dataclass
class Report:
    """What an import did: the problems (then nothing was written) or how many rows it wrote."""

    total: int = 0
    created: int = 0
    updated: int = 0
    problems: list[Problem] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict:
        return {
            "total": self.total, "created": self.created, "updated": self.updated, "dry_run": self.dry_run,
            "problems": [p.as_dict() for p in self.problems],
        }


def read_table(data: bytes, filename: str = "") -> list[list]:
    """The cells of the first sheet of an .xlsx file, or of a CSV in UTF-8 (with or without
    BOM) or GBK/GB18030, as lists of raw values. Raises FileRefused in Chinese."""
    if not data:
        raise FileRefused(_("文件是空的。"))
    if data[:2] == b"PK":
        return _read_xlsx(data)
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise FileRefused(_("这是旧版 Excel（.xls）文件，请在 Excel 或 WPS 中“另存为”.xlsx 后再上传。"))
    if b"\x00" in data[:4096]:
        raise FileRefused(_("无法读取该文件：请上传 Excel（.xlsx）或 CSV 文件。"))
    return _read_csv(data)


def count_rows(data: bytes, filename: str = "") -> int:
    """About how many rows a file has, cheaply (the sheet's recorded size), to decide whether
    it is imported in the request or in the background. Raises FileRefused like read_table."""
    if data[:2] == b"PK":
        from openpyxl import load_workbook

        try:
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            rows = book.worksheets[0].max_row
            book.close()
        except (zipfile.BadZipFile, KeyError, OSError, ValueError, IndexError) as exc:
            raise FileRefused(_("无法读取该 Excel 文件，文件可能已损坏，请重新保存为 .xlsx 后上传。")) from exc
        if rows is not None:
            return rows
    return len(read_table(data, filename))


def _read_xlsx(data: bytes) -> list[list]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise FileRefused(_("无法读取该 Excel 文件，文件可能已损坏，请重新保存为 .xlsx 后上传。")) from exc
    try:
        sheet = book.worksheets[0]
        return [list(row) for row in sheet.iter_rows(values_only=True)]
    finally:
        book.close()


def _read_csv(data: bytes) -> list[list]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise FileRefused(_("无法识别 CSV 文件的编码，请用 UTF-8 或 GBK 保存。"))
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    return [row for row in csv.reader(io.StringIO(text), dialect)]


def find_header(rows: list[list], columns: list[Column]) -> tuple[int, dict[int, Column]]:
    """The index of the header row (the first of the top rows naming most known columns) and
    which column each cell index holds. Raises FileRefused naming the missing columns."""
    best = (-1, {}, 0)
    for index, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        found = {}
        for position, cell in enumerate(row):
            key = header_key(cell)
            if not key:
                continue
            for column in columns:
                if key in column.headers() and column not in found.values():
                    found[position] = column
                    break
        required = sum(1 for c in found.values() if c.required)
        if (required, len(found)) > (best[2], len(best[1])):
            best = (index, found, required)
    index, found, _required = best
    missing = [c.label for c in columns if c.required and c not in found.values()]
    if index < 0 or missing:
        raise FileRefused(
            _("在文件前 %(n)d 行中找不到表头的这些列：%(cols)s。请使用下载的模板，或把表头改为模板中的列名。")
            % {"n": HEADER_SCAN_ROWS, "cols": "、".join(missing or [c.label for c in columns if c.required])}
        )
    return index, found


class NameMatcher:
    """Finds a named row (a union, an employer) by its normalised name among `pairs` of
    (object, name) loaded once, and offers the closest names when there is no exact one."""

    def __init__(self, pairs: Iterable):
        self.by_key = {}
        for obj, name in pairs:
            self.by_key.setdefault(name_key(name), obj)

    def get(self, name: str):
        return self.by_key.get(name_key(name))

    def close(self, name: str, limit: int = 3) -> list[str]:
        keys = difflib.get_close_matches(name_key(name), self.by_key.keys(), n=limit, cutoff=0.6)
        return [str(getattr(self.by_key[k], "name", k)) for k in keys]

    def missing_text(self, name: str, message: str) -> str:
        close = self.close(name)
        if close:
            return message + _("您是不是要找：%(names)s？") % {"names": "、".join(f"“{n}”" for n in close)}
        return message


# ---- the pipeline -------------------------------------------------------------------------

@dataclass
class Row:
    line: int  # Excel line number
    values: dict  # column key -> cleaned value


class TableImport:
    """Base of every staff import. Subclass: set `title`, `columns`; implement `clean_row()`
    and `write()`; look up what the rows name in `prepare()`.

    Guarantees: a file with any problem writes nothing (one transaction, rolled back also when
    the database refuses a row at write time); every problem names its Excel line and column.
    """

    title = gettext_lazy("导入")
    columns: list[Column] = []
    max_rows = 5000
    background_rows = 300  # above this, the admin runs the import as a background task
    progress_every = 250

    def __init__(self, *, user=None):
        self.user = user

    # -- subclass hooks --
    def prepare(self, rows: list[Row]) -> None:
        """Load what the rows name (a few queries for the whole file)."""

    def clean_row(self, row: Row, problem: Callable[[str, str], None]) -> None:
        """Check one row across its columns; call `problem(column_key, message)` for each fault."""

    def written(self, count: int) -> None:
        """Tell the progress bar that `count` more rows were written (call from `write()`)."""
        self._written += count
        if self._progress:
            self._progress(self._total + self._written, 2 * self._total)

    def write(self, rows: list[Row], report: Report) -> None:
        """Write every row (inside the import's transaction); count into `report`; call
        `written(n)` after each batch so the progress bar moves."""
        raise NotImplementedError("an import writes its rows")

    # -- the run --
    def label_of(self, key: str) -> str:
        """The column's name as the file calls it (身份证号码), else as the template does."""
        if key in getattr(self, "file_headers", {}):
            return self.file_headers[key]
        for column in self.columns:
            if column.key == key:
                return str(column.label)
        return key

    def parse(self, table: list[list]) -> tuple[list[Row], list[Problem]]:
        """The rows of a table with every cell normalised, and the problems of the cells."""
        header_index, positions = find_header(table, self.columns)
        self.file_headers = {
            column.key: nfkc(table[header_index][position]) for position, column in positions.items()
        }
        body = table[header_index + 1:]
        while body and all(cell_text(v) == "" for v in body[-1]):
            body.pop()
        data_rows = sum(1 for r in body if any(cell_text(v) != "" for v in r))
        if data_rows > self.max_rows:
            raise FileRefused(_("文件有 %(rows)d 行数据，超过每个文件 %(max)d 行的上限，请拆分后分批导入。") % {
                "rows": data_rows, "max": self.max_rows,
            })
        if not data_rows:
            raise FileRefused(_("文件中没有数据行。"))
        rows, problems = [], []
        for offset, raw in enumerate(body):
            line = header_index + 2 + offset
            if all(cell_text(v) == "" for v in raw):
                continue
            values = {}
            for position, column in positions.items():
                cell = raw[position] if position < len(raw) else None
                try:
                    values[column.key] = column.clean(cell)
                except CellError as exc:
                    problems.append(Problem(line, self.label_of(column.key), str(exc)))
                    values[column.key] = None
                    continue
                if column.required and values[column.key] in ("", None):
                    problems.append(Problem(line, self.label_of(column.key), _("此列必须填写。")))
            for column in self.columns:
                values.setdefault(column.key, None)  # a column the file does not have: keep as is
            rows.append(Row(line, values))
        return rows, problems

    def run(self, data: bytes, *, filename: str = "", dry_run: bool = False,
            progress: Callable[[int, int], None] | None = None) -> Report:
        """Read, check and (unless `dry_run` or any problem) write a whole file."""
        report = Report(dry_run=dry_run)
        try:
            rows, problems = self.parse(read_table(data, filename))
        except FileRefused as exc:
            report.problems = [Problem(None, "", str(exc))]
            return report
        report.total = len(rows)
        self._progress, self._total, self._written = progress, len(rows), 0
        self.prepare(rows)
        for number, row in enumerate(rows, 1):
            self.clean_row(row, lambda key, message, line=row.line: problems.append(
                Problem(line, self.label_of(key), str(message))
            ))
            if progress and number % self.progress_every == 0:
                progress(number, len(rows) * 2)
        if problems or dry_run:
            report.problems = sorted(problems, key=lambda p: (p.line or 0))
            return report
        try:
            with transaction.atomic():
                self.write(rows, report)
        except IntegrityError:
            report.created = report.updated = 0
            report.problems = [Problem(None, "", _(
                "写入时与已有数据冲突（可能有人同时登记了相同的证件号码或手机号码），整个文件未导入，请重新上传。"
            ))]
        if progress:
            progress(len(rows) * 2, len(rows) * 2)
        return report

    # -- the template workbook --
    def template_xlsx(self) -> bytes:
        """A workbook to fill in: the header row, one example row, and a sheet explaining each column."""
        from openpyxl import Workbook
        from openpyxl.styles import Font

        book = Workbook()
        sheet = book.active
        sheet.title = str(self.title)[:31]
        sheet.append([str(c.label) for c in self.columns])
        for index, column in enumerate(self.columns, 1):
            cell = sheet.cell(row=1, column=index)
            cell.font = Font(bold=True, color="C00000" if column.required else "000000")
            letter = cell.column_letter
            sheet.column_dimensions[letter].width = max(12, len(str(column.label)) * 3)
            if column.clean in (cell_document_number, cell_phone):
                for row in range(2, 1002):  # text cells, so Excel keeps every digit of an ID
                    sheet.cell(row=row, column=index).number_format = "@"
        notes = book.create_sheet(str(_("填写说明")))
        notes.append([str(_("列名")), str(_("是否必填")), str(_("也可用的列名")), str(_("填写说明")), str(_("示例"))])
        for column in self.columns:
            notes.append([
                str(column.label), str(_("必填")) if column.required else str(_("选填")),
                "、".join(str(s) for s in column.synonyms), str(column.help), str(column.example),
            ])
        notes.append([])
        notes.append([str(_("表头上方可以有标题行；列的顺序不限。只要有一行错误，整个文件都不会导入。"))])
        for letter, width in zip("ABCDE", (14, 10, 36, 60, 24)):
            notes.column_dimensions[letter].width = width
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()
