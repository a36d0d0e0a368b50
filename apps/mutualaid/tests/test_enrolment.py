"""Enrolment by unions, one by one and from an office's own Excel list (all or nothing), the
scheme's rules locked once used, copying last year's scheme."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from openpyxl import Workbook

from apps.mutualaid import errors
from apps.mutualaid.imports import enrolment_rows_parse
from apps.mutualaid.models import Enrolment, Scheme
from apps.mutualaid.services import (
    contribution_record,
    enrolment_create,
    enrolments_import,
    scheme_assert_editable,
    scheme_copy,
    scheme_version_create,
)
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def xlsx(rows, title=True) -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    if title:
        sheet.append(["义乌市测试企业工会2026年度职工医疗互助保障参保名单"])
        sheet.append([])
    sheet.append(["序号", "姓名 ", "身份证号码", "备注"])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("名单.xlsx", out.getvalue())


def test_officer_enrols_own_member_once(member, officer, scheme):
    enrolment = enrolment_create(member=member, year=scheme.year, actor=officer)
    assert (enrolment.union, enrolment.town_street, enrolment.contribution) == (member.union, member.town_street,
                                                                                 Decimal("60"))
    with pytest.raises(errors.AlreadyEnrolled) as exc:
        enrolment_create(member=member, year=scheme.year, actor=officer)
    assert str(exc.value) == f"{member.name} 已参加{scheme.year}年度互助保障，不能重复参保。"
    assert Enrolment.objects.count() == 1


def test_database_refuses_a_second_enrolment(member, scheme):
    enrolment_create(member=member, year=scheme.year, actor=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        Enrolment.objects.create(scheme=scheme, year=scheme.year, member=member, union=member.union,
                                 town_street=member.town_street, contribution=0, enrolled_on=scheme.cover_start,
                                 covered_from=scheme.cover_start)


def test_officer_may_not_enrol_another_unions_member(other_member, officer, scheme):
    with pytest.raises(errors.MemberNotInUnion):
        enrolment_create(member=other_member, year=scheme.year, actor=officer)


def test_no_scheme_no_enrolment(member, db):
    with pytest.raises(errors.SchemeMissing):
        enrolment_create(member=member, year=2031, actor=None)


def test_first_enrolment_waits(member, scheme, today):
    enrolment = enrolment_create(member=member, year=scheme.year, actor=None, enrolled_on=today)
    assert not enrolment.is_renewal
    assert enrolment.covered_from == today + datetime.timedelta(days=90)
    assert enrolment.waiting_ends_on == today + datetime.timedelta(days=89)


def test_excel_as_offices_keep_it(member, officer, scheme):
    others = [MemberFactory(employer=member.employer) for _ in range(2)]
    upload = xlsx([
        [1, member.name, " " + member.document_number.lower()],
        [2, others[0].name, others[0].document_number + "  "],
        [3, others[1].name, "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in others[1].document_number)],
        [None, None, None],
    ])
    rows, problems = enrolment_rows_parse(upload)
    assert problems == []
    assert rows == [(4, member.document_number), (5, others[0].document_number), (6, others[1].document_number)]
    created = enrolments_import(rows=rows, year=scheme.year, actor=officer)
    assert len(created) == 3 and Enrolment.objects.count() == 3


def test_id_cell_stored_as_an_integer_is_read_as_text():
    from apps.mutualaid.imports import _id_cell

    # some programs (WPS, exports of HR systems) keep the 18 digits as an integer cell
    assert _id_cell(330782199001010156) == ("330782199001010156", None)
    assert _id_cell(330782199001010.0) == ("330782199001010", None)


def test_excel_id_as_exponent_number_is_explained(db):
    rows, problems = enrolment_rows_parse(xlsx([[1, "王五", 3.30782199001011e17]], title=False))
    assert rows == []
    assert problems == ["第 2 行：身份证号码被 Excel 存成了数字（如 3.30782E+17），末几位已丢失；请把该列设置为“文本”格式后重新填写"]


def test_excel_with_one_bad_row_imports_nothing(member, officer, scheme, other_member):
    good = MemberFactory(employer=member.employer)
    upload = xlsx([
        [1, member.name, member.document_number],
        [2, "错号", "330782199001011235"],
        [3, good.name, good.document_number],
    ])
    rows, problems = enrolment_rows_parse(upload)
    assert problems == ["第 5 行：身份证号码校验位不正确，请核对后重新输入。"]
    # and a file whose IDs are valid but one row is another union's member
    rows, problems = enrolment_rows_parse(xlsx([
        [1, member.name, member.document_number],
        [2, other_member.name, other_member.document_number],
        [3, good.name, good.document_number],
        [4, good.name, good.document_number],
    ]))
    assert problems == []
    with pytest.raises(errors.ImportRefused) as exc:
        enrolments_import(rows=rows, year=scheme.year, actor=officer)
    assert exc.value.problems == [
        f"第 5 行：{other_member.name} 不是本工会会员，只能为本工会会员办理参保。",
        "第 7 行：与第 6 行重复",
    ]
    assert not Enrolment.objects.exists()


def test_excel_without_id_column_or_not_excel(db):
    book = Workbook()
    book.active.append(["姓名", "电话"])
    out = io.BytesIO()
    book.save(out)
    assert enrolment_rows_parse(SimpleUploadedFile("a.xlsx", out.getvalue()))[1] == [
        "找不到“身份证号码”列：请在表头写明“身份证号码”。"]
    assert enrolment_rows_parse(SimpleUploadedFile("a.xlsx", b"MZ\x90\x00 not a workbook"))[1] == [
        "无法读取文件：请上传 Excel 文件（.xlsx）。"]


def test_unknown_id_and_already_enrolled_reported_by_line(member, officer, scheme):
    enrolment_create(member=member, year=scheme.year, actor=officer)
    with pytest.raises(errors.ImportRefused) as exc:
        enrolments_import(rows=[(3, member.document_number), (4, "330782199001010011")], year=scheme.year,
                          actor=officer)
    assert exc.value.problems[0] == f"第 3 行：{member.name} 已参加{scheme.year}年度互助保障，不能重复参保。"
    assert exc.value.problems[1].startswith("第 4 行：找不到身份证号码为")


def test_contribution_payment_recorded(member, scheme, mutual_office, today):
    payment = contribution_record(union=member.union, year=scheme.year, amount=Decimal("6000"), paid_on=today,
                                  reference=" JF001 ", actor=mutual_office)
    assert payment.reference == "JF001"
    with pytest.raises(errors.NegativeAmount):
        contribution_record(union=member.union, year=scheme.year, amount=Decimal("-1"), paid_on=today)


def test_scheme_in_use_is_locked_and_corrected_by_a_new_version(member, scheme, today):
    scheme_assert_editable(scheme)
    enrolment_create(member=member, year=scheme.year, actor=None)
    with pytest.raises(errors.SchemeLocked):
        scheme_assert_editable(scheme)
    with pytest.raises(errors.VersionDateInvalid):
        scheme_version_create(source=scheme, effective_from=scheme.cover_start - datetime.timedelta(days=1))
    new = scheme_version_create(source=scheme, effective_from=today)
    assert (new.year, new.version, new.benefits.count()) == (scheme.year, 2, 3)
    assert new.benefits.get(code="hospital").tiers.count() == 3
    scheme_assert_editable(new)


def test_copy_last_years_scheme(scheme):
    new = scheme_copy(source=scheme, year=scheme.year + 1)
    assert new.cover_start.year == scheme.cover_start.year + 1
    assert sorted(new.benefits.values_list("code", flat=True)) == ["critical", "hospital", "women"]
    assert new.benefits.get(code="women").items.count() == 2
    with pytest.raises(errors.SchemeExists):
        scheme_copy(source=scheme, year=scheme.year + 1)
    assert Scheme.objects.count() == 2
