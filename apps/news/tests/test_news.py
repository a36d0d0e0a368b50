"""News and notices: the workflow in admin, scheduled publishing, the sanitiser, the public
pages and their cache, the feed, and the notice board the apps' 公示 feed."""

import datetime
import time
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from apps.accounts import roles
from apps.core.masking import mask_name
from apps.core.workflow import MoveNotPermitted
from apps.news import demo
from apps.news.errors import OnlyDraftsEdited, WithdrawReasonMissing
from apps.news.models import Article, ArticleImage, ArticleStatusChange, Kind, Status
from apps.news.sanitize import body_clean
from apps.news.selectors import public_page_seconds
from apps.news.services import article_image_add, article_save, article_transition
from apps.notices.models import NoticeKind, Objection
from apps.notices.services import ItemSpec, notice_publish
from tests.factories import StaffFactory

from .conftest import admin_form_data, png_upload

pytestmark = pytest.mark.django_db

EVIL = (
    '<h2 onclick="steal()" style="color:red">标题</h2><script>alert(1)</script>'
    '<p onmouseover="x()">正文<img src="https://evil.example/track.png" onerror="y()">'
    '<img src="//evil.example/a.png"><img src="/news/images/7/" alt="现场"></p>'
    '<a href="javascript:alert(1)">链接</a><iframe src="https://evil.example/"></iframe>'
    '<style>body{display:none}</style><p class="x">完</p>'
)


# -- safe rich text --

def test_body_is_stored_without_script_handlers_or_foreign_images(make_article):
    article = make_article(body=EVIL, status=Status.DRAFT)
    stored = Article.objects.get(pk=article.pk).body
    for bad in ("<script", "alert", "onclick", "onmouseover", "onerror", "style", "evil.example", "javascript:",
                "<iframe", "class="):
        assert bad not in stored
    assert '<h2>标题</h2>' in stored and '<img src="/news/images/7/" alt="现场">' in stored and "完" in stored


def test_sanitiser_keeps_the_allowed_subset():
    html = '<h3>小标题</h3><ul><li>一</li></ul><a href="https://www.yw.gov.cn/">市政府</a><table><tr><td>1</td></tr></table>'
    cleaned = body_clean(html)
    assert "<h3>小标题</h3>" in cleaned and "<li>一</li>" in cleaned and "<td>1</td>" in cleaned
    assert 'href="https://www.yw.gov.cn/"' in cleaned and 'rel="noopener noreferrer"' in cleaned


def test_editor_output_is_reduced_to_the_allow_list():
    # what Trix posts for a heading, a paragraph with a link and an uploaded picture
    trix = (
        '<h2>评选对象</h2><p>详见<a href="https://www.ywzgh.gov.cn/">网站</a></p><p><figure '
        'data-trix-attachment="{&quot;url&quot;:&quot;/news/images/3/&quot;}" data-trix-content-type="image/jpeg" '
        'class="attachment attachment--preview attachment--jpg"><img src="/news/images/3/" width="1600" height="800">'
        '<figcaption class="attachment__caption"></figcaption></figure></p>'
    )
    assert body_clean(trix) == (
        '<h2>评选对象</h2><p>详见<a href="https://www.ywzgh.gov.cn/" rel="noopener noreferrer">网站</a></p>'
        '<figure><img src="/news/images/3/" width="1600" height="800"></figure>'
    )


def test_a_body_that_is_only_markup_is_refused_in_admin(client, writer):
    client.force_login(writer)
    response = client.post("/admin/news/article/add/", {
        "kind": Kind.ARTICLE, "category": "union", "title": "空正文", "summary": "", "department": roles.RIGHTS,
        "body": "<script>alert(1)</script>", "publish_at_0": "", "publish_at_1": "",
    })
    assert response.status_code == 200 and "正文过滤后为空" in response.content.decode()
    assert not Article.objects.exists()


# -- the workflow in admin --

def test_draft_review_and_publish_in_admin(client, writer, publisher):
    client.force_login(writer)
    response = client.post("/admin/news/article/add/", {
        "kind": Kind.ARTICLE, "category": "rights", "title": "工会法律援助进园区", "summary": "",
        "department": roles.RIGHTS, "body": '<h2>活动</h2><p>律师现场答疑。</p><script>x()</script>',
        "publish_at_0": "", "publish_at_1": "", "cover_upload": png_upload(),
    })
    assert response.status_code == 302, response.content.decode()[:3000]
    article = Article.objects.get()
    assert article.status == Status.DRAFT and article.created_by == writer and article.cover_thumbnail
    assert "<script" not in article.body and article.summary.startswith("活动")
    assert client.get(f"/news/{article.pk}/").status_code == 404  # drafts are not public

    url = f"/admin/news/article/{article.pk}/change/"
    page = client.get(url).content.decode()
    assert "送审" in page and "审核通过并发布" not in page  # a writer cannot publish
    client.post(url, admin_form_data(page, move_to=Status.REVIEW))
    article.refresh_from_db()
    assert article.status == Status.REVIEW
    # the writer may not publish, even by forging the move
    with pytest.raises(MoveNotPermitted):
        article_transition(article=article, target=Status.PUBLISHED, actor=writer)

    client.force_login(publisher)
    page = client.get(url).content.decode()
    assert "审核通过并发布" in page
    response = client.post(url, admin_form_data(page, move_to=Status.PUBLISHED))
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == Status.PUBLISHED and article.publish_at is not None
    assert [c.to_status for c in ArticleStatusChange.objects.filter(article=article)] == ["review", "published"]
    assert ArticleStatusChange.objects.filter(article=article, to_status="published").get().actor == publisher
    assert "工会法律援助进园区" in client.get("/news/").content.decode()
    client.logout()
    assert "律师现场答疑" in client.get(f"/news/{article.pk}/").content.decode()


def test_review_is_sent_back_only_with_a_reason(make_article, publisher):
    article = make_article(status=Status.REVIEW)
    with pytest.raises(Exception, match="需要修改"):
        article_transition(article=article, target=Status.DRAFT, actor=publisher)
    article_transition(article=article, target=Status.DRAFT, actor=publisher, reason="请补充活动时间")
    assert article.status == Status.DRAFT
    assert article.status_changes.last().note == "请补充活动时间"


def test_published_article_is_never_silently_edited(client, make_article, publisher):
    article = make_article()
    article.title = "悄悄改掉的标题"
    with pytest.raises(OnlyDraftsEdited):
        article_save(article=article, actor=publisher)
    client.force_login(publisher)
    url = f"/admin/news/article/{article.pk}/change/"
    page = client.get(url).content.decode()
    assert 'name="title"' not in page  # read-only once published
    assert '<div class="news-body-preview" lang="zh-Hans"><p>职工服务平台上线。</p></div>' in page  # as the page shows it
    assert "<trix-editor" not in page and "&lt;p&gt;" not in page
    client.post(url, {**admin_form_data(page), "title": "悄悄改掉的标题", "body": "<p>新</p>"})
    article.refresh_from_db()
    assert article.title == "测试新闻"
    # to change it: withdraw with a reason, reopen as a draft, edit, review again; each step is kept
    with pytest.raises(WithdrawReasonMissing):
        article_transition(article=article, target=Status.WITHDRAWN, actor=publisher, reason="  ")
    article_transition(article=article, target=Status.WITHDRAWN, actor=publisher, reason="数字有误")
    article_transition(article=article, target=Status.DRAFT, actor=publisher)
    article.title = "更正后的标题"
    article_save(article=article, actor=publisher)
    assert article.history.count() >= 5
    assert list(article.status_changes.values_list("to_status", flat=True)) == [
        "review", "published", "withdrawn", "draft",
    ]


def test_withdrawn_items_leave_public_pages(client, make_article):
    article = make_article("将被撤回的通知", kind=Kind.NOTICE)
    assert "将被撤回的通知" in client.get("/news/").content.decode()
    assert "将被撤回的通知" in client.get("/").content.decode()
    assert client.get(f"/news/{article.pk}/").status_code == 200
    article_transition(article=article, target=Status.WITHDRAWN, actor=StaffFactory(groups=[roles.OFFICE]),
                       reason="活动延期")
    assert article.withdrawn_reason == "活动延期"
    for url in ("/news/", "/", "/news/feed/", "/news/?kind=notice"):
        assert "将被撤回的通知" not in client.get(url).content.decode(), url
    assert client.get(f"/news/{article.pk}/").status_code == 404


# -- scheduled publishing and the page cache --

def _wait_until(moment):
    """Wait for the clock to pass `moment`: short sleeps, or a spin where sleeping fails
    (libfaketime, in the pass at another date, makes time.sleep raise EINVAL)."""
    while timezone.now() < moment:
        try:
            time.sleep(0.05)
        except OSError:
            continue


def test_scheduled_article_appears_at_its_time_and_not_before(client, make_article, publisher):
    """Real time, real page cache: the page rendered before the time is kept only until then."""
    make_article("早已发布")
    later = make_article("定时发布的新闻", ago=-datetime.timedelta(seconds=3))
    assert later.status == Status.PUBLISHED and not later.is_public
    first = client.get("/news/")
    assert "定时发布的新闻" not in first.content.decode() and first["X-Page-Cache"] == "miss"
    assert client.get(f"/news/{later.pk}/").status_code == 404
    assert "定时发布的新闻" not in client.get("/").content.decode()
    assert "定时发布的新闻" not in client.get("/news/feed/").content.decode()
    assert 0 <= public_page_seconds() <= 3
    _wait_until(later.publish_at + datetime.timedelta(seconds=0.2))
    assert "定时发布的新闻" in client.get("/news/").content.decode()
    assert "定时发布的新闻" in client.get(f"/news/{later.pk}/").content.decode()
    assert "定时发布的新闻" in client.get("/").content.decode()
    assert "定时发布的新闻" in client.get("/news/feed/").content.decode()
    assert public_page_seconds() == 600


def test_page_lifetime_is_capped_by_the_next_scheduled_item(make_article):
    assert public_page_seconds() == 600
    make_article("一小时后", ago=-datetime.timedelta(hours=1))
    make_article("五分钟后", ago=-datetime.timedelta(minutes=5))
    make_article("草稿不算", status=Status.REVIEW, ago=-datetime.timedelta(seconds=30))
    assert 295 <= public_page_seconds() <= 300


def test_public_pages_set_no_cookie_and_are_fresh_after_a_publish(client, make_article, publisher):
    make_article("第一篇")
    first = client.get("/news/")
    assert first["X-Page-Cache"] == "miss" and not first.cookies and "Cookie" not in first.get("Vary", "")
    second = client.get("/news/")
    assert second["X-Page-Cache"] == "hit" and not second.cookies
    article = make_article("第二篇", status=Status.REVIEW)
    assert "第二篇" not in client.get("/news/").content.decode()
    article_transition(article=article, target=Status.PUBLISHED, actor=publisher)
    fresh = client.get("/news/")
    assert fresh["X-Page-Cache"] == "miss" and "第二篇" in fresh.content.decode()


# -- public pages --

def test_list_filters_searches_and_pages(client, make_article):
    make_article("劳模工匠风采", category="craftsmen")
    make_article("政策解读", category="policy", body="<p>关于工资支付的规定。</p>")
    for n in range(14):
        make_article(f"动态{n}")
    page = client.get("/news/?category=craftsmen").content.decode()
    assert "劳模工匠风采" in page and "政策解读" not in page
    found = client.get("/news/?q=工资支付").content.decode()
    assert "政策解读" in found and "劳模工匠风采" not in found
    assert "第 1/2 页" in client.get("/news/").content.decode()
    assert "动态0" in client.get("/news/?page=2").content.decode()


def test_article_page_has_og_tags_related_items_and_english_note(client, make_article):
    article = make_article("金秋助学启动", category="rights", body="<p>帮扶困难职工子女上学。</p>")
    make_article("夏送清凉", category="rights")
    page = client.get(f"/news/{article.pk}/").content.decode()
    assert '<meta property="og:title" content="金秋助学启动">' in page
    assert '<meta property="og:description" content="帮扶困难职工子女上学。">' in page
    assert 'id="related"' in page and "夏送清凉" in page
    assert 'id="chinese-only"' not in page
    client.cookies["django_language"] = "en"
    english = client.get(f"/news/{article.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="chinese-only"' in english and "Chinese only" in english


def test_home_page_shows_latest_news_notices_and_the_board(client, make_article):
    make_article("首页新闻")
    make_article("首页通知", kind=Kind.NOTICE)
    notice = notice_publish(kind=NoticeKind.AID, source="aid.campaign:1", title="困难职工帮扶名单公示",
                            items=[ItemSpec(ref="aid.application:1", display_name="张*红")], workdays=5)
    page = client.get("/").content.decode()
    assert "首页新闻" in page and "首页通知" in page and "困难职工帮扶名单公示" in page
    assert f'href="/notices/{notice.pk}/"' in page and 'href="/notices/"' in page and 'href="/news/"' in page


def test_feed_validates_as_xml(client, make_article):
    make_article("Feed & <测试>", body="<p>内容 &amp; 说明</p>")
    response = client.get("/news/feed/")
    assert response.status_code == 200 and "xml" in response["Content-Type"]
    root = ET.fromstring(response.content)
    items = root.findall("./channel/item")
    assert root.tag == "rss" and [i.findtext("title") for i in items] == ["Feed & <测试>"]
    assert items[0].findtext("link").endswith(f"/news/{Article.objects.get().pk}/")


ATOM = "{http://www.w3.org/2005/Atom}"


def test_atom_feed_validates_as_xml_and_is_linked_from_the_news_pages(client, make_article):
    older = make_article("较早的通知", kind=Kind.NOTICE, ago=datetime.timedelta(days=2))
    newer = make_article("Atom & <测试>", body="<p>内容 &amp; 说明</p>")
    make_article("未到时间", ago=-datetime.timedelta(days=1))
    make_article("已撤回", status=Status.WITHDRAWN)
    response = client.get("/news/feed/atom/")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/atom+xml")
    assert "Set-Cookie" not in response
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    assert root.find(f"{ATOM}link[@rel='self']").get("href").endswith("/news/feed/atom/")
    assert root.findtext(f"{ATOM}author/{ATOM}name") == "义乌市总工会" and root.findtext(f"{ATOM}updated")
    entries = root.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == ["Atom & <测试>", "较早的通知"]
    for entry, article in zip(entries, (newer, older)):
        assert entry.find(f"{ATOM}link").get("href").endswith(f"/news/{article.pk}/")
        assert entry.findtext(f"{ATOM}id") and entry.findtext(f"{ATOM}updated")
        assert entry.findtext(f"{ATOM}author/{ATOM}name") == roles.OFFICE
    assert entries[0].findtext(f"{ATOM}summary") == "内容 & 说明"
    for url in ("/news/", f"/news/{newer.pk}/"):
        page = client.get(url).content.decode()
        assert '<link rel="alternate" type="application/atom+xml"' in page and 'href="/news/feed/atom/"' in page
        assert '<link rel="alternate" type="application/rss+xml"' in page


@pytest.mark.parametrize("query", [
    "?page=99999999999999999999", "?page=-1", "?category=unknown&kind=zzz", "?q=" + "长" * 500,
    "?q=%25%5F", "?page=abc", "?q=%00",
])
def test_list_odd_parameters(client, make_article, query):
    make_article()
    assert client.get(f"/news/{query}").status_code in (200, 400)


def test_unknown_and_huge_ids_are_404(client):
    for url in ("/news/99999999/", "/news/99999999999999999999/", "/news/images/5/", "/news/attachments/5/",
                "/news/5/cover/"):
        assert client.get(url).status_code == 404, url


def test_query_counts_flat_from_10_to_200_articles(client, make_article, django_assert_num_queries):
    def add(n):
        Article.objects.bulk_create([
            Article(title=f"批量{i}", body="<p>x</p>", summary="x", department=roles.OFFICE,
                    status=Status.PUBLISHED, publish_at=timezone.now() - datetime.timedelta(minutes=i))
            for i in range(n)
        ])

    from django.core.cache import cache

    add(10)
    counts = {}
    for size in (10, 200):
        if size == 200:
            add(190)
        cache.clear()
        with django_assert_num_queries(3):  # count, page, next scheduled time
            client.get("/news/")
        cache.clear()
        with django_assert_num_queries(2):  # feed items, next scheduled time
            client.get("/news/feed/")
        cache.clear()
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            client.get("/")
        counts[size] = len(ctx)
    assert counts[10] == counts[200] <= 6


def test_admin_changelist_query_count_flat(client, publisher, django_assert_max_num_queries, make_article):
    client.force_login(publisher)
    Article.objects.bulk_create([
        Article(title=f"批量{i}", body="<p>x</p>", department=roles.OFFICE) for i in range(10)
    ])
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert client.get("/admin/news/article/").status_code == 200
    Article.objects.bulk_create([
        Article(title=f"更多{i}", body="<p>x</p>", department=roles.OFFICE) for i in range(190)
    ])
    with CaptureQueriesContext(connection) as large:
        assert client.get("/admin/news/article/").status_code == 200
    assert len(small) == len(large) <= 15


# -- pictures --

def test_body_images_are_served_only_for_public_articles(client, make_article, writer):
    draft = make_article(status=Status.DRAFT)
    picture = article_image_add(article=draft, upload=png_upload(size=(3000, 2000)))
    assert client.get(f"/news/images/{picture.pk}/").status_code == 404
    client.force_login(writer)
    assert client.get(f"/news/images/{picture.pk}/").status_code == 200  # staff preview
    client.logout()
    draft.body = f'<p>图</p><img src="/news/images/{picture.pk}/" alt="现场">'
    article_save(article=draft, actor=writer)
    office = StaffFactory(groups=[roles.OFFICE])
    article_transition(article=draft, target=Status.REVIEW, actor=writer)
    article_transition(article=draft, target=Status.PUBLISHED, actor=office)
    response = client.get(f"/news/images/{picture.pk}/")
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert f'src="/news/images/{picture.pk}/"' in client.get(f"/news/{draft.pk}/").content.decode()


def body_image_post(client, article, upload, **extra):
    return client.post(f"/admin/news/article/{article.pk}/body-image/", {"file": upload}, **extra)


def test_editor_picture_is_checked_resized_and_stored_for_the_draft(client, make_article, writer):
    draft = make_article(status=Status.DRAFT)
    client.force_login(writer)
    response = body_image_post(client, draft, png_upload(size=(3200, 1600)))
    assert response.status_code == 200
    picture = ArticleImage.objects.get(article=draft)
    assert response.json() == {"url": f"/news/images/{picture.pk}/", "pk": picture.pk, "width": 1600, "height": 800}
    assert picture.image.name.endswith(".jpg")  # re-encoded, whatever was sent
    draft.body = f'<h2>现场</h2><figure><img src="{response.json()["url"]}" width="1600" height="800"></figure>'
    article_save(article=draft, actor=writer)
    assert f'<img src="/news/images/{picture.pk}/" width="1600" height="800">' in Article.objects.get(pk=draft.pk).body


def test_editor_picture_refuses_fakes_others_and_published_articles(client, make_article, writer):
    from django.core.files.uploadedfile import SimpleUploadedFile

    draft = make_article(status=Status.DRAFT)
    published = make_article("已发布")
    client.force_login(writer)
    fake = SimpleUploadedFile("a.png", b"<script>alert(1)</script>", content_type="image/png")
    response = body_image_post(client, draft, fake)
    assert response.status_code == 400 and "图片" in response.json()["error"]
    assert client.post(f"/admin/news/article/{draft.pk}/body-image/").json()["error"] == "请选择一张图片。"
    assert client.get(f"/admin/news/article/{draft.pk}/body-image/").status_code == 405
    assert body_image_post(client, published, png_upload()).status_code == 403  # published text is not edited
    assert body_image_post(client, Article(pk=987654), png_upload()).status_code == 404
    outsider = StaffFactory(groups=[roles.COUNSELLING_SUPERVISOR])
    assert not outsider.has_perm("news.change_article")
    client.force_login(outsider)
    assert body_image_post(client, draft, png_upload()).status_code == 403
    client.logout()
    assert body_image_post(client, draft, png_upload()).status_code == 302  # to the sign-in page
    assert not ArticleImage.objects.exists()


def test_editor_picture_needs_the_csrf_token(make_article, writer):
    from django.test import Client

    draft = make_article(status=Status.DRAFT)
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(writer)
    assert body_image_post(strict, draft, png_upload()).status_code == 403
    strict.get(f"/admin/news/article/{draft.pk}/change/")
    token = strict.cookies["csrftoken"].value
    assert body_image_post(strict, draft, png_upload(), HTTP_X_CSRFTOKEN=token).status_code == 200
    assert ArticleImage.objects.filter(article=draft).count() == 1


def test_admin_form_carries_the_editor_and_its_upload_address(client, make_article, writer):
    draft = make_article(status=Status.DRAFT, body="<h2>标题</h2><p>正文</p>")
    client.force_login(writer)
    page = client.get(f"/admin/news/article/{draft.pk}/change/").content.decode()
    assert "<trix-editor" in page and "/static/vendor/trix/trix.umd.min.js" in page
    assert page.index("news/editor-csp.js") < page.index("vendor/trix/trix.umd.min.js") < page.index("news/editor.js")
    assert f'data-upload-url="/admin/news/article/{draft.pk}/body-image/"' in page
    assert 'value="&lt;h2&gt;标题&lt;/h2&gt;&lt;p&gt;正文&lt;/p&gt;"' in page
    add_page = client.get("/admin/news/article/add/").content.decode()
    assert 'data-upload-url=""' in add_page and "<trix-editor" in add_page


def test_fake_image_is_refused_with_a_chinese_message(client, writer):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(writer)
    response = client.post("/admin/news/article/add/", {
        "kind": Kind.ARTICLE, "category": "union", "title": "封面造假", "department": roles.RIGHTS,
        "body": "<p>x</p>", "publish_at_0": "", "publish_at_1": "",
        "cover_upload": SimpleUploadedFile("a.jpg", b"<?php echo 1; ?>", content_type="image/jpeg"),
    })
    assert response.status_code == 200 and "不是有效的图片" in response.content.decode()
    assert not Article.objects.exists() and not ArticleImage.objects.exists()


# -- the notice board the apps feed --

def test_notice_board_shows_aid_and_award_notices_masked_and_takes_an_objection(client):
    aid = notice_publish(kind=NoticeKind.AID, source="aid.campaign:3", title="2026年金秋助学拟资助名单公示", items=[
        ItemSpec(ref="aid.application:11", display_name=mask_name("王丽娟"), summary="金秋助学",
                 amount=Decimal("2000.00")),
    ], workdays=5)
    award = notice_publish(kind=NoticeKind.AWARD, source="awards.programme:2", title="“最美职工”拟表彰对象公示", items=[
        ItemSpec(ref="awards.nomination:21", display_name=mask_name("陈志强"), organisation="义乌市示范小商品有限公司"),
    ], workdays=5)
    board = client.get("/notices/").content.decode()
    assert aid.title in board and award.title in board
    for notice, masked, full in ((aid, "王*娟", "王丽娟"), (award, "陈*强", "陈志强")):
        page = client.get(f"/notices/{notice.pk}/").content.decode()
        assert masked in page and full not in page and "提出异议" in page
    response = client.post(f"/notices/{award.pk}/", {
        "item": award.items.get().pk, "content": "该职工的事迹材料与实际情况不符，请核实。", "contact": "13912345678",
    })
    assert response.status_code == 302
    objection = Objection.objects.get()
    assert objection.notice == award and objection.item.display_name == "陈*强"
    assert 'href="/notices/"' in client.get("/news/").content.decode()


# -- demo data --

def test_demo_seed_is_idempotent_and_public(client):
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    assert demo.seed() == 0
    assert Article.objects.public().count() == len(demo.ARTICLES)
    page = client.get("/news/").content.decode()
    assert "十七届九次全委" in page


# -- admin pages open for each kind of staff --

@pytest.mark.parametrize("group", [roles.OFFICE, roles.ORGANISATION, roles.RIGHTS, roles.LEADERSHIP, None])
def test_admin_pages_open_without_a_500(client, make_article, group):
    article = make_article()
    draft = make_article("草稿", status=Status.DRAFT)
    article_image_add(article=draft, upload=png_upload())
    user = StaffFactory(groups=[group] if group else [], is_superuser=group is None)
    client.force_login(user)
    client.raise_request_exception = False
    urls = [
        "/admin/news/article/", "/admin/news/article/add/", f"/admin/news/article/{article.pk}/change/",
        f"/admin/news/article/{draft.pk}/change/", f"/admin/news/article/{article.pk}/history/",
        "/admin/news/article/?status=zzz&kind=%00&q=" + "长" * 300, "/admin/news/article/?p=99999999999",
        "/admin/news/article/99999999999999/change/", "/admin/news/article/?publish_at__year=99999",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code < 500, url
    expected = 403 if group == roles.LEADERSHIP else 200
    assert client.get("/admin/news/article/").status_code == expected
    if group == roles.RIGHTS:  # a writer opens a published article read-only, with no publishing moves
        page = client.get(f"/admin/news/article/{article.pk}/change/").content.decode()
        assert "撤回（须填原因）" not in page and 'name="title"' not in page


def test_volume_year_adds_published_articles():
    from apps.news.volume import news_year

    start = timezone.localdate() - datetime.timedelta(days=365)
    assert news_year(year_start=start, seed=1) == 500
    assert Article.objects.public().count() == 500
    assert ArticleStatusChange.objects.count() == 1000


def test_attachment_is_checked_and_served_with_its_article(client, make_article, publisher):
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile

    from apps.news.services import article_attachment_add

    article = make_article(status=Status.DRAFT)
    pdf = SimpleUploadedFile("通知全文.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
                             content_type="application/pdf")
    item = article_attachment_add(article=article, upload=pdf)
    with pytest.raises(ValidationError):
        article_attachment_add(article=article, upload=SimpleUploadedFile("x.pdf", b"MZ\x90\x00fake"))
    assert client.get(f"/news/attachments/{item.pk}/").status_code == 404  # not public yet
    article_transition(article=article, target=Status.REVIEW, actor=publisher)
    article_transition(article=article, target=Status.PUBLISHED, actor=publisher)
    response = client.get(f"/news/attachments/{item.pk}/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert "通知全文.pdf" in client.get(f"/news/{article.pk}/").content.decode()
