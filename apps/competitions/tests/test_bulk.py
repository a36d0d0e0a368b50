"""An officer registers members of their own union from the office's own Excel list: title
rows, header synonyms, numeric IDs, full-width digits, row-numbered errors, all or nothing."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from apps.competitions.imports import SheetUnreadable, entrant_rows_read, id_cell_clean
from apps.competitions.models import Registration
from apps.core.limits import allowance_used
from tests.factories import MemberFactory, OfficerFactory, resident_id

from .factories import EventFactory

pytestmark = pytest.mark.django_db


def xlsx(rows, name="报名表.xlsx"):
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile(name, out.getvalue(),
                              content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def fullwidth(text):
    return "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in text)


def test_reading_handles_title_rows_synonyms_fullwidth_and_blank_lines():
    rows = entrant_rows_read(xlsx([
        ["义乌市第十二届劳动技能竞赛报名表"], [], [" 序号", "选手姓名 ", "身份证号码", "技能等级"],
        [1, " 王 小明", fullwidth("330782199001010011"), "高级工"], [None, None, None], [2, "李四", "33078219900101002x", ""],
    ]))
    assert [(r.line, r.values["name"], r.values["document_number"], r.values["certificate_level"]) for r in rows] == [
        (4, "王小明", "330782199001010011", "高级工"), (6, "李四", "33078219900101002X", "")]


def test_numeric_and_e_notation_ids_are_refused_with_how_to_fix_it_short_numbers_kept():
    assert id_cell_clean(330782199001010011)[1].startswith("证件号码被 Excel 存成了数字")
    assert id_cell_clean("3.30782E+17")[1].startswith("证件号码被 Excel 显示成了科学计数法")
    assert id_cell_clean(330782900101001) == ("330782900101001", None)
    assert id_cell_clean(330782900101001.0) == ("330782900101001", None)


def test_a_file_without_the_id_column_or_not_excel_is_refused():
    with pytest.raises(SheetUnreadable, match="没有找到表头"):
        entrant_rows_read(xlsx([["姓名", "电话"], ["王", "138"]]))
    with pytest.raises(SheetUnreadable, match="无法读取该文件"):
        entrant_rows_read(SimpleUploadedFile("a.xlsx", b"not a zip"))


def test_bulk_registration_with_one_bad_row_imports_nothing(client, member, officer):
    event = EventFactory(capacity=10)
    mate = MemberFactory(union=member.union, employer=member.employer)
    stranger = MemberFactory()  # another union's member
    client.force_login(officer)
    upload = xlsx([["证件号码", "姓名"], [member.document_number, member.name], [mate.document_number, mate.name],
                   [stranger.document_number, stranger.name], [resident_id(9999), "查无此人"]])
    response = client.post(reverse("competitions:bulk", args=[event.pk]), {"file": upload})
    page = response.content.decode()
    assert "名单有误，全部未导入" in page
    assert f"第 4 行：本工会没有证件号码为 {stranger.document_number} 的会员" in page
    assert "第 5 行：本工会没有证件号码为" in page
    assert not Registration.objects.exists()
    assert allowance_used(event.limit_key) == 0


def test_bulk_registration_checks_each_row_like_a_member_would(client, member, officer):
    event = EventFactory(capacity=1)
    mate = MemberFactory(union=member.union, employer=member.employer)
    client.force_login(officer)
    upload = xlsx([["证件号码"], [member.document_number], [mate.document_number], [member.document_number]])
    page = client.post(reverse("competitions:bulk", args=[event.pk]), {"file": upload}).content.decode()
    assert "第 3 行：本项目名额已满" in page
    assert "第 4 行：与第 2 行重复" in page
    assert not Registration.objects.exists()


def test_bulk_registration_of_a_clean_list_registers_everyone(client, member, officer):
    event = EventFactory(capacity=10)
    mate = MemberFactory(union=member.union, employer=member.employer)
    client.force_login(officer)
    upload = xlsx([["报名表"], ["身份证", "等级"], [member.document_number, "三级"], [mate.document_number, "无"]])
    response = client.post(reverse("competitions:bulk", args=[event.pk]), {"file": upload}, follow=True)
    assert "已为 2 名会员报名" in response.content.decode()
    assert set(Registration.objects.values_list("member_id", "certificate_level")) == {(member.pk, 3), (mate.pk, 0)}
    assert all(r.created_by == officer for r in Registration.objects.all())


def test_only_officers_reach_the_bulk_page(client, member, staff_of):
    event = EventFactory()
    client.force_login(member.user)
    assert client.get(reverse("competitions:bulk", args=[event.pk])).status_code == 403
    client.force_login(staff_of("经济技术部"))
    assert client.get(reverse("competitions:bulk", args=[event.pk])).status_code == 403
    client.force_login(OfficerFactory().user)
    assert client.get(reverse("competitions:bulk", args=[event.pk])).status_code == 200
