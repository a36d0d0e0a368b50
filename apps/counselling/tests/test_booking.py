"""Booking and cancelling: one booking per slot even at the same moment, one upcoming per member,
the cancellation limit, SMS confirmation and the day-before reminder, no-shows."""

import datetime
import threading

import pytest
from django.db import IntegrityError, connection, transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from apps.core.workflow import MoveNotPermitted
from apps.counselling import errors
from apps.counselling.models import Booking, BookingAllowance, BookingChange, Session, Topic
from apps.counselling.services import booking_cancel, booking_create, reminders_send, session_record
from apps.notify.models import Notification
from tests.factories import MemberFactory, UserFactory

from .conftest import at, make_slot, next_open_day

pytestmark = pytest.mark.django_db


def test_member_books_a_slot_and_gets_an_sms(member, slot, sms_outbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        booking = booking_create(member=member, slot=slot, topic=Topic.WORK_STRESS, note="最近加班很多")
    assert booking.status == Booking.Status.BOOKED
    assert [m.phone for m in sms_outbox] == [member.phone]
    assert "心灵港湾" in sms_outbox[0].text and "加班" not in sms_outbox[0].text
    assert Notification.objects.filter(member=member, title="心灵港湾预约成功").exists()
    assert BookingChange.objects.filter(booking=booking, to_status="booked", member=member).exists()


def test_the_same_slot_cannot_be_booked_twice(member, other_member, slot):
    booking_create(member=member, slot=slot, topic=Topic.FAMILY)
    with pytest.raises(errors.SlotTaken) as caught:
        booking_create(member=other_member, slot=slot, topic=Topic.FAMILY)
    assert caught.value.message == "这个时段已经被预约了，请选择其他时段。"
    # and the database refuses it on a path without the service
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.create(slot=slot, member=other_member, topic=Topic.OTHER)


def test_a_cancelled_slot_can_be_booked_again(member, other_member, slot):
    first = booking_create(member=member, slot=slot, topic=Topic.FAMILY)
    booking_cancel(booking=first, actor=member.user)
    second = booking_create(member=other_member, slot=slot, topic=Topic.EMOTIONS)
    assert second.status == Booking.Status.BOOKED


def test_one_upcoming_booking_per_member_unless_staff_allow_more(member, counsellor, studio, slot):
    later = make_slot(counsellor, studio, at(next_open_day(), 15))
    booking_create(member=member, slot=slot, topic=Topic.FAMILY)
    with pytest.raises(errors.TooManyUpcoming):
        booking_create(member=member, slot=later, topic=Topic.FAMILY)
    BookingAllowance.objects.create(member=member, max_upcoming=2)
    booking_create(member=member, slot=later, topic=Topic.FAMILY)
    assert Booking.objects.filter(member=member).count() == 2


def test_a_past_or_withdrawn_slot_is_not_bookable(member, counsellor, studio):
    past = make_slot(counsellor, studio, timezone.now() - datetime.timedelta(hours=3))
    with pytest.raises(errors.SlotNotBookable):
        booking_create(member=member, slot=past, topic=Topic.OTHER)
    gone = make_slot(counsellor, studio, at(next_open_day(), 18))
    gone.is_withdrawn = True
    gone.save()
    with pytest.raises(errors.SlotNotBookable):
        booking_create(member=member, slot=gone, topic=Topic.OTHER)


def test_member_cancels_in_time(member, slot):
    booking = booking_create(member=member, slot=slot, topic=Topic.OTHER)
    booking_cancel(booking=booking, actor=member.user)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED and booking.cancelled_at
    assert BookingChange.objects.filter(booking=booking, from_status="booked", to_status="cancelled",
                                        actor=member.user).exists()


@override_settings(COUNSELLING_CANCEL_HOURS=24)
def test_cancellation_after_the_limit_is_refused(member, counsellor, studio, client):
    soon = make_slot(counsellor, studio, timezone.now() + datetime.timedelta(hours=5))
    booking = booking_create(member=member, slot=soon, topic=Topic.OTHER)
    with pytest.raises(errors.CancelTooLate) as caught:
        booking_cancel(booking=booking, actor=member.user)
    assert "24 小时" in caught.value.message
    client.force_login(member.user)
    response = client.post(reverse("counselling:cancel", args=[booking.pk]), follow=True)
    assert "不能在线取消" in response.content.decode()
    booking.refresh_from_db()
    assert booking.status == Booking.Status.BOOKED


def test_another_member_cannot_cancel_or_see_a_booking(member, other_member, slot, client):
    booking = booking_create(member=member, slot=slot, topic=Topic.OTHER)
    client.force_login(other_member.user)
    assert client.post(reverse("counselling:cancel", args=[booking.pk])).status_code == 404
    assert str(slot.studio.name) not in client.get(reverse("counselling:mine")).content.decode()
    with pytest.raises(MoveNotPermitted):
        booking_cancel(booking=booking, actor=other_member.user)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.BOOKED


def test_day_before_reminder_is_sent_once(member, counsellor, studio, sms_outbox,
                                          django_capture_on_commit_callbacks):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    slot = make_slot(counsellor, studio, at(tomorrow, 10))
    booking_create(member=member, slot=slot, topic=Topic.OTHER)
    sms_outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_send() == 1
        assert reminders_send() == 0
    assert len(sms_outbox) == 1 and "明天" in sms_outbox[0].text


def test_no_show_is_recorded(member, slot, counsellor):
    booking = booking_create(member=member, slot=slot, topic=Topic.OTHER)
    session = session_record(booking=booking, actor=counsellor.user, outcome=Session.Outcome.NO_SHOW)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.NO_SHOW and session.outcome == "no_show"
    with pytest.raises(errors.AlreadyRecorded):
        session_record(booking=booking, actor=counsellor.user, outcome=Session.Outcome.ATTENDED)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_members_booking_the_last_slot_at_once_only_one_wins(studio, counsellor):
    slot = make_slot(counsellor, studio, at(next_open_day(), 11))
    members = [MemberFactory(user=UserFactory()), MemberFactory(user=UserFactory())]
    barrier = threading.Barrier(2)
    results = []

    def book(member):
        try:
            barrier.wait()
            booking_create(member=member, slot=slot, topic=Topic.OTHER)
            results.append("ok")
        except errors.SlotTaken:
            results.append("taken")
        finally:
            connection.close()

    threads = [threading.Thread(target=book, args=(m,)) for m in members]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["ok", "taken"]
    assert Booking.objects.filter(slot=slot).count() == 1
