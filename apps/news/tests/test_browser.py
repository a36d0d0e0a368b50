"""The news list and an article in real Chromium on a 390×844 phone screen."""


import pytest

from apps.news.models import Kind, Status
from apps.news.services import article_image_add, article_save, article_transition

from .conftest import png_upload

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_list_and_article_on_a_phone(page, live_server, make_article, publisher, shots):
    for n in range(13):
        make_article(f"基层工会动态第{n}期", category="grassroots")
    notice = make_article("关于开展2026年职工疗休养的通知", kind=Kind.NOTICE, category="rights")
    article = make_article("第二届“义乌工匠”评选启动", category="craftsmen", status=Status.DRAFT,
                           body="<h2>评选对象</h2><p>全市一线职工。</p>")
    picture = article_image_add(article=article, upload=png_upload(size=(1600, 900), colour=(30, 90, 200)))
    article.body += f'<p><img src="/news/images/{picture.pk}/" alt="评选现场"></p>'
    article_save(article=article, actor=publisher)
    article_transition(article=article, target=Status.REVIEW, actor=publisher)
    article_transition(article=article, target=Status.PUBLISHED, actor=publisher)

    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto(f"{live_server.url}/news/")
    shots(page, "list")
    assert page.locator(".news-list a").count() == 12
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing wider than the phone
    page.get_by_role("link", name="劳模工匠").first.click()
    page.wait_for_load_state()
    assert page.locator(".news-list a").count() == 1
    page.get_by_label("搜索新闻").fill("疗休养")
    page.get_by_role("button", name="搜索").click()
    page.wait_for_load_state()
    assert page.locator("#no-results").is_visible()  # still within 劳模工匠
    page.goto(f"{live_server.url}/news/?q=疗休养")
    page.locator(".news-list a", has_text=notice.title).click()
    page.wait_for_load_state()
    assert page.locator("h1", has_text=notice.title).is_visible()

    page.goto(f"{live_server.url}/news/{article.pk}/")
    shots(page, "article")
    image = page.locator(".news-body img")
    image.wait_for()
    assert page.evaluate("document.querySelector('.news-body img').naturalWidth") > 0  # it loaded under the CSP
    assert image.bounding_box()["width"] <= 390
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.locator('meta[property="og:title"]').get_attribute("content") == article.title
    page.goto(f"{live_server.url}/")
    shots(page, "home")
    assert page.locator("#home-news").get_by_text(article.title).is_visible()
    assert not [e for e in errors if "Content Security Policy" in e], errors
