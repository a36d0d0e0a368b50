"""Reading an office's own Excel list of entrants (bulk registration by a union officer).

One entry point per sheet, `entrant_rows_read(upload)` (and `score_rows_read` for the
judges' score sheet), returns the rows as plain dicts with the Excel
line each came from, or raises SheetUnreadable; the lead may later point it at the project's
shared import machinery without touching the callers. What people's files really hold is
handled here: title rows above the header (“义乌市第十二届劳动技能竞赛报名表”), header
synonyms (身份证号/证件号码…), ID numbers stored as numbers or shown in E-notation, full-width
characters (NFKC), stray spaces and blank lines.
"""

import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from openpyxl import load_workbook

from apps.core.errors import DomainError

MAX_ROWS = 2000
HEADER_SEARCH_ROWS = 10

HEADERS = {
    "document_number": ("证件号码", "身份证号", "身份证号码", "身份证", "公民身份号码", "证件号"),
    "name": ("姓名", "名字", "参赛者姓名", "选手姓名"),
    "certificate_level": ("证书等级", "技能等级", "职业资格等级", "资格等级", "等级"),
}


class SheetUnreadable(DomainError):
    pass


@dataclass
class SheetRow:
    line: int
    values: dict
    problems: list


def text_clean(value) -> str:
    """A cell as text: NFKC (full-width digits and letters), no spaces anywhere at the ends or
    inside (names and numbers in these lists never hold one)."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFKC", str(value))
    return "".join(text.split())


def id_cell_clean(value) -> tuple[str, str | None]:
    """(ID number, problem). Excel keeps an 18-digit number in 15 significant digits, so a
    numeric or E-notation cell cannot be trusted beyond that: short numbers (old 15-digit IDs,
    member numbers) are kept, long ones refused with a message saying how to fix the file."""
    if isinstance(value, bool):
        return "", _("证件号码格式不对")
    if isinstance(value, int):
        text = str(value)
    elif isinstance(value, float):
        if value != int(value):
            return "", _("证件号码格式不对")
        text = str(int(value))
    else:
        text = text_clean(value).upper()
        if "E+" in text:
            try:
                text = str(int(Decimal(text)))
            except (InvalidOperation, ValueError):
                return "", _("证件号码格式不对")
            if len(text) > 15:
                return "", _("证件号码被 Excel 显示成了科学计数法（如 3.30782E+17），后几位已丢失：请把该列设为“文本”后重新填写")
            return text, None
        return text, None
    if len(text) > 15:
        return "", _("证件号码被 Excel 存成了数字，后几位可能已丢失：请把该列设为“文本”后重新填写")
    return text, None


def _header_map(row, headers: dict) -> dict[str, int]:
    found = {}
    for index, cell in enumerate(row):
        label = text_clean(cell)
        for field, names in headers.items():
            if label in names and field not in found:
                found[field] = index
    return found


def _sheet_read(upload, headers: dict) -> tuple[list, dict, int]:
    """(data rows, column of each field, index of the header row) of the first sheet."""
    try:
        upload.seek(0)
        workbook = load_workbook(upload, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a file that is not xlsx
        raise SheetUnreadable(_("无法读取该文件：请上传 Excel（.xlsx）文件。")) from error
    sheet = workbook.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True, max_row=MAX_ROWS + HEADER_SEARCH_ROWS + 1))
    workbook.close()
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        columns = _header_map(row, headers)
        if "document_number" in columns:
            data = rows[index + 1:]
            if len([r for r in data if any(c not in (None, "") for c in r)]) > MAX_ROWS:
                raise SheetUnreadable(_("一次最多导入 %(n)d 行。") % {"n": MAX_ROWS})
            return data, columns, index
    raise SheetUnreadable(_("没有找到表头：表格中需要有“证件号码”（或“身份证号”）一列。"))


def _rows(upload, headers: dict, convert) -> list[SheetRow]:
    data, columns, header_at = _sheet_read(upload, headers)
    result = []
    for offset, row in enumerate(data):
        if not any(text_clean(c) for c in row):
            continue

        def cell(field, row=row):
            index = columns.get(field)
            return row[index] if index is not None and index < len(row) else None

        number, problem = id_cell_clean(cell("document_number"))
        problems = [problem] if problem else []
        if not number and not problem:
            problems.append(_("缺少证件号码"))
        values = {"document_number": number, "name": text_clean(cell("name"))}
        values.update(convert(cell, problems))
        result.append(SheetRow(line=header_at + 2 + offset, values=values, problems=problems))
    if not result:
        raise SheetUnreadable(_("表格中没有数据行。"))
    return result


def entrant_rows_read(upload) -> list[SheetRow]:
    """The entrant rows of the first sheet of an .xlsx file, with their Excel line numbers."""
    return _rows(upload, HEADERS, lambda cell, problems: {"certificate_level": text_clean(cell("certificate_level"))})


SCORE_HEADERS = {
    "document_number": HEADERS["document_number"],
    "name": HEADERS["name"],
    "theory": ("理论", "理论成绩", "理论得分", "理论考试", "应知"),
    "practical": ("实操", "实操成绩", "实操得分", "技能操作", "操作", "应会"),
}


def points_clean(value) -> tuple[Decimal | None, str | None]:
    """A score cell: a number with at most two decimals, full-width digits accepted."""
    if value is None or text_clean(value) == "":
        return None, None
    try:
        points = Decimal(text_clean(value)) if not isinstance(value, (int, float)) else Decimal(str(value))
    except InvalidOperation:
        return None, _("成绩“%(text)s”不是数字") % {"text": text_clean(value)}
    if points < 0 or points != points.quantize(Decimal("0.01")):
        return None, _("成绩“%(text)s”应为不小于 0、最多两位小数的数字") % {"text": text_clean(value)}
    return points, None


def score_rows_read(upload) -> list[SheetRow]:
    """The judges' sheet: ID number, optional name, theory and practical scores per line."""
    def convert(cell, problems):
        values = {}
        for kind in ("theory", "practical"):
            points, problem = points_clean(cell(kind))
            if problem:
                problems.append(problem)
            values[kind] = points
        return values

    return _rows(upload, SCORE_HEADERS, convert)
