"""Pages: public studio and slot pages, the member's list, admin changelists — flat query counts
from 10 to 200 rows, odd parameters, and who is kept out."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.accounts.roles import COUNSELLING, RIGHTS
from apps.counselling.models import AnonymousRequest, Booking, CrisisFlag, Session, SessionTopic, Slot, Topic
from apps.counselling.services import request_submit
from tests.factories import MemberFactory, OfficerFactory, StaffFactory

from .conftest import at, make_counsellor, make_studio, next_open_day

pytestmark = pytest.mark.django_db


def _grow(studio, counsellors, n):
    """n slots (half of them booked, with sessions), n requests and crisis flags."""
    day = next_open_day(5)
    have = Slot.objects.count()
    member_pool = list(MemberFactory.create_batch(3))
    for i in range(have, n):
        counsellor = counsellors[i % len(counsellors)]
        start = at(day + datetime.timedelta(days=i // 40), 8) + datetime.timedelta(minutes=15 * (i % 40) // len(counsellors) * len(counsellors) + i % len(counsellors))
        slot = Slot.objects.create(counsellor=counsellor, studio=studio, starts_at=start,
                                   ends_at=start + datetime.timedelta(minutes=10))
        if i % 2:
            booking = Booking.objects.create(slot=slot, member=member_pool[i % 3], topic=Topic.OTHER, note="x")
            session = Session.objects.create(booking=booking, counsellor=counsellor, studio=studio,
                                             held_at=slot.starts_at, notes="笔记")
            SessionTopic.objects.create(session=session, topic=Topic.OTHER)
            CrisisFlag.objects.create(session=session, raised_by=counsellor.user)
        request = AnonymousRequest.objects.create(contact_kind="phone", contact="13800000000",
                                                  callback_due=day)
        request.pk  # noqa: B018


def _count(client, url):
    client.get(url)  # warm the per-process caches (calendar notice) so both sizes count the same work
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


@pytest.fixture
def world(studio):
    counsellors = [make_counsellor(studio, name=f"咨询师{i}") for i in range(4)]
    for i in range(9):
        make_studio(name=f"工作室{i}", code=["beiyuan", "choujiang", "jiangdong", "houzhai", "chengxi", "niansanli",
                                            "futian", "fotang", "chian"][i])
    return studio, counsellors


def test_public_pages_and_admin_lists_are_flat_from_10_to_200(client, world, supervisor):
    studio, counsellors = world
    urls_public = [reverse("counselling:index"), reverse("counselling:studio", args=[studio.pk])]
    urls_admin = [reverse(f"admin:counselling_{m}_changelist") for m in
                  ("slot", "booking", "session", "anonymousrequest", "crisisflag", "studio", "counsellor")]
    _grow(studio, counsellors, 10)
    small = {u: _count(client, u) for u in urls_public}
    client.force_login(supervisor)
    small.update({u: _count(client, u) for u in urls_admin})
    client.logout()
    _grow(studio, counsellors, 200)
    big = {u: _count(client, u) for u in urls_public}
    client.force_login(supervisor)
    big.update({u: _count(client, u) for u in urls_admin})
    assert Slot.objects.count() == 200
    for url in small:
        assert big[url] == small[url], (url, small[url], big[url])
        assert big[url] <= 15, (url, big[url])


def test_my_bookings_page_is_flat(client, member, studio, counsellor):
    from apps.counselling.models import BookingAllowance
    from apps.counselling.services import booking_create

    BookingAllowance.objects.create(member=member, max_upcoming=50)
    client.force_login(member.user)
    day = next_open_day()
    for i in range(3):
        booking_create(member=member, slot=Slot.objects.create(
            counsellor=counsellor, studio=studio, starts_at=at(day, 9 + i), ends_at=at(day, 9 + i, 50)), topic="other")
    few = _count(client, reverse("counselling:mine"))
    for i in range(3, 12):
        booking_create(member=member, slot=Slot.objects.create(
            counsellor=counsellor, studio=studio, starts_at=at(day, 14, i * 4), ends_at=at(day, 14, i * 4 + 3)),
            topic="other")
    assert _count(client, reverse("counselling:mine")) == few


def test_odd_parameters_never_give_a_500(client, member, slot, supervisor):
    for url in ["/counselling/studios/99999999999999999999/", "/counselling/studios/0/",
                "/counselling/?q=%00", "/counselling/request/?contact=%00"]:
        assert client.get(url).status_code in (200, 404)
    response = client.post(reverse("counselling:request"), {"contact_kind": "bogus", "contact": "\x00"})
    assert response.status_code == 200
    client.force_login(member.user)
    assert client.get("/me/counselling/book/99999999999999999999/").status_code == 404
    response = client.post(reverse("counselling:book", args=[slot.pk]), {"topic": "nope", "note": "x" * 900})
    assert response.status_code == 200 and not Booking.objects.exists()
    client.force_login(supervisor)
    for url in ["/admin/counselling/session/?held_at__year=99999999", "/admin/counselling/slot/?q=%00",
                "/admin/counselling/booking/?status=zzz", "/admin/counselling/session/abc/change/",
                "/admin/counselling/slot/weekly/", "/admin/counselling/crisisflag/?is_open__exact=2"]:
        assert client.get(url).status_code in (200, 302, 404), url


def test_officers_members_and_other_groups_are_kept_out_of_counselling_admin(client, member, slot):
    request_submit(contact_kind="phone", contact="13805791234")
    for user in [OfficerFactory().user, StaffFactory(groups=[RIGHTS]), member.user]:
        client.force_login(user)
        for model in ("session", "booking", "anonymousrequest", "crisisflag", "slot"):
            response = client.get(reverse(f"admin:counselling_{model}_changelist"))
            assert response.status_code in (302, 403), (user, model)
        assert client.get(reverse("admin:counselling_session_stats")).status_code in (302, 403)
    client.force_login(StaffFactory(groups=[COUNSELLING]))
    assert client.get(reverse("admin:counselling_anonymousrequest_changelist")).status_code == 200


def test_a_member_books_through_the_page(client, member, slot, sms_outbox, django_capture_on_commit_callbacks):
    client.force_login(member.user)
    page = client.get(reverse("counselling:studio", args=[slot.studio_id])).content.decode()
    assert reverse("counselling:book", args=[slot.pk]) in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("counselling:book", args=[slot.pk]), {"topic": "family", "note": ""})
    assert response.status_code == 302 and Booking.objects.get().member == member
    # the booked slot is no longer offered, and a double submit is refused with a message
    assert reverse("counselling:book", args=[slot.pk]) not in client.get(
        reverse("counselling:studio", args=[slot.studio_id])).content.decode()
    again = client.post(reverse("counselling:book", args=[slot.pk]), {"topic": "family"})
    assert again.status_code == 200 and "这个时段已经被预约了" in again.content.decode()
    assert Booking.objects.count() == 1
    client.logout()
    assert client.get(reverse("counselling:book", args=[slot.pk])).status_code == 302  # to sign in
    assert client.get(reverse("counselling:index")).status_code == 200
    assert "心灵港湾" in client.get("/").content.decode()
