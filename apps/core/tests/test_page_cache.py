"""The whole-page cache of anonymous public pages (apps.core.cache) and the cookie-free language switch."""

import pytest
from django.test import Client
from django.urls import reverse

from apps.awards.models import AwardKind, AwardProgramme, HonourEntry
from apps.core.cache import public_data_changed
from apps.orgs.models import TownStreet
from tests.factories import UnionFactory

pytestmark = pytest.mark.django_db

ROLL = "/honours/worker-pioneers/"


@pytest.fixture
def programme(db):
    return AwardProgramme.objects.create(
        kind=AwardKind.WORKER_PIONEER, year=2019, title="2019年度义乌市工人先锋号", is_published=True,
    )


def _public_urls():
    return [
        reverse("core:home"),
        reverse("awards:index"),
        ROLL,
        ROLL + "?q=%E5%85%88%E9%94%8B",
        reverse("stars:demonstration"),
    ]


@pytest.mark.parametrize("index", range(5))
def test_anonymous_public_page_sets_no_cookie_and_is_served_from_the_cache(
    client, programme, django_assert_num_queries, index
):
    url = _public_urls()[index]
    first = client.get(url)
    assert first.status_code == 200
    assert not first.cookies, f"{url} sets {list(first.cookies)}"
    assert "Set-Cookie" not in first.headers
    assert "cookie" not in first.get("Vary", "").lower()
    assert first["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = client.get(url)
    assert second.status_code == 200 and second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert "Set-Cookie" not in second.headers and "cookie" not in second.get("Vary", "").lower()
    assert "public" in second["Cache-Control"]


def test_a_publish_shows_on_the_cached_roll_at_once(client, programme):
    entry = HonourEntry.objects.create(
        programme=programme, name="稠城街道先锋班组", is_published=False,
        town_street=TownStreet.objects.get(code="choucheng"), deeds="先进事迹。",
    )
    assert "稠城街道先锋班组" not in client.get(ROLL).content.decode()
    assert client.get(ROLL)["X-Page-Cache"] == "hit"
    entry.is_published = True
    entry.save()
    response = client.get(ROLL)
    assert response["X-Page-Cache"] == "miss"
    assert "稠城街道先锋班组" in response.content.decode()
    HonourEntry.objects.filter(pk=entry.pk).update(name="稠城街道先锋班组（更名）")
    public_data_changed("awards")  # a bulk write says so itself
    assert "稠城街道先锋班组（更名）" in client.get(ROLL).content.decode()
    entry.delete()
    assert "稠城街道先锋班组" not in client.get(ROLL).content.decode()


def test_each_process_keeps_its_busy_pages_but_never_past_a_publish(client, programme, settings, monkeypatch):
    from apps.core import cache as page_cache

    settings.PUBLIC_PAGE_LOCAL_SECONDS = 30
    page_cache._local.clear()
    entry = HonourEntry.objects.create(
        programme=programme, name="佛堂镇先锋班组", is_published=True,
        town_street=TownStreet.objects.get(code="choucheng"), deeds="先进事迹。",
    )
    assert client.get(ROLL)["X-Page-Cache"] == "miss"
    shared_reads = []
    real_get = page_cache.cache.get
    monkeypatch.setattr(page_cache.cache, "get", lambda key, *a, **kw: (shared_reads.append(key), real_get(key, *a, **kw))[1])
    hit = client.get(ROLL)
    assert hit["X-Page-Cache"] == "hit" and "佛堂镇先锋班组" in hit.content.decode()
    assert not [key for key in shared_reads if key.startswith(page_cache.PAGE_PREFIX)]  # served from the process
    # Another process publishes: this one sees the new version within its second and renders again.
    HonourEntry.objects.filter(pk=entry.pk).update(name="佛堂镇先锋班组（更名）")
    page_cache.cache.set(page_cache.VERSION_PREFIX + "awards", "published-elsewhere", timeout=None)
    page_cache._recent.clear()  # that second has passed
    fresh = client.get(ROLL)
    assert fresh["X-Page-Cache"] == "miss" and "佛堂镇先锋班组（更名）" in fresh.content.decode()
    for _n in range(page_cache.LOCAL_PAGES + 5):  # bounded: a crawl of odd URLs does not grow it for ever
        client.get(ROLL + f"?q={_n}")
    assert len(page_cache._local) <= page_cache.LOCAL_PAGES
    page_cache._local.clear()


def test_a_union_renamed_shows_on_the_star_list(client):
    from apps.stars.models import StarRating

    union = UnionFactory(name="义乌市某某五星工会")
    StarRating.objects.create(union=union, year=2018, level=5, is_demonstration=True)
    assert "义乌市某某五星工会" in client.get(reverse("stars:demonstration")).content.decode()
    union.name = "义乌市新名五星工会"
    union.save()
    assert "义乌市新名五星工会" in client.get(reverse("stars:demonstration")).content.decode()


def test_the_language_switch_works_on_a_cached_page(client, programme):
    client.get(ROLL)
    cached = client.get(ROLL)
    assert cached["X-Page-Cache"] == "hit"
    page = cached.content.decode()
    switch = reverse("core:language", kwargs={"code": "en"}) + "?next=" + ROLL
    assert f'href="{switch}"' in page and "csrfmiddlewaretoken" not in page
    response = client.get(switch)
    assert response.status_code == 302 and response["Location"] == ROLL
    assert response.cookies["django_language"].value == "en"
    english = client.get(ROLL)
    assert english["X-Page-Cache"] == "miss" and 'lang="en"' in english.content.decode()
    assert client.get(ROLL)["X-Page-Cache"] == "hit"
    # Visitors without the cookie still get the Chinese page from the cache.
    other = Client()
    chinese = other.get(ROLL)
    assert chinese["X-Page-Cache"] == "hit" and 'lang="zh-hans"' in chinese.content.decode()
    back = client.get(reverse("core:language", kwargs={"code": "zh-hans"}) + "?next=" + ROLL)
    assert back.cookies["django_language"].value == "zh-hans"
    assert 'lang="zh-hans"' in client.get(ROLL).content.decode()


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "", "javascript:alert(1)"])
def test_the_language_switch_never_leaves_the_site(client, target):
    response = client.get(reverse("core:language", kwargs={"code": "en"}), {"next": target})
    assert response.status_code == 302 and response["Location"] == reverse("core:home")


def test_a_nul_byte_in_next_is_taken_out_before_the_switch(client):
    response = client.get(reverse("core:language", kwargs={"code": "en"}), {"next": "\x00"})
    assert response.status_code == 302 and response["Location"] == reverse("core:home")


def test_an_unknown_language_is_404(client):
    assert client.get(reverse("core:language", kwargs={"code": "xx"})).status_code == 404


def test_a_signed_in_member_gets_their_own_page_not_the_cached_one(client, member):
    anonymous = Client()
    anonymous.get(reverse("core:home"))
    assert anonymous.get(reverse("core:home"))["X-Page-Cache"] == "hit"
    client.force_login(member.user)
    page = client.get(reverse("core:home"))
    assert "X-Page-Cache" not in page
    assert reverse("accounts:logout") in page.content.decode()
    # ...and nothing of theirs is stored for anyone else.
    assert reverse("accounts:logout") not in anonymous.get(reverse("core:home")).content.decode()


def test_a_pending_message_is_shown_not_swallowed_by_the_cache(client, programme):
    client.get(ROLL)
    client.cookies["messages"] = "pending"
    response = client.get(ROLL)
    assert "X-Page-Cache" not in response


def test_post_and_odd_paths_are_not_cached(client, programme):
    assert client.post(ROLL).status_code == 405
    for url in [ROLL + "?page=999999999999", ROLL + "?year=abc&town=nowhere"]:
        assert client.get(url).status_code == 200
        assert client.get(url).status_code == 200
    assert client.get(ROLL + "?q=%00").status_code == 200  # the NUL is taken out before the view


def test_a_publish_by_another_process_shows_within_a_second(client, programme, monkeypatch):
    import uuid

    from django.core.cache import cache

    from apps.core import cache as page_cache

    now = [1000.0]
    monkeypatch.setattr(page_cache.time, "monotonic", lambda: now[0])
    assert client.get(ROLL)["X-Page-Cache"] == "miss"
    assert client.get(ROLL)["X-Page-Cache"] == "hit"
    # Another gunicorn worker published: it replaced the version in Redis, not our memo.
    cache.set(page_cache.VERSION_PREFIX + "awards", uuid.uuid4().hex, timeout=None)
    now[0] += 0.5
    assert client.get(ROLL)["X-Page-Cache"] == "hit"
    now[0] += 0.6
    assert client.get(ROLL)["X-Page-Cache"] == "miss"
