"""The dashboard counts in the database: at most 25 queries, the same with 10 or 500 more rows
of every app (bulk_create), for the leadership's full page and for the work report."""

import datetime
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from apps.aid import models as aid
from apps.awards import models as awards
from apps.competitions import models as comp
from apps.counselling import models as couns
from apps.members.models import Member
from apps.membership.models import JoinRequest, Transfer, TransferStatus
from apps.mutualaid import models as mutual
from apps.orgs.models import GrassrootsUnion
from apps.rights import models as rights
from apps.stars.models import StarRating
from tests.factories import resident_id

pytestmark = pytest.mark.django_db

LIMIT = 25
# Birth dates no factory uses (they start at 1990-01-01 and move a day every 500 rows), so the
# bulk rows never take an ID number a factory made earlier in the same worker.
BULK_MEMBER_BIRTH = datetime.date(1975, 1, 1)
BULK_REQUEST_BIRTH = datetime.date(1978, 1, 1)


def grow(world, n: int, start: int) -> None:
    """`n` more rows of every app's counted tables, spread over the two towns/streets."""
    year = world.year
    when = datetime.datetime(year, 7, 1, 9, tzinfo=timezone.get_current_timezone())
    towns = [world.town_a, world.town_b]
    members = Member.objects.bulk_create([
        Member(name=f"批量{start + i}", gender="M", document_number=resident_id(start + i, birth=BULK_MEMBER_BIRTH),
               phone=f"137{start + i:08d}", employer=world.employer_a, union=world.union_a,
               town_street=towns[i % 2], membership_number=f"YWB{start + i:08d}", joined_on=datetime.date(year, 1, 2))
        for i in range(n)
    ])
    JoinRequest.objects.bulk_create([
        JoinRequest(name=f"批量{i}", gender="M", document_number=resident_id(start + i, birth=BULK_REQUEST_BIRTH), phone="13700000000",
                    town_street=towns[i % 2], employer_name="某公司", job="工", union=world.union_a,
                    consented_at=when, submitted_at=when, deadline=datetime.date(year, 8, 1))
        for i in range(n)
    ])
    Transfer.objects.bulk_create([
        Transfer(member=m, from_union=world.union_a, to_union=world.union_b, to_town_street=world.town_b,
                 status=TransferStatus.COMPLETED, finished_at=when) for m in members
    ])
    rights.RightsCase.objects.bulk_create([
        rights.RightsCase(number=f"PL{start + i:08d}", year=year, channel="online", category="wages", worker_name="职工",
                          worker_phone="13800000000", description="经过", employer=world.employer_a,
                          town_street=towns[i % 2], status=rights.Status.MEDIATION, due_on=datetime.date(year, 1, 1))
        for i in range(n)
    ])
    inspection = rights.Inspection.objects.filter(theme__campaign__year=year).first()
    items = rights.ChecklistItem.objects.bulk_create([
        rights.ChecklistItem(theme=inspection.theme, text=f"批量{start + i}", order=100 + start + i) for i in range(n)
    ])
    rights.Finding.objects.bulk_create([rights.Finding(inspection=inspection, item=item, follow_up="open") for item in items])
    unions = GrassrootsUnion.objects.bulk_create([
        GrassrootsUnion(name=f"批量工会{start + i}", kind=world.union_a.kind, town_street=towns[i % 2]) for i in range(n)
    ])
    StarRating.objects.bulk_create([StarRating(union=u, year=year, level=1 + i % 5) for i, u in enumerate(unions)])
    comp.Registration.objects.bulk_create([comp.Registration(event=world.competition_event, member=m) for m in members])
    awards.Nomination.objects.bulk_create([
        awards.Nomination(programme=world.craft, status="submitted", town_street=towns[i % 2], member=m,
                          nominated_by=world.staff) for i, m in enumerate(members)
    ])
    awards.HonourEntry.objects.bulk_create([
        awards.HonourEntry(programme=world.craft, name=f"工匠{start + i}", town_street=towns[i % 2], deeds="事迹") for i in range(n)
    ])
    aid.Application.objects.bulk_create([
        aid.Application(year=year, campaign=world.campaign, aid_type=world.aid_type, member=m, status="paid",
                        amount=Decimal("100"), town_street=m.town_street) for m in members
    ])
    enrolments = mutual.Enrolment.objects.bulk_create([
        mutual.Enrolment(scheme=world.scheme, year=year, member=m, union=world.union_a, town_street=m.town_street,
                         contribution=Decimal("60"), enrolled_on=datetime.date(year, 1, 1),
                         covered_from=datetime.date(year, 1, 1)) for m in members
    ])
    mutual.Claim.objects.bulk_create([
        mutual.Claim(number=f"PLC{start + i:08d}", year=year, channel="online", member=e.member, enrolment=e,
                     scheme=world.scheme, benefit=world.benefit, town_street=e.town_street, hospital="医院",
                     admitted_on=datetime.date(year, 1, 2), discharged_on=datetime.date(year, 1, 3), diagnosis="诊断",
                     total_cost=Decimal("10"), insurance_paid=Decimal("5"), out_of_pocket=Decimal("5"), payee_bank="行",
                     payee_account="1", status="paid", payable_amount=Decimal("5"), submitted_at=when)
        for i, e in enumerate(enrolments)
    ])
    sessions = couns.Session.objects.bulk_create([
        couns.Session(counsellor=world.counsellor, studio=world.studio_a, held_at=when) for _ in range(n)
    ])
    couns.SessionTopic.objects.bulk_create([
        couns.SessionTopic(session=session, topic=couns.Topic.choices[0][0]) for session in sessions
    ])


def count(client, django_assert_max_num_queries, name, captured):
    cache.clear()
    with django_assert_max_num_queries(LIMIT) as queries:
        assert client.get(reverse(name)).status_code == 200
    captured.append(len(queries))


@pytest.mark.parametrize("name", ["dashboard:index", "dashboard:report"])
def test_query_count_flat_from_10_to_500_rows(client, world, leader, django_assert_max_num_queries, name):
    client.force_login(leader)
    sizes = []
    grow(world, 10, 0)
    count(client, django_assert_max_num_queries, name, sizes)
    grow(world, 490, 10)
    count(client, django_assert_max_num_queries, name, sizes)
    print(name, "queries at 10 and 500 rows:", sizes)
    assert sizes[0] == sizes[1] <= LIMIT, sizes
    assert RightsCaseCount(world) == 505


def RightsCaseCount(world):  # noqa: N802 - the volume really is there
    return rights.RightsCase.objects.filter(year=world.year).count()


def test_department_page_fewer_queries(client, world, django_assert_max_num_queries):
    from apps.accounts import roles
    from tests.factories import StaffFactory

    client.force_login(StaffFactory(groups=[roles.AID]))
    grow(world, 10, 0)
    cache.clear()
    with django_assert_max_num_queries(8):
        client.get(reverse("dashboard:index"))
