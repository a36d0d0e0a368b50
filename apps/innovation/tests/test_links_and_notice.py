"""Studios count the adopted proposals and innovations of the competitions app (linked both
ways, only the published ones shown); a call's admitted teams go on public notice (公示) with
the lead's name masked and the objection period of apps.notices."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.competitions.models import Proposal
from apps.competitions.tests.factories import ProposalFactory
from apps.core.cache import public_data_changed
from apps.innovation.errors import NothingToNotice
from apps.innovation.models import ApplicationStatusChange, Status, Studio
from apps.innovation.services import call_admissions_notice_publish
from apps.notices.models import NoticeItem, PublicNotice
from apps.notices.services import objection_submit
from apps.notify.models import Notification
from tests.factories import EmployerFactory, MemberFactory, UserFactory

from .conftest import make_application

pytestmark = pytest.mark.django_db


def adopted(member, **kwargs):
    kwargs.setdefault("consent_public", True)
    return ProposalFactory(member=member, status=Proposal.Status.ADOPTED, benefit=Decimal("20000"),
                           reviewed_at=timezone.now(), **kwargs)


@pytest.fixture
def studio(db):
    return Studio.objects.create(name="王师傅工匠创新工作室", kind=Studio.Kind.CRAFTSMAN, leader_name="王师傅",
                                 employer=EmployerFactory())


def test_a_studio_shows_its_published_adopted_proposals_and_the_proposals_show_the_studio(client, studio, member):
    shown = adopted(member, title="空压机加装变频器")
    private = adopted(member, title="不愿公开的建议", consent_public=False)
    reopened = adopted(member, title="重新评审中的建议")
    studio.proposals.add(shown, private, reopened)
    Proposal.objects.filter(pk=reopened.pk).update(status=Proposal.Status.SUBMITTED)
    public_data_changed()
    page = client.get(reverse("innovation:studio", args=[studio.pk])).content.decode()
    assert 'id="studio-proposals"' in page and "空压机加装变频器" in page
    assert "不愿公开的建议" not in page and "重新评审中的建议" not in page
    listing = client.get(reverse("competitions:proposals")).content.decode()
    assert reverse("innovation:studio", args=[studio.pk]) in listing
    client.force_login(member.user)
    detail = client.get(reverse("competitions:proposal_detail", args=[shown.number])).content.decode()
    assert 'id="proposal-studios"' in detail and studio.name in detail


def test_an_unpublished_studio_is_not_shown_beside_a_proposal(client, studio, member):
    proposal = adopted(member)
    studio.is_published = False
    studio.save()
    studio.proposals.add(proposal)
    assert studio.name not in client.get(reverse("competitions:proposals")).content.decode()


def test_the_studio_admin_offers_only_adopted_proposals(client, studio, member, economic):
    yes, no = adopted(member, title="采纳的"), ProposalFactory(member=member, title="待评审的")
    field = Studio._meta.get_field("proposals")
    choices = Proposal.objects.complex_filter(field.get_limit_choices_to())
    assert yes in choices and no not in choices
    client.force_login(economic)
    assert client.get(reverse("admin:innovation_studio_change", args=[studio.pk])).status_code == 200
    studio.proposals.add(yes)
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    change = client.get(reverse("admin:competitions_proposal_change", args=[yes.pk])).content.decode()
    assert reverse("admin:innovation_studio_change", args=[studio.pk]) in change


def test_admitted_teams_go_on_notice_masked_once(client, call, economic):
    lead = MemberFactory(name="张晓红", user=UserFactory())
    admitted = make_application(call, lead, status=Status.ADMITTED, staff=economic)
    under_review = make_application(call, MemberFactory(user=UserFactory()), status=Status.REVIEWING,
                                    staff=economic, name="另一个项目")
    notice = call_admissions_notice_publish(call=call, actor=economic)
    assert [i.ref for i in notice.items.all()] == [f"innovation.application:{admitted.pk}"]
    assert notice.ends_on > notice.starts_on
    page = client.get(reverse("notices:detail", args=[notice.pk])).content.decode()
    assert "智能袜机物联网改造" in page and "张*红" in page
    assert "张晓红" not in page and lead.document_number not in page and lead.phone not in page
    assert under_review.project_name not in page
    note = ApplicationStatusChange.objects.filter(application=admitted).latest("at")
    assert note.actor == economic and "入驻名单公示" in note.note
    assert Notification.objects.filter(member=lead, title="众创空间入驻名单公示").exists()
    with pytest.raises(NothingToNotice):
        call_admissions_notice_publish(call=call, actor=economic)
    # anyone may object while it runs
    objection = objection_submit(notice=notice, item=notice.items.get(), content="该团队负责人并非本单位职工",
                                 contact="13900000000")
    assert objection.pk


def test_the_notice_counts_working_days_from_its_start(call, economic):
    make_application(call, MemberFactory(user=UserFactory()), status=Status.ADMITTED, staff=economic)
    call.notice_workdays = 3
    call.save()
    tuesday = datetime.date(2026, 9, 29)  # one working day, then the National Day holiday (1-7 October)
    notice = call_admissions_notice_publish(call=call, actor=economic, starts_on=tuesday)
    assert notice.ends_on >= datetime.date(2026, 10, 8)


def test_the_admin_action_publishes_and_other_groups_cannot(client, call, economic, staff_of):
    make_application(call, MemberFactory(user=UserFactory()), status=Status.ADMITTED, staff=economic)
    url = reverse("admin:innovation_call_changelist")
    data = {"action": "publish_admissions_notice", "_selected_action": [call.pk]}
    client.force_login(staff_of("权益保障部"))
    assert client.post(url, data).status_code == 403
    assert not PublicNotice.objects.exists()
    client.force_login(economic)
    page = client.post(url, data, follow=True).content.decode()
    assert "公示已发布" in page
    assert NoticeItem.objects.count() == 1
    page = client.post(url, data, follow=True).content.decode()
    assert "没有尚未公示的已入驻项目" in page
    assert NoticeItem.objects.count() == 1


def test_the_studio_list_counts_adopted_proposals_only(client, studio, member):
    studio.proposals.add(adopted(member), adopted(member, consent_public=False))
    reopened = adopted(member)
    studio.proposals.add(reopened)
    Proposal.objects.filter(pk=reopened.pk).update(status=Proposal.Status.SUBMITTED)
    public_data_changed()
    page = client.get(reverse("innovation:studios")).content.decode()
    assert "被采纳建议 2 条" in page
