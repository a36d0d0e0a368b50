"""Phones and ID numbers as people type or paste them, through the member admin and the import:
stored normalised, and a full-width spelling of a registered number found as that member."""

import re

import pytest
from django.urls import reverse

from apps.core.tests.test_validators import full_width
from apps.members.models import Member
from tests.factories import EmployerFactory, MemberFactory, UnionFactory, UserFactory, resident_id

from .test_import_members import row, run

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:members_member_changelist"


@pytest.fixture
def superuser(client):
    user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


@pytest.fixture
def employer(db):
    return EmployerFactory(name="义乌市恒远饰品有限公司", union=UnionFactory(name="义乌市恒远饰品有限公司工会"))


def x_number():
    return next(resident_id(n) for n in range(2000, 3000) if resident_id(n).endswith("X"))


@pytest.mark.parametrize("phone,number", [
    ("+86 136-0000-7777", lambda n: full_width(n[:17]) + "X"),
    ("(+86)13600007777", lambda n: full_width(n)),
    (full_width("136 0000 7777"), lambda n: f"{n[:6]} {n[6:14]} {n[14:]}".lower()),
])
def test_member_added_in_admin_with_pasted_numbers_is_stored_normalised(client, superuser, employer, phone, number):
    expected = x_number()
    add = reverse("admin:members_member_add")
    form_html = client.get(add).content.decode()
    for name in ("phone", "document_number"):
        assert "maxlength" not in re.search(rf'<input[^>]*name="{name}"[^>]*>', form_html).group()
    response = client.post(add, {
        "name": "孙丽萍", "gender": "F", "document_type": "id_card", "document_number": number(expected),
        "phone": phone, "birth_date": "", "union": employer.union_id, "employer": employer.pk,
        "town_street": employer.town_street_id, "job": "会计", "address": "", "joined_on": "", "status": "active",
    })
    assert response.status_code == 302, response.context["adminform"].form.errors
    created = Member.objects.get()
    assert (created.phone, created.document_number) == ("13600007777", expected)


def test_admin_refuses_a_landline_with_the_mobile_message(client, superuser, employer):
    response = client.post(reverse("admin:members_member_add"), {
        "name": "孙丽萍", "gender": "F", "document_type": "id_card", "document_number": x_number(),
        "phone": "0579-85512345", "union": employer.union_id, "town_street": employer.town_street_id, "status": "active",
    })
    assert response.status_code == 200 and "这是座机号码" in response.content.decode()
    assert not Member.objects.exists()


def test_full_width_id_number_added_in_admin_is_the_registered_member(client, superuser, employer):
    number = x_number()
    MemberFactory(document_number=number, employer=employer)
    response = client.post(reverse("admin:members_member_add"), {
        "name": "重复", "gender": "F", "document_type": "id_card", "document_number": full_width(number[:17]) + "X",
        "phone": "", "union": employer.union_id, "town_street": employer.town_street_id, "status": "active",
    })
    assert response.status_code == 200 and Member.objects.count() == 1


@pytest.mark.parametrize("query", ["{fw}", "{fw_ascii_x}", "＋８６　１３７－００００－１１１１", "(+86)13700001111",
                                   full_width("yw2020000777")])
def test_admin_search_reads_full_width_and_pasted_numbers(client, superuser, query):
    number = x_number()
    wanted = MemberFactory(document_number=number, phone="13700001111", membership_number="YW2020000777")
    MemberFactory()
    query = query.format(fw=full_width(number), fw_ascii_x=full_width(number[:17]) + "X")
    response = client.get(reverse(CHANGELIST), {"q": query})
    assert [m.pk for m in response.context["cl"].result_list] == [wanted.pk]


def test_import_stores_full_width_and_pasted_numbers_normalised(superuser, employer):
    rows = [
        row(1, employer, 证件号码=full_width(resident_id(3001)), 手机号码="+86 159-0000-0001"),
        row(2, employer, 证件号码=full_width(x_number()[:17]) + "X", 手机号码=full_width("(+86)15900000002")),
    ]
    result = run(superuser, rows)
    assert not result.problems, [str(p) for p in result.problems]
    assert sorted(Member.objects.values_list("document_number", "phone")) == sorted(
        [(resident_id(3001), "15900000001"), (x_number(), "15900000002")]
    )


def test_import_finds_the_full_width_duplicate_of_a_registered_member(superuser, employer):
    MemberFactory(document_number=x_number(), employer=employer)
    rows = [row(1, employer), row(2, employer, 证件号码=full_width(x_number()[:17]) + "X")]
    result = run(superuser, rows)
    assert [p.line for p in result.problems] == [3]
    assert "该证件号码已有会员登记" in str(result.problems[0])
    assert Member.objects.count() == 1


@pytest.mark.parametrize("cell", [330782199001011234.0, "3.30782199001011E+17"])
def test_import_explains_an_id_number_excel_turned_into_a_float(superuser, employer, cell):
    rows = [row(1, employer, 证件号码=cell)]
    result = run(superuser, rows)
    text = str(result.problems[0])
    assert "身份证号码被Excel当成了数字（显示为3.30782199001011E+17）" in text and "“文本”" in text
    assert not Member.objects.exists()


def test_import_finds_a_member_by_a_full_width_membership_number(superuser, employer):
    existing = MemberFactory(document_number=resident_id(3001), employer=employer, union=employer.union,
                             membership_number="YW2020000777")
    rows = [row(1, employer, 会员号=full_width("yw 2020 000 777"), 岗位="车间主任")]
    result = run(superuser, rows)
    assert not result.problems, [str(p) for p in result.problems]
    existing.refresh_from_db()
    assert existing.job == "车间主任" and Member.objects.count() == 1


def test_membership_number_is_stored_compact_whatever_writes_it(employer):
    member = MemberFactory(employer=employer, membership_number=full_width("yw2020000888"))
    assert Member.objects.filter(pk=member.pk).values_list("membership_number", flat=True).get() == "YW2020000888"
    assert Member.objects.get(membership_number=full_width(" yw2020000888")) == member
