"""Hardship files: one per member, one per household (flagged), income per person, the
re-check queue and its outcomes, staff screens."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from apps.aid.errors import FileExists, NewLevelRequired, RecheckReasonRequired, TooManyCauses
from apps.aid.models import FileStatus, HardshipFile, HardshipRecheck, RecheckOutcome
from apps.aid.selectors import files_to_recheck
from apps.aid.services import (
    campaign_copy,
    hardship_file_decide,
    hardship_file_propose,
    hardship_file_recheck,
    household_income_per_person,
)
from tests.factories import MemberFactory

from .conftest import open_file, today

pytestmark = pytest.mark.django_db

HOUSEHOLD = [
    {"name": "张晓红", "relation": "本人", "age": 45, "health": "患病", "work": "务工", "monthly_income": Decimal("2100")},
    {"name": "王大伟", "relation": "配偶", "age": 47, "health": "残疾", "work": "无业", "monthly_income": Decimal("0")},
    {"name": "王小明", "relation": "子女", "age": 16, "health": "健康", "work": "高中", "monthly_income": Decimal("0")},
]


def propose(member, officer, **extra):
    return hardship_file_propose(
        member=member, level="deep", address="义乌市稠城街道  县前街1号", primary_cause="illness",
        secondary_causes=["disability", "schooling"], union=member.union, actor=officer, household=HOUSEHOLD, **extra,
    )


def test_income_per_person_is_decimal(member, officer):
    file = propose(member, officer)
    assert household_income_per_person(file) == Decimal("700.00")


def test_one_open_file_per_member(member, officer):
    propose(member, officer)
    with pytest.raises(FileExists) as exc:
        propose(member, officer)
    assert "一人只能建一份档案" in exc.value.message
    with pytest.raises(IntegrityError), transaction.atomic():
        HardshipFile.objects.create(member=member, level="deep", status="open", address="x", primary_cause="illness",
                                    proposed_by_union=member.union)


def test_second_file_of_the_same_household_is_flagged(member, officer):
    first = propose(member, officer)
    spouse = MemberFactory(name="王大伟", union=member.union, employer=member.employer)
    second = hardship_file_propose(
        member=spouse, level="relative", address="义乌市稠城街道 县前街1号", primary_cause="disability",
        secondary_causes=[], union=member.union, actor=officer,
        household=[{"name": "王大伟", "relation": "本人", "age": 47, "monthly_income": Decimal("0")}],
    )
    assert second.household_conflict == first
    elsewhere = hardship_file_propose(
        member=MemberFactory(name="王大伟"), level="relative", address="义乌市北苑街道春华路8号", primary_cause="disability",
        secondary_causes=[], union=member.union, actor=None, household=[],
    )
    assert elsewhere.household_conflict is None


@pytest.mark.parametrize("secondary", [["disability", "schooling", "job_loss", "disaster"], ["illness"], ["nonsense"]])
def test_causes_at_most_three_and_not_the_primary(member, officer, secondary):
    with pytest.raises(TooManyCauses):
        hardship_file_propose(member=member, level="deep", address="x", primary_cause="illness", secondary_causes=secondary,
                              union=member.union, actor=officer, household=[])
    assert not HardshipFile.objects.exists()


def test_decision_opens_with_a_recheck_a_year_later(member, officer, aid_staff):
    file = hardship_file_decide(file=propose(member, officer), actor=aid_staff, approve=True)
    assert file.status == FileStatus.OPEN and file.recheck_due.year == today().year + 1


def test_recheck_queue_lists_due_and_past_first(member, other_member):
    past = open_file(member)
    HardshipFile.objects.filter(pk=past.pk).update(recheck_due=today() - datetime.timedelta(days=5))
    soon = open_file(other_member)
    HardshipFile.objects.filter(pk=soon.pk).update(recheck_due=today() + datetime.timedelta(days=10))
    later = open_file(MemberFactory())
    assert list(files_to_recheck()) == [past, soon]
    assert later not in files_to_recheck()


def test_recheck_outcomes(member, aid_staff):
    file = open_file(member)
    with pytest.raises(NewLevelRequired):
        hardship_file_recheck(file=file, actor=aid_staff, outcome=RecheckOutcome.LEVEL_CHANGED, new_level="deep", reason="x")
    with pytest.raises(RecheckReasonRequired):
        hardship_file_recheck(file=file, actor=aid_staff, outcome=RecheckOutcome.CLOSED)
    hardship_file_recheck(file=file, actor=aid_staff, outcome=RecheckOutcome.UNCHANGED)
    hardship_file_recheck(file=file, actor=aid_staff, outcome=RecheckOutcome.LEVEL_CHANGED, new_level="relative",
                          reason="配偶已就业")
    file.refresh_from_db()
    assert file.level == "relative" and file.recheck_due > today()
    hardship_file_recheck(file=file, actor=aid_staff, outcome=RecheckOutcome.CLOSED, reason="家庭已脱困")
    file.refresh_from_db()
    assert (file.status, file.closed_reason, file.recheck_due) == (FileStatus.CLOSED, "家庭已脱困", None)
    assert HardshipRecheck.objects.filter(file=file).count() == 3


def test_admin_recheck_page_and_queue_filter(client, member, aid_staff):
    file = open_file(member)
    HardshipFile.objects.filter(pk=file.pk).update(recheck_due=today() - datetime.timedelta(days=1))
    client.force_login(aid_staff)
    listing = client.get(reverse("admin:aid_hardshipfile_changelist"), {"recheck": "due"})
    assert [f.pk for f in listing.context["cl"].result_list] == [file.pk]
    assert "待复核" in listing.content.decode()
    url = reverse("admin:aid_hardshipfile_recheck", args=[file.pk])
    response = client.post(url, {"outcome": "closed", "reason": ""})
    assert "调整类别或退档须填写复核说明" in response.content.decode()
    client.post(url, {"outcome": "closed", "reason": "家庭已脱困"})
    file.refresh_from_db()
    assert file.status == FileStatus.CLOSED


def test_officer_proposes_a_file_in_admin_and_the_duplicate_is_refused(client, member, officer):
    client.force_login(officer)
    data = {
        "member": member.pk, "level": "deep", "address": "义乌市稠城街道县前街1号", "primary_cause": "illness",
        "secondary_causes": ["disability"], "situation": "", "proposed_by_union": member.union_id,
        "household-TOTAL_FORMS": "1", "household-INITIAL_FORMS": "0",
        "household-0-name": "张晓红", "household-0-relation": "本人", "household-0-age": "45", "household-0-monthly_income": "１８００",
        "documents-TOTAL_FORMS": "0", "documents-INITIAL_FORMS": "0",
    }
    response = client.post(reverse("admin:aid_hardshipfile_add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    file = HardshipFile.objects.get()
    assert file.proposed_by == officer and file.status == FileStatus.PROPOSED
    response = client.post(reverse("admin:aid_hardshipfile_add"), data)
    assert "一人只能建一份档案" in response.content.decode()
    assert HardshipFile.objects.count() == 1


def test_an_address_typed_with_odd_spaces_in_admin_still_finds_the_same_household(client, member, officer):
    client.force_login(officer)
    url = reverse("admin:aid_hardshipfile_add")

    def propose(worker, address, relative):
        return client.post(url, {
            "member": worker.pk, "level": "deep", "address": address, "primary_cause": "illness", "situation": "",
            "proposed_by_union": worker.union_id, "household-TOTAL_FORMS": "1", "household-INITIAL_FORMS": "0",
            "household-0-name": relative, "household-0-relation": "配偶", "household-0-age": "45",
            "household-0-monthly_income": "1800", "documents-TOTAL_FORMS": "0", "documents-INITIAL_FORMS": "0",
        }, follow=True)

    spouse = MemberFactory(name="王建平", union=member.union, employer=member.employer)
    propose(member, "义乌市稠城街道\u3000\u3000县前街1号 ", spouse.name)
    first = HardshipFile.objects.get(member=member)
    assert first.address == "义乌市稠城街道 县前街1号"
    response = propose(spouse, "义乌市稠城街道 县前街1号", member.name)
    assert "同一住址已有在档档案" in response.content.decode()
    assert HardshipFile.objects.get(member=spouse).household_conflict == first


def test_copy_last_years_campaign(student_aid):
    copy = campaign_copy(source=student_aid.campaign, year=student_aid.campaign.year + 1)
    assert copy.year == student_aid.campaign.year + 1 and not copy.is_published
    new_type = copy.aid_types.get()
    assert new_type.amounts.count() == 6
    assert copy.starts_on.year == student_aid.campaign.starts_on.year + 1
