"""Enrolment by unions, one by one and from an office's own Excel list (all or nothing), the
scheme's rules locked once used, copying last year's scheme."""

import datetime
import io
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from openpyxl import Workbook

from apps.mutualaid import errors
from apps.mutualaid.imports import EnrolmentImport
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


def xlsx(rows, title=True) -> bytes:
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
    return out.getvalue()


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


def run_import(data, *, year, actor=None):
    return EnrolmentImport(user=actor, year=year).run(data, filename="名单.xlsx")


def test_excel_as_offices_keep_it(member, officer, scheme):
    """A title row, 姓名 with a trailing space, IDs with spaces, lower-case x and full-width
    digits, a blank row: all read by the shared import machinery."""
    others = [MemberFactory(employer=member.employer) for _ in range(2)]
    data = xlsx([
        [1, member.name, " " + member.document_number.lower()],
        [2, others[0].name, others[0].document_number + "  "],
        [3, others[1].name, "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in others[1].document_number)],
        [None, None, None],
    ])
    report = run_import(data, year=scheme.year, actor=officer)
    assert report.problems == [] and report.created == 3
    assert set(Enrolment.objects.values_list("member_id", flat=True)) == {member.pk, *(o.pk for o in others)}


def test_header_variants_csv_in_gbk_and_no_name_column(member, officer, scheme):
    """证件号码（必填） instead of 身份证号码, no name column, a CSV saved by WPS in GBK."""
    data = f"证件号码（必填）\r\n{member.document_number}\r\n".encode("gb18030")
    report = run_import(data, year=scheme.year, actor=officer)
    assert report.ok and Enrolment.objects.get().member == member


def test_template_workbook_has_the_columns(db):
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(EnrolmentImport().template_xlsx()))
    assert [c.value for c in book.worksheets[0][1]] == ["身份证号码", "姓名"]


def test_excel_id_as_exponent_number_is_explained(member, scheme):
    report = run_import(xlsx([[1, "王五", 3.30782199001011e17]], title=False), year=scheme.year)
    assert len(report.problems) == 1
    problem = str(report.problems[0])
    assert problem.startswith("第 2 行【身份证号码】：") and "文本" in problem
    assert not Enrolment.objects.exists()


def test_excel_with_one_bad_row_imports_nothing(member, officer, scheme, other_member):
    good = MemberFactory(employer=member.employer)
    report = run_import(xlsx([
        [1, member.name, member.document_number],
        [2, "错号", "330782199001011235"],
        [3, good.name, good.document_number],
    ]), year=scheme.year, actor=officer)
    assert [str(p) for p in report.problems] == ["第 5 行【身份证号码】：身份证号码校验位不正确，请核对后重新输入。"]
    assert not Enrolment.objects.exists()
    # and a file whose IDs are valid but one row is another union's member, one listed twice
    report = run_import(xlsx([
        [1, member.name, member.document_number],
        [2, other_member.name, other_member.document_number],
        [3, good.name, good.document_number],
        [4, good.name, good.document_number],
    ]), year=scheme.year, actor=officer)
    assert [str(p) for p in report.problems] == [
        f"第 5 行【身份证号码】：{other_member.name} 不是本工会会员，只能为本工会会员办理参保。",
        "第 7 行【身份证号码】：与第 6 行重复。",
    ]
    assert not Enrolment.objects.exists()


def test_name_that_does_not_match_the_id_is_a_bad_row(member, officer, scheme):
    report = run_import(xlsx([[1, "李四", member.document_number]]), year=scheme.year, actor=officer)
    assert [str(p) for p in report.problems] == ["第 4 行【姓名】：姓名“李四”与该证件号码登记的姓名不一致。"]
    assert not Enrolment.objects.exists()


def test_excel_without_id_column_or_not_excel(scheme):
    book = Workbook()
    book.active.append(["姓名", "电话"])
    out = io.BytesIO()
    book.save(out)
    report = run_import(out.getvalue(), year=scheme.year)
    assert not report.ok and "身份证号码" in str(report.problems[0])
    report = run_import(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 old excel", year=scheme.year)
    assert str(report.problems[0]) == "文件：这是旧版 Excel（.xls）文件，请在 Excel 或 WPS 中“另存为”.xlsx 后再上传。"


def test_year_without_scheme_is_refused_before_any_row(member, db):
    with pytest.raises(errors.SchemeMissing):
        run_import(xlsx([[1, member.name, member.document_number]]), year=2031)


def test_unknown_id_and_already_enrolled_reported_by_line(member, officer, scheme):
    enrolment_create(member=member, year=scheme.year, actor=officer)
    report = run_import(xlsx([[1, member.name, member.document_number], [2, "无名", "330782199001010011"]],
                             title=False), year=scheme.year, actor=officer)
    problems = [str(p) for p in report.problems]
    assert problems[0] == f"第 2 行【身份证号码】：{member.name} 已参加{scheme.year}年度互助保障，不能重复参保。"
    assert problems[1].startswith("第 3 行【身份证号码】：")
    assert Enrolment.objects.count() == 1


def test_list_enrolled_meanwhile_rolls_back_whole(member, officer, scheme):
    """The service behind the import writes all or none even if a row fails at write time."""
    good = MemberFactory(employer=member.employer)
    enrolment_create(member=member, year=scheme.year, actor=officer)
    with pytest.raises(errors.AlreadyEnrolled):
        enrolments_import(members=[good, member], year=scheme.year, actor=officer)
    assert Enrolment.objects.filter(member=good).count() == 0


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
