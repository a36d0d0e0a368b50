"""Nominations: drafts, submission inside the window and quota, refusals that change nothing,
review through the one transition, the public notice and the decision."""

import datetime

import pytest
from django.utils import timezone

from apps.awards import services
from apps.awards.errors import (
    DeedsTooShort,
    NotAMember,
    NotNominator,
    PhotoRequired,
    WindowClosed,
)
from apps.awards.models import HonourEntry, Nomination, NominationStatus, NominationStatusChange
from apps.core.limits import LimitExceeded, allowance_used
from apps.core.uploads import photo_clean
from apps.core.workflow import MoveNotPermitted
from apps.members.models import Member
from apps.notices.errors import NoticeStillRunning, ObjectionsOpen
from apps.notices.models import Objection, PublicNotice
from apps.notices.services import objection_answer, objection_submit
from apps.notify.models import Notification
from tests.factories import MemberFactory

from .conftest import DEEDS, photo_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewer(staff_of):
    return staff_of("经济技术部")


def union_key(programme, union_id):
    return f"awards.quota:programme={programme.pk}:union={union_id}"


def test_officer_submits_a_member_inside_window_and_quota(officer, member, craftsman_programme, draft_for):
    draft = draft_for(officer, member, craftsman_programme)
    assert draft.status == NominationStatus.DRAFT and draft.union_id == member.union_id
    submitted = services.nomination_submit(nomination=draft, actor=officer)
    assert submitted.status == NominationStatus.SUBMITTED
    assert allowance_used(union_key(craftsman_programme, member.union_id)) == 1
    assert allowance_used(f"awards.quota:programme={craftsman_programme.pk}") == 1
    change = NominationStatusChange.objects.filter(nomination=draft).last()
    assert (change.to_status, change.actor, change.member) == (NominationStatus.SUBMITTED, officer, member)


def test_submission_outside_the_window_is_refused(officer, member, craftsman_programme, draft_for):
    draft = draft_for(officer, member, craftsman_programme)
    craftsman_programme.closes_on = timezone.localdate() - datetime.timedelta(days=1)
    craftsman_programme.opens_on = craftsman_programme.closes_on - datetime.timedelta(days=10)
    craftsman_programme.save()
    with pytest.raises(WindowClosed) as error:
        services.nomination_submit(nomination=draft, actor=officer)
    assert str(error.value) == "不在本项目的推荐时间内，不能提交推荐。"
    draft.refresh_from_db()
    assert draft.status == NominationStatus.DRAFT
    assert allowance_used(union_key(craftsman_programme, member.union_id)) == 0


def test_submission_over_the_unions_quota_is_refused(officer, member, craftsman_programme, draft_for):
    craftsman_programme.union_places = 1
    craftsman_programme.save()
    services.nomination_submit(nomination=draft_for(officer, member, craftsman_programme), actor=officer)
    colleague = MemberFactory(union=member.union, town_street=member.town_street)
    second = draft_for(officer, colleague, craftsman_programme)
    with pytest.raises(LimitExceeded) as error:
        services.nomination_submit(nomination=second, actor=officer)
    assert str(error.value) == "超出本单位工会推荐名额：剩余 0。"
    second.refresh_from_db()
    assert second.status == NominationStatus.DRAFT


def test_overall_quota_holds_across_unions(officer, member, other_officer, other_member, craftsman_programme,
                                           draft_for):
    craftsman_programme.quota = 1
    craftsman_programme.save()
    services.nomination_submit(nomination=draft_for(officer, member, craftsman_programme), actor=officer)
    with pytest.raises(LimitExceeded):
        services.nomination_submit(nomination=draft_for(other_officer, other_member, craftsman_programme),
                                   actor=other_officer)


def test_officer_cannot_nominate_another_unions_member(officer, other_member, craftsman_programme, draft_for):
    with pytest.raises(NotNominator) as error:
        draft_for(officer, other_member, craftsman_programme)
    assert str(error.value) == "只能推荐本单位工会（或本镇街）的会员和集体。"
    assert not Nomination.objects.exists()


def test_other_officer_cannot_submit_a_draft(officer, other_officer, member, craftsman_programme, draft_for):
    draft = draft_for(officer, member, craftsman_programme)
    with pytest.raises(NotNominator):
        services.nomination_submit(nomination=draft, actor=other_officer)


def test_non_member_nominee_is_refused(officer, member, craftsman_programme):
    with pytest.raises(NotAMember) as error:
        services.nomination_draft_save(actor=officer, programme=craftsman_programme,
                                       document_number="330782199001011234", deeds=DEEDS)
    assert "只有在册的工会会员才能被推荐" in str(error.value)
    member.status = Member.Status.WITHDRAWN
    member.save()
    with pytest.raises(NotAMember):
        services.nomination_draft_save(actor=officer, programme=craftsman_programme,
                                       document_number=member.document_number, deeds=DEEDS)
    assert not Nomination.objects.exists()


def test_deeds_too_short_and_missing_photo_are_refused(officer, member, craftsman_programme, draft_for):
    draft = draft_for(officer, member, craftsman_programme, deeds="爱岗敬业，" * 10)
    with pytest.raises(DeedsTooShort) as error:
        services.nomination_submit(nomination=draft, actor=officer)
    assert str(error.value) == "事迹至少 200 字，目前 50 字。"
    bare = services.nomination_draft_save(actor=officer, programme=craftsman_programme,
                                          document_number=MemberFactory(union=member.union).document_number,
                                          deeds=DEEDS, contact_phone="13805791234")
    with pytest.raises(PhotoRequired):
        services.nomination_submit(nomination=bare, actor=officer)
    assert Nomination.objects.filter(status=NominationStatus.DRAFT).count() == 2


def test_withdrawal_gives_the_place_back(officer, member, craftsman_programme, draft_for):
    nomination = services.nomination_submit(nomination=draft_for(officer, member, craftsman_programme),
                                            actor=officer)
    services.nomination_transition(nomination=nomination, target=NominationStatus.WITHDRAWN, actor=officer)
    assert allowance_used(union_key(craftsman_programme, member.union_id)) == 0


def test_town_federation_recommends_a_member_of_its_town(member, craftsman_programme, draft_for):
    from tests.factories import AgencyStaffFactory

    town_login = AgencyStaffFactory(point__town_street=member.town_street).user
    nomination = draft_for(town_login, member, craftsman_programme, channel="town")
    assert nomination.channel == "town" and nomination.town_street_id == member.town_street_id
    services.nomination_submit(nomination=nomination, actor=town_login)
    outsider = MemberFactory()
    if outsider.town_street_id != member.town_street_id:
        with pytest.raises(NotNominator):
            draft_for(town_login, outsider, craftsman_programme, channel="town")


def test_recently_awarded_nominee_is_flagged(officer, member, craftsman_programme, draft_for):
    from apps.awards.models import AwardProgramme

    earlier = AwardProgramme.objects.create(kind=craftsman_programme.kind, year=craftsman_programme.year - 2,
                                            title="第一届“义乌工匠”", is_published=True)
    HonourEntry.objects.create(programme=earlier, name=member.name, member=member, town_street=member.town_street,
                               deeds="……")
    nomination = services.nomination_submit(nomination=draft_for(officer, member, craftsman_programme),
                                            actor=officer)
    assert nomination.recently_awarded is True


def _through_notice(officer, member, programme, reviewer, draft_for, starts_on=None):
    nomination = services.nomination_submit(nomination=draft_for(officer, member, programme), actor=officer)
    services.nomination_transition(nomination=nomination, target=NominationStatus.SHORTLISTED, actor=reviewer)
    notice = services.programme_notice_publish(programme=programme, actor=reviewer, starts_on=starts_on)
    nomination.refresh_from_db()
    return nomination, notice


def test_decision_refused_while_notice_runs_and_with_open_objection(
    officer, member, craftsman_programme, reviewer, draft_for, sms_outbox
):
    nomination, notice = _through_notice(officer, member, craftsman_programme, reviewer, draft_for)
    assert nomination.status == NominationStatus.ON_NOTICE
    with pytest.raises(NoticeStillRunning):
        services.nomination_transition(nomination=nomination, target=NominationStatus.AWARDED, actor=reviewer)
    objection = objection_submit(notice=notice, content="该同志的事迹材料与实际不符，请核实。", contact="13900000000",
                                 item=notice.items.get())
    after = notice.ends_on + datetime.timedelta(days=1)
    with pytest.raises(ObjectionsOpen):
        services.nomination_transition(nomination=nomination, target=NominationStatus.AWARDED, actor=reviewer,
                                       today=after)
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.ON_NOTICE and not HonourEntry.objects.filter(member=member).exists()
    objection_answer(objection=objection, actor=reviewer, answer="经核实，事迹属实。")
    awarded = services.nomination_transition(nomination=nomination, target=NominationStatus.AWARDED,
                                             actor=reviewer, today=after)
    assert awarded.status == NominationStatus.AWARDED
    entry = awarded.entry
    assert entry.member == member and entry.is_public and entry.photo
    assert Notification.objects.filter(member=member, title__contains="已授予荣誉").exists()


def test_officer_may_not_shortlist_or_decide(officer, member, craftsman_programme, draft_for):
    nomination = services.nomination_submit(nomination=draft_for(officer, member, craftsman_programme),
                                            actor=officer)
    with pytest.raises(MoveNotPermitted):
        services.nomination_transition(nomination=nomination, target=NominationStatus.SHORTLISTED, actor=officer)


def test_rejection_needs_a_reason_and_tells_the_nominator(officer, member, craftsman_programme, reviewer,
                                                          draft_for, sms_outbox):
    from apps.awards.errors import DecisionReasonRequired
    from apps.notify.models import SmsMessage

    nomination = services.nomination_submit(nomination=draft_for(officer, member, craftsman_programme),
                                            actor=officer)
    with pytest.raises(DecisionReasonRequired):
        services.nomination_transition(nomination=nomination, target=NominationStatus.REJECTED, actor=reviewer)
    services.nomination_transition(nomination=nomination, target=NominationStatus.REJECTED, actor=reviewer,
                                   reason="不符合从业年限要求")
    assert SmsMessage.objects.filter(phone="13805791234", text__contains="未入围").exists()


def test_notice_masks_names_and_counts_working_days_across_national_day(
    officer, member, craftsman_programme, reviewer, draft_for
):
    # Published on Wednesday 30 September 2026: 1-7 October are holidays, Saturday 10 October a
    # make-up working day; five working days are 8, 9, 10, 12 and 13 October.
    _nomination, notice = _through_notice(officer, member, craftsman_programme, reviewer, draft_for,
                                          starts_on=datetime.date(2026, 9, 30))
    assert notice.ends_on == datetime.date(2026, 10, 13)
    item = notice.items.get()
    assert item.display_name == "张*红"


def test_notice_page_shows_no_id_or_phone(client, officer, member, craftsman_programme, reviewer, draft_for):
    member.phone = "13905791234"
    member.save()
    _nomination, notice = _through_notice(officer, member, craftsman_programme, reviewer, draft_for)
    page = client.get(f"/notices/{notice.pk}/").content.decode()
    assert "张*红" in page
    assert member.name not in page
    assert member.document_number not in page and member.document_number[-6:] not in page
    assert member.phone not in page and "13805791234" not in page


def test_hand_made_entry_refused_for_a_programme_with_nominations(admin_client, craftsman_programme):
    from apps.orgs.models import TownStreet

    town = TownStreet.objects.get(code="choucheng")
    response = admin_client.post("/admin/awards/honourentry/add/", {
        "programme": craftsman_programme.pk, "name": "某某", "town_street": town.pk, "deeds": "事迹",
        "is_published": "on", "sort_order": 0,
    })
    assert response.status_code == 200
    assert "不能直接添加条目" in response.content.decode()
    assert not HonourEntry.objects.filter(programme=craftsman_programme).exists()


def test_pioneer_team_nomination(officer, member, pioneer_programme):
    from tests.factories import EmployerFactory

    employer = EmployerFactory(union=member.union, town_street=member.town_street)
    nomination = services.nomination_draft_save(
        actor=officer, programme=pioneer_programme, team_name="精密加工车间", team_employer=employer, team_size=24,
        team_leader="王师傅", deeds=DEEDS, contact_phone="13805791234",
        photo=photo_clean(photo_upload()),
    )
    services.nomination_submit(nomination=nomination, actor=officer)
    assert nomination.town_street_id == employer.town_street_id
    from apps.awards.errors import TeamAwardNeedsTeam

    with pytest.raises(TeamAwardNeedsTeam):
        services.nomination_draft_save(actor=officer, programme=pioneer_programme, team_name="二车间", deeds=DEEDS)


def test_objection_counts_in_numbers(officer, member, craftsman_programme, reviewer, draft_for):
    from apps.awards.selectors import programme_numbers

    _nomination, notice = _through_notice(officer, member, craftsman_programme, reviewer, draft_for)
    objection_submit(notice=notice, content="请核实该同志的从业年限。", contact="邮箱 a@b.cn")
    numbers = programme_numbers(craftsman_programme)
    assert numbers["totals"]["nominated"] == 1 and numbers["totals"]["shortlisted"] == 1
    assert numbers["totals"]["objections_open"] == 1
    assert numbers["by_union"][0]["name"] == member.union.name
    assert PublicNotice.objects.count() == 1 and Objection.objects.count() == 1
