"""No full ID number and no full birth date reach staff without `members.view_full_document`.

Walks every admin page (changelist, the pages a model admin adds without arguments, change,
history and each historical version) and every export as 领导 and as a grassroots officer, and
searches what comes back for the full number or the birth date in any usual spelling.
"""

import datetime
import io
import re
from decimal import Decimal

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.urls import reverse
from openpyxl import load_workbook
from simple_history.admin import SimpleHistoryAdmin

from apps.accounts import roles
from apps.core.masking import mask_birth_date, sees_full_document
from apps.members.exports import MemberExporter
from apps.members.models import Member
from apps.membership.models import JoinStatus
from apps.membership.services import join_request_submit, join_request_transition, member_merge
from apps.orgs.models import GrassrootsUnion
from apps.rights.models import Category, Channel
from apps.rights.services import case_submit
from tests.factories import MemberFactory, OfficerFactory, UnionFactory, resident_id, town

# Birth dates far from any date the walk shows otherwise (joined_on, submitted_at...).
BIRTHS = [datetime.date(1983, 7, 19), datetime.date(1979, 11, 23), datetime.date(1986, 2, 14),
          datetime.date(1975, 9, 8)]


def spellings(day: datetime.date) -> list[str]:
    return [
        day.isoformat(), f"{day:%Y%m%d}", f"{day:%Y/%m/%d}", f"{day:%Y.%m.%d}",
        f"{day.year}年{day.month}月{day.day}日", f"{day.year}-{day.month}-{day.day}",
        f"{day:%B} {day.day}, {day.year}", f"{day:%b}. {day.day}, {day.year}",
    ]


@pytest.fixture
def people(db, staff_of):
    """One union with members, a join request, a merge and a rights case, each carrying a
    birth date that only the full-document permission may read."""
    union = UnionFactory(name="稠城街道隐私测试联合工会", kind=GrassrootsUnion.Kind.JOINT,
                         town_street=town("choucheng"), is_catch_all=True)
    organisation = staff_of(roles.ORGANISATION)
    officer = OfficerFactory(union=union).user
    first = MemberFactory(union=union, employer=None, town_street=union.town_street,
                          document_number=resident_id(3, birth=BIRTHS[0]), address="稠城街道工人北路1号")
    # History with the number, phone and birth date changing.
    first.phone, first.document_number, first.birth_date = "13812345678", resident_id(4, birth=BIRTHS[1]), BIRTHS[1]
    first.save()
    twin = MemberFactory(union=union, employer=None, town_street=union.town_street, name=first.name,
                         document_number=resident_id(5, birth=BIRTHS[2]))
    member_merge(survivor=first, removed=twin, by=organisation, note="同一人")
    request = join_request_submit(
        name="陈雨桐", gender="F", document_type="id_card", document_number=resident_id(6, birth=BIRTHS[3]),
        phone="13957901234", town_street=union.town_street, job="仓库管理员", employer_name="义乌市某某商行",
        consented=True,
    )
    open_request = join_request_submit(
        name="陈雨桐", gender="F", document_type="id_card", document_number=resident_id(7, birth=BIRTHS[0]),
        phone="13957901235", town_street=union.town_street, job="仓库管理员", employer_name="义乌市某某商行",
        consented=True,
    )
    join_request_transition(join_request=request, to=JoinStatus.APPROVED, by=organisation)
    case = case_submit(
        channel=Channel.WALK_IN, category=Category.WAGE_ARREARS, description="公司拖欠三个月工资。",
        worker_name="王小明", worker_phone="13900001111", worker_id_number=resident_id(8, birth=BIRTHS[1]),
        employer_name="义乌市某某商行", town_street=union.town_street, amount_owed=Decimal("9000.00"),
        created_by=organisation,
    )
    numbers = {m.document_number for m in Member.objects.all()} | {
        first.document_number, twin.document_number, request.document_number, open_request.document_number,
        case.worker_id_number, resident_id(3, birth=BIRTHS[0]),
    }
    forbidden = sorted(numbers) + [s for day in BIRTHS for s in spellings(day)]
    return {"officer": officer, "leader": staff_of(roles.LEADERSHIP), "forbidden": forbidden}


def leaks(text: str, forbidden) -> list[str]:
    return [needle for needle in forbidden if needle in text]


def xlsx_text(content: bytes) -> str:
    book = load_workbook(io.BytesIO(content), read_only=True)
    cells = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows(values_only=True):
            for value in row:
                if isinstance(value, (datetime.date, datetime.datetime)):
                    cells.append(value.date().isoformat() if isinstance(value, datetime.datetime) else value.isoformat())
                elif value is not None:
                    cells.append(str(value))
    return "\n".join(cells)


def admin_urls(user):
    """Every admin page of every registered model that takes no argument but an object's pk."""
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        prefix = f"admin:{opts.app_label}_{opts.model_name}"
        yield reverse(f"{prefix}_changelist")
        for pattern in model_admin.get_urls():
            if pattern.name and pattern.pattern.regex.groups == 0 and not pattern.name.endswith("_changelist"):
                yield reverse(f"admin:{pattern.name}")
        for pk in model._default_manager.values_list("pk", flat=True)[:10]:
            yield reverse(f"{prefix}_change", args=[pk])
            yield reverse(f"{prefix}_history", args=[pk])
            if isinstance(model_admin, SimpleHistoryAdmin):
                for version in model.history.filter(**{opts.pk.attname: pk}).values_list("history_id", flat=True)[:10]:
                    yield reverse(f"{prefix}_simple_history", args=[pk, version])


@pytest.mark.parametrize("who", ["leader", "officer"])
def test_no_admin_page_shows_a_full_id_number_or_birth_date(client, people, who):
    user = people[who]
    assert not sees_full_document(user)
    client.force_login(user)
    opened, seen = 0, []
    for url in admin_urls(user):
        response = client.get(url)
        assert response.status_code != 500, url
        if response.status_code == 200:
            opened += 1
            if response["Content-Type"].startswith("application/vnd.openxml"):
                body = xlsx_text(read(response))
            else:
                body = read(response).decode()
            seen += [(url, needle) for needle in leaks(body, people["forbidden"])]
    assert seen == []
    assert opened > 20  # the walk did open the pages it should have


def read(response) -> bytes:
    """The body of a plain or a streamed (file) response."""
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


@pytest.mark.parametrize("who", ["leader", "officer"])
def test_no_export_shows_a_full_id_number_or_birth_date(client, people, who):
    user = people[who]
    client.force_login(user)
    files = []
    page = client.get(reverse("admin:members_member_export"))
    assert page.status_code == 200
    form = page.context["form"]
    data = {name: "on" for name, field in form.fields.items() if field.widget.input_type == "checkbox"}
    data.update({"format": "0", "resource": "0"})
    exported = client.post(reverse("admin:members_member_export"), data)
    assert exported.status_code == 200 and exported["Content-Type"].startswith("application/vnd.openxml")
    files.append(read(exported))
    files.append(MemberExporter(user).render_xlsx())
    for name, params in [
        ("admin:rights_rightscase_export", {}), ("admin:rights_rightscase_export", {"what": "summary"}),
        ("admin:membership_joinrequest_stats", {"format": "xlsx"}),
    ]:
        response = client.get(reverse(name), params)
        if response.status_code == 200:
            files.append(read(response))
    if who == "leader":
        assert len(files) == 5
    for content in files:
        assert leaks(xlsx_text(content), people["forbidden"]) == []
    assert re.search(r"3307\*+\d{3}[\dX]", xlsx_text(files[0]))  # the numbers are there, masked


def test_with_the_permission_the_birth_date_and_number_show(client, people):
    leader = people["leader"]
    leader.user_permissions.add(Permission.objects.get(codename="view_full_document"))
    leader = type(leader).objects.get(pk=leader.pk)
    client.force_login(leader)
    member = Member.objects.get(phone="13812345678")
    body = client.get(reverse("admin:members_member_change", args=[member.pk])).content.decode()
    assert member.document_number in body and leaks(body, spellings(BIRTHS[1]))


def test_member_page_shows_the_birth_year_only(client, people):
    member = Member.objects.get(phone="13812345678")
    client.force_login(people["officer"])
    body = client.get(reverse("admin:members_member_change", args=[member.pk])).content.decode()
    assert mask_birth_date(member.birth_date) in body and "1979年" in body
