"""Reading an office's own Excel list of entrants (bulk registration by a union officer).

One entry point, `entrant_rows_read(upload)`, returns the rows as plain dicts with the Excel
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


def _header_map(row) -> dict[str, int]:
    found = {}
    for index, cell in enumerate(row):
        label = text_clean(cell)
        for field, names in HEADERS.items():
            if label in names and field not in found:
                found[field] = index
    return found


def entrant_rows_read(upload) -> list[SheetRow]:
    """The entrant rows of the first sheet of an .xlsx file, with their Excel line numbers."""
    try:
        upload.seek(0)
        workbook = load_workbook(upload, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a file that is not xlsx
        raise SheetUnreadable(_("无法读取该文件：请上传 Excel（.xlsx）文件。")) from error
    sheet = workbook.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True, max_row=MAX_ROWS + HEADER_SEARCH_ROWS + 1))
    workbook.close()
    header_at, columns = None, {}
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        columns = _header_map(row)
        if "document_number" in columns:
            header_at = index
            break
    if header_at is None:
        raise SheetUnreadable(_("没有找到表头：表格中需要有“证件号码”（或“身份证号”）一列。"))
    data = rows[header_at + 1:]
    if len([r for r in data if any(c not in (None, "") for c in r)]) > MAX_ROWS:
        raise SheetUnreadable(_("一次最多导入 %(n)d 行。") % {"n": MAX_ROWS})
    result = []
    for offset, row in enumerate(data):
        if not any(text_clean(c) for c in row):
            continue
        line = header_at + 2 + offset

        def cell(field, row=row):
            index = columns.get(field)
            return row[index] if index is not None and index < len(row) else None

        number, problem = id_cell_clean(cell("document_number"))
        problems = [problem] if problem else []
        if not number and not problem:
            problems.append(_("缺少证件号码"))
        result.append(SheetRow(line=line, values={
            "document_number": number, "name": text_clean(cell("name")),
            "certificate_level": text_clean(cell("certificate_level")),
        }, problems=problems))
    if not result:
        raise SheetUnreadable(_("表格中没有数据行。"))
    return result
