# ruff: noqa: F811  (other apps' record fixtures, imported by name)
"""Each department's work queue picks up its records and no others, is scoped for union
officers, reads in a fixed number of queries, and the morning digest tells every department."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.accounts import roles
from apps.aid.tests.conftest import (  # noqa: F401
    aid_staff,
    autumn,
    make_application,
    open_file,
    policy,
    second_staff,
    student_aid,
    year,
)
from apps.membership.models import JoinRequest
from apps.membership.services import join_request_submit
from apps.membership.tests.conftest import applicant, catch_all  # noqa: F401
from apps.mutualaid.tests.conftest import enrol, make_claim, mutual_office, scheme, today  # noqa: F401
from apps.notify.models import StaffNotice
from apps.orgs.models import UnionOfficer
from apps.rights.models import Finding, Inspection, RightsCase, Season
from apps.rights.services import supervision_campaign_create
from apps.rights.tests.conftest import employer, make_case  # noqa: F401
from apps.stars.models import Evaluation, Rubric
from apps.workqueues.selectors import QUEUES, queues_for
from apps.workqueues.services import work_queue_digests_send
from tests.factories import MemberFactory, OfficerFactory, UnionFactory, UserFactory

pytestmark = pytest.mark.django_db

QUEUE = {q.key: q for q in QUEUES}


def keys(user):
    return {q.key for q in queues_for(user)}


def pks(key, today=None, user=None):
    queue = QUEUE[key]
    today = today or timezone.localdate()
    records = queue.for_user(user, today) if user else queue.records(today)
    return set(records.values_list("pk", flat=True))


def test_each_department_gets_its_own_queues(staff_of):
    assert keys(staff_of(roles.RIGHTS)) == {"rights.cases_overdue", "rights.findings_overdue"}
    assert keys(staff_of(roles.AID)) == {"aid.files_recheck", "aid.never_aided"}
    assert keys(staff_of(roles.MUTUAL_AID)) == {"mutualaid.claims_waiting"}
    assert keys(staff_of(roles.ORGANISATION)) == {"membership.joins_near_limit", "stars.unions_without_self_assessment"}
    assert keys(OfficerFactory().user) == {"membership.joins_near_limit", "stars.unions_without_self_assessment"}
    assert keys(staff_of(roles.COUNSELLING)) == set()
    assert len(keys(UserFactory(is_staff=True, is_superuser=True))) == len(QUEUES)


def test_overdue_cases_only(member, make_case):
    today = timezone.localdate()
    late = make_case(member=member)
    RightsCase.objects.filter(pk=late.pk).update(due_on=today - datetime.timedelta(days=1))
    on_time = make_case()
    RightsCase.objects.filter(pk=on_time.pk).update(due_on=today + datetime.timedelta(days=3))
    assert pks("rights.cases_overdue") == {late.pk}


def test_findings_past_their_rectification_deadline(employer):
    today = timezone.localdate()
    campaign = supervision_campaign_create(year=today.year)
    theme = campaign.themes.get(season=Season.WINTER)
    items = list(theme.checklist.all())

    def inspect(due):
        inspection = Inspection.objects.create(theme=theme, employer=employer, inspected_on=due - datetime.timedelta(days=30),
                                               inspectors="王、李", rectification_due=due)
        problem = Finding.objects.create(inspection=inspection, item=items[0], is_compliant=False, description="欠薪")
        Finding.objects.create(inspection=inspection, item=items[1], is_compliant=True)
        return problem

    late = inspect(today - datetime.timedelta(days=2))
    inspect(today + datetime.timedelta(days=5))
    assert pks("rights.findings_overdue") == {late.pk}


def test_hardship_files_due_for_recheck_and_holders_never_aided(make_application, student_aid):
    today = timezone.localdate()
    due, later, aided = MemberFactory(), MemberFactory(), MemberFactory(user=UserFactory())
    due_file = open_file(due)
    due_file.recheck_due = today + datetime.timedelta(days=10)
    due_file.save(update_fields=["recheck_due"])
    later_file = open_file(later)  # re-check in 200 days
    aided_file = open_file(aided)
    make_application(aided, student_aid, status="approved")
    assert pks("aid.files_recheck") == {due_file.pk}
    assert pks("aid.never_aided") == {due_file.pk, later_file.pk}
    assert aided_file.pk not in pks("aid.never_aided")


def test_claims_waiting_longest_come_first(member, other_member, enrol, make_claim):
    enrol(member)
    enrol(other_member)
    newer = make_claim(member)
    older = make_claim(other_member)
    older.__class__.objects.filter(pk=older.pk).update(submitted_at=timezone.now() - datetime.timedelta(days=20))
    paid = make_claim(member, status="paid")
    records = list(QUEUE["mutualaid.claims_waiting"].records(timezone.localdate()))
    assert [c.pk for c in records] == [older.pk, newer.pk] and paid.pk not in [c.pk for c in records]


def test_join_requests_near_their_limit_scoped_to_the_officers_union(applicant, catch_all):
    today = timezone.localdate()
    near = join_request_submit(**applicant(n=911, employer_name="义乌市测试物流有限公司"))
    far = join_request_submit(**applicant(n=912, employer_name="义乌市测试物流有限公司"))
    JoinRequest.objects.filter(pk=near.pk).update(deadline=today + datetime.timedelta(days=1))
    JoinRequest.objects.filter(pk=far.pk).update(deadline=today + datetime.timedelta(days=30))
    assert pks("membership.joins_near_limit") == {near.pk}
    own = OfficerFactory(union=near.union).user
    other = OfficerFactory().user
    assert pks("membership.joins_near_limit", user=own) == {near.pk}
    assert pks("membership.joins_near_limit", user=other) == set()


def test_unions_without_a_self_assessment_near_the_deadline():
    today = timezone.localdate()
    done, missing, draft = UnionFactory(), UnionFactory(), UnionFactory()
    assert pks("stars.unions_without_self_assessment") == set()  # no deadline near: no queue
    rubric = Rubric.objects.create(year=today.year, title="星级工会评定", deadline=today + datetime.timedelta(days=7))
    Evaluation.objects.create(union=done, rubric=rubric, year=today.year, status="submitted")
    Evaluation.objects.create(union=draft, rubric=rubric, year=today.year, status="draft")
    found = pks("stars.unions_without_self_assessment")
    assert missing.pk in found and draft.pk in found and done.pk not in found
    assert pks("stars.unions_without_self_assessment", user=OfficerFactory(union=missing).user) == {missing.pk}


def test_queue_page_opens_for_staff_and_is_refused_to_others(client, staff_of, member):
    client.force_login(staff_of(roles.AID))
    open_file(member)
    response = client.get(reverse("workqueues:mine"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "本年度尚未获得帮扶的建档职工" in html and member.name in html and "等待最久的互助金申请" not in html
    client.force_login(staff_of(roles.COUNSELLING))
    assert client.get(reverse("workqueues:mine")).status_code == 403
    client.force_login(member.user)
    assert client.get(reverse("workqueues:mine")).status_code == 302  # to the admin sign-in


def test_queue_page_query_count_is_flat(client, django_assert_num_queries):
    superuser = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(superuser)
    MemberFactory.create_batch(3)
    for person in MemberFactory.create_batch(3):
        open_file(person)
    client.get(reverse("workqueues:mine"))
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("workqueues:mine"))
    for person in MemberFactory.create_batch(25):
        open_file(person)
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(reverse("workqueues:mine"))
    assert response.content.decode().count("/admin/aid/hardshipfile/") >= 20
    assert len(small.captured_queries) <= 25


def test_morning_digest_tells_every_department_and_officer(staff_of, applicant, catch_all, member, mailoutbox):
    today = timezone.localdate()
    aid = staff_of(roles.AID)
    counselling = staff_of(roles.COUNSELLING)
    open_file(member)
    near = join_request_submit(**applicant(n=921, employer_name="义乌市测试物流有限公司"))
    JoinRequest.objects.filter(pk=near.pk).update(deadline=today)
    organisation = staff_of(roles.ORGANISATION)
    officer = OfficerFactory(union=near.union).user
    UnionOfficer.objects.get(user=officer)
    told = work_queue_digests_send(on=today)
    assert told >= 3
    assert "本年度尚未获得帮扶的建档职工：1" in StaffNotice.objects.get(user=aid).body
    assert "临近15个工作日时限的入会申请：1" in StaffNotice.objects.get(user=organisation).body
    assert "临近15个工作日时限的入会申请：1" in StaffNotice.objects.get(user=officer).body
    assert not StaffNotice.objects.filter(user=counselling).exists()
    assert StaffNotice.objects.get(user=aid).link == reverse("workqueues:mine")


def test_the_digest_reads_in_a_fixed_number_of_queries(staff_of, django_assert_max_num_queries):
    staff_of(roles.AID)
    for person in MemberFactory.create_batch(3):
        open_file(person)
    with CaptureQueriesContext(connection) as small:
        work_queue_digests_send(on=timezone.localdate())
    StaffNotice.objects.all().delete()
    for person in MemberFactory.create_batch(30):
        open_file(person)
    with django_assert_max_num_queries(len(small.captured_queries)):
        work_queue_digests_send(on=timezone.localdate())


def test_the_digest_runs_from_beat(settings):
    entries = [e for e in settings.CELERY_BEAT_SCHEDULE.values()
               if e["task"] == "apps.workqueues.tasks.work_queue_digest_send"]
    assert len(entries) == 1
