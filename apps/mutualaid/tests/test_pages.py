"""The member's pages: /me/mutualaid/, the claim form, a claim's page and its receipts; who
may see them; query counts flat from 10 to 200 claims; the staff numbers page."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from apps.accounts import roles
from apps.mutualaid.models import Claim, Status
from apps.mutualaid.services import NUMBER_SEQUENCE, claim_transition
from tests.factories import response_bytes

from .conftest import D, png_bytes

pytestmark = pytest.mark.django_db
MINE = "/me/mutualaid/"
CLAIM = "/mutualaid/claim/"


@pytest.fixture
def enrolled(member, enrol):
    enrol(member)
    return member


def form_data(today, **overrides):
    admitted = today - datetime.timedelta(days=12)
    data = {
        "token": "5a1c3f0e-8f5e-4a39-9a64-3c1f6a8f1b11", "benefit_code": "hospital", "fixed_item_name": "",
        "hospital": "义乌市中心医院", "admitted_on": admitted.isoformat(),
        "discharged_on": (admitted + datetime.timedelta(days=4)).isoformat(), "diagnosis": "阑尾炎",
        "total_cost": "１５,０００", "insurance_paid": "9000", "out_of_pocket": "6000元",
        "payee_bank": "义乌农商银行", "payee_account": "6228 4800 1234 5678",
    }
    data.update(overrides)
    return data


def test_member_files_a_claim_online(client, enrolled, today):
    client.force_login(enrolled.user)
    response = client.get(CLAIM)
    assert response.status_code == 200 and "申请职工医疗互助金" in response.content.decode()
    data = form_data(today, receipts=SimpleUploadedFile("发票.png", png_bytes(), content_type="image/png"))
    response = client.post(CLAIM, data)
    claim = Claim.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("mutualaid:detail", args=[claim.number])
    assert (claim.total_cost, claim.out_of_pocket, claim.payee_account) == (D("15000"), D("6000"), "6228480012345678")
    # the same form again (double tap) leads to the same claim
    again = client.post(CLAIM, form_data(today, receipts=SimpleUploadedFile("发票.png", png_bytes())))
    assert again["Location"] == response["Location"] and Claim.objects.count() == 1
    page = client.get(response["Location"]).content.decode()
    assert claim.number in page and "预计金额" in page and "2,500.00" in page


def test_refusal_shown_and_files_must_be_chosen_again(client, enrolled, today):
    client.force_login(enrolled.user)
    data = form_data(today, out_of_pocket="5000", receipts=SimpleUploadedFile("发票.png", png_bytes()))
    page = client.post(CLAIM, data).content.decode()
    assert "金额对不上" in page and "已选择的票据文件未保存" in page
    assert not Claim.objects.exists()


def test_fake_receipt_refused(client, enrolled, today):
    client.force_login(enrolled.user)
    exe = SimpleUploadedFile("发票.png", b"MZ\x90\x00" + b"\x00" * 100, content_type="image/png")
    page = client.post(CLAIM, form_data(today, receipts=exe)).content.decode()
    assert "只接受图片（JPEG、PNG、WebP）或 PDF 文件。" in page and not Claim.objects.exists()


def test_claim_form_needs_sign_in_and_a_member(client, staff_of):
    assert client.get(CLAIM).status_code == 302
    client.force_login(staff_of(roles.MUTUAL_AID))
    assert client.get(CLAIM).status_code == 404
    assert client.get(MINE).status_code == 404


def test_claim_pages_are_the_members_own(client, enrolled, make_claim, other_member, officer, agency):
    claim = make_claim(enrolled)
    url = reverse("mutualaid:detail", args=[claim.number])
    receipt_url = reverse("mutualaid:receipt", args=[claim.receipts.get().pk])
    client.force_login(enrolled.user)
    assert client.get(url).status_code == 200
    assert client.get(receipt_url).status_code == 200
    for outsider in (other_member.user, officer):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
        assert client.get(receipt_url).status_code == 404
    client.force_login(agency)  # the agency point of the member's town sees the receipt from admin
    assert client.get(receipt_url).status_code == 200
    client.logout()
    assert client.get(receipt_url).status_code == 404


def test_receipt_of_another_town_is_hidden_from_an_agency_point(client, enrolled, make_claim, other_agency):
    claim = make_claim(enrolled)
    client.force_login(other_agency)
    assert client.get(reverse("mutualaid:receipt", args=[claim.receipts.get().pk])).status_code == 404


def test_returned_claim_gets_more_material(client, enrolled, make_claim):
    claim = make_claim(enrolled, status=Status.RETURNED)
    client.force_login(enrolled.user)
    url = reverse("mutualaid:detail", args=[claim.number])
    assert "材料不全" in client.get(url).content.decode()
    response = client.post(url, {"receipts": SimpleUploadedFile("出院小结.png", png_bytes())})
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.status == Status.SUBMITTED and claim.receipts.count() == 2


def test_mine_shows_cover_waiting_end_claims_and_caps(client, enrolled, make_claim, mutual_office):
    claim = make_claim(enrolled, status=Status.APPROVED, out_of_pocket=D("11000"))
    client.force_login(enrolled.user)
    page = client.get(MINE).content.decode()
    enrolment = claim.enrolment
    last = enrolment.waiting_ends_on
    assert f"{last.year}年{last.month}月{last.day}日" in page
    assert claim.number in page and "5,000.00" in page
    assert "45,000.00" in page  # left of the hospital cap
    assert "75,000.00" in page  # left of the overall cap


def test_mine_for_a_member_not_enrolled(client, member, scheme):
    client.force_login(member.user)
    assert "尚未参加职工医疗互助保障" in client.get(MINE).content.decode()


def _bulk_claims(member, n, start):
    """n claims of `member` straight into the table (the page's reads, not the service)."""
    from django.db import transaction

    from apps.core.models import sequence_next

    enrolment = member.mutualaid_enrolments.get()
    benefit = enrolment.scheme.benefits.get(code="hospital")
    today = timezone.localdate()
    rows = []
    with transaction.atomic():
        for i in range(n):
            number = sequence_next(key=NUMBER_SEQUENCE, year=today.year)
            rows.append(Claim(
                number=f"HZ{today.year}-{number:06d}", year=today.year, channel="online", member=member,
                enrolment=enrolment, scheme=enrolment.scheme, benefit=benefit, benefit_code=benefit.code,
                town_street=member.town_street, hospital="义乌市中心医院",
                # one-day stays on different days: the same stay twice is refused by the database
                admitted_on=today - datetime.timedelta(days=start + i + 2),
                discharged_on=today - datetime.timedelta(days=start + i + 2), diagnosis="肺炎", total_cost=Decimal("100"),
                insurance_paid=Decimal("50"), out_of_pocket=Decimal("50"), payee_bank="银行", payee_account="12345678",
                status=Status.PAID if (start + i) % 2 else Status.SUBMITTED,
                payable_amount=Decimal("10") if (start + i) % 2 else None,
            ))
    Claim.objects.bulk_create(rows)


def test_mine_query_count_flat_from_10_to_200(client, enrolled, django_assert_num_queries,
                                              django_assert_max_num_queries):
    client.force_login(enrolled.user)
    _bulk_claims(enrolled, 10, 0)
    client.get(MINE)
    with django_assert_max_num_queries(15) as small:
        client.get(MINE)
    _bulk_claims(enrolled, 190, 10)
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(MINE)
    assert response.content.decode().count("list-group-item-action") == 200


def test_odd_parameters_do_not_break_pages(client, enrolled, mutual_office):
    client.force_login(enrolled.user)
    assert client.get("/me/mutualaid/HZ2026-999999/").status_code == 404
    assert client.get("/me/mutualaid/%00/").status_code == 404
    assert client.get("/mutualaid/receipts/99999999999/").status_code == 404
    response = client.post(CLAIM, {"token": "\x00", "admitted_on": "2026-13-45", "total_cost": "9" * 40})
    assert response.status_code == 200
    client.force_login(mutual_office)
    for year in ("abc", "99999999999999999999", "-1"):
        assert client.get("/mutualaid/numbers/", {"year": year}).status_code == 200
    assert client.get("/mutualaid/numbers/", {"year": "\x00"}).status_code == 200


def test_numbers_page_and_export(client, enrolled, make_claim, mutual_office, staff_of, agency, today):
    paid = make_claim(enrolled, status=Status.PAID, out_of_pocket=D("11000"))
    make_claim(enrolled, status=Status.CHECKED)
    client.force_login(mutual_office)
    page = client.get("/mutualaid/numbers/", {"year": paid.enrolment.year}).content.decode()
    assert "住院医疗互助" in page and "5,000.00" in page
    response = client.get("/mutualaid/numbers/", {"year": paid.enrolment.year, "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response_bytes(response))).active
    cells = [c for row in sheet.iter_rows(values_only=True) for c in row]
    assert "住院医疗互助" in cells and 5000 in cells
    client.force_login(staff_of(roles.LEADERSHIP))
    assert client.get("/mutualaid/numbers/").status_code == 200
    for outsider in (agency, staff_of(roles.RIGHTS), enrolled.user):
        client.force_login(outsider)
        assert client.get("/mutualaid/numbers/").status_code == 403


def test_member_told_in_inbox_for_each_decision(enrolled, make_claim, agency, mutual_office, client):
    from apps.notify.models import Notification

    claim = make_claim(enrolled)
    claim_transition(claim=claim, target=Status.RETURNED, actor=agency, note="请补充费用清单")
    note = Notification.objects.filter(member=enrolled).latest("id")
    assert note.title == "互助金申请需补充材料" and "请补充费用清单" in note.body
    assert note.link == reverse("mutualaid:detail", args=[claim.number])


def test_member_pages_in_english(client, enrolled, make_claim, settings):
    make_claim(enrolled)
    client.force_login(enrolled.user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(MINE).content.decode()
    assert "My mutual aid" in page and "Left this year" in page
    form = client.get(CLAIM).content.decode()
    assert "Claim medical mutual aid" in form and "Out of pocket (yuan)" in form
