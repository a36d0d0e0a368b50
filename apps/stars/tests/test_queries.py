"""Public and admin lists stay flat in queries as unions grow (10 → 200)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.core.cache import public_data_changed
from apps.orgs.models import GrassrootsUnion, TownStreet
from apps.stars import demo
from apps.stars.models import Evaluation, StarRating
from tests.factories import UnionFactory

pytestmark = pytest.mark.django_db


def grow(n):
    town = TownStreet.objects.get(code="futian")
    GrassrootsUnion.objects.bulk_create([
        UnionFactory.build(town_street=town) for _ in range(n)
    ])
    year = timezone.localdate().year
    demo.volume(year=year)
    # The demo's levels come from a generator seeded by the year: make sure a three-star union
    # of Futian is rated in every year, so the filtered list never turns out empty (an empty
    # page runs one query fewer) and the comparison is the same in any year.
    if not StarRating.objects.filter(year=year, level=3, union__town_street=town).exists():
        union = GrassrootsUnion.objects.filter(town_street=town).exclude(star_ratings__year=year).first()
        StarRating.objects.create(union=union, year=year, level=3, decided_on=timezone.localdate())


def flat(client, url, params=None):
    grow(10)
    client.get(url, params)
    public_data_changed()  # count the rendering's queries, not the page cache's none
    with CaptureQueriesContext(connection) as small:
        assert client.get(url, params).status_code == 200
    grow(190)
    public_data_changed()
    with CaptureQueriesContext(connection) as big:
        assert client.get(url, params).status_code == 200
    assert len(big.captured_queries) == len(small.captured_queries) <= 15
    return big


@pytest.mark.parametrize("params", [None, {"q": "测试", "town": "futian", "level": "3"}])
def test_public_star_list(client, params):
    flat(client, reverse("stars:list"), params)


def test_public_five_star_roll(client):
    from django.core.management import call_command

    from apps.awards.models import AwardKind, HonourEntry

    call_command("loaddata", "honour_rolls", verbosity=0)
    flat(client, "/honours/five-star-unions/")
    assert HonourEntry.objects.filter(programme__year=timezone.localdate().year, is_published=True,
                                      programme__kind=AwardKind.FIVE_STAR_UNION).count() > 1
    # the seed's 25 stay the 2018 roll
    assert HonourEntry.objects.filter(programme__year=2018, programme__kind=AwardKind.FIVE_STAR_UNION,
                                      is_published=True).count() == 25


def test_union_page(client):
    grow(5)
    union = Evaluation.objects.filter(rating__isnull=False).first().union
    assert client.get(reverse("stars:union", args=[union.pk])).status_code == 200
    assert client.get(reverse("stars:union", args=[999999999])).status_code == 404


def test_admin_evaluation_list(admin_client):
    flat(admin_client, reverse("admin:stars_evaluation_changelist"))


def test_staff_overview(admin_client):
    flat(admin_client, reverse("stars:overview"))


def test_public_list_odd_parameters(client):
    grow(3)
    for params in ({"year": "\x00"}, {"year": "99999999999999"}, {"town": "nowhere"}, {"level": "9"},
                   {"page": "999"}, {"q": "\x00"}):
        assert client.get(reverse("stars:list"), params).status_code == 200
