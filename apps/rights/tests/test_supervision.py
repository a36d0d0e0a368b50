"""The four-season supervision campaign: themes and checklists, inspection follow-up states,
the candidate list and the campaign report; legal aid and arbitration observation records."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from apps.accounts import roles
from apps.core.workflow import IllegalTransition
from apps.rights.errors import CampaignExists
from apps.rights.models import (
    ArbitrationObservation,
    Finding,
    FollowUp,
    Inspection,
    LegalAidGrant,
    RightsCase,
    Season,
    Status,
)
from apps.rights.selectors import campaign_report, inspection_candidates
from apps.rights.services import finding_follow_up, supervision_campaign_create
from tests.factories import EmployerFactory, UnionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign():
    return supervision_campaign_create(year=timezone.localdate().year)


def inspect(campaign, employer, season=Season.WINTER, problems=1, compliant=1, on=None):
    theme = campaign.themes.get(season=season)
    inspection = Inspection.objects.create(
        theme=theme, employer=employer, inspected_on=on or timezone.localdate(), inspectors="权益保障部 王、李",
        rectification_due=(on or timezone.localdate()) + datetime.timedelta(days=30),
    )
    items = list(theme.checklist.all())
    for item in items[:problems]:
        Finding.objects.create(inspection=inspection, item=item, is_compliant=False, description="工资延迟发放两个月")
    for item in items[problems:problems + compliant]:
        Finding.objects.create(inspection=inspection, item=item, is_compliant=True)
    return inspection


class TestCampaign:
    def test_a_campaign_comes_with_its_four_themes_and_checklists(self, campaign):
        themes = {t.season: t for t in campaign.themes.all()}
        assert set(themes) == set(Season.values)
        assert themes[Season.SPRING].title == "劳动合同签订与履行"
        assert themes[Season.SUMMER].title == "安全生产与防暑降温"
        assert themes[Season.AUTUMN].title == "社会保险费缴纳"
        assert themes[Season.WINTER].title == "工资支付"
        assert all(t.checklist.count() >= 3 for t in themes.values())

    def test_one_campaign_per_year(self, campaign):
        with pytest.raises(CampaignExists) as refused:
            supervision_campaign_create(year=campaign.year)
        assert refused.value.message == "该年度的监督四季行活动已存在。"

    def test_campaign_added_in_admin_gets_its_themes(self, client, staff_of):
        client.force_login(staff_of(roles.RIGHTS))
        response = client.post(reverse("admin:rights_supervisioncampaign_add"), {"year": "2027", "title": ""})
        assert response.status_code == 302
        from apps.rights.models import SupervisionCampaign

        created = SupervisionCampaign.objects.get(year=2027)
        assert created.title == "2027年监督四季行" and created.themes.count() == 4
        again = client.post(reverse("admin:rights_supervisioncampaign_add"), {"year": "2027", "title": ""})
        assert again.status_code == 200 and SupervisionCampaign.objects.count() == 1


class TestFollowUp:
    def test_a_compliant_item_needs_no_follow_up(self, campaign):
        inspection = inspect(campaign, EmployerFactory(), problems=0, compliant=1)
        finding = inspection.findings.get()
        assert finding.follow_up == FollowUp.NOT_NEEDED
        with pytest.raises(IllegalTransition):
            finding_follow_up(finding=finding, target=FollowUp.RECTIFIED, actor=None)

    def test_a_problem_starts_open_and_is_rectified(self, campaign, rights_officer):
        finding = inspect(campaign, EmployerFactory(), compliant=0).findings.get()
        assert finding.follow_up == FollowUp.OPEN
        done = finding_follow_up(finding=finding, target=FollowUp.RECTIFIED, actor=rights_officer, note="已补发工资")
        assert (done.follow_up, done.follow_up_note, done.followed_up_by) == (FollowUp.RECTIFIED, "已补发工资", rights_officer)
        assert done.followed_up_on == timezone.localdate()

    def test_a_referred_problem_may_still_be_rectified_but_nothing_reopens(self, campaign, rights_officer):
        finding = inspect(campaign, EmployerFactory(), compliant=0).findings.get()
        finding_follow_up(finding=finding, target=FollowUp.REFERRED, actor=rights_officer, note="移交市劳动保障监察大队")
        finding_follow_up(finding=finding, target=FollowUp.RECTIFIED, actor=rights_officer)
        with pytest.raises(IllegalTransition) as refused:
            finding_follow_up(finding=finding, target=FollowUp.OPEN, actor=rights_officer)
        assert refused.value.message == "当前状态“已整改”不能变更为“整改中”。"
        with pytest.raises(IllegalTransition):
            finding_follow_up(finding=finding, target=FollowUp.REFERRED, actor=rights_officer)

    def test_the_database_keeps_compliance_and_follow_up_consistent(self, campaign):
        finding = inspect(campaign, EmployerFactory(), compliant=0).findings.get()
        with pytest.raises(IntegrityError):
            Finding.objects.filter(pk=finding.pk).update(follow_up=FollowUp.NOT_NEEDED)

    def test_a_finding_must_use_an_item_of_the_inspections_theme(self, campaign):
        inspection = inspect(campaign, EmployerFactory(), season=Season.WINTER, problems=0, compliant=0)
        spring_item = campaign.themes.get(season=Season.SPRING).checklist.first()
        with pytest.raises(ValidationError) as refused:
            Finding(inspection=inspection, item=spring_item, is_compliant=False, description="x").full_clean()
        assert refused.value.message_dict["item"] == ["检查项目不属于本次检查的主题。"]

    def test_admin_actions_follow_up_through_the_service(self, client, campaign, rights_officer):
        inspection = inspect(campaign, EmployerFactory(), problems=2, compliant=1)
        open_one, other = inspection.findings.filter(is_compliant=False)
        finding_follow_up(finding=other, target=FollowUp.RECTIFIED, actor=rights_officer)
        client.force_login(rights_officer)
        response = client.post(
            reverse("admin:rights_finding_changelist"),
            {"action": "mark_referred", "_selected_action": [open_one.pk, other.pk]}, follow=True,
        )
        open_one.refresh_from_db()
        other.refresh_from_db()
        assert open_one.follow_up == FollowUp.REFERRED and other.follow_up == FollowUp.RECTIFIED
        assert "当前状态“已整改”不能变更为“已移交劳动监察”。" in response.content.decode()


class TestCandidates:
    def test_employers_with_two_recent_cases_not_inspected_this_year(self, make_case, campaign):
        today = timezone.localdate()
        twice, once, inspected, old = (EmployerFactory(name=n) for n in ("两件公司", "一件公司", "已检查公司", "旧案公司"))
        make_case(employer=twice)
        make_case(employer=twice)
        make_case(employer=once)
        make_case(employer=inspected)
        make_case(employer=inspected)
        inspect(campaign, inspected)
        for _ in range(2):
            case = make_case(employer=old)
            RightsCase.objects.filter(pk=case.pk).update(submitted_at=timezone.now() - datetime.timedelta(days=400))
        candidates = list(inspection_candidates(today=today))
        assert [e.name for e in candidates] == ["两件公司"]
        assert candidates[0].recent_cases == 2

    def test_an_inspection_last_year_does_not_count(self, make_case, campaign):
        employer = EmployerFactory(name="去年检查过的公司")
        make_case(employer=employer)
        make_case(employer=employer)
        last_year = supervision_campaign_create(year=campaign.year - 1)
        inspect(last_year, employer, on=datetime.date(campaign.year - 1, 12, 1))
        assert [e.name for e in inspection_candidates()] == ["去年检查过的公司"]

    def test_candidate_list_in_admin(self, client, make_case, rights_officer, staff_of):
        employer = EmployerFactory(name="屡次被投诉的公司")
        make_case(employer=employer)
        make_case(employer=employer)
        client.force_login(rights_officer)
        response = client.get(reverse("admin:rights_inspectioncandidate_changelist"))
        assert response.status_code == 200 and "屡次被投诉的公司" in response.content.decode()
        client.force_login(staff_of(roles.ECONOMIC))
        assert client.get(reverse("admin:rights_inspectioncandidate_changelist")).status_code == 403


class TestReport:
    def test_report_counts_employers_findings_and_rectification_rate(self, campaign, rights_officer):
        a, b = EmployerFactory(), EmployerFactory()
        first = inspect(campaign, a, Season.WINTER, problems=2, compliant=1)
        inspect(campaign, b, Season.WINTER, problems=1, compliant=2)
        inspect(campaign, a, Season.SPRING, problems=0, compliant=3)
        fixed, referred = first.findings.filter(is_compliant=False)
        finding_follow_up(finding=fixed, target=FollowUp.RECTIFIED, actor=rights_officer)
        finding_follow_up(finding=referred, target=FollowUp.REFERRED, actor=rights_officer)
        report = campaign_report(campaign)
        winter = next(r for r in report["rows"] if r["theme"].season == Season.WINTER)
        assert (winter["employers"], winter["inspections"], winter["problems"], winter["rectified"], winter["referred"], winter["open"]) == (2, 2, 3, 1, 1, 1)
        assert winter["rate"] == pytest.approx(1 / 3)
        assert [r["theme"].season for r in report["rows"]] == ["spring", "summer", "autumn", "winter"]
        totals = report["totals"]
        assert (totals["employers"], totals["inspections"], totals["problems"], totals["rectified"]) == (2, 3, 3, 1)

    def test_report_page_in_admin(self, client, campaign, rights_officer, staff_of):
        inspect(campaign, EmployerFactory(), problems=1)
        url = reverse("admin:rights_supervisioncampaign_report", args=[campaign.pk])
        client.force_login(rights_officer)
        response = client.get(url)
        assert response.status_code == 200 and "整改率" in response.content.decode()
        client.force_login(staff_of(roles.LEADERSHIP))
        assert client.get(url).status_code == 200
        client.force_login(staff_of(roles.AID))
        assert client.get(url).status_code == 403


class TestLegalAidAndArbitration:
    def test_a_grant_needs_hours_or_a_fee(self, make_case):
        case = make_case(Status.LEGAL_AID)
        grant = LegalAidGrant(case=case, provider_kind=LegalAidGrant.Provider.LAWYER, provider_name="浙江某律师事务所",
                              approved_on=timezone.localdate())
        with pytest.raises(ValidationError) as refused:
            grant.full_clean()
        assert "请填写批准工时或批准费用。" in str(refused.value)
        grant.approved_fee = Decimal("3000")
        grant.full_clean()
        grant.save()
        assert case.legal_aid == grant

    def test_a_finished_grant_has_its_date(self, make_case):
        grant = LegalAidGrant(
            case=make_case(Status.LEGAL_AID), provider_kind=LegalAidGrant.Provider.AGENCY, provider_name="义乌市法律援助中心",
            approved_on=timezone.localdate(), approved_hours=Decimal("12.5"), result=LegalAidGrant.Result.SUPPORTED,
        )
        with pytest.raises(IntegrityError):
            grant.save()

    def test_observation_recorded_in_admin_names_who_recorded_it(self, client, rights_officer, make_case):
        case = make_case(Status.ARBITRATION)
        union = UnionFactory()
        client.force_login(rights_officer)
        response = client.post(reverse("admin:rights_arbitrationobservation_add"), {
            "chair_name": "周建华", "union": union.pk, "hearing_on": "2026-11-18", "tribunal": "义乌市劳动人事争议仲裁委员会",
            "arbitration_number": "义劳人仲案〔2026〕512号", "case": case.pk, "record": "双方就加班费计算基数争议较大，仲裁员当庭调解未果。",
        })
        assert response.status_code == 302
        record = ArbitrationObservation.objects.get()
        assert (record.case, record.union, record.recorded_by) == (case, union, rights_officer)
