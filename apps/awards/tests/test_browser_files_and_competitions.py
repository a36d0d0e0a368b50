"""In real Chromium at 390x844: an officer withdraws a draft's wrong file on a phone; a member
finds their competition prize on /me/honours/ and the public finds it on the honour rolls."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from apps.awards import services
from apps.awards.models import NominationFile
from apps.competitions.models import Award, Registration
from apps.competitions.tests.factories import EventFactory
from apps.core.uploads import document_clean
from tests.browser import sign_in
from tests.factories import MemberFactory, OfficerFactory, UserFactory

from .conftest import DEEDS, photo_upload

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_officer_withdraws_a_drafts_wrong_file_on_a_phone(page, live_server, craftsman_programme):
    assert page.viewport_size == {"width": 390, "height": 844}
    member = MemberFactory(name="楼建华")
    officer = OfficerFactory(union=member.union).user
    draft = services.nomination_draft_save(
        actor=officer, programme=craftsman_programme, document_number=member.document_number, deeds=DEEDS,
        contact_phone="13805791234", documents=[document_clean(photo_upload("错误的推荐表.png"))],
    )
    evidence = draft.files.get()
    sign_in(page, live_server, officer)
    page.goto(f"{live_server.url}/me/nominations/{draft.pk}/")
    page.get_by_text("撤回此材料").click()
    page.get_by_label("撤回原因").fill("传错了文件，稍后重新上传")
    page.get_by_role("button", name="确认撤回").click()
    expect(page.locator("#nomination-files")).to_contain_text("已撤回：传错了文件，稍后重新上传")
    expect(page.get_by_text("撤回此材料")).to_have_count(0)
    evidence = NominationFile.objects.get(pk=evidence.pk)
    assert evidence.withdrawn_by == officer


def test_a_competition_prize_on_my_honours_and_on_the_public_rolls(page, live_server):
    event = EventFactory(name="电子商务客服", competition__name="义乌市第十二届劳动技能竞赛", capacity=5)
    member = MemberFactory(name="王建军", user=UserFactory())
    Registration.objects.create(event=event, member=member, total=96, rank=1, award=Award.FIRST,
                                city_title="义乌市技术能手", title_decided_on=timezone.localdate())
    event.results_published_at = timezone.now()
    event.save(update_fields=["results_published_at"])

    sign_in(page, live_server, member.user)
    page.goto(f"{live_server.url}/me/honours/")
    honours = page.locator("#my-competition-honours")
    expect(honours).to_contain_text("一等奖 · 义乌市技术能手")
    honours.get_by_text("电子商务客服").click()
    expect(page).to_have_url(f"{live_server.url}/competitions/events/{event.pk}/results/")

    page.context.clear_cookies()
    page.goto(f"{live_server.url}/honours/")
    page.click("[data-roll=competition-winners]")
    winners = page.locator("#competition-winners")
    expect(winners).to_contain_text(member.masked_name)
    expect(winners).to_contain_text("义乌市技术能手")
    expect(winners).not_to_contain_text("王建军")
