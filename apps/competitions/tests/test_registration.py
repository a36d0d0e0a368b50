"""Registration: each eligibility refusal with its message, capacity, the waiting list,
withdrawal, the one-event rule, and the pages around them."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.competitions.errors import (
    AgeOutOfRange,
    AgeUnknown,
    AlreadyRegistered,
    CertificateTooLow,
    EventFull,
    NotInGoodStanding,
    OneEventOnly,
    RegistrationClosed,
    WithdrawalClosed,
)
from apps.competitions.models import CertificateLevel, Registration, RegistrationChange
from apps.competitions.services import registration_create, registration_withdraw
from apps.core.limits import allowance_used
from apps.members.models import Member
from apps.notify.models import Notification
from tests.factories import MemberFactory, UserFactory

from .factories import CompetitionFactory, EventFactory

pytestmark = pytest.mark.django_db
R = Registration.Status


def register(event, member, **kwargs):
    return registration_create(event=event, member=member, actor=member.user, **kwargs)


def born(years_ago):
    today = timezone.localdate()
    return today.replace(year=today.year - years_ago, month=1, day=1)


def test_member_registers_and_takes_a_place_in_the_ledger(member):
    event = EventFactory(capacity=3)
    registration = register(event, member)
    assert registration.status == R.REGISTERED
    assert allowance_used(event.limit_key) == 1
    change = RegistrationChange.objects.get(registration=registration)
    assert (change.to_status, change.actor, change.member) == (R.REGISTERED, member.user, member)


def test_outside_the_window_is_refused_with_the_dates(member):
    today = timezone.localdate()
    event = EventFactory(registration_opens=today + datetime.timedelta(days=1),
                         registration_closes=today + datetime.timedelta(days=3))
    with pytest.raises(RegistrationClosed) as error:
        register(event, member)
    assert str(error.value) == (f"本项目的报名时间为 {event.registration_opens:%Y-%m-%d} 至 "
                                f"{event.registration_closes:%Y-%m-%d}，现在不在报名时间内。")
    assert not Registration.objects.exists()


@pytest.mark.parametrize("change", [{"status": Member.Status.WITHDRAWN}, {"membership_number": None}])
def test_a_member_not_in_good_standing_is_refused(change):
    person = MemberFactory(**change)
    with pytest.raises(NotInGoodStanding) as error:
        registration_create(event=EventFactory(), member=person, actor=None)
    assert str(error.value) == "只有会籍正常的在册会员才能报名。"


def test_too_young_and_too_old_are_refused_with_their_age():
    event = EventFactory(min_age=18, max_age=45)
    young = MemberFactory(birth_date=event.held_on.replace(year=event.held_on.year - 17))
    with pytest.raises(AgeOutOfRange) as error:
        registration_create(event=event, member=young, actor=None)
    assert str(error.value) == "本项目要求参赛者比赛当日18 至 45 周岁，您届时 17 周岁。"
    old = MemberFactory(birth_date=event.held_on.replace(year=event.held_on.year - 46))
    with pytest.raises(AgeOutOfRange) as error:
        registration_create(event=event, member=old, actor=None)
    assert "您届时 46 周岁" in str(error.value)
    fits = MemberFactory(birth_date=event.held_on.replace(year=event.held_on.year - 45))
    assert registration_create(event=event, member=fits, actor=None).status == R.REGISTERED


def test_age_comes_from_the_resident_id_when_the_record_has_no_birth_date():
    event = EventFactory(max_age=30)
    person = MemberFactory(birth_date=None)  # factory ID numbers carry 1990-01-01
    age = event.held_on.year - 1990
    with pytest.raises(AgeOutOfRange) as error:
        registration_create(event=event, member=person, actor=None)
    assert f"您届时 {age} 周岁" in str(error.value)


def test_unknown_age_is_refused_when_the_event_has_an_age_rule():
    person = MemberFactory(birth_date=None, document_type="passport", document_number="E12345678")
    with pytest.raises(AgeUnknown) as error:
        registration_create(event=EventFactory(min_age=18), member=person, actor=None)
    assert str(error.value) == "本项目有年龄要求，您的会员资料中没有出生日期，请先到“个人资料”补充。"


def test_a_lower_certificate_is_refused_and_a_higher_one_accepted(member):
    event = EventFactory(required_level=CertificateLevel.SENIOR)
    with pytest.raises(CertificateTooLow) as error:
        register(event, member, certificate_level=CertificateLevel.MIDDLE)
    assert str(error.value) == "本项目要求持有“高级工（三级）”或更高等级的职业资格（技能等级）证书。"
    with pytest.raises(CertificateTooLow):
        register(event, member, certificate_level=CertificateLevel.NONE)
    assert register(event, member, certificate_level=CertificateLevel.TECHNICIAN).status == R.REGISTERED


def test_one_event_per_competition(member):
    competition = CompetitionFactory(one_event_only=True)
    first, second = EventFactory(competition=competition), EventFactory(competition=competition)
    register(first, member)
    with pytest.raises(OneEventOnly) as error:
        register(second, member)
    assert str(error.value) == f"本竞赛每人限报一个项目，您已报名“{first.name}”。"


def test_several_events_when_the_competition_allows(member):
    competition = CompetitionFactory(one_event_only=False)
    register(EventFactory(competition=competition), member)
    assert register(EventFactory(competition=competition), member).status == R.REGISTERED


def test_a_second_registration_for_the_same_event_is_refused(member):
    event = EventFactory()
    register(event, member)
    with pytest.raises(AlreadyRegistered):
        register(event, member)
    assert Registration.objects.count() == 1
    assert allowance_used(event.limit_key) == 1


def test_a_full_event_refuses_or_takes_the_member_on_the_waiting_list(member, other_member):
    event = EventFactory(capacity=1)
    register(event, member)
    with pytest.raises(EventFull) as error:
        register(event, other_member)
    assert "名额已满" in str(error.value)
    waiting = register(event, other_member, join_waiting_list=True)
    assert waiting.status == R.WAITING
    assert allowance_used(event.limit_key) == 1


def test_withdrawal_frees_the_place_for_the_first_on_the_waiting_list_who_is_told(member, other_member,
                                                                                   django_capture_on_commit_callbacks,
                                                                                   sms_outbox):
    event = EventFactory(capacity=1)
    first = register(event, member)
    third = MemberFactory(user=UserFactory())
    second = register(event, other_member, join_waiting_list=True)
    later = register(event, third, join_waiting_list=True)
    with django_capture_on_commit_callbacks(execute=True):
        registration_withdraw(registration=first, actor=member.user)
    first.refresh_from_db(), second.refresh_from_db(), later.refresh_from_db()
    assert (first.status, second.status, later.status) == (R.WITHDRAWN, R.REGISTERED, R.WAITING)
    assert allowance_used(event.limit_key) == 1
    assert Notification.objects.filter(member=other_member, title="竞赛候补递补成功").exists()
    assert any(m.phone == other_member.phone and "候补" in m.text for m in sms_outbox)
    assert RegistrationChange.objects.filter(registration=second, from_status=R.WAITING, to_status=R.REGISTERED,
                                             actor=None).exists()
    # the withdrawn member may register again, now on the waiting list behind the third
    again = register(event, member, join_waiting_list=True)
    assert again.status == R.WAITING


def test_withdrawal_after_the_window_is_refused(member):
    event = EventFactory()
    registration = register(event, member)
    with pytest.raises(WithdrawalClosed):
        registration_withdraw(registration=registration, actor=member.user,
                              today=event.registration_closes + datetime.timedelta(days=1))
    registration.refresh_from_db()
    assert registration.status == R.REGISTERED


def test_capacity_raised_in_admin_fills_from_the_waiting_list(member, other_member, staff_of, client):
    event = EventFactory(capacity=1)
    register(event, member)
    waiting = register(event, other_member, join_waiting_list=True)
    from apps.competitions.services import event_capacity_change

    event_capacity_change(event=event, capacity=2, actor=None)
    waiting.refresh_from_db()
    assert waiting.status == R.REGISTERED
    assert allowance_used(event.limit_key) == 2


# --- pages ---------------------------------------------------------------------------------

def test_registering_through_the_page_needs_sign_in(client):
    event = EventFactory()
    response = client.post(reverse("competitions:register", args=[event.pk]), {"certificate_level": 0, "confirm": "on"})
    assert response.status_code == 302 and "/accounts/" in response["Location"]
    assert not Registration.objects.exists()


def test_the_page_shows_the_refusal_and_registers_nothing(client):
    person = MemberFactory(user=UserFactory(), birth_date=born(70))
    event = EventFactory(max_age=60)
    client.force_login(person.user)
    response = client.post(reverse("competitions:register", args=[event.pk]),
                           {"certificate_level": 0, "confirm": "on"}, follow=True)
    assert "本项目要求参赛者比赛当日不超过 60 周岁" in response.content.decode()
    assert not Registration.objects.exists()


def test_the_page_registers_and_withdraws(client, member):
    event = EventFactory()
    client.force_login(member.user)
    response = client.post(reverse("competitions:register", args=[event.pk]),
                           {"certificate_level": 0, "confirm": "on"}, follow=True)
    assert "报名成功" in response.content.decode()
    registration = Registration.objects.get()
    response = client.post(reverse("competitions:withdraw", args=[registration.pk]), follow=True)
    assert "已退出报名" in response.content.decode()
    registration.refresh_from_db()
    assert registration.status == R.WITHDRAWN


def test_another_member_cannot_withdraw_my_registration(client, member, other_member):
    registration = register(EventFactory(), member)
    client.force_login(other_member.user)
    assert client.post(reverse("competitions:withdraw", args=[registration.pk])).status_code == 404
    registration.refresh_from_db()
    assert registration.status == R.REGISTERED


def test_a_staff_login_without_member_record_gets_404_on_my_competitions(client, staff_of):
    client.force_login(staff_of("经济技术部"))
    assert client.get(reverse("competitions:mine")).status_code == 404


def test_my_competitions_shows_scores_only_once_published(client, member):
    from apps.competitions.models import Score
    from apps.competitions.services import event_results_compute, event_results_publish

    event = EventFactory()
    registration = register(event, member)
    for rnd, points in zip(event.rounds.order_by("kind"), [Decimal("91.5"), Decimal("88")], strict=True):
        Score.objects.create(registration=registration, round=rnd, points=points)
    event_results_compute(event=event, actor=None)
    client.force_login(member.user)
    assert "总成绩" not in client.get(reverse("competitions:mine")).content.decode()
    event_results_publish(event=event, actor=None)
    page = client.get(reverse("competitions:mine")).content.decode()
    assert "总成绩" in page and "一等奖" in page
