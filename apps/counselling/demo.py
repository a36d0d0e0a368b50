"""Counselling's demo records (seed_demo) and a year of volume (for `make bench`).

`seed(stdout)` is idempotent: three studios, the demo logins "counselling" (a counsellor) and
"supervisor" (心理咨询督导) given counsellor profiles, and two weeks of slots.
`volume(sessions=100_000)` writes a past year of slots, bookings and sessions in bulk (no
history rows: this is not a staff change); notes are encrypted like any other."""

import datetime
import random

from django.contrib.auth.models import Group, User
from django.db import transaction
from django.utils import timezone

from apps.accounts import roles
from apps.members.models import Member
from apps.orgs.models import TownStreet

from .models import (
    AnonymousRequest,
    Booking,
    Counsellor,
    Mode,
    OpeningHours,
    Session,
    SessionTopic,
    Slot,
    Studio,
    Topic,
)
from .services import _is_public_holiday, slots_publish_weekly

DEMO_STUDIOS = [
    ("choucheng", "稠城街道心灵港湾工作室", "义乌市稠城街道工人西路12号职工服务中心三楼", "0579-85201351"),
    ("fotang", "佛堂镇心灵港湾工作室", "义乌市佛堂镇朝阳路88号镇总工会二楼", "0579-85721351"),
    ("beiyuan", "北苑街道心灵港湾工作室", "义乌市北苑街道春晗路5号职工之家", "0579-85391351"),
]
SERVICES = "个体心理咨询、电话与视频咨询、团体减压辅导、婚姻家庭辅导、危机干预转介"


def _hours(studio: Studio) -> None:
    if studio.hours.exists():
        return
    rows = [OpeningHours(studio=studio, weekday=w, opens=datetime.time(9), closes=datetime.time(17)) for w in range(5)]
    rows.append(OpeningHours(studio=studio, weekday=5, opens=datetime.time(9), closes=datetime.time(12)))
    OpeningHours.objects.bulk_create(rows)


def _studios() -> list[Studio]:
    studios = []
    for code, name, address, phone in DEMO_STUDIOS:
        studio, _created = Studio.objects.get_or_create(
            name=name, defaults={"town_street": TownStreet.objects.get(code=code), "address": address,
                                 "phone": phone, "services": SERVICES})
        _hours(studio)
        studios.append(studio)
    return studios


def seed(stdout=None) -> None:
    """A few studios, counsellors and free slots for trying it out (idempotent)."""
    with transaction.atomic():
        studios = _studios()
        profiles = []
        for username, name, qualification, languages in [
            ("counselling", "王心怡", Counsellor.Qualification.COUNSELLOR_2, "普通话、义乌话"),
            ("supervisor", "刘慧敏", Counsellor.Qualification.PSYCHOTHERAPIST, "普通话、英语"),
        ]:
            user = User.objects.filter(username=username).first()
            if user is None:
                continue
            counsellor, _created = Counsellor.objects.get_or_create(
                user=user, defaults={"name": name, "qualification": qualification, "languages": languages,
                                     "phone": "13900000001" if username == "supervisor" else "",
                                     "serving_hours": "周一至周五 9:00-17:00"})
            counsellor.studios.add(*studios[:2])
            profiles.append(counsellor)
        for counsellor in profiles[:1]:
            if Slot.objects.filter(counsellor=counsellor, starts_at__gt=timezone.now()).exists():
                continue
            first = timezone.localdate() + datetime.timedelta(days=1)
            for start in (datetime.time(9, 30), datetime.time(14, 0)):
                slots_publish_weekly(counsellor=counsellor, studio=studios[0], mode=Mode.IN_PERSON, first_day=first,
                                     last_day=first + datetime.timedelta(days=13), weekdays=[0, 2, 4], start=start,
                                     minutes=50, actor=counsellor.user)
            slots_publish_weekly(counsellor=counsellor, studio=studios[0], mode=Mode.PHONE, first_day=first,
                                 last_day=first + datetime.timedelta(days=13), weekdays=[1, 3],
                                 start=datetime.time(16, 0), minutes=45, actor=counsellor.user)
    if stdout is not None:
        stdout.write("心灵港湾：3 个工作室，咨询师 counselling / 督导 supervisor，两周的可预约时段。")


def volume(*, sessions: int = 100_000, seed: int = 2026) -> dict:
    """A past year of counselling: one studio per town/street, 60 counsellors, `sessions` slots each
    booked by an existing member and recorded (about 8% no-shows), and anonymous requests.
    Needs members (run generate_volume first)."""
    if sessions < 1:
        raise ValueError("sessions must be positive")
    member_ids = list(Member.objects.order_by("pk").values_list("pk", flat=True)[:50_000])
    if not member_ids:
        raise ValueError("no members yet: generate members first")
    rng = random.Random(seed)
    tz = timezone.get_current_timezone()
    today = timezone.localdate()
    with transaction.atomic():
        studios = []
        for town in TownStreet.objects.order_by("sort_order"):
            studio, _created = Studio.objects.get_or_create(
                name=f"{town.name}心灵港湾工作室（{seed}）",
                defaults={"town_street": town, "address": f"义乌市{town.name}职工服务中心", "phone": "0579-85001351",
                          "services": SERVICES})
            _hours(studio)
            studios.append(studio)
        group = Group.objects.get(name=roles.COUNSELLING)
        counsellors = []
        for i in range(60):
            user, _created = User.objects.get_or_create(username=f"vol-counsellor-{seed}-{i}",
                                                        defaults={"is_staff": True})
            user.groups.add(group)
            counsellor, _created = Counsellor.objects.get_or_create(
                user=user, defaults={"name": f"志愿咨询师{i:02d}", "qualification": Counsellor.Qualification.COUNSELLOR_3})
            counsellor.studios.add(studios[i % len(studios)])
            counsellors.append(counsellor)
        # Each counsellor's hours run back from yesterday, one an hour, so slots never overlap.
        per_counsellor = -(-sessions // len(counsellors))
        days = []
        day = today - datetime.timedelta(days=1)
        while len(days) * 7 < per_counsellor:
            if not _is_public_holiday(day) and day.weekday() < 5:
                days.append(day)
            day -= datetime.timedelta(days=1)
        slots, made = [], 0
        for index, counsellor in enumerate(counsellors):
            for n in range(per_counsellor):
                if made >= sessions:
                    break
                start = datetime.datetime.combine(days[n // 7], datetime.time(9 + n % 7), tzinfo=tz)
                slots.append(Slot(counsellor=counsellor, studio=studios[index % len(studios)],
                                  mode=rng.choice(Mode.values), starts_at=start,
                                  ends_at=start + datetime.timedelta(minutes=50), created_at=start))
                made += 1
        Slot.objects.bulk_create(slots, batch_size=2000)
        topics = Topic.values
        bookings = []
        for slot in slots:
            booked = slot.starts_at - datetime.timedelta(days=rng.randint(0, 14), hours=rng.randint(0, 8))
            no_show = rng.random() < 0.08
            bookings.append(Booking(slot=slot, member_id=rng.choice(member_ids), topic=rng.choice(topics),
                                    status=Booking.Status.NO_SHOW if no_show else Booking.Status.ATTENDED,
                                    booked_at=booked))
        Booking.objects.bulk_create(bookings, batch_size=2000)
        rows = []
        for i, booking in enumerate(bookings):
            slot = booking.slot
            rows.append(Session(
                booking=booking, counsellor_id=slot.counsellor_id, studio_id=slot.studio_id, held_at=slot.starts_at,
                outcome=booking.status, follow_up=rng.random() < 0.2,
                waiting_days=(timezone.localtime(slot.starts_at).date() - timezone.localtime(booking.booked_at).date()).days,
                notes="（演示）咨询笔记" if i % 10 == 0 else "",  # encrypted by the field, in bulk too
            ))
        Session.objects.bulk_create(rows, batch_size=2000)
        # the booking's topic, and for about one session in four a second category found on the way
        topic_rows = []
        for session, booking in zip(rows, bookings):
            chosen = {booking.topic}
            if rng.random() < 0.25:
                chosen.add(rng.choice(topics))
            topic_rows += [SessionTopic(session=session, topic=t) for t in sorted(chosen)]
        SessionTopic.objects.bulk_create(topic_rows, batch_size=5000)
        requests = []
        for _i in range(max(1, sessions // 20)):
            created = timezone.now() - datetime.timedelta(days=rng.randint(1, 360), hours=rng.randint(0, 23))
            called = rng.random() < 0.9
            requests.append(AnonymousRequest(
                contact_kind=AnonymousRequest.ContactKind.PHONE, contact=f"138{rng.randint(0, 99_999_999):08d}",
                topic=rng.choice(["", *topics]), created_at=created,
                callback_due=timezone.localtime(created).date() + datetime.timedelta(days=1),
                status=AnonymousRequest.Status.CALLED_BACK if called else AnonymousRequest.Status.OPEN,
                called_back_at=created + datetime.timedelta(hours=rng.randint(1, 60)) if called else None,
            ))
        for r in requests:
            if r.called_back_at:
                r.called_back_on = timezone.localtime(r.called_back_at).date()
        AnonymousRequest.objects.bulk_create(requests, batch_size=2000)
    return {"studios": len(studios), "counsellors": len(counsellors), "sessions": len(rows), "requests": len(requests)}
