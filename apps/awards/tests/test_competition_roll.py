"""Competition results join the honour rolls: published prize winners and city titles appear
on /honours/ and its competition roll (names masked), and on the member's /me/honours/; the
craftsman's profile links to the innovation studio led under that honour."""

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.awards.models import AwardKind, HonourEntry
from apps.competitions.models import Award, Registration
from apps.competitions.tests.factories import EventFactory
from apps.core.cache import public_data_changed
from tests.factories import EmployerFactory, MemberFactory

pytestmark = pytest.mark.django_db


def winners(n, *, event=None, published=True, award=Award.SECOND):
    """`n` ranked registrations of one event (each member of its own union), results published."""
    event = event or EventFactory(capacity=1000)
    members = MemberFactory.create_batch(n)
    Registration.objects.bulk_create([
        Registration(event=event, member=m, total=90, rank=i + 1, award=award) for i, m in enumerate(members)
    ])
    if published:
        event.results_published_at = timezone.now()
        event.save(update_fields=["results_published_at"])
    public_data_changed("competitions")
    return event, members


def test_published_winners_are_on_the_honour_index_and_their_roll_masked(client):
    event, (first, second) = winners(2)
    winners(3, published=False)  # results not yet out: nobody shown
    index = client.get(reverse("awards:index")).content.decode()
    assert 'data-roll="competition-winners"' in index
    assert "共 2 名" in index
    page = client.get(reverse("awards:competition_roll")).content.decode()
    assert first.masked_name in page and second.masked_name in page
    assert first.name not in page
    assert first.document_number not in page and first.phone not in page
    assert event.competition.name in page and "二等奖" in page
    assert reverse("competitions:results", args=[event.pk]) in page


def test_entrants_without_a_prize_or_title_are_not_on_the_roll(client):
    event, (plain,) = winners(1, award="")
    titled = MemberFactory()
    Registration.objects.create(event=event, member=titled, total=80, rank=2, city_title="义乌市技术能手",
                                title_decided_on=timezone.localdate())
    page = client.get(reverse("awards:competition_roll")).content.decode()
    assert plain.masked_name not in page
    assert titled.masked_name in page and "义乌市技术能手" in page


def test_the_competition_roll_filters_by_search_year_and_town(client):
    event, (a,) = winners(1)
    other, (b,) = winners(1)
    page = client.get(reverse("awards:competition_roll"), {"q": other.name}).content.decode()
    assert b.masked_name in page and a.masked_name not in page
    page = client.get(reverse("awards:competition_roll"), {"year": "1999", "town": "nowhere"}).content.decode()
    assert "共 2 名" in page  # bad filter values are ignored
    page = client.get(reverse("awards:competition_roll"), {"q": "没有这个竞赛"}).content.decode()
    assert "没有找到符合条件的条目" in page


def test_competition_roll_query_count_is_flat_from_10_to_200(client, django_assert_num_queries):
    event, _members = winners(10)
    url = reverse("awards:competition_roll")
    client.get(url)
    public_data_changed()
    # years, town choices, count, the page with member, union, town and competition joined
    with django_assert_num_queries(4):
        assert client.get(url).status_code == 200
    winners(190, event=event)
    with django_assert_num_queries(4):
        assert client.get(url).status_code == 200


def test_a_member_sees_their_competition_prizes_and_titles_on_me_honours(client, member):
    event, (_other,) = winners(1)
    Registration.objects.create(event=event, member=member, total=95, rank=1, award=Award.FIRST,
                                city_title="义乌市技术能手", title_decided_on=timezone.localdate())
    unpublished = EventFactory(capacity=5)
    Registration.objects.create(event=unpublished, member=member, total=99, rank=1, award=Award.FIRST)
    client.force_login(member.user)
    page = client.get(reverse("awards_portal:my_honours")).content.decode()
    assert 'id="my-competition-honours"' in page
    assert "一等奖 · 义乌市技术能手" in page
    assert event.name in page and unpublished.name not in page


def test_another_members_prizes_are_not_on_my_honours(client, member):
    winners(1)
    client.force_login(member.user)
    assert 'id="my-competition-honours"' not in client.get(reverse("awards_portal:my_honours")).content.decode()


def test_the_craftsmans_profile_links_to_their_studio_and_back(client, make_entries):
    from apps.innovation.models import Studio

    programme = make_entries(1, kind=AwardKind.CRAFTSMAN, prefix="工匠")
    entry = HonourEntry.objects.get(programme=programme)
    studio = Studio.objects.create(name="金工匠创新工作室", kind=Studio.Kind.CRAFTSMAN, leader_name=entry.name,
                                   honour=entry, employer=EmployerFactory())
    Studio.objects.create(name="未公开工作室", kind=Studio.Kind.CRAFTSMAN, leader_name=entry.name, honour=entry,
                          employer=EmployerFactory(), is_published=False)
    page = client.get(reverse("awards:entry", kwargs={"slug": "craftsmen", "pk": entry.pk})).content.decode()
    assert reverse("innovation:studio", args=[studio.pk]) in page
    assert "未公开工作室" not in page
    back = client.get(reverse("innovation:studio", args=[studio.pk])).content.decode()
    assert reverse("awards:entry", kwargs={"slug": "craftsmen", "pk": entry.pk}) in back
    entry.is_published = False
    entry.save()
    back = client.get(reverse("innovation:studio", args=[studio.pk])).content.decode()
    assert 'id="studio-honour"' not in back
