"""The body editor (Trix) in admin, in real Chromium under the site's CSP: a writer types a
heading, a paragraph with a link and a picture; the public page shows them, sanitised."""


import pytest
from playwright.sync_api import expect

from apps.accounts import roles
from apps.news.models import Article, ArticleImage, Status
from apps.news.services import article_transition
from tests.browser import sign_in

from .conftest import png_upload

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_writer_types_a_heading_a_link_and_a_picture_and_the_public_page_shows_them(
    page, live_server, writer, publisher, shots, tmp_path
):
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    sign_in(page, live_server, writer)
    page.goto(f"{live_server.url}/admin/news/article/add/")
    page.get_by_label("标题").fill("第二届“义乌工匠”评选启动")
    page.get_by_label("栏目").select_option("craftsmen")
    page.get_by_label("撰稿部门").select_option(roles.RIGHTS)

    editor = page.locator("trix-editor")
    editor.click()
    page.get_by_role("button", name="小标题").click()
    editor.press_sequentially("评选对象")
    editor.press("Enter")
    # The full stop is typed first: a key typed right after a new link can extend the link.
    editor.press_sequentially("全市一线职工，详见市总工会网站。")
    expect(editor).to_contain_text("详见市总工会网站。")  # the editor has taken every key before selecting
    # a key pressed while the editor was still busy can be lost: select until the words are chosen
    for _ in range(4):
        editor.press("End")
        editor.press("ArrowLeft")
        for _ in range(6):
            editor.press("Shift+ArrowLeft")
        if page.evaluate("window.getSelection().toString()") == "市总工会网站":
            break
    assert page.evaluate("window.getSelection().toString()") == "市总工会网站"
    page.get_by_role("button", name="链接", exact=True).click()
    page.get_by_label("链接地址").fill("https://www.ywzgh.gov.cn/")
    page.get_by_role("button", name="添加链接").click()
    expect(editor.locator("a")).to_have_text("市总工会网站")
    shots(page, "editor-typed")
    page.get_by_role("button", name="保存并继续编辑").click()
    page.wait_for_load_state()

    article = Article.objects.get()
    assert "<h2>评选对象</h2>" in article.body
    assert '<a href="https://www.ywzgh.gov.cn/" rel="noopener noreferrer">市总工会网站</a>' in article.body

    # a picture, through the checked upload (saved drafts only)
    picture = tmp_path / "现场.png"
    picture.write_bytes(png_upload(size=(2400, 1200)).read())
    editor = page.locator("trix-editor")
    editor.click()
    editor.press("Control+End")
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="插入图片").click()
    chooser.value.set_files(str(picture))
    page.locator(".news-editor-status", has_text="图片已上传").wait_for()
    editor.locator("img[src^='/news/images/']").wait_for()
    shots(page, "editor-picture")
    page.get_by_role("button", name="保存并继续编辑").click()
    page.wait_for_load_state()

    image = ArticleImage.objects.get(article=article)
    assert image.image.width == 1600  # resized by the upload check
    article.refresh_from_db()
    assert f'src="/news/images/{image.pk}/"' in article.body and "data-trix" not in article.body
    assert "<h2>评选对象</h2>" in article.body  # still there after the editor read it back

    article_transition(article=article, target=Status.REVIEW, actor=writer)
    article_transition(article=article, target=Status.PUBLISHED, actor=publisher)
    page.goto(f"{live_server.url}/news/{article.pk}/")
    shots(page, "editor-public")
    body = page.locator(".news-body")
    assert body.locator("h2").inner_text() == "评选对象"
    assert body.get_by_role("link", name="市总工会网站").get_attribute("href") == "https://www.ywzgh.gov.cn/"
    assert page.evaluate("document.querySelector('.news-body img').naturalWidth") > 0
    assert not [e for e in errors if "Content Security Policy" in e or "Refused" in e], errors


def test_editor_refuses_pictures_before_the_draft_is_saved(page, live_server, writer, tmp_path):
    sign_in(page, live_server, writer)
    page.goto(f"{live_server.url}/admin/news/article/add/")
    picture = tmp_path / "a.png"
    picture.write_bytes(png_upload().read())
    page.locator("trix-editor").click()
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="插入图片").click()
    chooser.value.set_files(str(picture))
    page.locator(".news-editor-status", has_text="请先保存草稿").wait_for()
    assert page.locator("trix-editor figure").count() == 0
    assert not ArticleImage.objects.exists()
