"""An officer registers members of their own union from the office's own list, through the
shared import machinery (apps.core.imports): title rows, header variants, numeric IDs, full-width
digits, CSV, row-numbered Chinese errors, all or nothing."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from apps.competitions.imports import EntrantImport
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


def post(client, event, upload):
    return client.post(reverse("competitions:bulk", args=[event.pk]), {"file": upload}, follow=True)


def test_a_clerks_own_list_with_title_rows_variants_fullwidth_digits_and_blank_lines(client, member, officer):
    event = EventFactory(capacity=10)
    mate = MemberFactory(union=member.union, employer=member.employer)
    client.force_login(officer)
    upload = xlsx([
        ["义乌市第十二届劳动技能竞赛报名表"], [], [" 序号", "选手姓名 ", "身份证号码（必填）", "技能等级"],
        [1, f" {member.name} ", fullwidth(member.document_number), "高级工（三级）"], [None, None, None],
        [2, mate.name, mate.document_number.lower(), "无"],
    ])
    page = post(client, event, upload).content.decode()
    assert "已为 2 名会员报名" in page
    assert set(Registration.objects.values_list("member_id", "certificate_level")) == {(member.pk, 3), (mate.pk, 0)}
    assert all(r.created_by == officer for r in Registration.objects.all())


def test_a_csv_saved_by_wps_in_gbk_is_read(client, member, officer):
    event = EventFactory(capacity=10)
    client.force_login(officer)
    data = f"姓名,证件号码,证书等级\n{member.name},{member.document_number},三级\n".encode("gb18030")
    page = post(client, event, SimpleUploadedFile("名单.csv", data, content_type="text/csv")).content.decode()
    assert "已为 1 名会员报名" in page
    assert Registration.objects.get().certificate_level == 3


def test_bulk_registration_with_one_bad_row_imports_nothing(client, member, officer):
    event = EventFactory(capacity=10)
    mate = MemberFactory(union=member.union, employer=member.employer)
    stranger = MemberFactory()  # another union's member
    client.force_login(officer)
    upload = xlsx([["证件号码", "姓名", "等级"], [member.document_number, member.name, ""],
                   [mate.document_number, "别人", ""], [stranger.document_number, stranger.name, ""],
                   [resident_id(9999), "查无此人", "特级"]])
    page = post(client, event, upload).content.decode()
    assert "名单有误，全部未导入" in page
    assert "第 3 行【姓名】：姓名与会员资料不符" in page
    assert f"第 4 行【证件号码】：本工会没有证件号码为 {stranger.document_number} 的会员。" in page
    assert "第 5 行【等级】：证书等级“特级”无法识别" in page
    assert not Registration.objects.exists()
    assert allowance_used(event.limit_key) == 0


def test_an_id_excel_turned_into_a_number_is_refused_with_how_to_fix_it(client, member, officer):
    event = EventFactory(capacity=10)
    client.force_login(officer)
    page = post(client, event, xlsx([["身份证号"], [float(member.document_number[:17] + "1")]])).content.decode()
    assert "第 2 行【身份证号】" in page
    assert "文本" in page
    assert not Registration.objects.exists()


def test_bulk_registration_checks_each_row_like_a_member_would(client, member, officer):
    event = EventFactory(capacity=1)
    mate = MemberFactory(union=member.union, employer=member.employer)
    client.force_login(officer)
    upload = xlsx([["证件号码"], [member.document_number], [mate.document_number], [member.document_number]])
    page = post(client, event, upload).content.decode()
    assert "第 4 行【证件号码】：与第 2 行的证件号码重复。" in page
    assert not Registration.objects.exists()
    upload = xlsx([["证件号码"], [member.document_number], [mate.document_number]])
    page = post(client, event, upload).content.decode()
    assert "第 3 行：本项目名额已满" in page
    assert not Registration.objects.exists()
    assert allowance_used(event.limit_key) == 0


def test_an_ineligible_row_is_refused_with_the_members_message(client, member, officer):
    event = EventFactory(capacity=5, required_level=3)
    client.force_login(officer)
    page = post(client, event, xlsx([["证件号码", "证书等级"], [member.document_number, "中级工"]])).content.decode()
    assert "第 2 行【证件号码】：本项目要求持有“高级工（三级）”或更高等级" in page
    assert not Registration.objects.exists()


def test_files_that_cannot_be_read_are_refused_in_chinese(client, officer):
    event = EventFactory()
    client.force_login(officer)
    page = post(client, event, xlsx([["姓名", "电话"], ["王", "138"]])).content.decode()
    assert "找不到表头的这些列：证件号码" in page
    page = post(client, event, SimpleUploadedFile("a.xlsx", b"PK not a zip")).content.decode()
    assert "无法读取该 Excel 文件" in page
    assert not Registration.objects.exists()


def test_the_template_names_the_columns(client, officer):
    event = EventFactory()
    client.force_login(officer)
    response = client.get(reverse("competitions:bulk", args=[event.pk]), {"template": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert [c.value for c in sheet[1]] == [str(c.label) for c in EntrantImport.columns]


def test_only_officers_reach_the_bulk_page(client, member, staff_of):
    event = EventFactory()
    client.force_login(member.user)
    assert client.get(reverse("competitions:bulk", args=[event.pk])).status_code == 403
    client.force_login(staff_of("经济技术部"))
    assert client.get(reverse("competitions:bulk", args=[event.pk])).status_code == 403
    client.force_login(OfficerFactory().user)
    assert client.get(reverse("competitions:bulk", args=[event.pk])).status_code == 200
