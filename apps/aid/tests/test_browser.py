"""A member applies for student aid on a phone-sized viewport (Chromium via Playwright), then
follows it through union check, centre approval, public notice and payment."""

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse

from apps.aid.models import Application, Status
from apps.aid.services import application_notice_publish
from tests.browser import sign_in

from .conftest import png_bytes, today

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def staff_post(user, url, data):
    client = Client()
    client.force_login(user)
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]


def test_student_aid_from_the_phone_to_payment(page, live_server, member, officer, aid_staff, student_aid, sms_outbox,
                                               shots, tmp_path):
    letter = tmp_path / "录取通知书.png"
    letter.write_bytes(png_bytes())
    sign_in(page, live_server, member.user)

    page.goto(f"{live_server.url}/me/")
    page.get_by_role("link", name="困难帮扶").click()
    page.wait_for_url(f"{live_server.url}/me/aid/")
    page.get_by_role("link", name="申请救助").click()
    page.wait_for_url(f"{live_server.url}/aid/")
    shots(page, "index")
    page.get_by_role("link", name="申请", exact=True).click()
    page.get_by_label("子女姓名").fill("张小明")
    page.get_by_label("就读学校").fill("浙江大学")
    page.get_by_label("学段").select_option(label="本科")
    page.get_by_label("申请理由").fill("本人患病，家庭收入低，孩子今年考上大学。")
    page.get_by_label("录取通知书或学籍证明").set_input_files(str(letter))
    shots(page, "form-filled")
    page.get_by_role("button", name="提交申请").click()
    page.wait_for_url(f"{live_server.url}/me/aid/*/")
    shots(page, "submitted")

    application = Application.objects.get()
    assert application.status == Status.SUBMITTED and application.school_level == "bachelor"
    assert application.documents.get().original_name == "录取通知书.png"
    assert application.number in page.content()
    assert page.locator("#aid-status").inner_text() == "待工会审核"

    decide = reverse("admin:aid_application_decide", args=[application.pk])
    staff_post(officer, decide, {"target": "checked"})
    page.reload()
    assert page.locator("#aid-status").inner_text() == "待帮扶中心审批"

    staff_post(aid_staff, decide, {"target": "approved", "amount": "3000"})
    page.reload()
    assert page.locator("#aid-status").inner_text() == "已批准"
    assert "3000.00" in page.content()

    application_notice_publish(applications=[application], actor=aid_staff, starts_on=today() - datetime.timedelta(days=30))
    page.reload()
    assert page.locator("#aid-status").inner_text() == "公示中"
    page.get_by_role("link", name="查看公示").click()
    page.wait_for_url(re.compile(r"/notices/\d+/$"))
    shots(page, "notice")
    assert "张*红" in page.content() and "张晓红" not in page.content()
    assert member.document_number not in page.content()

    staff_post(aid_staff, decide, {"target": "paid", "paid_method": "bank", "paid_on": today().isoformat(),
                                   "paid_reference": "YWNS20261201-001"})
    page.goto(f"{live_server.url}/me/aid/{application.pk}/")
    assert page.locator("#aid-status").inner_text() == "已发放"
    shots(page, "paid")

    page.goto(f"{live_server.url}/me/notifications/")
    shots(page, "messages")
    for title in ["救助申请已提交", "救助申请工会审核通过", "救助申请已批准", "救助申请公示中", "救助金已发放"]:
        assert title in page.content(), title
    texts = [m.text for m in sms_outbox if m.phone == member.phone]
    assert any("救助金 3000.00 元" in t for t in texts)


def test_error_keeps_the_chosen_file(page, live_server, member, illness_aid, shots, tmp_path):
    receipt = tmp_path / "发票.png"
    receipt.write_bytes(png_bytes((20, 120, 40)))
    sign_in(page, live_server, member.user)
    page.goto(f"{live_server.url}/aid/apply/{illness_aid.pk}/")
    page.get_by_label("诊断（疾病名称）").fill("急性白血病")
    page.get_by_label("就诊医院").fill("义乌市中心医院")
    page.get_by_label("治疗开始日期").fill((today() - datetime.timedelta(days=30)).isoformat())
    page.get_by_label("医疗总费用（元）").fill("5000")
    page.get_by_label("个人自付（元）").fill("9000")
    page.get_by_label("医疗费用票据").set_input_files(str(receipt))
    page.get_by_role("button", name="提交申请").click()
    page.wait_for_load_state()
    shots(page, "illness-error")
    content = page.content()
    assert "个人自付金额不能大于医疗总费用" in content
    assert "无需再次选择" in content and "发票.png" in content
    page.get_by_label("个人自付（元）").fill("3000")
    page.get_by_role("button", name="提交申请").click()
    page.wait_for_url(f"{live_server.url}/me/aid/*/")
    assert Application.objects.get().status == Status.SUBMITTED
