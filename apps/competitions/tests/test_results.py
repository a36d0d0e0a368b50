"""Scores in admin, totals by weights, ranks, prizes, the public results page, city titles."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.competitions.errors import ResultsAlreadyPublished, ResultsNotComputed
from apps.competitions.models import Award, Event, Registration, Round, Score
from apps.competitions.services import event_results_compute, event_results_publish, registration_create
from apps.notify.models import Notification
from tests.factories import MemberFactory

from .factories import EventFactory

pytestmark = pytest.mark.django_db
D = Decimal


def entrants(event, scores):
    """scores: list of (theory, practical) or None for someone who did not sit."""
    theory, practical = event.rounds.get(kind="theory"), event.rounds.get(kind="practical")
    result = []
    for pair in scores:
        registration = registration_create(event=event, member=MemberFactory(), actor=None)
        if pair is not None:
            Score.objects.create(registration=registration, round=theory, points=D(pair[0]))
            Score.objects.create(registration=registration, round=practical, points=D(pair[1]))
        result.append(registration)
    return result


def test_compute_ranks_with_ties_the_tie_break_and_prizes_by_count():
    event = EventFactory(capacity=10, tie_break=Event.TieBreak.PRACTICAL, first_prizes=1, second_prizes=1,
                         third_prizes=1, merit_prizes=1)
    a, b, c, d, absent = entrants(event, [("100", "90"), ("90", "90"), ("80", "95"), ("80", "95"), None])
    # totals: a 93.00, b 90.00, c 90.50, d 90.50
    assert event_results_compute(event=event, actor=None) == 4
    for r in (a, b, c, d, absent):
        r.refresh_from_db()
    assert [(r.total, r.rank, r.award) for r in (a, c, d, b)] == [
        (D("93.00"), 1, Award.FIRST), (D("90.50"), 2, Award.SECOND), (D("90.50"), 2, Award.SECOND),
        (D("90.00"), 4, Award.MERIT)]
    assert (absent.total, absent.rank, absent.award) == (None, None, "")


def test_compute_by_share():
    event = EventFactory(capacity=10, award_basis=Event.AwardBasis.SHARE, first_prizes=D("25"), second_prizes=D("25"),
                         third_prizes=D("0"), merit_prizes=D("0"))
    regs = entrants(event, [(str(90 - i), str(90 - i)) for i in range(4)])
    event_results_compute(event=event, actor=None)
    assert [Registration.objects.get(pk=r.pk).award for r in regs] == [Award.FIRST, Award.SECOND, "", ""]


def test_publish_tells_each_entrant_and_shows_the_public_page(client, django_capture_on_commit_callbacks, sms_outbox):
    event = EventFactory()
    (winner,) = entrants(event, [("95", "92")])
    response = client.get(reverse("competitions:results", args=[event.pk]))
    assert response.status_code == 404  # not before publication
    with pytest.raises(ResultsNotComputed):
        event_results_publish(event=event, actor=None)
    event_results_compute(event=event, actor=None)
    with django_capture_on_commit_callbacks(execute=True):
        event_results_publish(event=event, actor=None)
    assert Notification.objects.filter(member=winner.member, title="竞赛成绩已公布").exists()
    assert any(m.phone == winner.member.phone for m in sms_outbox)
    page = client.get(reverse("competitions:results", args=[event.pk])).content.decode()
    assert winner.member.masked_name in page and winner.member.name not in page
    assert "92.90" in page and "一等奖" in page
    with pytest.raises(ResultsAlreadyPublished):
        event_results_compute(event=event, actor=None)


def test_staff_enter_scores_in_admin_compute_and_publish(client, staff_of):
    event = EventFactory()
    (registration,) = entrants(event, [None])
    staff = staff_of("经济技术部")
    client.force_login(staff)
    theory, practical = event.rounds.get(kind="theory"), event.rounds.get(kind="practical")
    url = reverse("admin:competitions_registration_change", args=[registration.pk])
    assert client.get(url).status_code == 200
    data = {
        "city_title": "", "title_decided_on": "",
        "scores-TOTAL_FORMS": "2", "scores-INITIAL_FORMS": "0", "scores-MIN_NUM_FORMS": "0",
        "scores-MAX_NUM_FORMS": "1000",
        "scores-0-round": theory.pk, "scores-0-points": "88", "scores-0-registration": registration.pk,
        "scores-1-round": practical.pk, "scores-1-points": "101", "scores-1-registration": registration.pk,
        "changes-TOTAL_FORMS": "0", "changes-INITIAL_FORMS": "0", "changes-MIN_NUM_FORMS": "0",
        "changes-MAX_NUM_FORMS": "1000",
    }
    response = client.post(url, data)
    assert response.status_code == 200 and "得分不能超过该环节满分 100.00 分" in response.content.decode()
    assert not Score.objects.exists()
    data["scores-1-points"] = "90"
    assert client.post(url, data).status_code == 302
    assert Score.objects.get(round=practical).entered_by == staff
    changelist = reverse("admin:competitions_event_changelist")
    client.post(changelist, {"action": "compute_results", "_selected_action": [event.pk]})
    client.post(changelist, {"action": "publish_results", "_selected_action": [event.pk]})
    registration.refresh_from_db()
    event.refresh_from_db()
    assert registration.total == D("89.40") and registration.rank == 1 and event.results_published


def test_a_winner_is_marked_for_a_city_title_with_the_decision_date(client, staff_of):
    event = EventFactory()
    (registration,) = entrants(event, [("90", "90")])
    client.force_login(staff_of("经济技术部"))
    url = reverse("admin:competitions_registration_change", args=[registration.pk])
    base = {"scores-TOTAL_FORMS": "0", "scores-INITIAL_FORMS": "0", "scores-MIN_NUM_FORMS": "0",
            "scores-MAX_NUM_FORMS": "1000", "changes-TOTAL_FORMS": "0", "changes-INITIAL_FORMS": "0",
            "changes-MIN_NUM_FORMS": "0", "changes-MAX_NUM_FORMS": "1000"}
    client.post(url, {**base, "city_title": "义乌市技术能手", "title_decided_on": ""})
    registration.refresh_from_db()
    assert registration.city_title == ""
    day = timezone.localdate() - datetime.timedelta(days=1)
    client.post(url, {**base, "city_title": "义乌市技术能手", "title_decided_on": day.isoformat()})
    registration.refresh_from_db()
    assert (registration.city_title, registration.title_decided_on) == ("义乌市技术能手", day)
    assert Notification.objects.filter(member=registration.member, title="授予称号").exists()


def test_a_round_weight_out_of_range_is_refused_by_the_database():
    from django.db import IntegrityError, transaction

    event = EventFactory(rounds={})
    with pytest.raises(IntegrityError), transaction.atomic():
        Round.objects.create(event=event, kind="theory", weight=D("0"))


def test_judges_sheet_imports_scores_all_or_nothing(client, staff_of):
    from .test_bulk import fullwidth, xlsx

    event = EventFactory()
    a, b = entrants(event, [None, None])
    client.force_login(staff_of("经济技术部"))
    url = reverse("admin:competitions_event_scores_import", args=[event.pk])
    assert client.get(url).status_code == 200
    bad = xlsx([["第十二届竞赛评分表"], ["身份证号", "姓名", "理论成绩", "实操成绩"],
                [a.member.document_number, a.member.name, 88, "９０.５"],
                [b.member.document_number, b.member.name, "八十", 101]])
    page = client.post(url, {"file": bad}).content.decode()
    assert "第 4 行【理论成绩】：成绩“八十”不是数字。" in page
    assert "第 4 行【实操成绩】：实操成绩超过满分 100.00。" in page
    assert not Score.objects.exists()
    good = xlsx([["证件号码", "理论", "实操"], [a.member.document_number, 88, fullwidth("90.5")],
                 [b.member.document_number, "70", "80"]])
    assert client.post(url, {"file": good}).status_code == 302
    assert Score.objects.count() == 4
    event_results_compute(event=event, actor=None)
    a.refresh_from_db()
    assert a.total == D("89.75") and a.rank == 1
