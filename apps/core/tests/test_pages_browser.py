"""The 404 page and the English join form on a phone, as a person sees them."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_404_page_on_a_phone_has_the_layout_and_a_way_home(live_server, page):
    response = page.goto(f"{live_server.url}/no-such-page/")
    assert response.status == 404
    expect(page.locator("h1")).to_have_text("您要找的页面不存在")
    expect(page.locator("nav.navbar")).to_be_visible()
    page.screenshot(path="/tmp/inputs-404.png", full_page=True)
    page.click("text=返回首页")
    expect(page).to_have_url(f"{live_server.url}/")


def test_join_form_in_english_has_no_chinese_labels(live_server, page):
    page.goto(f"{live_server.url}/join/")
    page.click("footer a[hreflang=en]")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    labels = page.locator("form label").all_inner_texts()
    assert labels and not [text for text in labels if any("\u4e00" <= c <= "\u9fff" for c in text)], labels
    page.screenshot(path="/tmp/inputs-join-en.png", full_page=True)
    page.goto(f"{live_server.url}/no-such-page/")
    expect(page.locator("h1")).to_have_text("The page you are looking for does not exist")
