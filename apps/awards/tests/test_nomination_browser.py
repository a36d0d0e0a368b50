"""A craftsman nomination in real Chromium at 390x844: the officer nominates on a phone, staff
shortlist, the notice goes up, an objection is raised and answered, the award is decided, and
the craftsman appears on the public roll with a profile."""

import datetime
import re

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from playwright.sync_api import expect

from apps.awards.models import AwardKind, AwardProgramme, Nomination, NominationStatus
from apps.notices.models import Objection, PublicNotice
from tests.browser import sign_in
from tests.factories import MemberFactory, OfficerFactory, StaffFactory

from .conftest import DEEDS, png_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def expect_message(page, text):
    expect(page.locator(".messagelist li").filter(has_text=text).first).to_be_visible()


def test_craftsman_from_nomination_to_the_public_roll(page, live_server, shots, tmp_path, sms_outbox):
    today = timezone.localdate()
    programme = AwardProgramme.objects.create(
        kind=AwardKind.CRAFTSMAN, year=today.year + 1, title="第二届“义乌工匠”评选",
        opens_on=today - datetime.timedelta(days=3), closes_on=today + datetime.timedelta(days=10),
        quota=20, union_places=2, criteria="技艺精湛，传技带徒。", deeds_min_length=200, notice_workdays=5,
    )
    craftsman = MemberFactory(name="楼建华")
    officer = OfficerFactory(union=craftsman.union).user
    reviewer = StaffFactory(groups=["经济技术部"])
    photo = tmp_path / "楼建华.png"
    photo.write_bytes(png_bytes((900, 1200)))

    # The officer nominates on a phone.
    sign_in(page, live_server, officer)
    page.goto(f"{live_server.url}/me/nominations/")
    shots(page, "nominations")
    page.click("a[data-programme=craftsman]")
    page.fill("input[name=document_number]", craftsman.document_number)
    page.fill("textarea[name=deeds]", DEEDS)
    page.fill("input[name=contact_phone]", "+86 138-0579-1234")
    page.set_input_files("input[name=photo]", str(photo))
    shots(page, "nomination-form")
    page.click("button:has-text('保存草稿')")
    expect(page.locator("#nomination-status")).to_have_text("草稿")
    page.click("button:has-text('提交推荐')")
    expect(page.locator("#nomination-status")).to_have_text("已推荐")
    shots(page, "nomination-submitted")
    nomination = Nomination.objects.get()

    # Staff shortlist and publish the notice.
    sign_in(page, live_server, reviewer)
    page.goto(f"{live_server.url}/admin/awards/nomination/{nomination.pk}/change/")
    page.click("a[data-move=shortlisted]")
    page.click("input[type=submit]")
    expect_message(page, "已入围")
    page.goto(f"{live_server.url}/admin/awards/awardprogramme/")
    page.check(f"input[name=_selected_action][value='{programme.pk}']")
    page.select_option("select[name=action]", "publish_notice")
    page.click("button[name=index]")
    expect_message(page, "公示已发布")
    notice = PublicNotice.objects.get()

    # Anyone raises an objection on the public notice page.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/notices/{notice.pk}/")
    expect(page.locator("main")).to_contain_text("楼*华")
    assert craftsman.document_number not in page.content() and craftsman.phone not in page.content()
    page.fill("textarea[name=content]", "请核实该同志带徒人数是否属实。")
    page.fill("input[name=contact]", "13900001111")
    page.click("button:has-text('提交异议')")
    expect(page.locator(".alert, .messagelist li").filter(has_text="您的异议已收到").first).to_be_visible()
    shots(page, "notice")
    objection = Objection.objects.get()

    # A decision now is refused: the notice runs and the objection is open.
    sign_in(page, live_server, reviewer)
    page.goto(f"{live_server.url}/admin/awards/nomination/{nomination.pk}/change/")
    page.click("a[data-move=awarded]")
    page.click("input[type=submit]")
    expect_message(page, "公示")
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.ON_NOTICE

    # Staff answer the objection; the notice period passes.
    page.goto(f"{live_server.url}/admin/notices/objection/{objection.pk}/change/")
    page.fill("textarea[name=answer]", "经核实，带徒三十余名属实。")
    page.click("input[name=_save]")
    expect_message(page, "成功")
    PublicNotice.objects.filter(pk=notice.pk).update(starts_on=today - datetime.timedelta(days=10),
                                                     ends_on=today - datetime.timedelta(days=1))

    page.goto(f"{live_server.url}/admin/awards/nomination/{nomination.pk}/change/")
    page.click("a[data-move=awarded]")
    page.click("input[type=submit]")
    expect_message(page, "已授予")

    # The public roll and the profile.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/honours/craftsmen/")
    expect(page.locator(".honour-list a")).to_have_count(1)
    page.click(".honour-list a")
    expect(page).to_have_url(re.compile(r"/honours/craftsmen/\d+/$"))
    expect(page.locator("h1")).to_have_text("楼建华")
    expect(page.locator("main")).to_contain_text(craftsman.employer.name)
    expect(page.locator("main")).to_contain_text(f"{programme.year}年度")
    expect(page.locator("main")).to_contain_text("扎根生产一线二十年")
    expect(page.locator("img.honour-entry-photo")).to_be_visible()
    shots(page, "profile")

    # The member sees the honour on /me/honours/.
    craftsman.user = User.objects.create_user(username="loujianhua")
    craftsman.save(update_fields=["user"])
    sign_in(page, live_server, craftsman.user)
    page.goto(f"{live_server.url}/me/honours/")
    expect(page.locator("#my-honours")).to_contain_text("义乌工匠")
    shots(page, "my-honours")
    assert any("已授予荣誉" in m.text for m in sms_outbox if m.phone == "13805791234")
