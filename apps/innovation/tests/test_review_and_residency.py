"""Panel review (conflicts, hidden scores, ranking), admission within the places, residency and reports."""

import datetime
import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from apps.core.limits import LimitExceeded
from apps.core.models import Allowance
from apps.innovation.errors import (
    NegativeAmount,
    NotAReviewer,
    ReportExists,
    ReviewAlreadySubmitted,
    ReviewerConflicted,
    ScoreOutOfRange,
)
from apps.innovation.models import Application, Place, Residency, Review, Status
from apps.innovation.selectors import call_ranking, reports_overdue, scores_visible
from apps.innovation.services import (
    application_transition,
    progress_report_file,
    residency_end,
    residency_start,
    review_assign,
    review_submit,
)
from tests.factories import EmployerFactory, MemberFactory, StaffFactory, UserFactory

from .conftest import add_reviewer, make_application, make_call

pytestmark = pytest.mark.django_db


def scores(call, a, b):
    first, second = call.criteria.order_by("sort_order")
    return {first.pk: Decimal(a), second.pk: Decimal(b)}


@pytest.fixture
def panel(call, member, economic):
    """Two reviewers, the second working for the lead's employer, and one application under review."""
    application = make_application(call, member, status=Status.REVIEWING, staff=economic)
    free = add_reviewer(call, StaffFactory(), EmployerFactory())
    conflicted = add_reviewer(call, StaffFactory(), member.employer)
    third = add_reviewer(call, StaffFactory(), None)
    return application, free, conflicted, third


def test_a_conflicted_reviewer_gets_no_sheet_and_cannot_review(panel, call):
    application, free, conflicted, third = panel
    assert review_assign(call=call) == 2
    assert set(Review.objects.values_list("reviewer", flat=True)) == {free.pk, third.pk}
    assert review_assign(call=call) == 0
    sheet = Review.objects.create(application=application, reviewer=conflicted)  # made by hand, still refused
    with pytest.raises(ReviewerConflicted):
        review_submit(review=sheet, actor=conflicted.user, scores=scores(call, 30, 50))


def test_a_conflict_through_a_team_member_counts(call, member, economic):
    from apps.innovation.selectors import reviewer_conflicted
    from apps.innovation.services import TeamMate, application_save

    mate = MemberFactory()
    application = make_application(call, member, status=Status.DRAFT)
    application_save(call=call, lead=member, project_name="x", industry=call.industries.first(), summary="y" * 30,
                     stage="idea", team=[TeamMate(name=mate.name, member=mate)], application=application)
    reviewer = add_reviewer(call, StaffFactory(), mate.employer)
    assert reviewer_conflicted(reviewer, application)


def test_scores_are_checked_and_submitted_once(panel, call):
    application, free, _conflicted, third = panel
    review_assign(call=call)
    sheet = Review.objects.get(reviewer=free)
    with pytest.raises(NotAReviewer):
        review_submit(review=sheet, actor=third.user, scores=scores(call, 30, 50))
    with pytest.raises(ScoreOutOfRange):
        review_submit(review=sheet, actor=free.user, scores=scores(call, 41, 50))
    review_submit(review=sheet, actor=free.user, scores=scores(call, 30, 50), comment="好")
    with pytest.raises(ReviewAlreadySubmitted):
        review_submit(review=sheet, actor=free.user, scores=scores(call, 1, 1))
    assert Review.objects.get(pk=sheet.pk).total == Decimal("80")


def test_a_reviewer_sees_other_scores_only_after_submitting(client, panel, call, economic):
    application, free, _conflicted, third = panel
    review_assign(call=call)
    review_submit(review=Review.objects.get(reviewer=third), actor=third.user, scores=scores(call, 11, 22))
    sheet = Review.objects.get(reviewer=free)
    client.force_login(free.user)
    url = reverse("admin:innovation_review_change", args=[sheet.pk])
    page = client.get(url).content.decode()
    assert "提交本人评分后才能看到" in page and "33.0" not in page
    assert not scores_visible(free.user, application)
    # the application's admin page (if they may open it) and the call's ranking do not show them either
    assert "33.0" not in client.get(reverse("admin:innovation_review_changelist")).content.decode()
    # another's sheet answers 404-like refusal
    other = Review.objects.get(reviewer=third)
    assert client.get(reverse("admin:innovation_review_change", args=[other.pk])).status_code in (302, 403, 404)
    response = client.post(url, {f"c{c.pk}": v for c, v in zip(call.criteria.order_by("sort_order"), ["35", "50"])})
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "其他评审专家的评分" in page and "33.0" in page
    assert scores_visible(free.user, application)
    assert scores_visible(economic, application)  # staff off the panel with the permission


def test_the_conflicted_reviewer_page_says_so(client, panel, call):
    application, _free, conflicted, _third = panel
    sheet = Review.objects.create(application=application, reviewer=conflicted)
    client.force_login(conflicted.user)
    page = client.get(reverse("admin:innovation_review_change", args=[sheet.pk])).content.decode()
    assert "须回避" in page and "提交评分" not in page


def test_ranking_uses_the_mean_of_submitted_scores(call, member, other_member, economic):
    a = make_application(call, member, status=Status.REVIEWING, staff=economic, name="甲")
    b = make_application(call, other_member, status=Status.REVIEWING, staff=economic, name="乙")
    r1, r2 = add_reviewer(call, StaffFactory()), add_reviewer(call, StaffFactory())
    review_assign(call=call)
    for reviewer, (sa, sb) in ((r1, (("30", "50"), ("20", "20"))), (r2, (("10", "10"), ("40", "60")))):
        review_submit(review=Review.objects.get(reviewer=reviewer, application=a), actor=reviewer.user,
                      scores=scores(call, *sa))
        review_submit(review=Review.objects.get(reviewer=reviewer, application=b), actor=reviewer.user,
                      scores=scores(call, *sb))
    ranked = list(call_ranking(call))
    assert [x.project_name for x in ranked] == ["乙", "甲"]
    assert ranked[0].mean_score == Decimal("70") and ranked[1].mean_score == Decimal("50")


def test_admission_stops_at_the_places_offered(call, economic):
    apps = [make_application(call, MemberFactory(user=UserFactory()), status=Status.REVIEWING, staff=economic,
                             name=f"项目{n}") for n in range(3)]
    application_transition(application=apps[0], target=Status.ADMITTED, actor=economic)
    application_transition(application=apps[1], target=Status.ADMITTED, actor=economic)
    with pytest.raises(LimitExceeded) as refused:
        application_transition(application=apps[2], target=Status.ADMITTED, actor=economic)
    assert "入驻名额" in str(refused.value)
    assert Application.objects.filter(status=Status.ADMITTED).count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_staff_admitting_the_last_place_at_once_admit_one(space, industry):
    from django.contrib.auth.models import Permission

    call = make_call(space, industry, places=1)
    decide = Permission.objects.get(codename="decide_application")
    staff = [StaffFactory() for _n in range(2)]
    for user in staff:
        user.user_permissions.add(decide)
    apps = [make_application(call, MemberFactory(user=UserFactory()), status=Status.REVIEWING, staff=staff[0],
                             name=f"项目{n}") for n in range(2)]
    barrier = threading.Barrier(2)
    outcomes = []

    def admit(n):
        try:
            barrier.wait()
            application_transition(application=apps[n], target=Status.ADMITTED, actor=staff[n])
            outcomes.append("ok")
        except LimitExceeded:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=admit, args=(n,)) for n in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["ok", "refused"]
    assert Application.objects.filter(status=Status.ADMITTED).count() == 1
    assert Allowance.objects.get(key=call.limit_key).used == 1


def admitted_residency(call, member, economic, starts_on, months=12):
    application = make_application(call, member, status=Status.ADMITTED, staff=economic)
    place = Place.objects.filter(space=call.space).first()
    return residency_start(application=application, place=place, starts_on=starts_on,
                           ends_on=starts_on + datetime.timedelta(days=30 * months), mentor="李导师", actor=economic)


def test_overdue_reports_are_flagged_until_filed(client, call, member, economic):
    today = timezone.localdate()
    residency = admitted_residency(call, member, economic, today - datetime.timedelta(days=200))
    late = reports_overdue(residency)
    assert late, "a quarter that ended months ago without a report is overdue"
    client.force_login(economic)
    assert "逾期未报" in client.get(reverse("admin:innovation_residency_changelist")).content.decode()
    client.force_login(member.user)
    assert 'id="overdue"' in client.get(reverse("innovation:detail", args=[residency.application_id])).content.decode()
    for year, quarter in late:
        report = progress_report_file(residency=residency, year=year, quarter=quarter, milestones="完成样机",
                                      revenue=Decimal("1000"), jobs_created=1, patents=0, actor=member.user)
        assert report.on_time is False
    residency.refresh_from_db()
    assert reports_overdue(residency) == []
    with pytest.raises(ReportExists):
        progress_report_file(residency=residency, year=late[0][0], quarter=late[0][1], milestones="x",
                             revenue=Decimal("0"), jobs_created=0, patents=0, actor=member.user)


def test_a_new_residency_has_nothing_overdue_and_negative_numbers_are_refused(call, member, economic):
    today = timezone.localdate()
    residency = admitted_residency(call, member, economic, today)
    assert reports_overdue(residency) == []
    y, q = today.year, (today.month - 1) // 3 + 1
    with pytest.raises(NegativeAmount):
        progress_report_file(residency=residency, year=y, quarter=q, milestones="x", revenue=Decimal("-1"),
                             jobs_created=0, patents=0, actor=member.user)


def test_leaving_frees_the_place_for_another_team(call, member, economic):
    residency = admitted_residency(call, member, economic, timezone.localdate())
    assert Allowance.objects.get(key=call.limit_key).used == 1
    residency_end(residency=residency, state=Residency.State.GRADUATED, actor=economic, reason="已注册公司")
    assert Allowance.objects.get(key=call.limit_key).used == 0
    other = make_application(call, MemberFactory(user=UserFactory()), status=Status.ADMITTED, staff=economic, name="下一个")
    again = residency_start(application=other, place=residency.place, starts_on=timezone.localdate(),
                            ends_on=timezone.localdate() + datetime.timedelta(days=90), actor=economic)
    assert again.place == residency.place


def test_the_lead_files_a_report_online(client, call, member, economic):
    today = timezone.localdate()
    residency = admitted_residency(call, member, economic, today)
    client.force_login(member.user)
    url = reverse("innovation:report", args=[residency.application_id])
    y, q = today.year, (today.month - 1) // 3 + 1
    response = client.post(url, {"period": f"{y}-{q}", "milestones": "完成首批样机", "revenue": "１２,０００",
                                 "jobs_created": "3", "patents": "1"})
    assert response.status_code == 302
    report = residency.reports.get()
    assert (report.revenue, report.jobs_created, report.patents, report.on_time) == (Decimal("12000"), 3, 1, True)
    response = client.post(url, {"period": f"{y}-{q}", "milestones": "x", "revenue": "-5", "jobs_created": "-1",
                                 "patents": "0"})
    assert response.status_code == 200 and residency.reports.count() == 1


def test_the_calls_ranking_is_for_staff_off_the_panel(client, panel, call, economic):
    application, free, _conflicted, third = panel
    review_assign(call=call)
    review_submit(review=Review.objects.get(reviewer=third), actor=third.user, scores=scores(call, 12, 21))
    url = reverse("admin:innovation_call_change", args=[call.pk])
    client.force_login(economic)
    page = client.get(url).content.decode()
    assert 'id="ranking"' in page and "33.0" in page
    free.user.is_superuser = True  # even a reviewer who could open the call does not see the ranking
    free.user.save()
    client.force_login(free.user)
    page = client.get(url).content.decode()
    assert "评审专家不在此查看排名" in page and "33.0" not in page


def test_a_draft_cannot_be_submitted_after_the_call_closes(call, member):
    from apps.innovation.errors import CallClosed

    application = make_application(call, member, status=Status.DRAFT)
    call.closes_on = timezone.localdate() - datetime.timedelta(days=1)
    call.opens_on = call.closes_on - datetime.timedelta(days=30)
    call.save()
    with pytest.raises(CallClosed):
        application_transition(application=application, target=Status.SUBMITTED, actor=member.user)
