"""Phones and ID numbers as people type or paste them, through the real join form (in the test
client and in Chromium on a phone), the join-request admin and the employer search."""

import datetime
import re
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from apps.accounts.models import PhoneCode
from apps.core.tests.test_validators import full_width
from apps.membership.models import JoinRequest
from tests.factories import EmployerFactory, MemberFactory, UserFactory, resident_id, town

from .helpers import last_code

JOIN = reverse("membership:join")

# (phone as typed, ID number as typed) -> stored as (11 digits, upper-case ASCII)
SPELLINGS = [
    ("+86 138-0579-1234", lambda n: n),
    ("138 0579 1234", lambda n: full_width(n)),  # all full-width ID number
    ("(+86)13805791234", lambda n: full_width(n[:17]) + n[17]),  # full-width digits, ASCII last char
    (full_width("13805791234"), lambda n: f"{n[:6]} {n[6:14]} {n[14:]}".lower()),
    ("（+86）138－0579－1234", lambda n: f"{n[:6]}-{n[6:14]}-{n[14:]}"),
]


def x_number(start=900):
    return next(resident_id(n) for n in range(start, 3000) if resident_id(n).endswith("X"))


def form_data(phone, number, employer, **extra):
    return {
        "name": "陈雨桐", "gender": "F", "document_type": "id_card", "document_number": number, "phone": phone,
        "employer_name": employer.name, "employer": employer.pk, "town_street": employer.town_street_id,
        "job": "仓库管理员", "address": "", "consent": "on", "idempotency_key": str(uuid.uuid4()), **extra,
    }


@pytest.mark.django_db
@pytest.mark.parametrize("phone,spell", SPELLINGS)
def test_join_form_takes_every_spelling_and_stores_it_normalised(
    client, employer, sms_outbox, django_capture_on_commit_callbacks, phone, spell
):
    number = x_number()
    form = form_data(phone, spell(number), employer)
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(JOIN, {**form, "send_code": "1"}).content.decode()
    assert "验证码已发送至 138****1234" in page
    form["code"] = last_code(sms_outbox, "13805791234")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(JOIN, form)
    assert response.status_code == 302, response.context["form"].errors
    stored = JoinRequest.objects.get()
    assert (stored.phone, stored.document_number) == ("13805791234", number)


@pytest.mark.django_db
def test_join_form_renders_no_maxlength_that_would_cut_a_pasted_number(client):
    page = client.get(JOIN).content.decode()
    for name in ("phone", "document_number"):
        tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', page).group()
        assert "maxlength" not in tag, tag
    assert 'inputmode="tel"' in re.search(r'<input[^>]*name="phone"[^>]*>', page).group()


@pytest.mark.django_db
def test_landline_and_excel_float_are_explained_before_any_code_is_sent(client, employer, sms_outbox):
    form = form_data("0579-85512345", "3.30782199001011E+17", employer)
    page = client.post(JOIN, {**form, "send_code": "1"}).content.decode()
    assert "这是座机号码。请填写11位手机号码" in page
    assert "身份证号码被Excel当成了数字（显示为3.30782199001011E+17）" in page and "“文本”" in page
    assert sms_outbox == [] and not JoinRequest.objects.exists()


@pytest.mark.django_db
def test_full_width_spelling_of_a_members_id_number_is_found_as_the_same_person(
    client, employer, sms_outbox, django_capture_on_commit_callbacks
):
    number = x_number()
    MemberFactory(document_number=number, employer=employer, union=employer.union)
    form = form_data("13805791234", full_width(number[:17]) + "X", employer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(JOIN, {**form, "send_code": "1"})
    code = re.search(r"\d{6}", sms_outbox[-1].text).group()
    page = client.post(JOIN, {**form, "code": code}).content.decode()
    # the answer comes only once the applicant's phone is proven (repairs I, item 6)
    assert "该证件号码已是在册会员" in page
    assert not JoinRequest.objects.exists()


@pytest.mark.django_db
def test_join_request_admin_search_reads_full_width_and_pasted_numbers(client, employer):
    number = x_number()
    JoinRequest.objects.create(
        name="陈雨桐", gender="F", document_number=number, phone="13805791234", employer=employer,
        town_street=employer.town_street, union=employer.union, job="仓库管理员",
        deadline=timezone.localdate() + datetime.timedelta(days=20), consented_at=timezone.now(),
    )
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    url = reverse("admin:membership_joinrequest_changelist")
    for query in (full_width("13805791234"), "+86 138-0579-1234", full_width(number), number.lower()):
        response = client.get(url, {"q": query})
        assert response.status_code == 200
        assert [r.pk for r in response.context["cl"].result_list] == [JoinRequest.objects.get().pk], query


@pytest.mark.django_db
@pytest.mark.parametrize("url", [reverse("membership:employer_search"), reverse("rights:employer_search")])
def test_employer_search_api_reads_full_width_letters(client, url):
    wanted = EmployerFactory(name="义乌市ABC贸易（集团）有限公司", town_street=town("choucheng"))
    EmployerFactory(name="义乌市小商品城物流有限公司")
    for query in ("ＡＢＣ贸易", "abc", "（集团）", "  ABC  "):
        assert [r["id"] for r in client.get(url, {"q": query}).json()["results"]] == [wanted.pk], query


# ---- the same in Chromium on a phone -------------------------------------------------------

@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_every_spelling_through_the_join_form_in_a_phone_browser(live_server, page, sms_outbox):
    employer = EmployerFactory(name="义乌市小商品城物流有限公司")
    numbers = [resident_id(n) for n in range(1200, 1200 + len(SPELLINGS))]
    numbers[2] = x_number(1300)  # the full-width-with-ASCII-X case needs an X
    phones = [f"1380579{i:04d}" for i in range(len(SPELLINGS))]

    page.goto(f"{live_server.url}/join/")
    page.fill("input[name=phone]", "0579-85512345")
    page.fill("input[name=document_number]", "3.30782199001011E+17")
    page.click("button[name=send_code]")
    expect(page.locator("body")).to_contain_text("这是座机号码")
    expect(page.locator("body")).to_contain_text("身份证号码被Excel当成了数字")
    page.screenshot(path="/tmp/inputs-join-landline.png", full_page=True)

    for i, ((phone, spell), number) in enumerate(zip(SPELLINGS, numbers)):
        typed_phone = phone.replace("1234", f"{i:04d}").replace(full_width("1234"), full_width(f"{i:04d}"))
        page.goto(f"{live_server.url}/join/")
        page.fill("input[name=name]", "朱俊芳")
        page.check("input[name=gender][value=F]")
        page.select_option("select[name=document_type]", "id_card")
        page.fill("input[name=document_number]", spell(number))
        page.fill("input[name=phone]", typed_phone)
        # Nothing is cut off in the browser: the box holds the whole pasted value.
        expect(page.locator("input[name=phone]")).to_have_value(typed_phone)
        page.fill("input[name=job]", "仓库管理员")
        page.click("button[name=send_code]")
        expect(page.locator(".alert-success")).to_contain_text(f"验证码已发送至 138****{i:04d}")
        page.fill("input[name=code]", last_code(sms_outbox, phones[i]))
        page.locator("input[name=employer_name]").press_sequentially("小商品城物流", delay=20)
        choice = page.locator("[data-employer-results] button", has_text=employer.name)
        choice.click()
        page.check("input[name=consent]")
        if i == 1:
            page.screenshot(path="/tmp/inputs-join-full-width.png", full_page=True)
        page.click("button[name=submit_join]")
        expect(page).to_have_url(re.compile(r"/join/status/$"))
        stored = JoinRequest.objects.get(phone=phones[i])
        assert stored.document_number == number, (typed_phone, spell(number))
        # The next code goes to another phone from the same browser: no waiting on the minute.
        PhoneCode.objects.update(created_at=timezone.now() - datetime.timedelta(minutes=2))
    assert JoinRequest.objects.count() == len(SPELLINGS)
