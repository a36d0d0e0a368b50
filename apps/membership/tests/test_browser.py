"""Joining online in real Chromium on a phone, through the officer's approval in admin, to the
new member's card."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from apps.accounts.models import PhoneCode
from apps.members.models import Member
from apps.membership.models import JoinRequest, JoinStatus
from tests.factories import EmployerFactory, OfficerFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = "13957901234"
ID_NUMBER = "11010519491231002X"


def _code(outbox, phone):
    return re.search(r"\d{6}", [m.text for m in outbox if m.phone == phone][-1]).group()


def _allow_next_code(phone):
    """Codes to one phone are one a minute: age the previous one instead of waiting."""
    PhoneCode.objects.filter(phone=phone).update(created_at=timezone.now() - datetime.timedelta(minutes=2))


def test_worker_joins_on_phone_officer_approves_member_lands_on_card(live_server, page, browser, sms_outbox):
    employer = EmployerFactory(name="义乌市小商品城物流有限公司")
    EmployerFactory(name="义乌市小商品城电子商务有限公司")
    officer = OfficerFactory(union=employer.union).user

    # 1. The worker fills the join form on their phone.
    page.goto(f"{live_server.url}/join/")
    page.fill("input[name=name]", "朱俊芳")
    page.check("input[name=gender][value=F]")
    page.select_option("select[name=document_type]", "id_card")
    page.fill("input[name=document_number]", ID_NUMBER.lower())
    page.fill("input[name=phone]", PHONE)
    page.fill("input[name=job]", "仓库管理员")
    page.click("button[name=send_code]")
    expect(page.locator(".alert-success")).to_contain_text("验证码已发送至 139****1234")
    page.fill("input[name=code]", _code(sms_outbox, PHONE))
    page.locator("input[name=employer_name]").press_sequentially("小商品城物流", delay=30)
    choice = page.locator("[data-employer-results] button", has_text="义乌市小商品城物流有限公司")
    expect(choice).to_be_visible()
    page.screenshot(path="/tmp/membership-join-search.png", full_page=True)
    choice.click()
    expect(page.locator("input[name=employer]")).to_have_value(str(employer.pk))
    expect(page.locator("select[name=town_street]")).to_have_value(str(employer.town_street_id))
    page.check("input[name=consent]")
    page.screenshot(path="/tmp/membership-join.png", full_page=True)
    page.click("button[name=submit_join]")

    expect(page).to_have_url(re.compile(r"/join/status/$"))
    expect(page.locator("[data-status]").first).to_have_text("待审核")
    expect(page.locator("body")).to_contain_text(employer.union.name)
    page.screenshot(path="/tmp/membership-status.png", full_page=True)
    request = JoinRequest.objects.get()
    assert request.union == employer.union and request.employer == employer

    # 2. The union's officer approves it in admin (desktop browser).
    staff = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    admin = staff.new_page()
    admin.goto(f"{live_server.url}/admin/login/")
    admin.fill("input[name=username]", officer.username)
    admin.fill("input[name=password]", "Passw0rd!x")
    admin.click("input[type=submit]")
    admin.goto(f"{live_server.url}/admin/membership/joinrequest/")
    admin.check(f"input[name=_selected_action][value='{request.pk}']")
    admin.select_option("select[name=action]", "approve")
    admin.click("button[name=index]")
    expect(admin.locator(".messagelist")).to_contain_text("已通过 1 份入会申请")
    admin.screenshot(path="/tmp/membership-admin-changelist.png", full_page=True)
    staff.close()
    member = Member.objects.get()
    request.refresh_from_db()
    assert request.status == JoinStatus.APPROVED and member.membership_number
    assert member.membership_number in sms_outbox[-1].text

    # 3. The new member signs in by SMS code and lands on the card.
    _allow_next_code(PHONE)
    page.goto(f"{live_server.url}/accounts/login/?next=/me/card/")
    page.fill("input[name='c-phone']", PHONE)
    page.click("button[name=send_code]")
    expect(page.locator(".alert-success")).to_contain_text("验证码已发送至")
    page.fill("input[name='c-code']", _code(sms_outbox, PHONE))
    page.click("button[name=login]")
    expect(page).to_have_url(re.compile(r"/me/card/$"))
    expect(page.locator("#card-name")).to_have_text("朱俊芳")
    expect(page.locator("#card-number")).to_have_text(member.membership_number)
    page.screenshot(path="/tmp/membership-card.png", full_page=True)


def test_member_pages_on_phone(live_server, page, sms_outbox):
    """Profile and transfer pages on a phone (screenshots for review), signed in by code."""
    from tests.factories import MemberFactory, UserFactory

    member = MemberFactory(name="王立栋", phone="13957905678", user=UserFactory())
    EmployerFactory(name="义乌市新岗位科技有限公司")
    page.goto(f"{live_server.url}/accounts/login/?next=/me/profile/")
    page.fill("input[name='c-phone']", member.phone)
    page.click("button[name=send_code]")
    page.fill("input[name='c-code']", _code(sms_outbox, member.phone))
    page.click("button[name=login]")
    expect(page).to_have_url(re.compile(r"/me/profile/$"))
    expect(page.locator("#profile-name")).to_have_text("王立栋")
    page.screenshot(path="/tmp/membership-profile.png", full_page=True)
    page.goto(f"{live_server.url}/me/profile/change/")
    page.screenshot(path="/tmp/membership-profile-change.png", full_page=True)
    page.goto(f"{live_server.url}/me/transfer/")
    page.locator("input[name=to_employer_name]").press_sequentially("新岗位", delay=30)
    page.locator("[data-employer-results] button").first.click()
    page.click("button[type=submit].btn-union")
    expect(page.locator("#current-transfer")).to_contain_text("待原工会放行")
    page.screenshot(path="/tmp/membership-transfer.png", full_page=True)
