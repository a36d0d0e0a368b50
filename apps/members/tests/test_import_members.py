"""Excel import and export of members: all or nothing, bad rows by line, masking, scoping."""

import io
import re

import openpyxl
import pytest
import tablib
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.members.models import Member
from apps.members.resources import MemberResource
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


def dataset(rows, headers=HEADERS):
    return tablib.Dataset(*rows, headers=headers)


def upload(client, content):
    return client.post(reverse("admin:members_member_import"), {
        "format": "0", "resource": "0",
        "import_file": SimpleUploadedFile("会员.xlsx", content),
    })


def confirm(client, response):
    form = response.context["confirm_form"]
    return client.post(reverse("admin:members_member_process_import"), {
        name: form.initial.get(name, "") for name in form.fields
    })


# ---- the resource -------------------------------------------------------------------------

def test_file_with_one_bad_row_imports_nothing_and_names_the_line(superuser, employer):
    bad_number = resident_id(3002)[:-1] + ("1" if resident_id(3002)[-1] != "1" else "2")
    rows = [row(1, employer), row(2, employer, 证件号码=bad_number), row(3, employer)]
    result = MemberResource(user=superuser).import_data(dataset(rows), dry_run=False)
    assert result.has_problems()
    assert Member.objects.count() == 0
    text = [str(p) for p in result.problems]
    assert text == ["第 3 行：证件号码：身份证号码校验位不正确，请核对后重新输入。"]


def test_several_bad_rows_are_all_reported_in_chinese(superuser, employer):
    rows = [
        row(1, employer, 性别="未知"),
        row(2, employer, 所属工会="不存在的工会"),
        row(3, employer, 手机号码="12345", 所在镇街="火星"),
        row(4, employer, 入会日期="明年"),
        row(5, employer),
    ]
    result = MemberResource(user=superuser).import_data(dataset(rows), dry_run=False)
    assert Member.objects.count() == 0
    by_line = {p.line: " ".join(p.messages) for p in result.problems}
    assert set(by_line) == {2, 3, 4, 5}
    assert "性别：“未知”不是有效选项" in by_line[2]
    assert "所属工会：找不到名为“不存在的工会”的工会" in by_line[3]
    assert "手机号码：请输入11位手机号码。" in by_line[4] and "所在镇街：找不到镇街“火星”" in by_line[4]
    assert "入会日期：日期“明年”无法识别" in by_line[5]


def test_good_file_imports_every_row_with_membership_numbers(superuser, employer):
    rows = [row(n, employer) for n in range(1, 6)]
    rows[0][4] = rows[0][4].lower()  # a lower-case x is fine (if there is one)
    result = MemberResource(user=superuser).import_data(dataset(rows), dry_run=False)
    assert not result.has_problems(), [str(p) for p in result.problems]
    members = Member.objects.order_by("id")
    assert members.count() == 5
    numbers = [m.membership_number for m in members]
    assert all(re.fullmatch(r"YW\d{10}", n) for n in numbers) and len(set(numbers)) == 5
    first = members[0]
    assert first.union == employer.union and first.employer == employer
    assert first.town_street.code == "choucheng" and first.document_number == resident_id(3001)
    assert first.birth_date is not None and str(first.joined_on) == "2024-03-01"


def test_duplicate_of_existing_document_number_is_a_bad_row(superuser, employer):
    existing = MemberFactory(document_number=resident_id(3001), employer=employer)
    result = MemberResource(user=superuser).import_data(dataset([row(1, employer), row(2, employer)]), dry_run=False)
    assert [p.line for p in result.problems] == [2]
    assert "该证件号码已有会员登记" in str(result.problems[0])
    assert Member.objects.count() == 1
    existing.refresh_from_db()
    assert existing.name != "导入职工1"


def test_duplicate_rows_within_one_file_are_refused(superuser, employer):
    rows = [row(1, employer), row(2, employer, 证件号码=resident_id(3001))]
    result = MemberResource(user=superuser).import_data(dataset(rows), dry_run=False)
    assert [p.line for p in result.problems] == [3]
    assert Member.objects.count() == 0


def test_row_with_membership_number_updates_that_member(superuser, employer):
    existing = MemberFactory(document_number=resident_id(3001), employer=employer, membership_number="YW2020000001")
    rows = [row(1, employer, 会员号="yw2020000001", 岗位="车间主任", 手机号码=existing.phone)]
    result = MemberResource(user=superuser).import_data(dataset(rows), dry_run=False)
    assert not result.has_problems(), [str(p) for p in result.problems]
    existing.refresh_from_db()
    assert existing.job == "车间主任" and existing.membership_number == "YW2020000001"
    assert Member.objects.count() == 1


def test_unknown_membership_number_is_a_bad_row(superuser, employer):
    result = MemberResource(user=superuser).import_data(dataset([row(1, employer, 会员号="YW1999000001")]), dry_run=False)
    assert "会员号 YW1999000001 不存在" in str(result.problems[0])
    assert Member.objects.count() == 0


def test_officer_cannot_import_into_another_union(officer, member, employer):
    rows = [row(1, employer)]  # employer belongs to another union
    result = MemberResource(user=officer).import_data(dataset(rows), dry_run=False)
    assert "您无权向该工会导入会员" in str(result.problems[0])
    assert not Member.objects.filter(name="导入职工1").exists()


def test_officer_cannot_update_another_unions_member(officer, other_member):
    rows = [row(1, EmployerFactory(union=other_member.union), 会员号=other_member.membership_number)]
    result = MemberResource(user=officer).import_data(dataset(rows), dry_run=False)
    assert "不在您的管理范围内" in str(result.problems[0])


def test_file_over_the_row_cap_is_refused_before_any_row(superuser, employer, monkeypatch):
    monkeypatch.setattr(MemberResource, "max_rows", 3)
    result = MemberResource(user=superuser).import_data(dataset([row(n, employer) for n in range(1, 5)]), dry_run=False)
    assert "超过每个文件 3 行的上限" in str(result.problems[0])
    assert Member.objects.count() == 0


def test_file_missing_required_columns_is_refused(superuser, employer):
    result = MemberResource(user=superuser).import_data(
        dataset([["张三", "男"]], headers=["姓名", "性别"]), dry_run=False
    )
    assert "文件缺少以下列：证件号码、所属工会" in str(result.problems[0])


def test_blank_trailing_lines_are_ignored(superuser, employer):
    rows = [row(1, employer), [None] * len(HEADERS), [""] * len(HEADERS)]
    result = MemberResource(user=superuser).import_data(dataset(rows), dry_run=False)
    assert not result.has_problems(), [str(p) for p in result.problems]
    assert Member.objects.count() == 1


# ---- through the admin --------------------------------------------------------------------

def test_admin_import_with_a_bad_row_shows_line_and_reason_and_offers_no_confirm(client, superuser, employer):
    login(client, superuser)
    bad = [row(1, employer), row(2, employer), row(3, employer, 证件号码="33078219901301001X")]
    response = upload(client, xlsx(bad))
    assert response.status_code == 200
    body = response.content.decode()
    assert "第 4 行：证件号码：身份证号码中的出生日期不存在。" in body
    assert "整个文件都没有导入" in body
    assert "confirm_form" not in response.context or response.context["confirm_form"] is None
    assert Member.objects.count() == 0


def test_admin_import_of_a_good_file_after_confirmation(client, superuser, employer):
    login(client, superuser)
    response = upload(client, xlsx([row(n, employer) for n in range(1, 4)]))
    assert response.status_code == 200
    assert Member.objects.count() == 0  # the preview writes nothing
    done = confirm(client, response)
    assert done.status_code == 302
    assert Member.objects.filter(membership_number__startswith="YW").count() == 3
    assert all(m.history.first().history_user == superuser for m in Member.objects.all())


def test_admin_confirmation_refuses_a_row_that_went_bad_meanwhile(client, superuser, employer):
    login(client, superuser)
    response = upload(client, xlsx([row(1, employer), row(2, employer)]))
    MemberFactory(document_number=resident_id(3002))  # registered between preview and confirm
    done = confirm(client, response)
    assert done.status_code == 302
    assert Member.objects.count() == 1
    messages = [str(m) for m in done.wsgi_request._messages]
    assert any("第 3 行" in m for m in messages) and any("整个文件未导入" in m for m in messages)


def test_officer_can_import_into_own_union(client, officer, member):
    login(client, officer)
    employer = member.employer
    response = upload(client, xlsx([row(1, employer)]))
    assert response.context["confirm_form"] is not None, response.content.decode()[-2000:]
    assert confirm(client, response).status_code == 302
    assert Member.objects.get(name="导入职工1").union == member.union


# ---- export -------------------------------------------------------------------------------

def export(client, **params):
    fields = ["membership_number", "name", "document_number", "phone", "union", "status"]
    response = client.post(reverse("admin:members_member_export") + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else ""), {
        "format": "0", "resource": "0", **{f"memberresource_{f}": "on" for f in fields},
    })
    assert response.status_code == 200, response.content[:500]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    return [[c.value for c in r] for r in sheet.iter_rows()]


@pytest.fixture
def viewer(db):
    user = UserFactory(is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_member", content_type__app_label="members"))
    return user


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
    data = MemberResource(user=superuser).import_data(
        tablib.Dataset().load(response.content, format="xlsx"), dry_run=False
    )
    assert not data.has_problems(), [str(p) for p in data.problems]
    assert Member.objects.count() == 1
