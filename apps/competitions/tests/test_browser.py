"""Registration and withdrawal in a real browser on a 390×844 phone viewport (Chromium)."""


import pytest

from apps.competitions.models import Registration
from tests.browser import sign_in
from tests.factories import MemberFactory, UserFactory

from .factories import EventFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_member_registers_on_a_phone_then_withdraws(page, live_server, shots):
    assert page.viewport_size == {"width": 390, "height": 844}
    event = EventFactory(name="维修电工（高级工）", trade="电工", capacity=2, required_level=3,
                         competition__name="义乌市第十二届劳动技能竞赛")
    member = MemberFactory(name="王建军", user=UserFactory())
    sign_in(page, live_server, member.user)

    page.goto(f"{live_server.url}/competitions/")
    shots(page, "list")
    page.get_by_role("link", name="义乌市第十二届劳动技能竞赛").click()
    page.get_by_role("link", name="维修电工（高级工）").click()
    page.get_by_label("本工种职业资格（技能等级）证书").select_option(label="中级工（四级）")
    page.get_by_label("我确认所填信息真实，并遵守竞赛规则").check()
    page.get_by_role("button", name="确认报名").click()
    page.wait_for_load_state()
    assert "本项目要求持有“高级工（三级）”或更高等级" in page.content()
    assert not Registration.objects.exists()

    page.get_by_label("本工种职业资格（技能等级）证书").select_option(label="技师（二级）")
    page.get_by_label("我确认所填信息真实，并遵守竞赛规则").check()
    shots(page, "event-form")
    page.get_by_role("button", name="确认报名").click()
    page.wait_for_url("**/me/competitions/")
    assert "报名成功" in page.content()
    shots(page, "mine")
    registration = Registration.objects.get()
    assert registration.event == event
    assert registration.status == Registration.Status.REGISTERED

    page.get_by_role("button", name="退出报名").click()
    page.wait_for_load_state()
    assert "已退出报名" in page.content()
    shots(page, "withdrawn")
    registration.refresh_from_db()
    assert registration.status == Registration.Status.WITHDRAWN
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
