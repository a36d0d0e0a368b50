"""Publishing slots: hours, holidays, overlaps (refused by the database itself on PostgreSQL)."""

import datetime

import pytest
from django.db import IntegrityError, connection, transaction

from apps.counselling import errors
from apps.counselling.models import Mode, Slot
from apps.counselling.services import slot_publish, slots_publish_weekly
from apps.workdays.calendar import overrides_changed
from apps.workdays.models import CalendarDay

from .conftest import at, make_slot, next_open_day

pytestmark = pytest.mark.django_db


def test_a_slot_inside_opening_hours_is_published(counsellor, studio):
    day = next_open_day()
    slot = slot_publish(counsellor=counsellor, studio=studio, mode=Mode.PHONE, starts_at=at(day, 9),
                        ends_at=at(day, 9, 50), actor=counsellor.user)
    assert slot.pk and slot.created_by == counsellor.user


def test_overlapping_slot_of_the_same_counsellor_is_refused(counsellor, other_counsellor, studio):
    day = next_open_day()
    slot_publish(counsellor=counsellor, studio=studio, mode=Mode.IN_PERSON, starts_at=at(day, 10),
                 ends_at=at(day, 11), actor=counsellor.user)
    with pytest.raises(errors.SlotOverlaps):
        slot_publish(counsellor=counsellor, studio=studio, mode=Mode.PHONE, starts_at=at(day, 10, 30),
                     ends_at=at(day, 11, 30), actor=counsellor.user)
    # another counsellor may take the same hour; back-to-back slots do not overlap
    slot_publish(counsellor=other_counsellor, studio=studio, mode=Mode.IN_PERSON, starts_at=at(day, 10),
                 ends_at=at(day, 11), actor=counsellor.user)
    slot_publish(counsellor=counsellor, studio=studio, mode=Mode.IN_PERSON, starts_at=at(day, 11),
                 ends_at=at(day, 12), actor=counsellor.user)
    assert Slot.objects.count() == 3


@pytest.mark.postgres
def test_overlap_inserted_directly_is_refused_by_the_database(counsellor, studio):
    day = next_open_day()
    make_slot(counsellor, studio, at(day, 14), minutes=60)
    with pytest.raises(IntegrityError), transaction.atomic():
        Slot.objects.create(counsellor=counsellor, studio=studio, starts_at=at(day, 14, 59), ends_at=at(day, 16))
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO counselling_slot (counsellor_id, studio_id, mode, starts_at, ends_at, is_withdrawn, created_at)"
            " VALUES (%s, %s, 'phone', %s, %s, false, now())",
            [counsellor.pk, studio.pk, at(day, 13, 30), at(day, 14, 30)],
        )
    # a withdrawn slot no longer blocks the hour
    Slot.objects.filter(counsellor=counsellor).update(is_withdrawn=True)
    Slot.objects.create(counsellor=counsellor, studio=studio, starts_at=at(day, 14, 30), ends_at=at(day, 15))


def test_slot_outside_opening_hours_is_refused(counsellor, studio):
    day = next_open_day()
    with pytest.raises(errors.SlotOutsideHours) as caught:
        slot_publish(counsellor=counsellor, studio=studio, mode=Mode.IN_PERSON, starts_at=at(day, 20, 30),
                     ends_at=at(day, 21, 30), actor=counsellor.user)
    assert "不在工作室的开放时间内" in caught.value.message
    studio.hours.filter(weekday=day.weekday()).delete()
    with pytest.raises(errors.SlotOutsideHours):
        slot_publish(counsellor=counsellor, studio=studio, mode=Mode.IN_PERSON, starts_at=at(day, 10),
                     ends_at=at(day, 11), actor=counsellor.user)
    assert not Slot.objects.exists()


def test_slot_on_a_public_holiday_is_refused(counsellor, studio):
    day = next_open_day(10)
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    CalendarDay.objects.create(date=day, is_workday=False, note="测试假日")
    overrides_changed()
    with pytest.raises(errors.SlotOnHoliday) as caught:
        slot_publish(counsellor=counsellor, studio=studio, mode=Mode.IN_PERSON, starts_at=at(day, 10),
                     ends_at=at(day, 11), actor=counsellor.user)
    assert "法定节假日" in caught.value.message


def test_times_out_of_order_or_past_are_refused(counsellor, studio):
    day = next_open_day()
    with pytest.raises(errors.SlotTimesInvalid):
        slot_publish(counsellor=counsellor, studio=studio, mode=Mode.IN_PERSON, starts_at=at(day, 11),
                     ends_at=at(day, 10), actor=counsellor.user)
    yesterday = day - datetime.timedelta(days=10)
    with pytest.raises(errors.SlotInPast):
        slot_publish(counsellor=counsellor, studio=studio, mode=Mode.IN_PERSON, starts_at=at(yesterday, 10),
                     ends_at=at(yesterday, 11), actor=counsellor.user)


def test_weekly_pattern_skips_holidays_and_is_all_or_nothing(counsellor, studio):
    first = next_open_day(7)
    last = first + datetime.timedelta(days=27)
    holiday = first + datetime.timedelta(days=7)
    while holiday.weekday() >= 5:
        holiday += datetime.timedelta(days=1)
    CalendarDay.objects.create(date=holiday, is_workday=False, note="测试假日")
    overrides_changed()
    created = slots_publish_weekly(counsellor=counsellor, studio=studio, mode=Mode.VIDEO, first_day=first,
                                   last_day=last, weekdays=[holiday.weekday()], start=datetime.time(15, 0),
                                   minutes=50, actor=counsellor.user)
    days = {s.local_start.date() for s in created}
    assert holiday not in days and len(created) in (3, 4)
    # a second pattern crossing those slots is refused whole
    with pytest.raises(errors.SlotOverlaps):
        slots_publish_weekly(counsellor=counsellor, studio=studio, mode=Mode.PHONE, first_day=first,
                             last_day=last, weekdays=list(range(7)), start=datetime.time(15, 30), minutes=30,
                             actor=counsellor.user)
    assert Slot.objects.count() == len(created)
    with pytest.raises(errors.PatternInvalid):
        slots_publish_weekly(counsellor=counsellor, studio=studio, mode=Mode.PHONE, first_day=last,
                             last_day=first, weekdays=[1], start=datetime.time(9), minutes=30, actor=counsellor.user)
