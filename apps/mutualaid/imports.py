"""A union's enrolment list (参保名单) on the shared import machinery (`apps.core.imports`).

Offices send their own spreadsheets: a title row or two above the headers, the ID column
headed 身份证号码 (or 证件号码, 身份证号...), IDs that Excel stored as numbers, trailing spaces
and full-width digits. `TableImport` reads all of that, reports every bad row by its Excel line
and column in Chinese, and writes all rows or none; this module adds only what enrolment
checks: the member exists, is active, belongs to the officer's union, is not enrolled in the
year already and is not listed twice.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.imports import Column, TableImport, cell_document_number, cell_text
from apps.core.validators import validate_resident_id

from .errors import AlreadyEnrolled, MemberNotActive, MemberNotInUnion
from .models import Enrolment


class EnrolmentImport(TableImport):
    """Enrol the members of an office's list in `year`'s scheme, all of them or none.

    Lookups are batched in `prepare()` (the members named and those already enrolled: two
    queries for the whole file); an officer enrols only its own union's members. The name
    column, when the list has one, must match the member found by the ID number, so that a
    mistyped but valid ID cannot enrol somebody else.
    """

    title = gettext_lazy("互助保障参保名单")
    max_rows = 3000

    @property
    def columns(self) -> list[Column]:
        # Built per import, in the language of the request (the machinery joins labels as text).
        return [
            Column("document_number", _("身份证号码"),
                   ("证件号码", "身份证号", "身份证", "公民身份号码", "证件号", "身份证件号码"),
                   required=True, clean=cell_document_number,
                   help=_("会员登记的证件号码，末位可为X。请把这一列设为“文本”格式，否则 Excel 会吞掉后几位。"),
                   example="330782199001011234"),
            Column("name", _("姓名"), ("职工姓名", "会员姓名", "参保人姓名", "参保人"),
                   help=_("可空；填写时须与该证件号码登记的姓名一致。"), example="张三"),
        ]

    def __init__(self, *, user=None, year: int | None = None):
        super().__init__(user=user)
        self.year = year

    def prepare(self, rows):
        from apps.members.models import Member

        from .services import scheme_for_enrolment

        scheme_for_enrolment(self.year)  # a year without a scheme is refused before any row
        numbers = {r.values["document_number"] for r in rows if r.values["document_number"]}
        self.members = {
            m.document_number: m
            for m in Member.objects.filter(document_number__in=numbers).only(
                "id", "name", "status", "union_id", "town_street_id", "document_number"
            )
        }
        self.enrolled = set(
            Enrolment.objects.filter(year=self.year, member__document_number__in=numbers).values_list(
                "member__document_number", flat=True
            )
        )
        self.seen = {}

    def clean_row(self, row, problem):
        from .services import enrolment_check

        number, name = row.values["document_number"], row.values["name"]
        if not number:
            return
        if number in self.seen:
            problem("document_number", _("与第 %(line)d 行重复。") % {"line": self.seen[number]})
            return
        self.seen[number] = row.line
        member = self.members.get(number)
        if member is None:
            try:
                validate_resident_id(number)
            except ValidationError as exc:
                problem("document_number", " ".join(exc.messages))
            else:
                problem("document_number", _("找不到证件号码为 %(number)s 的会员，请先登记会员。") % {"number": number})
            return
        if name and cell_text(name).replace(" ", "") != member.name.replace(" ", ""):
            problem("name", _("姓名“%(name)s”与该证件号码登记的姓名不一致。") % {"name": name})
            return
        if number in self.enrolled:
            problem("document_number", str(AlreadyEnrolled(member.name, self.year)))
            return
        try:
            enrolment_check(member=member, actor=self.user)
        except (MemberNotInUnion, MemberNotActive) as exc:
            problem("document_number", str(exc))
            return
        row.values["_member"] = member

    def write(self, rows, report):
        from .services import enrolments_import

        created = enrolments_import(members=[r.values["_member"] for r in rows], year=self.year, actor=self.user)
        report.created = len(created)
        self.written(len(created))
