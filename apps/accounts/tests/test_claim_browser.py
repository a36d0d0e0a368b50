"""The claim-your-account flow in real Chromium on a phone-sized screen."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import MemberFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_member_claims_account_and_lands_on_card(live_server, page, sms_outbox):
    person = MemberFactory(name="朱俊芳", gender="F", phone="13588880001", user=None,
                           document_number="11010519491231002X")
    page.goto(f"{live_server.url}/accounts/claim/")
    page.select_option("select[name=document_type]", "id_card")
    page.fill("input[name=document_number]", "11010519491231002x")
    page.fill("input[name=phone]", "13588880001")
    page.click("button[name=send_code]")
    expect(page.locator(".alert-success")).to_contain_text("验证码已发送至 135****0001")

    code = re.search(r"\d{6}", sms_outbox[-1].text).group()
    page.fill("input[name=code]", code)
    page.click("button[name=activate]")

    expect(page).to_have_url(re.compile(r"/me/card/$"))
    expect(page.locator("#card-name")).to_have_text("朱俊芳")
    expect(page.locator("#card-number")).to_have_text(person.membership_number)
    expect(page.locator("img.qr-code")).to_be_visible()
    assert "1101**********002X" in page.content()
    page.screenshot(path="/tmp/yiwu-card.png", full_page=True)


def test_wrong_code_keeps_the_account_closed(live_server, page, sms_outbox):
    person = MemberFactory(phone="13588880002", user=None)
    page.goto(f"{live_server.url}/accounts/claim/")
    page.fill("input[name=document_number]", person.document_number)
    page.fill("input[name=phone]", person.phone)
    page.click("button[name=send_code]")
    code = re.search(r"\d{6}", sms_outbox[-1].text).group()
    page.fill("input[name=code]", "111111" if code != "111111" else "222222")
    page.click("button[name=activate]")
    expect(page.locator("#id_code_error")).to_contain_text("验证码不正确")
    person.refresh_from_db()
    assert person.user_id is None
