"""A mutual-aid claim in a real browser on a phone-sized viewport (Chromium via Playwright):
the member files it with receipts, the agency point checks it and the office approves it in
admin, the member sees the payable amount and each message."""

import datetime

import pytest
from django.utils import timezone

from apps.accounts import roles
from apps.mutualaid.models import Claim, Status
from apps.mutualaid.services import enrolment_create
from tests.browser import sign_in
from tests.factories import AgencyStaffFactory, MemberFactory, StaffFactory, UserFactory

from .conftest import png_bytes, scheme_build

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_claim_on_a_phone_through_check_and_approval(page, live_server, shots, tmp_path, sms_outbox):
    today = timezone.localdate()
    scheme = scheme_build(year=today.year, cover_start=today - datetime.timedelta(days=300),
                          cover_end=today + datetime.timedelta(days=64))
    member = MemberFactory(name="张晓红", gender="F", user=UserFactory())
    enrolment_create(member=member, year=scheme.year, actor=None, enrolled_on=scheme.cover_start)
    agency = AgencyStaffFactory(point__town_street=member.town_street).user
    office = StaffFactory(groups=[roles.MUTUAL_AID])
    invoice, summary = tmp_path / "住院发票.png", tmp_path / "出院小结.png"
    invoice.write_bytes(png_bytes())
    summary.write_bytes(png_bytes((200, 60, 60)))

    sign_in(page, live_server, member.user)
    page.goto(f"{live_server.url}/me/")
    page.get_by_role("link", name="互助保障").click()
    page.wait_for_url(f"{live_server.url}/me/mutualaid/")
    shots(page, "mine-before")
    page.get_by_role("link", name="申请互助金").click()
    admitted = today - datetime.timedelta(days=14)
    page.get_by_label("申请项目").select_option(label="住院医疗互助")
    page.get_by_label("就诊医院").fill("义乌市中心医院")
    page.get_by_label("入院日期").fill(admitted.isoformat())
    page.get_by_label("出院日期").fill((admitted + datetime.timedelta(days=6)).isoformat())
    page.get_by_label("诊断").fill("急性阑尾炎")
    page.get_by_label("医疗总费用（元）").fill("２６,０００")
    page.get_by_label("基本医保支付（元）").fill("14000")
    page.get_by_label("个人自付（元）").fill("12000")
    page.get_by_label("开户银行").fill("义乌农商银行")
    page.get_by_label("本人银行账号").fill("6228 4800 1234 5678")
    page.locator("input[type='file']").set_input_files([str(invoice), str(summary)])
    shots(page, "claim-form")
    page.get_by_role("button", name="提交申请").click()
    page.wait_for_url(f"{live_server.url}/me/mutualaid/HZ*/")
    claim = Claim.objects.get()
    assert claim.receipts.count() == 2 and claim.number in page.content()
    assert "预计金额" in page.content() and "5,600.00" in page.content()  # 5,000 + 1,000 x 60%
    shots(page, "claim-submitted")

    sign_in(page, live_server, agency)
    page.goto(f"{live_server.url}/admin/mutualaid/claim/{claim.pk}/change/")
    assert "可报销金额" in page.content()
    page.get_by_role("button", name="代办点已审核").click()
    page.wait_for_load_state()
    claim.refresh_from_db()
    assert claim.status == Status.CHECKED

    sign_in(page, live_server, office)
    page.goto(f"{live_server.url}/admin/mutualaid/claim/{claim.pk}/change/")
    page.get_by_role("button", name="已核准").click()
    page.wait_for_load_state()
    claim.refresh_from_db()
    assert claim.status == Status.APPROVED

    sign_in(page, live_server, member.user)
    page.goto(f"{live_server.url}/me/mutualaid/{claim.number}/")
    content = page.content()
    assert "已核准" in content and "5,600.00" in content and "计算过程" in content
    shots(page, "claim-approved")
    page.goto(f"{live_server.url}/me/notifications/")
    content = page.content()
    for title in ("互助金申请已收到", "互助金申请已审核", "互助金申请已核准"):
        assert title in content
    shots(page, "notifications")
    page.goto(f"{live_server.url}/me/mutualaid/")
    assert "44,400.00" in page.content()  # left of the 50,000 hospital cap
    shots(page, "mine-after")
    assert {m.phone for m in sms_outbox} == {member.phone}
