"""Every page opens (admin included) and odd parameters never give a 500."""

import pytest
from django.urls import reverse

from apps.competitions.models import Registration
from apps.competitions.services import registration_create
from tests.factories import MemberFactory

from .factories import EventFactory, ProposalFactory

pytestmark = pytest.mark.django_db


def test_public_pages_open_for_anyone(client):
    event = EventFactory()
    for url in [reverse("competitions:list"), reverse("competitions:detail", args=[event.competition_id]),
                reverse("competitions:event", args=[event.pk]), reverse("competitions:proposals")]:
        response = client.get(url)
        assert response.status_code == 200, url
    assert "登录后报名" in client.get(reverse("competitions:event", args=[event.pk])).content.decode()


@pytest.mark.parametrize("path", [
    "/competitions/99999999999999999999/", "/competitions/events/99999999999999999999/",
    "/competitions/events/0/results/", "/me/competitions/proposals/JY2026-000000/",
    "/competitions/proposals/attachments/99999999999/",
])
def test_unknown_or_huge_ids_are_404(client, member, path):
    client.force_login(member.user)
    assert client.get(path).status_code == 404


def test_unpublished_competition_is_hidden(client):
    event = EventFactory(competition__is_published=False)
    assert client.get(reverse("competitions:detail", args=[event.competition_id])).status_code == 404
    assert client.get(reverse("competitions:event", args=[event.pk])).status_code == 404


def test_odd_form_values_change_nothing(client, member):
    event = EventFactory()
    client.force_login(member.user)
    for level in ["\x00", "99", "-1", "abc"]:
        response = client.post(reverse("competitions:register", args=[event.pk]),
                               {"certificate_level": level, "confirm": "on"}, follow=True)
        assert response.status_code == 200
    response = client.post(reverse("competitions:register", args=[event.pk]), {"certificate_level": "0"}, follow=True)
    assert "这个字段是必填项" in response.content.decode() or "必填" in response.content.decode()
    assert not Registration.objects.exists()


def test_a_double_submit_registers_once(client, member):
    event = EventFactory()
    client.force_login(member.user)
    data = {"certificate_level": "0", "confirm": "on"}
    client.post(reverse("competitions:register", args=[event.pk]), data)
    response = client.post(reverse("competitions:register", args=[event.pk]), data, follow=True)
    assert "无需重复报名" in response.content.decode()
    assert Registration.objects.count() == 1


def test_proposal_form_opens_and_refuses_empty(client, member):
    client.force_login(member.user)
    assert client.get(reverse("competitions:proposal_new")).status_code == 200
    response = client.post(reverse("competitions:proposal_new"), {"title": "\x00"})
    assert response.status_code == 200


def test_every_admin_page_opens_for_the_department(client, staff_of, member):
    event = EventFactory()
    registration = registration_create(event=event, member=member, actor=None)
    proposal = ProposalFactory(member=MemberFactory())
    client.force_login(staff_of("经济技术部"))
    urls = [reverse("admin:competitions_competition_add"),
            reverse("admin:competitions_competition_change", args=[event.competition_id]),
            reverse("admin:competitions_event_add"), reverse("admin:competitions_event_change", args=[event.pk]),
            reverse("admin:competitions_registration_change", args=[registration.pk]),
            reverse("admin:competitions_proposal_change", args=[proposal.pk]),
            reverse("admin:competitions_proposal_review", args=[proposal.pk]),
            reverse("admin:competitions_registration_changelist") + "?q=%00&status=zzz",
            reverse("admin:competitions_proposal_changelist") + "?year=99999999999999999999",
            reverse("competitions:proposal_numbers")]
    for url in urls:
        assert client.get(url).status_code in (200, 302), url


def test_admin_export_of_registrations(client, staff_of, member):
    event = EventFactory()
    registration = registration_create(event=event, member=member, actor=None)
    client.force_login(staff_of("经济技术部"))
    response = client.post(reverse("admin:competitions_registration_changelist"),
                           {"action": "export_xlsx", "_selected_action": [registration.pk]})
    assert response.status_code == 200 and "spreadsheet" in response["Content-Type"]


def test_wrong_group_cannot_open_registrations_in_admin(client, staff_of, member):
    registration = registration_create(event=EventFactory(), member=member, actor=None)
    client.force_login(staff_of("权益保障部"))
    assert client.get(reverse("admin:competitions_registration_change", args=[registration.pk])).status_code in (
        302, 403)
    assert client.get(reverse("admin:competitions_registration_changelist")).status_code == 403


def test_an_event_with_dates_out_of_order_is_refused_in_admin(client, staff_of):
    import datetime

    from django.utils import timezone

    from apps.competitions.models import Event

    from .factories import CompetitionFactory

    competition = CompetitionFactory()
    today = timezone.localdate()
    client.force_login(staff_of("经济技术部"))
    data = {"competition": competition.pk, "trade": "电工", "name": "新项目", "held_on": today.isoformat(),
            "registration_opens": (today + datetime.timedelta(days=3)).isoformat(),
            "registration_closes": (today + datetime.timedelta(days=1)).isoformat(), "capacity": "-5",
            "required_level": "0", "tie_break": "none", "award_basis": "count", "first_prizes": "1",
            "second_prizes": "2", "third_prizes": "3", "merit_prizes": "0",
            "rounds-TOTAL_FORMS": "1", "rounds-INITIAL_FORMS": "0", "rounds-MIN_NUM_FORMS": "1",
            "rounds-MAX_NUM_FORMS": "1000", "rounds-0-kind": "theory", "rounds-0-weight": "100",
            "rounds-0-full_marks": "100"}
    response = client.post(reverse("admin:competitions_event_add"), data)
    assert response.status_code == 200
    assert not Event.objects.exists()
    data["capacity"] = "5"
    response = client.post(reverse("admin:competitions_event_add"), data)
    assert response.status_code == 200 and not Event.objects.exists()
    data["registration_opens"] = (today - datetime.timedelta(days=3)).isoformat()
    data["held_on"] = (today + datetime.timedelta(days=9)).isoformat()
    assert client.post(reverse("admin:competitions_event_add"), data).status_code == 302
    assert Event.objects.get().rounds.count() == 1


def test_a_negative_benefit_or_award_is_refused_in_review(client, staff_of):
    from apps.competitions.models import Proposal

    proposal = ProposalFactory(member=MemberFactory())
    client.force_login(staff_of("经济技术部"))
    url = reverse("admin:competitions_proposal_review", args=[proposal.pk])
    for benefit, award in [("-1", ""), ("100", "-5"), ("１e400", "")]:
        response = client.post(url, {"decision": "adopted", "benefit": benefit, "award_amount": award})
        assert response.status_code == 200
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.SUBMITTED
