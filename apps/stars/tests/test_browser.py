"""The whole cycle in real Chromium: the officer self-assesses on a phone with evidence, saves a
draft and submits; 组织部 reviews and publishes in admin; the result is on the public pages."""

import datetime
import re

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from apps.accounts.roles import ORGANISATION
from apps.stars import demo
from apps.stars.models import Evaluation, EvaluationStatus
from tests.factories import OfficerFactory, StaffFactory, UnionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _photo(path):
    Image.new("RGB", (1600, 1200), (30, 120, 200)).save(path, "JPEG")
    return path


def _sign_in(page, url, user):
    page.goto(f"{url}/admin/login/?next=/stars/assess/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", "Passw0rd!x")
    page.click("input[type=submit]")


def test_officer_assesses_staff_review_result_is_public(live_server, page, browser, tmp_path):
    today = timezone.localdate()
    demo.rubric_default(year=today.year, deadline=today + datetime.timedelta(days=10))
    union = UnionFactory(name="义乌市星级示范测试有限公司工会", contact_phone="13805791234")
    officer = OfficerFactory(union=union).user

    # 1. The officer, on a phone, fills the self-assessment with evidence and saves a draft.
    _sign_in(page, live_server.url, officer)
    expect(page).to_have_url(re.compile(r"/stars/assess/$"))
    cards = page.locator("[data-criterion]")
    expect(cards).to_have_count(8)
    scores = page.locator("input[name$=self_score]")
    for i in range(scores.count()):
        scores.nth(i).fill("１５" if i == 0 else "15")
    page.locator("textarea[name$=explanation]").first.fill("三年一届按期换届，委员会健全。")
    page.locator("input[type=file]").first.set_input_files(_photo(tmp_path / "换届批复.jpg"))
    page.screenshot(path="/tmp/stars-assess.png", full_page=True)
    page.click("button[name=save]")
    expect(page.locator(".alert-success")).to_contain_text("草稿已保存")
    expect(page.locator("[data-criterion] a", has_text="换届批复.jpg")).to_be_visible()
    expect(page.locator("[data-status]")).to_have_text("草稿")

    # 2. Submits; the page is then read-only.
    page.fill("input[name$=self_score] >> nth=5", "20")
    page.click("button[name=submit]")
    expect(page.locator(".alert-success")).to_contain_text("自评已提交")
    expect(page.locator("[data-status]")).to_have_text("已提交")
    expect(page.locator("button[name=submit]")).to_have_count(0)
    page.screenshot(path="/tmp/stars-submitted.png", full_page=True)
    evaluation = Evaluation.objects.get(union=union)
    assert evaluation.status == EvaluationStatus.SUBMITTED

    # 3. 组织部 reviews in admin (desktop), then publishes and designates 五星级示范工会.
    staff = StaffFactory(groups=[ORGANISATION])
    desk = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    admin = desk.new_page()
    admin.goto(f"{live_server.url}/admin/login/")
    admin.fill("input[name=username]", staff.username)
    admin.fill("input[name=password]", "Passw0rd!x")
    admin.click("input[type=submit]")
    admin.goto(f"{live_server.url}/admin/stars/evaluation/{evaluation.pk}/change/")
    expect(admin.locator("body")).to_contain_text("换届批复.jpg")
    review = admin.locator("input[name$=review_score]")
    for i, mark in enumerate(["15", "15", "20", "15", "15", "20"]):  # full marks; the two veto items left empty
        review.nth(i).fill(mark)
    admin.fill("input[name=site_visit_on]", f"{today:%Y-%m-%d}")
    admin.fill("textarea[name=site_visit_note]", "实地查看职工之家和职工书屋。")
    admin.select_option("select[name=decision]", "reviewed")
    admin.click("input[name=_continue]")
    expect(admin.locator(".messagelist li", has_text="已办理")).to_contain_text("已办理：已评审")
    evaluation.refresh_from_db()
    assert evaluation.level == 5 and evaluation.review_total == 100
    admin.check("input[name=is_demonstration]")
    admin.fill("input[name=demonstration_decided_on]", f"{today:%Y-%m-%d}")
    admin.select_option("select[name=decision]", "published")
    admin.click("input[name=_continue]")
    expect(admin.locator(".messagelist li", has_text="已办理")).to_contain_text("已办理：已公布")
    admin.screenshot(path="/tmp/stars-admin-review.png", full_page=True)
    desk.close()

    # 4. The public roll and the union's page show the result; the officer was told.
    page.goto(f"{live_server.url}/honours/five-star-unions/")
    expect(page.locator("body")).to_contain_text(union.name)
    page.goto(f"{live_server.url}/stars/")
    page.click(f"text={union.name}")
    expect(page.locator("#star-history")).to_contain_text("五星级示范工会")
    page.screenshot(path="/tmp/stars-union.png", full_page=True)
    page.goto(f"{live_server.url}/stars/assess/")
    expect(page.locator("#notices")).to_contain_text("星级评定结果公布")
