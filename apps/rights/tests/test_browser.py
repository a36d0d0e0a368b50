"""The rights pages in a real browser on a phone-sized viewport (Chromium via Playwright)."""

import re
from decimal import Decimal

import pytest

from apps.rights.models import RightsCase, Status
from tests.browser import sign_in
from tests.factories import EmployerFactory, MemberFactory, StaffFactory, UserFactory

from .conftest import png_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def wait_for_code(sms_outbox, phone, page):
    for _ in range(50):
        texts = [m.text for m in sms_outbox if m.phone == phone]
        if texts:
            return re.search(r"\d{6}", texts[-1]).group()
        page.wait_for_timeout(100)
    raise AssertionError("no code was sent")


def test_non_member_asks_for_help_on_a_phone_with_an_attachment(page, live_server, sms_outbox, shots, tmp_path):
    employer = EmployerFactory(name="义乌市稠城示范针织有限公司")
    photo = tmp_path / "工资条.png"
    photo.write_bytes(png_bytes())
    phone = "13967890123"

    page.goto(f"{live_server.url}/rights/new/")
    shots(page, "form-empty")
    page.get_by_label("姓名").fill("赵大勇")
    page.get_by_label("手机号码").fill(phone)
    page.get_by_role("button", name="获取验证码").click()
    page.wait_for_load_state()
    assert "验证码已发送至" in page.content()
    code = wait_for_code(sms_outbox, phone, page)

    page.get_by_label("短信验证码").fill(code)
    page.get_by_label("用人单位").press_sequentially("稠城示范", delay=30)
    suggestion = page.locator("#employer-suggestions button", has_text=employer.name)
    suggestion.wait_for()
    shots(page, "form-employer-search")
    suggestion.click()
    assert page.locator("input[name='employer']").input_value() == str(employer.pk)
    assert page.locator("#div_id_town_street").is_hidden()
    page.get_by_label("求助类别").select_option(label="拖欠工资")
    page.get_by_label("事情经过与诉求").fill("公司拖欠我三个月工资共九千元，老板一直推脱不给。")
    page.get_by_label("涉及金额（元，选填）").fill("9000")
    page.locator("input[type='file']").set_input_files(str(photo))
    shots(page, "form-filled")
    page.get_by_role("button", name="提交求助").click()
    page.wait_for_url(f"{live_server.url}/rights/status/")
    shots(page, "status-after-submit")

    case = RightsCase.objects.get()
    assert case.number in page.content()
    assert (case.worker_name, case.worker_phone, case.employer, case.amount_owed) == ("赵大勇", phone, employer, Decimal("9000"))
    attachment = case.attachments.get()
    assert attachment.kind == "image" and attachment.original_name == "工资条.png"
    assert any(case.number in m.text for m in sms_outbox if m.phone == phone)

    page.get_by_role("link", name=re.compile(case.number)).click()
    page.wait_for_url(re.compile(r"/rights/status/WQ"))
    assert "已提交" in page.content()
    shots(page, "status-detail")


def test_member_follows_cases_on_a_phone(page, live_server, shots):
    from apps.rights.services import case_submit, case_transition

    member = MemberFactory(name="张晓红", user=UserFactory())
    officer = StaffFactory(groups=["权益保障部"])
    employer = EmployerFactory(name="义乌市北苑示范电子有限公司")
    case = case_submit(channel="online", category="wages", description="拖欠工资两个月，共计八千元。",
                       member=member, employer=employer, amount_owed=Decimal("8000"))
    case_transition(case=case, target=Status.ACCEPTED, actor=officer, grade="general")
    case_transition(case=case, target=Status.MEDIATION, actor=officer, note="已约单位本周三到工会调解")
    case_submit(channel="hotline", category="insurance", description="单位未缴社保。", member=member, employer=employer)
    sign_in(page, live_server, member.user)

    page.goto(f"{live_server.url}/me/rights/")
    assert page.locator(".list-group-item").count() == 2
    shots(page, "mine")
    page.get_by_text("拖欠工资 · 义乌市北苑示范电子有限公司").click()
    page.wait_for_url(re.compile(case.number))
    assert "已约单位本周三到工会调解" in page.content() and "调解中" in page.content()
    shots(page, "mine-detail")
    page.goto(f"{live_server.url}/rights/new/")
    assert "以会员 张晓红 的身份提交" in page.content()
    shots(page, "form-member")


def test_rights_officer_screens(page, live_server, shots):
    from django.contrib.auth.models import Group

    from apps.rights.services import case_submit, supervision_campaign_create

    officer = UserFactory(is_staff=True)
    officer.groups.add(Group.objects.get(name="权益保障部"))
    employer = EmployerFactory(name="义乌市稠江示范物流有限公司")
    for i in range(3):
        case_submit(channel="online", category="wages", description="拖欠工资。", employer=employer,
                    worker_name=f"职工{i}", worker_phone=f"1390000100{i}")
    RightsCase.objects.filter(number__endswith="000001").update(due_on="2026-01-05")
    campaign = supervision_campaign_create(year=2026)
    sign_in(page, live_server, officer)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/admin/rights/rightscase/")
    assert page.locator(".rights-overdue").count() == 1
    shots(page, "admin-changelist")
    page.goto(f"{live_server.url}/admin/rights/rightscase/{RightsCase.objects.first().pk}/change/")
    shots(page, "admin-change")
    page.goto(f"{live_server.url}/admin/rights/rightscase/stats/")
    assert "按时办结率" in page.content()
    shots(page, "admin-stats")
    page.goto(f"{live_server.url}/admin/rights/supervisioncampaign/{campaign.pk}/report/")
    shots(page, "admin-campaign")
    page.goto(f"{live_server.url}/admin/rights/inspectioncandidate/")
    assert employer.name in page.content()
    shots(page, "admin-candidates")


def test_files_chosen_before_the_code_survive_the_code_step_and_material_is_added_later(
    page, live_server, sms_outbox, shots, tmp_path
):
    employer = EmployerFactory(name="义乌市稠城示范袜业有限公司")
    slips = [tmp_path / "工资条一.png", tmp_path / "工资条二.png"]
    for slip in slips:
        slip.write_bytes(png_bytes())
    contract = tmp_path / "劳动合同.png"
    contract.write_bytes(png_bytes((30, 30, 200)))
    phone = "13967890124"

    page.goto(f"{live_server.url}/rights/new/")
    page.get_by_label("姓名").fill("钱小芳")
    page.get_by_label("手机号码").fill(phone)
    page.get_by_label("用人单位").fill(employer.name)
    page.get_by_label("求助类别").select_option(label="拖欠工资")
    page.get_by_label("事情经过与诉求").fill("公司拖欠我两个月工资共六千元，老板一直推脱不给。")
    page.locator("input[type='file']").set_input_files([str(s) for s in slips])
    page.get_by_role("button", name="获取验证码").click()
    page.wait_for_load_state()
    body = page.content()
    assert "验证码已发送至" in body and "已保留 2 个材料" in body
    assert "工资条一.png" in body and "工资条二.png" in body
    shots(page, "files-kept-after-code")

    page.get_by_label("短信验证码").fill(wait_for_code(sms_outbox, phone, page))
    page.get_by_role("button", name="提交求助").click()
    page.wait_for_url(f"{live_server.url}/rights/status/")
    case = RightsCase.objects.get()
    assert sorted(case.attachments.values_list("original_name", flat=True)) == ["工资条一.png", "工资条二.png"]

    page.get_by_role("link", name=re.compile(case.number)).click()
    page.wait_for_url(re.compile(r"/rights/status/WQ"))
    page.locator("#add-material input[type='file']").set_input_files(str(contract))
    page.get_by_role("button", name="上传补充材料").click()
    page.wait_for_load_state()
    assert "已补充 1 份材料" in page.content() and "劳动合同.png" in page.content()
    shots(page, "material-added")
    assert case.attachments.count() == 3
