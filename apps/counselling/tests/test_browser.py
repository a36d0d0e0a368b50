"""Booking and cancelling on a phone (390×844) in real Chromium."""


import pytest

from apps.counselling.models import Booking
from tests.browser import sign_in

from .conftest import at, make_counsellor, make_slot, make_studio, next_open_day

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_member_books_and_cancels_on_a_phone(page, live_server, member, sms_outbox, shots):
    studio = make_studio()
    counsellor = make_counsellor(studio)
    day = next_open_day(4)
    make_slot(counsellor, studio, at(day, 10))
    make_slot(counsellor, studio, at(day, 14))
    sign_in(page, live_server, member.user)

    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="心灵港湾").first.click()
    page.wait_for_load_state()
    shots(page, "index")
    assert studio.name in page.content()
    page.get_by_role("link", name="查看可预约时段").first.click()
    page.wait_for_load_state()
    shots(page, "studio")
    page.locator("a.list-group-item").first.click()
    page.wait_for_load_state()
    page.get_by_label("家庭").check()
    page.get_by_label("简单说明（可不填，仅咨询师可见）").fill("想聊聊和孩子的沟通")
    shots(page, "book")
    page.get_by_role("button", name="确认预约").click()
    page.wait_for_load_state()
    shots(page, "mine")
    assert "预约成功" in page.content()
    booking = Booking.objects.get(member=member)
    assert booking.status == Booking.Status.BOOKED and booking.topic == "family"
    assert booking.note == "想聊聊和孩子的沟通"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.get_by_role("button", name="取消预约").click()
    page.wait_for_load_state()
    shots(page, "cancelled")
    assert "预约已取消" in page.content()
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED


def test_anonymous_request_on_a_phone_without_an_account(page, live_server, shots):
    page.goto(f"{live_server.url}/counselling/request/")
    page.get_by_label("电话号码、微信号或邮箱").fill("+86 138-0579-1234")
    page.get_by_label("方便接听的时间（可不填）").fill("晚上七点以后")
    shots(page, "request")
    page.get_by_role("button", name="提交，等待回电").click()
    page.wait_for_load_state()
    assert "已收到您的求助" in page.content()
    from apps.counselling.models import AnonymousRequest

    row = AnonymousRequest.objects.get()
    assert row.contact == "13805791234" and row.call_time == "晚上七点以后"
