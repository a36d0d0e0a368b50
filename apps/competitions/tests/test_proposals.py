"""Proposals and innovations: submitted from the phone with co-authors and attachments,
reviewed (officer of the union or 经济技术部), told to the authors, listed publicly with consent,
numbers per year; who may see what."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from apps.competitions.errors import BenefitRequired, ReasonRequired
from apps.competitions.models import Proposal, ProposalAttachment, ProposalChange
from apps.competitions.services import proposal_transition
from apps.core.workflow import MoveNotPermitted
from apps.notify.models import Notification
from tests.factories import MemberFactory

from .factories import ProposalFactory

pytestmark = pytest.mark.django_db
S = Proposal.Status


def png():
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(out, "PNG")
    return SimpleUploadedFile("现场照片.png", out.getvalue(), content_type="image/png")


def submit(client, member, **extra):
    client.force_login(member.user)
    data = {"kind": "innovation", "title": "注塑机余热回收", "problem": "注塑机散热浪费", "proposal": "加装换热器",
            "expected_benefit": "每年节约电费约3万元", "consent_public": "on", **extra}
    return client.post(reverse("competitions:proposal_new"), data, follow=True)


def test_a_proposal_through_review_to_the_public_list(client, member, other_member, officer,
                                                      django_capture_on_commit_callbacks, sms_outbox):
    mate = MemberFactory(union=member.union, employer=member.employer, user=None)
    response = submit(client, member, co_author_numbers=f"{mate.membership_number}，", files=[png()])
    proposal = Proposal.objects.get()
    assert "已提交，编号" in response.content.decode()
    assert list(proposal.co_authors.all()) == [mate]
    assert ProposalAttachment.objects.get(proposal=proposal).kind == "image"
    assert client.get(reverse("competitions:proposals")).content.decode().count(proposal.title) == 0

    client.force_login(officer)
    url = reverse("admin:competitions_proposal_review", args=[proposal.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"decision": "adopted", "benefit": "", "reason": ""})
    assert "采纳时请填写效益（元/年）。" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"decision": "adopted", "benefit": "30000.50", "award_amount": "800"})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert (proposal.status, proposal.benefit, proposal.award_amount) == (S.ADOPTED, Decimal("30000.50"), Decimal("800"))
    assert proposal.reviewed_by == officer
    assert ProposalChange.objects.filter(proposal=proposal, to_status=S.ADOPTED, actor=officer, member=member).exists()
    assert Notification.objects.filter(member=member, title="合理化建议评审结果").exists()
    assert Notification.objects.filter(member=mate, title="合理化建议评审结果").exists()
    assert any(m.phone == member.phone and "已被采纳" in m.text for m in sms_outbox)

    page = client.get(reverse("competitions:proposals")).content.decode()
    assert proposal.title in page and member.name in page and mate.name in page


def test_without_consent_an_adopted_proposal_stays_off_the_public_list(staff_of):
    proposal = ProposalFactory(member=MemberFactory(), consent_public=False)
    proposal_transition(proposal=proposal, target=S.ADOPTED, actor=staff_of("经济技术部"), benefit=Decimal("1"))
    from apps.competitions.selectors import proposals_public

    assert not proposals_public().exists()


def test_not_adopted_needs_a_reason_and_an_outsider_may_not_decide(member, other_officer, staff_of):
    proposal = ProposalFactory(member=member)
    staff = staff_of("经济技术部")
    with pytest.raises(ReasonRequired):
        proposal_transition(proposal=proposal, target=S.NOT_ADOPTED, actor=staff, reason="  ")
    with pytest.raises(BenefitRequired):
        proposal_transition(proposal=proposal, target=S.ADOPTED, actor=staff)
    with pytest.raises(MoveNotPermitted):
        proposal_transition(proposal=proposal, target=S.NOT_ADOPTED, actor=other_officer, reason="不可行")
    with pytest.raises(MoveNotPermitted):
        proposal_transition(proposal=proposal, target=S.NOT_ADOPTED, actor=staff_of("权益保障部"), reason="不可行")
    proposal_transition(proposal=proposal, target=S.NOT_ADOPTED, actor=staff, reason="成本过高")
    proposal.refresh_from_db()
    assert (proposal.status, proposal.reason) == (S.NOT_ADOPTED, "成本过高")


def test_a_member_cannot_see_another_members_proposal_before_publication(client, member, other_member):
    proposal = ProposalFactory(member=member)
    attachment = ProposalAttachment.objects.create(proposal=proposal, file=SimpleUploadedFile("a.png", b"x"),
                                                   kind="image", content_type="image/png", original_name="a.png")
    client.force_login(other_member.user)
    assert client.get(reverse("competitions:proposal_detail", args=[proposal.number])).status_code == 404
    assert client.get(reverse("competitions:proposal_attachment", args=[attachment.pk])).status_code == 404
    client.force_login(member.user)
    assert client.get(reverse("competitions:proposal_detail", args=[proposal.number])).status_code == 200
    assert client.get(reverse("competitions:proposal_attachment", args=[attachment.pk])).status_code == 200


def test_an_officer_sees_the_own_unions_proposals_not_another_unions(client, member, officer, other_officer):
    proposal = ProposalFactory(member=member)
    client.force_login(officer)
    assert proposal.title in client.get(reverse("admin:competitions_proposal_changelist")).content.decode()
    assert client.get(reverse("admin:competitions_proposal_change", args=[proposal.pk])).status_code == 200
    client.force_login(other_officer)
    assert proposal.title not in client.get(reverse("admin:competitions_proposal_changelist")).content.decode()
    assert client.get(reverse("admin:competitions_proposal_change", args=[proposal.pk])).status_code in (302, 404)
    assert client.get(reverse("admin:competitions_proposal_review", args=[proposal.pk])).status_code == 404


def test_wrong_staff_group_sees_no_proposal(client, member, staff_of):
    ProposalFactory(member=member)
    client.force_login(staff_of("权益保障部"))
    assert client.get(reverse("admin:competitions_proposal_changelist")).status_code == 403
    assert client.get(reverse("competitions:proposal_numbers")).status_code == 403


def test_a_fake_file_is_refused_and_nothing_is_saved(client, member):
    fake = SimpleUploadedFile("report.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = submit(client, member, files=[fake])
    assert "只接受图片" in response.content.decode()
    assert not Proposal.objects.exists()


def test_an_unknown_co_author_is_named(client, member):
    response = submit(client, member, co_author_numbers="YWT99999999")
    assert "没有找到会员号为 YWT99999999 的在册会员" in response.content.decode()
    assert not Proposal.objects.exists()


def test_numbers_per_year_by_union_and_town_and_export(client, member, other_member, staff_of):
    staff = staff_of("经济技术部")
    for m, status, benefit in [(member, S.ADOPTED, "1000"), (member, S.NOT_ADOPTED, None), (member, S.SUBMITTED, None),
                               (other_member, S.ADOPTED, "500.5")]:
        p = ProposalFactory(member=m)
        if status == S.ADOPTED:
            proposal_transition(proposal=p, target=status, actor=staff, benefit=Decimal(benefit), award_amount="100")
        elif status == S.NOT_ADOPTED:
            proposal_transition(proposal=p, target=status, actor=staff, reason="重复")
    client.force_login(staff)
    year = timezone.localdate().year
    page = client.get(reverse("competitions:proposal_numbers"), {"year": year}).content.decode()
    assert member.union.name in page and "50.0%" in page and "1000.00" in page
    page = client.get(reverse("competitions:proposal_numbers"), {"year": year, "by": "town"}).content.decode()
    assert member.town_street.name in page
    response = client.get(reverse("competitions:proposal_numbers"), {"year": year, "format": "xlsx"})
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml")
    for odd in ["\x00", "99999999999999999999", "abc"]:
        assert client.get(reverse("competitions:proposal_numbers"), {"year": odd, "by": odd}).status_code == 200


def test_officer_numbers_cover_only_the_own_union(client, member, other_member, officer):
    ProposalFactory(member=member)
    ProposalFactory(member=other_member)
    client.force_login(officer)
    page = client.get(reverse("competitions:proposal_numbers")).content.decode()
    assert member.union.name in page and other_member.union.name not in page
