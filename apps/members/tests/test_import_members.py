"""Excel import and export of members: all or nothing, bad rows by line, masking, scoping."""

import datetime
import io
import re

import openpyxl
import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from apps.members.models import Member
from apps.members.resources import MemberImport, MemberResource
from tests.factories import (
    EmployerFactory,
    MemberFactory,
    UnionFactory,
    UserFactory,
    resident_id,
)

pytestmark = pytest.mark.django_db

HEADERS = ["会员号", "姓名", "性别", "证件类型", "证件号码", "手机号码", "所属工会", "工作单位", "所在镇街", "岗位", "入会日期"]


def login(client, user):
    client.force_login(type(user).objects.get(pk=user.pk))


@pytest.fixture
def superuser(db):
    return UserFactory(is_staff=True, is_superuser=True)


@pytest.fixture
def employer(db):
    return EmployerFactory(name="义乌市恒远饰品有限公司", union=UnionFactory(name="义乌市恒远饰品有限公司工会"))


@pytest.fixture
def viewer(db):
    user = UserFactory(is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_member", content_type__app_label="members"))
    return user


def row(n, employer, **overrides):
    values = {
        "会员号": "", "姓名": f"导入职工{n}", "性别": "女" if n % 2 else "男", "证件类型": "",
        "证件号码": resident_id(3000 + n), "手机号码": f"1590000{n:04d}", "所属工会": employer.union.name,
        "工作单位": employer.name, "所在镇街": "稠城", "岗位": "普工", "入会日期": "2024-03-01",
    }
    values.update(overrides)
    return [values[h] for h in HEADERS]


def xlsx(rows, headers=HEADERS) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(headers)
    for values in rows:
        sheet.append(values)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def run(user, rows, headers=HEADERS, **kwargs):
    return MemberImport(user=user).run(xlsx(rows, headers), filename="会员.xlsx", **kwargs)


def texts(report):
    return [str(p) for p in report.problems]


def upload(client, content, name="会员.xlsx", **data):
    return client.post(reverse("admin:members_member_import"), {
        "file": SimpleUploadedFile(name, content), **data,
    })


# ---- the import ---------------------------------------------------------------------------

def test_file_with_one_bad_row_imports_nothing_and_names_the_line(superuser, employer):
    bad_number = resident_id(3002)[:-1] + ("1" if resident_id(3002)[-1] != "1" else "2")
    report = run(superuser, [row(1, employer), row(2, employer, 证件号码=bad_number), row(3, employer)])
    assert not report.ok
    assert Member.objects.count() == 0
    assert texts(report) == ["第 3 行【证件号码】：身份证号码校验位不正确，请核对后重新输入。"]


def test_several_bad_rows_are_all_reported_in_chinese(superuser, employer):
    rows = [
        row(1, employer, 性别="未知"),
        row(2, employer, 所属工会="不存在的工会"),
        row(3, employer, 手机号码="12345", 所在镇街="火星"),
        row(4, employer, 入会日期="明年"),
        row(5, employer),
    ]
    report = run(superuser, rows)
    assert Member.objects.count() == 0
    by_line = {}
    for p in report.problems:
        by_line.setdefault(p.line, []).append(str(p))
    assert set(by_line) == {2, 3, 4, 5}
    assert "第 2 行【性别】：“未知”不是有效选项，可填：男、女。" in by_line[2]
    assert any("【所属工会】：找不到名为“不存在的工会”的工会" in t for t in by_line[3])
    assert "第 4 行【手机号码】：“12345”不是11位手机号码。" in by_line[4]
    assert any("【所在镇街】：找不到镇街“火星”" in t for t in by_line[4])
    assert any("【入会日期】：日期“明年”无法识别" in t for t in by_line[5])


def test_good_file_imports_every_row_with_membership_numbers(superuser, employer):
    rows = [row(n, employer) for n in range(1, 6)]
    rows[0][4] = rows[0][4].lower()  # a lower-case x is fine (if there is one)
    report = run(superuser, rows)
    assert report.ok, texts(report)
    assert report.created == 5
    members = Member.objects.order_by("id")
    numbers = [m.membership_number for m in members]
    assert all(re.fullmatch(r"YW\d{10}", n) for n in numbers) and len(set(numbers)) == 5
    assert sorted(numbers) == numbers  # consecutive, in the file's order
    first = members[0]
    assert first.union == employer.union and first.employer == employer
    assert first.town_street.code == "choucheng" and first.document_number == resident_id(3001)
    assert first.birth_date is not None and str(first.joined_on) == "2024-03-01"
    assert first.history.count() == 1 and first.history.first().history_user == superuser


def test_duplicate_of_existing_document_number_is_a_bad_row(superuser, employer):
    existing = MemberFactory(document_number=resident_id(3001), employer=employer)
    report = run(superuser, [row(1, employer), row(2, employer)])
    assert [p.line for p in report.problems] == [2]
    assert "该证件号码已有会员登记" in texts(report)[0]
    assert Member.objects.count() == 1
    existing.refresh_from_db()
    assert existing.name != "导入职工1"


def test_duplicate_rows_within_one_file_are_refused(superuser, employer):
    report = run(superuser, [row(1, employer), row(2, employer, 证件号码=resident_id(3001))])
    assert texts(report) == ["第 3 行【证件号码】：与第 2 行的证件号码重复。"]
    assert Member.objects.count() == 0


def test_row_with_membership_number_updates_that_member(superuser, employer):
    existing = MemberFactory(document_number=resident_id(3001), employer=employer, membership_number="YW2020000001")
    rows = [row(1, employer, 会员号="yw2020000001", 岗位="车间主任", 手机号码=existing.phone)]
    report = run(superuser, rows)
    assert report.ok, texts(report)
    assert report.updated == 1 and report.created == 0
    existing.refresh_from_db()
    assert existing.job == "车间主任" and existing.membership_number == "YW2020000001"
    assert existing.history.first().history_user == superuser
    assert Member.objects.count() == 1


def test_a_column_missing_from_the_file_keeps_what_is_on_file(superuser, employer):
    existing = MemberFactory(document_number=resident_id(3001), employer=employer, membership_number="YW2020000001")
    phone = existing.phone
    headers = ["会员号", "姓名", "性别", "证件号码", "所属工会"]
    report = run(superuser, [["YW2020000001", "改名", "男", resident_id(3001), employer.union.name]], headers)
    assert report.ok, texts(report)
    existing.refresh_from_db()
    assert existing.name == "改名" and existing.phone == phone and existing.employer == employer


def test_unknown_membership_number_is_a_bad_row(superuser, employer):
    report = run(superuser, [row(1, employer, 会员号="YW1999000001")])
    assert "会员号 YW1999000001 不存在" in texts(report)[0]
    assert Member.objects.count() == 0


def test_officer_cannot_import_into_another_union(officer, member, employer):
    report = run(officer, [row(1, employer)])  # employer belongs to another union
    assert any("您无权向该工会导入会员" in t for t in texts(report))
    assert not Member.objects.filter(name="导入职工1").exists()


def test_officer_cannot_update_another_unions_member(officer, other_member):
    report = run(officer, [row(1, EmployerFactory(union=other_member.union), 会员号=other_member.membership_number)])
    assert "不在您的管理范围内" in texts(report)[0]


def test_file_over_the_row_cap_is_refused_before_any_row(superuser, employer, monkeypatch):
    monkeypatch.setattr(MemberImport, "max_rows", 3)
    report = run(superuser, [row(n, employer) for n in range(1, 5)])
    assert texts(report) == ["文件：文件有 4 行数据，超过每个文件 3 行的上限，请拆分后分批导入。"]
    assert Member.objects.count() == 0


def test_file_missing_required_columns_is_refused(superuser, employer):
    report = run(superuser, [["张三", "男"]], ["姓名", "性别"])
    assert "找不到表头的这些列：证件号码、所属工会" in texts(report)[0]


def test_blank_trailing_lines_are_ignored(superuser, employer):
    report = run(superuser, [row(1, employer), [None] * len(HEADERS), [""] * len(HEADERS)])
    assert report.ok, texts(report)
    assert Member.objects.count() == 1


def test_misspelt_union_offers_the_close_names(superuser, employer):
    report = run(superuser, [row(1, employer, 所属工会="义乌市恒远饰品公司工会")])
    assert texts(report) == [
        "第 2 行【所属工会】：找不到名为“义乌市恒远饰品公司工会”的工会，或您无权向该工会导入会员。"
        "您是不是要找：“义乌市恒远饰品有限公司工会”？"
    ]


def test_union_and_employer_match_by_normalised_name(superuser, employer):
    report = run(superuser, [row(1, employer, 所属工会=" 义乌市恒远饰品有限公司 工会 ", 工作单位="义乌市恒远饰品有限公司　")])
    assert report.ok, texts(report)
    assert Member.objects.get().employer == employer


def test_employer_of_another_union_is_refused(superuser, employer):
    other = EmployerFactory(name="别家公司", union=UnionFactory(name="别家公司工会"))
    report = run(superuser, [row(1, employer, 工作单位=other.name)])
    assert texts(report) == ["第 2 行【工作单位】：工作单位“别家公司”不属于工会“义乌市恒远饰品有限公司工会”。"]


def test_landline_and_future_date_are_refused_with_the_reason(superuser, employer):
    future = (timezone.localdate() + datetime.timedelta(days=2)).isoformat()
    report = run(superuser, [row(1, employer, 手机号码="0579-85512345", 入会日期=future)])
    assert texts(report) == [
        "第 2 行【手机号码】：“0579-85512345”是固定电话，请填写11位手机号码。",
        "第 2 行【入会日期】：入会日期不能晚于今天。",
    ]


def office_workbook(employer) -> bytes:
    """What an office really sends: a title, a date line, its own headers, numbers as numbers."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["义乌市恒远饰品有限公司工会会员花名册"])
    sheet.append(["填报日期：2024年3月", None, None, None, "单位：人"])
    sheet.append(["序号", "职工姓名", "性别", "身份证号码", "手机号码（必填）", "所在工会", "工作单位名称", "入会时间 ", "备注"])
    sheet.append([1, "王小红  ", "女 ", resident_id(4001, female=True) + " ", 13805791234, employer.union.name + " ",
                  employer.name, 42005, "新进"])
    sheet.append([2, " 李大明", "男", resident_id(4002), "+86 138-0579-1235", employer.union.name, employer.name,
                  "2015.1.1", None])
    sheet.append([3, "赵三", "男", "３３０７８２" + resident_id(4003)[6:], "(+86)13805791236", employer.union.name, "",
                  "2015年1月1日", None])
    sheet.append([4, "钱四", "男", resident_id(4004), "138 0579 1237", employer.union.name, None,
                  datetime.datetime(2015, 1, 1), None])
    sheet.append([None] * 9)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_office_workbook_with_title_rows_synonyms_spaces_numbers_and_serial_dates(superuser, employer):
    report = MemberImport(user=superuser).run(office_workbook(employer), filename="花名册.xlsx")
    assert report.ok, texts(report)
    members = {m.name: m for m in Member.objects.all()}
    assert set(members) == {"王小红", "李大明", "赵三", "钱四"}
    wang = members["王小红"]
    assert wang.gender == "F" and wang.document_number == resident_id(4001, female=True)  # trailing space gone
    assert wang.phone == "13805791234" and wang.joined_on == datetime.date(2015, 1, 1)
    assert members["李大明"].phone == "13805791235"
    assert members["赵三"].document_number == resident_id(4003) and members["赵三"].phone == "13805791236"
    assert members["赵三"].employer is None
    assert {m.joined_on for m in members.values()} == {datetime.date(2015, 1, 1)}
    assert all(m.union == employer.union for m in members.values())


def test_id_number_that_excel_turned_into_a_number_says_how_to_fix_it(superuser, employer):
    # openpyxl, like Excel, stores an 18-digit number as a float: its last digits are gone
    report = run(superuser, [row(1, employer, 证件号码=int(resident_id(3001)))])
    [text] = texts(report)
    assert text.startswith("第 2 行【证件号码】：身份证号码被Excel当成了数字（显示为3.3078219")
    assert "E+17），后几位已经丢失。" in text
    assert "“文本”" in text


def gbk_csv(employer, bad=False) -> bytes:
    lines = [
        "会员名单（2024年）,,,,,",
        "姓名,性别,身份证号,联系电话,工会名称,入会日期",
        f"孙五 ,男,{resident_id(5001)},13905791234,{employer.union.name},2015/01/01",
        f"周六,女,{resident_id(5002, female=True)},139-0579-1235,{employer.union.name},2016年2月3日",
    ]
    if bad:
        lines.append(f"吴七,男,{resident_id(5003)},0579-85512345,{employer.union.name},2016.13.1")
    return "\r\n".join(lines).encode("gbk")


def test_gbk_csv_is_read_and_imported(superuser, employer):
    report = MemberImport(user=superuser).run(gbk_csv(employer), filename="名单.csv")
    assert report.ok, texts(report)
    assert Member.objects.get(name="孙五").joined_on == datetime.date(2015, 1, 1)
    assert Member.objects.get(name="周六").phone == "13905791235"
    assert Member.objects.get(name="周六").joined_on == datetime.date(2016, 2, 3)


def test_gbk_csv_with_a_bad_row_gives_the_messages_and_imports_nothing(superuser, employer):
    report = MemberImport(user=superuser).run(gbk_csv(employer, bad=True), filename="名单.csv")
    assert texts(report) == [
        "第 5 行【联系电话】：“0579-85512345”是固定电话，请填写11位手机号码。",
        "第 5 行【入会日期】：日期“2016.13.1”无法识别，请写成 2015-01-01、2015/1/1 或 2015年1月1日。",
    ]
    assert Member.objects.count() == 0


def test_utf8_csv_with_bom_is_read(superuser, employer):
    text = "姓名,性别,证件号码,所属工会\n郑八,男,%s,%s\n" % (resident_id(5004), employer.union.name)
    report = MemberImport(user=superuser).run(("\ufeff" + text).encode("utf-8"), filename="a.csv")
    assert report.ok, texts(report)
    assert Member.objects.get().name == "郑八"


def test_lookups_are_batched_whatever_the_number_of_rows(superuser, employer, django_assert_max_num_queries):
    MemberImport(user=superuser).run(xlsx([row(n, employer) for n in range(1, 3)]))
    Member.objects.all().delete()
    with django_assert_max_num_queries(20):
        report = MemberImport(user=superuser).run(xlsx([row(n, employer) for n in range(10, 210)]))
    assert report.ok and report.created == 200


# ---- through the admin --------------------------------------------------------------------

def test_admin_import_with_a_bad_row_shows_line_and_reason_and_writes_nothing(client, superuser, employer):
    login(client, superuser)
    bad = [row(1, employer), row(2, employer), row(3, employer, 证件号码="33078219901301001X")]
    response = upload(client, xlsx(bad))
    assert response.status_code == 200
    body = response.content.decode()
    assert "第 4 行【证件号码】：身份证号码中的出生日期不存在。" in body
    assert "整个文件都没有导入" in body
    assert Member.objects.count() == 0


def test_admin_import_of_a_good_file(client, superuser, employer):
    login(client, superuser)
    response = upload(client, xlsx([row(n, employer) for n in range(1, 4)]))
    assert response.status_code == 302 and response.url == reverse("admin:members_member_changelist")
    assert Member.objects.filter(membership_number__startswith="YW").count() == 3
    assert all(m.history.first().history_user == superuser for m in Member.objects.all())


def test_admin_check_only_writes_nothing(client, superuser, employer):
    login(client, superuser)
    response = upload(client, xlsx([row(n, employer) for n in range(1, 4)]), dry_run="on")
    assert response.status_code == 200 and "检查通过：3 行都可以导入" in response.content.decode()
    assert Member.objects.count() == 0


@pytest.mark.parametrize("content, message", [
    (b"", "所提交的是空文件"),
    (b"PK\x03\x04broken", "无法读取该 Excel 文件"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "旧版 Excel（.xls）"),
    (b"\x00\x01binary", "请上传 Excel（.xlsx）或 CSV 文件"),
    ("a,b\n1,2".encode(), "找不到表头的这些列"),
])
def test_admin_import_refuses_unreadable_files_in_chinese(client, superuser, content, message):
    login(client, superuser)
    response = upload(client, content)
    assert response.status_code == 200
    assert message in response.content.decode()


def test_officer_can_import_into_own_union(client, officer, member):
    login(client, officer)
    response = upload(client, xlsx([row(1, member.employer)]))
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert Member.objects.get(name="导入职工1").union == member.union


def test_import_page_and_template_for_who_may_import_only(client, superuser, viewer):
    login(client, superuser)
    page = client.get(reverse("admin:members_member_import"))
    assert page.status_code == 200 and "身份证号码" in page.content.decode()
    template = client.get(reverse("admin:members_member_import_template"))
    book = openpyxl.load_workbook(io.BytesIO(template.content))
    assert [c.value for c in book.worksheets[0][1]][:3] == ["会员号", "姓名", "性别"]
    notes = {r[0].value: r for r in book.worksheets[1].iter_rows(min_row=2) if r[0].value}
    assert "身份证号码" in notes["证件号码"][2].value and notes["证件号码"][1].value == "必填"
    assert "文本" in notes["证件号码"][3].value
    login(client, viewer)
    assert client.get(reverse("admin:members_member_import")).status_code == 403
    assert client.get(reverse("admin:members_member_import_template")).status_code == 403


def test_changelist_links_to_the_import_for_staff_who_may_import(client, superuser, viewer):
    login(client, superuser)
    assert reverse("admin:members_member_import") in client.get(reverse("admin:members_member_changelist")).content.decode()
    login(client, viewer)
    assert reverse("admin:members_member_import") not in client.get(
        reverse("admin:members_member_changelist")
    ).content.decode()


# ---- export -------------------------------------------------------------------------------

def export(client, **params):
    fields = ["membership_number", "name", "document_number", "phone", "union", "status"]
    response = client.post(reverse("admin:members_member_export") + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else ""), {
        "format": "0", "resource": "0", **{f"memberresource_{f}": "on" for f in fields},
    })
    assert response.status_code == 200, response.content[:500]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    return [[c.value for c in r] for r in sheet.iter_rows()]


def test_export_masks_identity_without_permission(client, viewer, member):
    login(client, viewer)
    rows = export(client)
    assert rows[0] == ["会员号", "姓名", "证件号码", "手机号码", "所属工会", "会籍状态"]
    assert rows[1][2] == member.masked_document and rows[1][3] == member.masked_phone
    assert rows[1][5] == "在册"


def test_export_is_full_with_permission(client, superuser, member):
    login(client, superuser)
    rows = export(client)
    assert rows[1][2] == member.document_number and rows[1][3] == member.phone


def test_export_of_one_union_follows_the_filter(client, superuser, member, other_member):
    login(client, superuser)
    rows = export(client, union=member.union_id)
    assert [r[1] for r in rows[1:]] == [member.name]


def test_export_neutralises_formulas(client, superuser, member):
    member.name = "=HYPERLINK(\"http://evil\")"
    member.save()
    login(client, superuser)
    rows = export(client)
    assert rows[1][1] == "'=HYPERLINK(\"http://evil\")"


def test_exported_file_imports_back_as_updates(client, superuser, member):
    login(client, superuser)
    response = client.post(reverse("admin:members_member_export"), {"format": "0", "resource": "0", **{
        f"memberresource_{f}": "on" for f in MemberResource.Meta.fields
    }})
    report = MemberImport(user=superuser).run(response.content, filename="export.xlsx")
    assert report.ok, texts(report)
    assert report.updated == 1
    assert Member.objects.count() == 1
