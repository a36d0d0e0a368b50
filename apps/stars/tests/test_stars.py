"""Star ratings: one per union per year, level 1-5, demonstration only with five stars."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse

from apps.accounts.roles import ECONOMIC, ORGANISATION, RIGHTS
from apps.core.cache import public_data_changed
from apps.orgs.models import TownStreet
from apps.stars.models import StarRating
from tests.factories import UnionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def union(db):
    return UnionFactory()


@pytest.mark.parametrize("level", [0, 6])
def test_level_outside_1_to_5_is_refused_by_the_database(union, level):
    with pytest.raises(IntegrityError), transaction.atomic():
        StarRating.objects.create(union=union, year=2018, level=level)


@pytest.mark.parametrize("level", [1, 5])
def test_levels_1_and_5_are_accepted(union, level):
    assert StarRating.objects.create(union=union, year=2018, level=level).level == level


def test_demonstration_below_five_stars_is_refused_by_the_database(union):
    with pytest.raises(IntegrityError), transaction.atomic():
        StarRating.objects.create(union=union, year=2018, level=4, is_demonstration=True)
    assert not StarRating.objects.exists()


def test_second_rating_for_the_same_union_and_year_is_refused(union):
    StarRating.objects.create(union=union, year=2018, level=3)
    with pytest.raises(IntegrityError), transaction.atomic():
        StarRating.objects.create(union=union, year=2018, level=5)
    StarRating.objects.create(union=union, year=2019, level=5)  # stars are reviewed yearly
    assert StarRating.objects.filter(union=union).count() == 2


def test_model_validation_gives_the_chinese_messages(union):
    with pytest.raises(ValidationError) as info:
        StarRating(union=union, year=2018, level=4, is_demonstration=True).full_clean()
    assert "只有五星级工会才能命名为五星级示范工会。" in info.value.messages


def test_admin_refuses_a_four_star_demonstration_with_a_message(client, staff_of, union):
    staff = staff_of(ORGANISATION)
    client.force_login(staff)
    response = client.post(reverse("admin:stars_starrating_add"), {
        "union": union.pk, "year": "2018", "level": "4", "is_demonstration": "on", "decided_on": "", "note": "",
    })
    assert "只有五星级工会才能命名为五星级示范工会。" in response.content.decode()
    assert not StarRating.objects.exists()


def test_admin_history_records_who_changed_a_rating(client, staff_of, union):
    staff = staff_of(ECONOMIC)
    client.force_login(staff)
    client.post(reverse("admin:stars_starrating_add"), {
        "union": union.pk, "year": "2018", "level": "5", "is_demonstration": "on", "decided_on": "2019-03-09",
        "note": "",
    })
    rating = StarRating.objects.get()
    assert rating.history.get().history_user == staff


def test_wrong_staff_group_cannot_open_star_ratings(client, staff_of, officer):
    for user in (staff_of(RIGHTS), officer):
        client.force_login(user)
        assert client.get(reverse("admin:stars_starrating_changelist")).status_code == 403


def _ratings(n, year=2018):
    town = TownStreet.objects.get(code="futian")
    unions = [UnionFactory(town_street=town) for _ in range(n)]
    StarRating.objects.bulk_create([StarRating(union=u, year=year, level=5, is_demonstration=True) for u in unions])
    public_data_changed("stars")  # bulk_create sends no post_save


def test_admin_changelist_query_count_is_flat(admin_client, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("admin:stars_starrating_changelist")
    _ratings(10)
    admin_client.get(url)
    with CaptureQueriesContext(connection) as small:
        assert admin_client.get(url).status_code == 200
    _ratings(190)
    with django_assert_num_queries(len(small.captured_queries)):
        assert admin_client.get(url).status_code == 200


class TestPublicList:
    url = reverse("stars:demonstration")

    def test_lists_the_25_demonstration_unions_of_2018_from_the_fixture(self, client):
        call_command("loaddata", "honour_rolls", verbosity=0)
        page = client.get(self.url).content.decode()
        assert "共 25 个" in page and "义乌海关工会" in page and "2018年度" in page

    def test_a_year_can_be_chosen_and_bad_years_fall_back(self, client, union):
        StarRating.objects.create(union=union, year=2019, level=5, is_demonstration=True)
        other = UnionFactory()
        StarRating.objects.create(union=other, year=2018, level=5, is_demonstration=True)
        StarRating.objects.create(union=UnionFactory(), year=2019, level=4)  # not a demonstration union
        assert [r.union for r in client.get(self.url).context["ratings"]] == [union]
        assert [r.union for r in client.get(self.url, {"year": "2018"}).context["ratings"]] == [other]
        assert client.get(self.url, {"year": "abc"}).context["year"] == 2019

    def test_empty_state(self, client):
        assert "尚未公布五星级示范工会名单。" in client.get(self.url).content.decode()

    def test_query_count_is_flat(self, client, django_assert_num_queries):
        _ratings(10)
        client.get(self.url)
        public_data_changed()  # count the rendering's queries, not the page cache's none
        with django_assert_num_queries(2):  # the years, then the unions with their town/street
            client.get(self.url)
        _ratings(190)
        with django_assert_num_queries(2):
            client.get(self.url)
