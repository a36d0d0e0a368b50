# ruff: noqa: F811  (the rights app's case fixtures, imported by name)
"""The member opens their records from /me/ on a phone-sized viewport and reads their history."""

import pytest

from apps.counselling.models import Booking
from apps.counselling.tests.conftest import at, make_counsellor, make_slot, make_studio, next_open_day
from apps.rights.tests.conftest import employer, make_case  # noqa: F401
from tests.browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_member_reads_their_timeline_on_a_phone(page, live_server, member, make_case, shots):
    case = make_case(member=member)
    studio = make_studio()
    Booking.objects.create(slot=make_slot(make_counsellor(studio), studio, at(next_open_day(), 10)), member=member,
                           topic="family", note="家里的事")
    sign_in(page, live_server, member.user)
    page.goto(f"{live_server.url}/me/")
    page.get_by_role("link", name="我的记录").click()
    page.wait_for_url(f"{live_server.url}/me/timeline/")
    body = page.locator("main").inner_text() if page.locator("main").count() else page.inner_text("body")
    assert case.number in body and "加入工会" in body and "心理服务" in body
    assert "家庭" not in body and "家里的事" not in body
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing runs off the screen
    shots(page, "timeline")
