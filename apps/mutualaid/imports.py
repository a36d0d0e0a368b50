"""Reading a union's enrolment list (参保名单) from Excel, as offices really keep it: a title row
or two above the headers, the ID column headed 身份证号码 (or a synonym), IDs that Excel stored
as numbers, trailing spaces and full-width digits.

One entry point, `enrolment_rows_parse(file) -> (rows, problems)`, so that the shared import
machinery of `apps.core` can take its place without touching the callers.
"""

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from apps.core.validators import normalise_document_number, validate_resident_id

ID_HEADERS = ("身份证号码", "身份证号", "身份证", "公民身份号码", "证件号码", "证件号")
HEADER_SEARCH_ROWS = 10
MAX_ROWS = 5000
MAX_BYTES = 5 * 1024 * 1024


def _text(value) -> str:
    """A cell as the person sees it: NFKC (full-width digits and letters), no spaces."""
    if value is None:
        return ""
    return unicodedata.normalize("NFKC", str(value)).strip()


def _header_key(value) -> str:
    return _text(value).replace(" ", "").replace("\u3000", "").replace("*", "")


def _id_cell(value) -> tuple[str, str | None]:
    """(ID number, problem) of one cell of the ID column."""
    if isinstance(value, bool):
        return "", _("身份证号码格式不对")
    if isinstance(value, int):
        return str(value), None
    if isinstance(value, float):
        # Excel keeps 15 significant digits of a number: an 18-digit ID stored as a number has
        # lost its last digits and cannot be recovered.
        if value.is_integer() and abs(value) < 10**15:
            return str(int(value)), None
        return "", _("身份证号码被 Excel 存成了数字（如 3.30782E+17），末几位已丢失；"
                     "请把该列设置为“文本”格式后重新填写")
    return normalise_document_number(_text(value)), None


def enrolment_rows_parse(file) -> tuple[list[tuple[int, str]], list[str]]:
    """Read an .xlsx enrolment list. Returns the rows as (Excel line, ID number) and the
    problems, each naming its line ("第 5 行：…"); empty rows are skipped. The caller imports
    nothing when there is any problem."""
    from openpyxl import load_workbook

    size = getattr(file, "size", None)
    if size is not None and size > MAX_BYTES:
        return [], [_("文件过大：不能超过 %(mb)d MB。") % {"mb": MAX_BYTES // (1024 * 1024)}]
    try:
        file.seek(0)
        workbook = load_workbook(file, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        return [], [_("无法读取文件：请上传 Excel 文件（.xlsx）。")]
    try:
        sheet = workbook.worksheets[0]
        lines = sheet.iter_rows(values_only=True)
        id_col = header_line = None
        for number, cells in enumerate(lines, start=1):
            keys = [_header_key(c) for c in cells]
            for synonym in ID_HEADERS:
                if synonym in keys:
                    id_col, header_line = keys.index(synonym), number
                    break
            if id_col is not None or number >= HEADER_SEARCH_ROWS:
                break
        if id_col is None:
            return [], [_("找不到“身份证号码”列：请在表头写明“身份证号码”。")]
        rows, problems = [], []
        for number, cells in enumerate(lines, start=header_line + 1):
            if not any(_text(c) for c in cells):
                continue
            if len(rows) + len(problems) >= MAX_ROWS:
                return [], [_("名单过长：一次最多导入 %(max)d 行。") % {"max": MAX_ROWS}]
            value = cells[id_col] if id_col < len(cells) else None
            id_number, problem = _id_cell(value)
            if problem is None and not id_number:
                problem = _("身份证号码为空")
            if problem is None:
                try:
                    validate_resident_id(id_number)
                except ValidationError as exc:
                    problem = " ".join(exc.messages)
            if problem:
                problems.append(_("第 %(line)d 行：%(problem)s") % {"line": number, "problem": problem})
            else:
                rows.append((number, id_number))
        if not rows and not problems:
            problems.append(_("名单中没有数据行。"))
        return rows, problems
    finally:
        workbook.close()
