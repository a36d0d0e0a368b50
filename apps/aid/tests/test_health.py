"""Free health checks, two-cancer screening and recuperation places with quotas."""

import datetime

import pytest
from django.urls import reverse

from apps.aid.errors import AlreadyEnrolled, NotEligible, ProgrammeClosed, QuotaNotSet
from apps.aid.models import Enrolment, HealthProgramme, Nomination, ProgrammeKind, ProgrammeQuota, QuotaScope
from apps.aid.services import enrolment_cancel, programme_enrol
from apps.core.limits import LimitExceeded
from tests.factories import MemberFactory, UserFactory, resident_id

from .conftest import today

pytestmark = pytest.mark.django_db


def programme(kind=ProgrammeKind.SCREENING, scope=QuotaScope.TOWN, **extra):
    return HealthProgramme.objects.create(
        kind=kind, year=today().year, title={"screening": "两癌筛查", "checkup": "免费体检", "recuperation": "疗休养"}[kind],
        starts_on=today() - datetime.timedelta(days=1), ends_on=today() + datetime.timedelta(days=30),
        quota_scope=scope, **extra,
    )


def woman(age=40):
    birth = today().replace(year=today().year - age, month=1, day=1)
    return MemberFactory(user=UserFactory(), gender="F", birth_date=birth)


def test_screening_refuses_a_man(client, other_member):
    screening = programme(min_age=20, max_age=64, default_quota=10)
    with pytest.raises(NotEligible) as exc:
        programme_enrol(programme=screening, member=other_member, actor=other_member.user)
    assert exc.value.message == "您不符合该项目的申请条件：两癌筛查仅限女职工。"
    client.force_login(other_member.user)
    response = client.post(reverse("aid:enrol", kwargs={"pk": screening.pk}), follow=True)
    assert "两癌筛查仅限女职工" in response.content.decode()
    assert not Enrolment.objects.exists()


def test_screening_age_range(db):
    screening = programme(min_age=35, max_age=64, default_quota=10)
    with pytest.raises(NotEligible) as exc:
        programme_enrol(programme=screening, member=woman(age=30), actor=None)
    assert "年龄须在 35 至 64 周岁之间" in exc.value.message
    assert programme_enrol(programme=screening, member=woman(age=50), actor=None)


def test_age_read_from_the_id_number_when_no_birth_date(db):
    screening = programme(min_age=35, max_age=64, default_quota=10)
    member = MemberFactory(gender="F", birth_date=None,
                           document_number=resident_id(77, birth=datetime.date(today().year - 70, 3, 3), female=True))
    with pytest.raises(NotEligible):
        programme_enrol(programme=screening, member=member, actor=None)


def test_full_quota_refuses_the_next_with_a_clear_message(db):
    screening = programme(min_age=20, max_age=64)
    first, second = woman(), woman()
    ProgrammeQuota.objects.create(programme=screening, town_street=first.town_street, places=1)
    programme_enrol(programme=screening, member=first, actor=first.user)
    with pytest.raises(LimitExceeded) as exc:
        programme_enrol(programme=screening, member=second, actor=second.user)
    assert exc.value.message == "超出名额：剩余 0。"
    assert Enrolment.objects.count() == 1
    enrolment_cancel(enrolment=Enrolment.objects.get(), actor=first.user)
    assert programme_enrol(programme=screening, member=second, actor=second.user)


def test_one_enrolment_per_member(db):
    checkup = programme(ProgrammeKind.CHECKUP, default_quota=5)
    member = woman()
    programme_enrol(programme=checkup, member=member, actor=member.user)
    with pytest.raises(AlreadyEnrolled):
        programme_enrol(programme=checkup, member=member, actor=member.user)


def test_recuperation_needs_a_nomination_and_counts_per_union(member, officer):
    places = programme(ProgrammeKind.RECUPERATION, scope=QuotaScope.UNION)
    with pytest.raises(NotEligible) as exc:
        programme_enrol(programme=places, member=member, actor=member.user)
    assert "推荐的一线职工" in exc.value.message
    Nomination.objects.create(member=member, year=places.year, union=member.union, nominated_by=officer)
    with pytest.raises(QuotaNotSet):
        programme_enrol(programme=places, member=member, actor=member.user)
    ProgrammeQuota.objects.create(programme=places, union=member.union, places=2)
    assert programme_enrol(programme=places, member=member, actor=officer).enrolled_by == officer


def test_closed_programme(member):
    closed = programme(ProgrammeKind.CHECKUP, default_quota=5)
    closed.ends_on = today() - datetime.timedelta(days=1)
    closed.starts_on = today() - datetime.timedelta(days=10)
    closed.save()
    with pytest.raises(ProgrammeClosed):
        programme_enrol(programme=closed, member=member, actor=member.user)


def test_member_enrols_from_the_aid_page(client, member):
    checkup = programme(ProgrammeKind.CHECKUP, default_quota=5)
    client.force_login(member.user)
    assert "免费体检" in client.get(reverse("aid:index")).content.decode()
    response = client.post(reverse("aid:enrol", kwargs={"pk": checkup.pk}), follow=True)
    assert "报名成功" in response.content.decode()
    assert "免费体检" in client.get(reverse("aid:mine")).content.decode()
