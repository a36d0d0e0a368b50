"""The three honour rolls in real Chromium on a phone-sized screen (390x844)."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = "/tmp/yiwu-honours"


@pytest.fixture
def rolls(live_server):
    call_command("loaddata", "honour_rolls", verbosity=0)
    return live_server.url


def test_index_shows_three_rolls_with_counts(rolls, page):
    page.goto(f"{rolls}/honours/")
    expect(page.locator("[data-roll=most-beautiful-workers] .roll-count")).to_have_text("共 10 名")
    expect(page.locator("[data-roll=five-star-unions] .roll-count")).to_have_text("共 25 个")
    expect(page.locator("[data-roll=worker-pioneers] .roll-count")).to_have_text("共 31 个")
    page.screenshot(path=f"{SHOTS}-index.png", full_page=True)
    page.click("[data-roll=five-star-unions]")
    expect(page).to_have_url(re.compile(r"/honours/five-star-unions/$"))


def test_most_beautiful_workers_search_and_detail(rolls, page):
    page.goto(f"{rolls}/honours/most-beautiful-workers/")
    expect(page.locator("#result-count")).to_contain_text("共 10 名")
    expect(page.locator(".honour-list a")).to_have_count(10)
    page.screenshot(path=f"{SHOTS}-workers.png", full_page=True)

    page.fill("input[name=q]", "丁思诗")
    page.click("button[type=submit]")
    expect(page.locator("#result-count")).to_contain_text("共 1 名")
    expect(page.locator(".honour-list a")).to_have_count(1)
    page.click(".honour-list a")

    expect(page).to_have_url(re.compile(r"/honours/most-beautiful-workers/\d+/$"))
    expect(page.locator("h1")).to_have_text("丁思诗")
    expect(page.locator("main")).to_contain_text("浙江省义乌市国家税务局")
    expect(page.locator("main")).to_contain_text("2018年度")
    expect(page.locator("main")).to_contain_text("稠城街道")
    page.screenshot(path=f"{SHOTS}-detail.png", full_page=True)


def test_five_star_unions_search_and_town_filter(rolls, page):
    page.goto(f"{rolls}/honours/five-star-unions/")
    expect(page.locator("#result-count")).to_contain_text("共 25 个")
    expect(page.locator(".honour-list a")).to_have_count(20)  # 20 a page
    page.screenshot(path=f"{SHOTS}-unions.png", full_page=True)

    page.fill("input[name=q]", "义乌海关工会")
    page.click("button[type=submit]")
    expect(page.locator(".honour-list a")).to_have_count(1)
    expect(page.locator(".honour-name")).to_have_text("义乌海关工会")

    page.goto(f"{rolls}/honours/five-star-unions/")
    page.select_option("select[name=town]", "fotang")  # the select applies itself (roll.js)
    expect(page).to_have_url(re.compile(r"town=fotang"))
    expect(page.locator("#result-count")).to_contain_text("共 2 个")
    expect(page.locator(".honour-name")).to_have_text(["义乌市佛堂镇小学工会", "义乌市佛堂镇第二小学工会"])


def test_worker_pioneers_pagination_and_year_filter(rolls, page):
    page.goto(f"{rolls}/honours/worker-pioneers/")
    expect(page.locator("#result-count")).to_contain_text("共 31 个 · 第 1/2 页")
    expect(page.locator(".honour-list a")).to_have_count(20)
    page.screenshot(path=f"{SHOTS}-pioneers.png", full_page=True)

    page.select_option("select[name=year]", "2018")
    expect(page).to_have_url(re.compile(r"year=2018"))
    page.click(".pagination a:text-is('2')")
    expect(page).to_have_url(re.compile(r"year=2018.*page=2"))
    expect(page.locator(".honour-list a")).to_have_count(11)
    expect(page.locator("select[name=year]")).to_have_value("2018")
    expect(page.locator(".honour-name").last).to_have_text("义乌市佛堂镇行政服务中心")

    page.fill("input[name=q]", "稠江")
    page.click("button[type=submit]")
    expect(page.locator(".honour-name")).to_have_text(["中国工商银行股份有限公司义乌分行稠江支行"])
    page.click(".honour-list a")
    expect(page.locator("main")).to_contain_text("稠江街道")
