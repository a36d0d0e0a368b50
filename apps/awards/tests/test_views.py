"""The public honour rolls: counts, search, filters, pagination, what is public, query counts."""

import pytest
from django.urls import reverse

from apps.awards.models import AwardKind, AwardProgramme, HonourEntry
from apps.core.cache import public_data_changed

pytestmark = pytest.mark.django_db

ROLLS = [("most-beautiful-workers", "共 10 名"), ("five-star-unions", "共 25 个"), ("worker-pioneers", "共 31 个")]


def roll_url(slug, **params):
    from urllib.parse import urlencode

    return reverse("awards:roll", kwargs={"slug": slug}) + (f"?{urlencode(params)}" if params else "")


def names(response):
    return [entry.name for entry in response.context["page"].object_list]


@pytest.mark.parametrize(("slug", "count"), ROLLS)
def test_each_roll_shows_its_count(client, honour_rolls, slug, count):
    page = client.get(roll_url(slug)).content.decode()
    assert count in page


def test_index_lists_the_rolls_with_counts_and_year(client, honour_rolls):
    page = client.get(reverse("awards:index")).content.decode()
    for text in ["共 10 名", "共 25 个", "共 31 个", "2018年度", "名单尚未公布"]:
        assert text in page
    for slug, _count in ROLLS:
        assert reverse("awards:roll", kwargs={"slug": slug}) in page


def test_search_finds_a_worker_by_name_and_by_employer(client, honour_rolls):
    assert names(client.get(roll_url("most-beautiful-workers", q="丁思诗"))) == ["丁思诗"]
    assert names(client.get(roll_url("most-beautiful-workers", q="国家税务局"))) == ["丁思诗"]


def test_search_finds_a_union_by_name(client, honour_rolls):
    response = client.get(roll_url("five-star-unions", q="义乌海关工会"))
    assert names(response) == ["义乌海关工会"]
    assert "共 1 个" in response.content.decode()


def test_search_with_no_match_shows_the_empty_state(client, honour_rolls):
    page = client.get(roll_url("worker-pioneers", q="不存在的班组")).content.decode()
    assert "没有找到符合条件的条目。" in page and "共 0 个" in page


def test_filter_by_town_street(client, honour_rolls):
    assert names(client.get(roll_url("five-star-unions", town="fotang"))) == [
        "义乌市佛堂镇小学工会", "义乌市佛堂镇第二小学工会",
    ]
    assert names(client.get(roll_url("worker-pioneers", town="suxi"))) == ["义乌市人民法院苏溪法庭"]


def test_filter_by_year(client, honour_rolls, make_entries):
    make_entries(3, kind=AwardKind.FIVE_STAR_UNION, year=2019, prefix="新工会")
    response = client.get(roll_url("five-star-unions"))
    assert response.context["page"].paginator.count == 28
    assert [c[0] for c in response.context["form"].fields["year"].choices] == ["", 2019, 2018]
    assert len(names(client.get(roll_url("five-star-unions", year=2019)))) == 3
    assert client.get(roll_url("five-star-unions", year=2018)).context["page"].paginator.count == 25


def test_bad_filter_values_are_ignored_not_errors(client, honour_rolls):
    response = client.get(roll_url("worker-pioneers", year="abc", town="atlantis", q="法庭"))
    assert response.status_code == 200
    assert names(response) == ["义乌市人民法院苏溪法庭"]


def test_pagination_is_20_per_page_and_keeps_the_filters(client, make_entries):
    make_entries(45, town="beiyuan")
    make_entries(5, town="choucheng")
    first = client.get(roll_url("worker-pioneers", town="beiyuan", year=2019))
    assert len(names(first)) == 20 and first.context["page"].paginator.num_pages == 3
    page = first.content.decode()
    assert "?town=beiyuan&amp;year=2019&amp;page=2" in page
    third = client.get(roll_url("worker-pioneers", town="beiyuan", year=2019, page=3))
    assert len(names(third)) == 5
    assert "第 3/3 页" in third.content.decode()
    assert client.get(roll_url("worker-pioneers", page=999)).context["page"].number == 3


def test_detail_page_shows_deeds_employer_town_and_year(client, honour_rolls):
    entry = HonourEntry.objects.get(name="丁思诗")
    page = client.get(reverse("awards:entry", kwargs={"slug": "most-beautiful-workers", "pk": entry.pk})).content.decode()
    for text in ["丁思诗", "浙江省义乌市国家税务局", "稠城街道", "2018年度", "事迹", "2018年度义乌市“最美职工”"]:
        assert text in page


def test_detail_page_only_under_its_own_roll(client, honour_rolls):
    entry = HonourEntry.objects.get(name="丁思诗")
    assert client.get(reverse("awards:entry", kwargs={"slug": "five-star-unions", "pk": entry.pk})).status_code == 404
    assert client.get(reverse("awards:roll", kwargs={"slug": "no-such-roll"})).status_code == 404


class TestOnlyPublishedIsPublic:
    def test_unpublished_entry_is_not_listed_counted_or_shown(self, client, honour_rolls):
        entry = HonourEntry.objects.get(name="丁思诗")
        entry.is_published = False
        entry.save()
        assert "丁思诗" not in names(client.get(roll_url("most-beautiful-workers")))
        assert "共 9 名" in client.get(reverse("awards:index")).content.decode()
        url = reverse("awards:entry", kwargs={"slug": "most-beautiful-workers", "pk": entry.pk})
        assert client.get(url).status_code == 404
        assert names(client.get(roll_url("most-beautiful-workers", q="丁思诗"))) == []

    def test_entries_of_an_unpublished_programme_are_not_public(self, client, honour_rolls, make_entries):
        programme = make_entries(2, kind=AwardKind.CRAFTSMAN, year=2019, prefix="工匠")
        AwardProgramme.objects.filter(pk=programme.pk).update(is_published=False)
        response = client.get(roll_url("craftsmen"))
        assert response.context["page"].paginator.count == 0
        assert "名单尚未公布，敬请关注。" in response.content.decode()
        assert [c[0] for c in response.context["form"].fields["year"].choices] == [""]
        entry = programme.entries.first()
        assert client.get(reverse("awards:entry", kwargs={"slug": "craftsmen", "pk": entry.pk})).status_code == 404
        assert "名单尚未公布" in client.get(reverse("awards:index")).content.decode()

    def test_the_public_pages_show_no_personal_data_beyond_the_roll(self, client, honour_rolls, member):
        # A member who shares a name with an honouree is not linked to the roll in any way.
        page = client.get(roll_url("most-beautiful-workers")).content.decode()
        assert member.document_number not in page and member.phone not in page


def _count_queries(client, url, django_assert_num_queries, grow, expected):
    client.get(url)  # warm caches (content types, site)
    public_data_changed()  # count the rendering's queries, not the page cache's none
    with django_assert_num_queries(expected):
        assert client.get(url).status_code == 200
    grow()
    with django_assert_num_queries(expected):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("kind", [AwardKind.MOST_BEAUTIFUL_WORKER, AwardKind.FIVE_STAR_UNION, AwardKind.WORKER_PIONEER])
def test_roll_query_count_is_flat_from_10_to_200_entries(client, make_entries, django_assert_num_queries, kind):
    from apps.awards.models import KIND_SLUGS

    make_entries(10, kind=kind)
    # years of the roll, town/street choices, count, the page of entries with everything it shows
    _count_queries(
        client, roll_url(KIND_SLUGS[kind]), django_assert_num_queries, lambda: make_entries(190, kind=kind), 4
    )


def test_filtered_roll_query_count_is_flat(client, make_entries, django_assert_num_queries):
    make_entries(10, town="fotang")
    url = roll_url("worker-pioneers", town="fotang", year=2019, q="先锋")
    # one more than the plain roll: the chosen town/street is looked up by its code
    _count_queries(client, url, django_assert_num_queries, lambda: make_entries(190, town="fotang"), 5)


def test_index_query_count_is_flat(client, make_entries, django_assert_num_queries):
    make_entries(10)
    _count_queries(client, reverse("awards:index"), django_assert_num_queries, lambda: (
        make_entries(190), make_entries(50, kind=AwardKind.CRAFTSMAN, year=2020, prefix="工匠"),
    ), 2)  # the rolls' counts and years, and the competition winners' counts and years
