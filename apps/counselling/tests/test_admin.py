"""Staff screens: publishing slots (single and weekly), recording sessions, raising a crisis."""

import pytest
from django.urls import reverse

from apps.counselling.models import Booking, CrisisFlag, Session, Slot, Topic
from apps.counselling.services import booking_create

from .conftest import at, next_open_day

pytestmark = pytest.mark.django_db


def test_publishing_a_slot_outside_hours_in_admin_says_why_and_creates_nothing(client, counsellor, studio):
    client.force_login(counsellor.user)
    day = next_open_day()
    data = {"counsellor": counsellor.pk, "studio": studio.pk, "mode": "phone",
            "starts_at_0": day.isoformat(), "starts_at_1": "22:00", "ends_at_0": day.isoformat(), "ends_at_1": "22:50"}
    response = client.post(reverse("admin:counselling_slot_add"), data, follow=True)
    assert "不在工作室的开放时间内" in response.content.decode()
    assert not Slot.objects.exists()
    data.update({"starts_at_1": "10:00", "ends_at_1": "10:50"})
    response = client.post(reverse("admin:counselling_slot_add"), data)
    assert response.status_code == 302 and Slot.objects.get().created_by == counsellor.user


def test_weekly_pattern_in_admin(client, counsellor, studio):
    client.force_login(counsellor.user)
    first = next_open_day()
    page = client.get(reverse("admin:counselling_slot_weekly"))
    assert page.status_code == 200
    response = client.post(reverse("admin:counselling_slot_weekly"), {
        "counsellor": counsellor.pk, "studio": studio.pk, "mode": "video", "first_day": first.isoformat(),
        "last_day": first.isoformat(), "weekdays": [first.weekday()],
        "start": "09:00", "minutes": 50,
    })
    assert response.status_code == 302 and Slot.objects.count() == 1
    bad = client.post(reverse("admin:counselling_slot_weekly"), {
        "counsellor": counsellor.pk, "studio": studio.pk, "mode": "video", "first_day": first.isoformat(),
        "last_day": "2000-01-01", "weekdays": [1], "start": "09:00", "minutes": 50,
    })
    assert "结束日期不能早于开始日期" in bad.content.decode() and Slot.objects.count() == 1


def test_recording_attendance_and_a_crisis_from_admin(client, member, slot, counsellor, supervisor, sms_outbox,
                                                      django_capture_on_commit_callbacks):
    booking = booking_create(member=member, slot=slot, topic=Topic.EMOTIONS)
    client.force_login(counsellor.user)
    client.post(reverse("admin:counselling_booking_changelist"),
                {"action": "record_attended", "_selected_action": [booking.pk]})
    booking.refresh_from_db()
    session = Session.objects.get(booking=booking)
    assert booking.status == Booking.Status.ATTENDED
    assert [t.topic for t in session.topics.all()] == [Topic.EMOTIONS]  # the member's choice at booking
    sms_outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("admin:counselling_session_changelist"),
                    {"action": "raise_crisis", "_selected_action": [session.pk]})
    flag = CrisisFlag.objects.get(session=session)
    assert flag.is_open and flag.raised_by == counsellor.user
    assert [m.phone for m in sms_outbox] == [supervisor.counsellor.phone]
    # the counsellor writes the notes on the change page
    response = client.post(reverse("admin:counselling_session_change", args=[session.pk]), {
        "counsellor": counsellor.pk, "studio": session.studio_id, "held_at_0": at(next_open_day(), 10).date().isoformat(),
        "held_at_1": "10:00", "outcome": "attended", "topics": ["emotions", "family"],
        "notes": "来访者情绪低落，约定一周后复谈",
    })
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.notes == "来访者情绪低落，约定一周后复谈"
    assert sorted(t.topic for t in session.topics.all()) == ["emotions", "family"]
