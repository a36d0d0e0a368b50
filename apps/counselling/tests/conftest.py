"""Fixtures of the counselling tests: a studio open every day, counsellors, supervisors, slots."""

import datetime
import itertools

import pytest
from django.utils import timezone

from apps.accounts.roles import COUNSELLING, COUNSELLING_SUPERVISOR
from apps.counselling.models import Counsellor, Mode, OpeningHours, Slot, Studio
from apps.counselling.services import _is_public_holiday
from tests.factories import StaffFactory, town

_phones = itertools.count(13900000001)


def next_open_day(after_days: int = 3) -> datetime.date:
    """A day at least `after_days` ahead that is no public holiday."""
    day = timezone.localdate() + datetime.timedelta(days=after_days)
    while _is_public_holiday(day):
        day += datetime.timedelta(days=1)
    return day


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=timezone.get_current_timezone())


def make_studio(name="稠城心灵港湾工作室", code="choucheng") -> Studio:
    studio = Studio.objects.create(name=name, town_street=town(code), address="义乌市稠城街道工人路1号",
                                   phone="0579-85550001", services="个体咨询、团体辅导、电话咨询")
    OpeningHours.objects.bulk_create([
        OpeningHours(studio=studio, weekday=w, opens=datetime.time(8, 0), closes=datetime.time(21, 0)) for w in range(7)
    ])
    return studio


def make_counsellor(studio, name="王心怡", groups=(COUNSELLING,)) -> Counsellor:
    user = StaffFactory(groups=list(groups), first_name=name)
    counsellor = Counsellor.objects.create(user=user, name=name, qualification=Counsellor.Qualification.COUNSELLOR_2,
                                           phone=str(next(_phones)))
    counsellor.studios.add(studio)
    return counsellor


def make_slot(counsellor, studio, start: datetime.datetime, minutes: int = 50, mode=Mode.IN_PERSON) -> Slot:
    """A slot written directly (no service checks), for tests that need odd times."""
    return Slot.objects.create(counsellor=counsellor, studio=studio, mode=mode, starts_at=start,
                               ends_at=start + datetime.timedelta(minutes=minutes))


@pytest.fixture
def studio(db):
    return make_studio()


@pytest.fixture
def counsellor(studio):
    return make_counsellor(studio)


@pytest.fixture
def other_counsellor(studio):
    return make_counsellor(studio, name="陈安然")


@pytest.fixture
def supervisor(studio):
    return make_counsellor(studio, name="刘督导", groups=(COUNSELLING, COUNSELLING_SUPERVISOR)).user


@pytest.fixture
def slot(counsellor, studio):
    return make_slot(counsellor, studio, at(next_open_day(), 10))
