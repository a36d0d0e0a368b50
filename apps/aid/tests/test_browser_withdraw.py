"""On a phone-sized viewport: staff withdraw an unreadable admission letter and return the
application; the member sees the withdrawal and its reason, uploads another and resubmits.
An officer proposes a hardship file at the counter on a phone, the chosen file kept across
an error."""

import pytest
from playwright.sync_api import expect

from apps.aid.models import HardshipFile, Status
from apps.aid.services import application_document_withdraw, application_transition
from tests.browser import sign_in

from .conftest import png_bytes, submitted_student

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_member_sees_a_withdrawn_file_and_uploads_another(page, live_server, member, officer, student_aid, shots,
                                                          tmp_path):
    application = submitted_student(member, student_aid)
    application_document_withdraw(document=application.documents.get(), actor=officer, reason="照片模糊无法辨认")
    application_transition(application=application, target=Status.RETURNED, actor=officer, reason="请重新上传录取通知书")
    letter = tmp_path / "清晰的录取通知书.png"
    letter.write_bytes(png_bytes((10, 90, 200)))
    sign_in(page, live_server, member.user)
    page.goto(f"{live_server.url}/me/aid/{application.pk}/")
    content = page.content()
    assert "已撤回" in content and "照片模糊无法辨认" in content and "请重新上传录取通知书" in content
    shots(page, "withdrawn")
    page.get_by_role("link", name="修改并重新提交").click()
    expect(page.locator(".aid-withdrawn")).to_contain_text("已撤回，不作为有效材料")
    page.get_by_label("录取通知书或学籍证明").set_input_files(str(letter))
    page.get_by_role("button", name="提交申请").click()
    page.wait_for_url(f"{live_server.url}/me/aid/{application.pk}/")
    assert page.locator("#aid-status").inner_text() == "待工会审核"
    application.refresh_from_db()
    assert application.documents.filter(withdrawn_at__isnull=True).get().original_name == "清晰的录取通知书.png"


def test_officer_proposes_a_file_at_the_counter_on_a_phone(page, live_server, member, officer, shots, tmp_path):
    proof = tmp_path / "病历.png"
    proof.write_bytes(png_bytes((200, 200, 20)))
    sign_in(page, live_server, officer)
    page.goto(f"{live_server.url}/aid/officer/")
    page.get_by_role("link", name="填写困难职工档案").click()
    page.get_by_label("会员号或身份证号").fill(member.membership_number)
    page.get_by_label("困难类别").select_option(label="深度困难")
    page.get_by_label("主要致困原因").select_option(label="因病")
    page.locator("#id_documents").set_input_files(str(proof))
    page.locator("#id_household-0-name").fill(member.name)
    page.locator("#id_household-0-relation").fill("本人")
    page.locator("#id_household-0-age").fill("45")
    page.locator("#id_household-0-monthly_income").fill("1800")
    page.get_by_role("button", name="提交帮扶中心认定").click()
    page.wait_for_load_state()
    content = page.content()
    assert "请填写家庭住址" in content and "病历.png" in content and "无需再次选择" in content
    shots(page, "counter-file-error")
    page.get_by_label("家庭住址").fill("义乌市稠城街道县前街1号")
    page.get_by_role("button", name="提交帮扶中心认定").click()
    page.wait_for_url(f"{live_server.url}/aid/officer/")
    file = HardshipFile.objects.get()
    assert file.member == member and file.documents.get().original_name == "病历.png"
    assert file.household.get().monthly_income == 1800
