"""The footer's language links in real Chromium at 390x844, on pages served from the page cache."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_language_links_switch_a_cached_roll_and_back(live_server, page):
    call_command("loaddata", "honour_rolls", verbosity=0)
    url = f"{live_server.url}/honours/worker-pioneers/"
    page.goto(url)
    page.goto(url)  # the second visit is the cached copy
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    page.screenshot(path="/tmp/yiwu-language-zh.png", full_page=True)
    page.click("footer a[hreflang=en]")
    expect(page).to_have_url(re.compile(r"/honours/worker-pioneers/$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("footer [aria-current=true]")).to_have_text("English")
    page.screenshot(path="/tmp/yiwu-language-en.png", full_page=True)
    page.click("footer a[hreflang=zh-hans]")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
