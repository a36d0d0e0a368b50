"""Member merge with aid records on both records of one person: duplicates are settled by the
aid hook before the generic walk, or the merge stops with a message saying what to do."""

from decimal import Decimal

import pytest

from apps.aid.merge import SMS_MERGE_CANCELLED, AidMergeBlocked
from apps.aid.models import Application, ApplicationStatusChange, FileStatus, HardshipFile, Status
from apps.aid.services import yearly_key
from apps.core.models import Allowance
from apps.members.models import Member
from apps.membership.errors import MergeConflict
from apps.membership.services import member_merge
from apps.notify.models import SmsMessage
from tests.factories import MemberFactory, UserFactory

from .conftest import open_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def twin(member):
    """The same person registered a second time, in the same union."""
    return MemberFactory(name=member.name, gender="F", employer=member.employer, user=UserFactory())


def test_both_records_with_files_and_applications_merge(member, twin, student_aid, make_application, aid_staff, year):
    kept_file = open_file(twin)
    proposed = HardshipFile.objects.create(member=member, level="relative", address="义乌市稠城街道县前街1号",
                                           primary_cause="illness", proposed_by_union=member.union)
    mine = make_application(member, student_aid, Status.SUBMITTED)
    theirs = make_application(twin, student_aid, Status.APPROVED, amount=Decimal("1500"))
    record = member_merge(survivor=member, removed=twin, by=aid_staff, note="重复登记")
    assert not Member.objects.filter(pk=twin.pk).exists()
    # The open file is kept (now the survivor's), the proposed one closed with a note.
    kept_file.refresh_from_db()
    proposed.refresh_from_db()
    assert kept_file.member_id == member.pk and kept_file.status == FileStatus.OPEN
    assert proposed.status == FileStatus.CLOSED and f"#{kept_file.pk}" in proposed.closed_reason
    assert proposed.changes.filter(to_status="closed", actor=aid_staff).exists()
    # The approved application is kept, the one still at the union cancelled and recorded.
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert theirs.member_id == member.pk and theirs.status == Status.APPROVED
    assert mine.status == Status.CANCELLED
    assert ApplicationStatusChange.objects.filter(application=mine, to_status=Status.CANCELLED, actor=aid_staff).exists()
    assert record.moved_counts["aid.application.cancelled_duplicate"] == 1
    assert record.moved_counts["aid.hardshipfile.closed_duplicate"] == 1
    # The member is told by the merge's own SMS text (editable in admin), naming the cancelled number.
    sms = SmsMessage.objects.get(template_key=SMS_MERGE_CANCELLED)
    assert sms.phone == member.phone and mine.number in sms.text and "重复的救助申请" in sms.text
    # One yearly limit for the person, holding the approved amount.
    ledger = Allowance.objects.get(key=yearly_key(member.pk, year))
    assert ledger.used == Decimal("1500")
    assert not Allowance.objects.filter(key=yearly_key(twin.pk, year)).exists()
    assert Application.objects.filter(member=member).exclude(status=Status.CANCELLED).count() == 1


def test_two_approved_applications_of_one_type_stop_the_merge(member, twin, student_aid, make_application, aid_staff):
    open_file(member)
    open_file(twin)
    make_application(member, student_aid, Status.APPROVED, amount=Decimal("1000"))
    make_application(twin, student_aid, Status.APPROVED, amount=Decimal("1000"))
    with pytest.raises(MergeConflict) as exc:
        member_merge(survivor=member, removed=twin, by=aid_staff)
    assert isinstance(exc.value, AidMergeBlocked)
    assert "同一人同一项目只能获得一次救助" in exc.value.message and "请先" in exc.value.message
    # Nothing changed: both records, both files open.
    assert Member.objects.filter(pk=twin.pk).exists()
    assert HardshipFile.objects.filter(status=FileStatus.OPEN).count() == 2
    assert not Application.objects.filter(status=Status.CANCELLED).exists()


def test_two_drafts_keep_the_survivors(member, twin, student_aid, aid_staff):
    from apps.aid.services import application_start

    mine = application_start(aid_type=student_aid, member=member, actor=member.user)
    theirs = application_start(aid_type=student_aid, member=twin, actor=twin.user)
    member_merge(survivor=member, removed=twin, by=aid_staff)
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.status == Status.DRAFT and theirs.status == Status.CANCELLED and theirs.member_id == member.pk


def test_nominations_and_enrolments_on_both_records_merge(member, twin, aid_staff, officer, year):
    import datetime

    from django.utils import timezone

    from apps.aid.models import Enrolment, HealthProgramme, Nomination, ProgrammeKind
    from apps.aid.services import programme_enrol
    from apps.core.models import AllowanceEntry

    today = timezone.localdate()
    programme = HealthProgramme.objects.create(
        kind=ProgrammeKind.CHECKUP, year=year, title="职工免费体检", starts_on=today - datetime.timedelta(days=400),
        ends_on=today + datetime.timedelta(days=400), quota_scope="union", default_quota=5,
    )
    for person in (member, twin):
        Nomination.objects.create(member=person, year=year, union=member.union, nominated_by=officer)
        programme_enrol(programme=programme, member=person, actor=officer)
    member_merge(survivor=member, removed=twin, by=aid_staff)
    assert Nomination.objects.filter(member=member).count() == 1
    assert Enrolment.objects.filter(member=member).count() == 1
    assert AllowanceEntry.objects.filter(allowance__key__startswith=f"aid.quota:programme={programme.pk}",
                                         released_at__isnull=True).count() == 1
