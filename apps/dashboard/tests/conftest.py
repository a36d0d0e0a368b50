"""A hand-counted year of every app (the figures each test expects are written beside the
records that make them), and bulk volume for the query-count test."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import timezone

from apps.accounts import roles
from apps.aid import models as aid
from apps.awards import models as awards
from apps.competitions import models as comp
from apps.counselling import models as couns
from apps.innovation import models as inno
from apps.members.models import Member
from apps.membership.models import JoinRequest, JoinStatus, Transfer, TransferStatus
from apps.mutualaid import models as mutual
from apps.orgs.models import TownStreet
from apps.rights import models as rights
from apps.stars.models import Evaluation, EvaluationStatus, Rubric, StarRating
from tests.factories import EmployerFactory, MemberFactory, StaffFactory, UnionFactory, resident_id, town

D = Decimal


def at(year, month, day=10, hour=10):
    return datetime.datetime(year, month, day, hour, tzinfo=timezone.get_current_timezone())


@pytest.fixture
def year():
    return timezone.localdate().year


@pytest.fixture
def leader(db):
    return StaffFactory(groups=[roles.LEADERSHIP])


@pytest.fixture
def world(db, year):  # noqa: PLR0915 - one year of every app, written out to be counted by hand
    today = timezone.localdate()
    town_a = town("choucheng")
    town_b = TownStreet.objects.exclude(pk=town_a.pk).order_by("sort_order").first()
    union_a, union_b = UnionFactory(town_street=town_a), UnionFactory(town_street=town_b)
    union_c = UnionFactory(town_street=town_a)
    employer_a = EmployerFactory(town_street=town_a, union=union_a)
    employer_b = EmployerFactory(town_street=town_b, union=union_b)
    staff = StaffFactory()

    # members: town A 3 active (2 joined this year), 1 transferred, 1 withdrawn; town B 2 active
    m1 = MemberFactory(employer=employer_a, joined_on=datetime.date(year, 2, 1))
    m2 = MemberFactory(employer=employer_a, joined_on=datetime.date(year, 3, 1))
    m3 = MemberFactory(employer=employer_a)
    MemberFactory(employer=employer_a, status=Member.Status.TRANSFERRED)
    MemberFactory(employer=employer_a, status=Member.Status.WITHDRAWN)
    m4 = MemberFactory(employer=employer_b)
    m5 = MemberFactory(employer=employer_b)

    # join requests: March 4 (3 approved, 1 declined; one approved in town B), May 1 pending
    def join(n, town_street, union, status, when):
        return JoinRequest.objects.create(
            name=f"申请人{n}", gender="M", document_number=resident_id(900 + n), phone=f"1390000{n:04d}",
            town_street=town_street, employer_name="某某公司", job="操作工", union=union, consented_at=when, submitted_at=when,
            deadline=when.date() + datetime.timedelta(days=21), status=status)

    join(1, town_a, union_a, JoinStatus.APPROVED, at(year, 3))
    join(2, town_a, union_a, JoinStatus.APPROVED, at(year, 3))
    join(3, town_a, union_a, JoinStatus.DECLINED, at(year, 3))
    join(4, town_a, union_a, JoinStatus.PENDING, at(year, 5))
    join(5, town_b, union_b, JoinStatus.APPROVED, at(year, 3))
    join(6, town_a, union_a, JoinStatus.APPROVED, at(year - 1, 3))  # last year
    # transfers: one completed in June into town B, one still waiting
    Transfer.objects.create(member=m3, from_union=union_a, to_union=union_b, to_town_street=town_b,
                            status=TransferStatus.COMPLETED, finished_at=at(year, 6))
    Transfer.objects.create(member=m5, from_union=union_b, to_union=union_a, to_town_street=town_a)

    # rights: 5 cases this year (2 closed recovering 6,200.50, 1 declined, 2 open of which 1 overdue)
    def case(n, category, town_street, status, **extra):
        return rights.RightsCase.objects.create(
            number=f"WQ{year}{n:04d}", year=extra.pop("year", year), channel=rights.Channel.ONLINE,
            category=category, worker_name="职工", worker_phone="13800000000", description="经过",
            employer=employer_a if town_street == town_a else employer_b, town_street=town_street,
            status=status, **extra)

    case(1, rights.Category.WAGE_ARREARS, town_a, rights.Status.CLOSED, outcome=rights.Outcome.RESOLVED,
         amount_recovered=D("5000.00"), amount_owed=D("6000"))
    case(2, rights.Category.WAGE_ARREARS, town_a, rights.Status.CLOSED, outcome=rights.Outcome.PARTLY,
         amount_recovered=D("1200.50"), amount_owed=D("3000"), grade=rights.Grade.DIFFICULT)
    case(3, rights.Category.LABOUR_CONTRACT, town_b, rights.Status.MEDIATION, due_on=today - datetime.timedelta(days=1))
    case(4, rights.Category.WORK_INJURY, town_b, rights.Status.ACCEPTED, due_on=today + datetime.timedelta(days=5),
         grade=rights.Grade.VERY_COMPLEX)
    case(5, rights.Category.OTHER, town_a, rights.Status.DECLINED, decline_reason="不属于受理范围")
    case(6, rights.Category.WAGE_ARREARS, town_a, rights.Status.CLOSED, outcome=rights.Outcome.RESOLVED,
         amount_recovered=D("999"), year=year - 1)
    # supervision: 2 inspections, 5 items checked, 4 problems: 1 rectified, 1 referred, 2 open (1 overdue)
    campaign = rights.SupervisionCampaign.objects.create(year=year)
    spring = rights.SupervisionTheme.objects.create(campaign=campaign, season=rights.Season.SPRING, title="劳动合同")
    summer = rights.SupervisionTheme.objects.create(campaign=campaign, season=rights.Season.SUMMER, title="劳动安全")
    s_items = [rights.ChecklistItem.objects.create(theme=spring, text=f"春{i}", order=i) for i in range(3)]
    u_items = [rights.ChecklistItem.objects.create(theme=summer, text=f"夏{i}", order=i) for i in range(2)]
    # visited ten days ago (the campaign of this year counts it, whatever the calendar year of the visit)
    i1 = rights.Inspection.objects.create(theme=spring, employer=employer_a, inspected_on=today - datetime.timedelta(days=10),
                                          inspectors="甲", rectification_due=today - datetime.timedelta(days=1))
    i2 = rights.Inspection.objects.create(theme=summer, employer=employer_b, inspected_on=datetime.date(year, 1, 1),
                                          inspectors="乙", rectification_due=today + datetime.timedelta(days=10))
    F = rights.FollowUp
    rights.Finding.objects.create(inspection=i1, item=s_items[0], is_compliant=True, follow_up=F.NOT_NEEDED)
    rights.Finding.objects.create(inspection=i1, item=s_items[1], follow_up=F.RECTIFIED)
    rights.Finding.objects.create(inspection=i1, item=s_items[2], follow_up=F.OPEN)
    rights.Finding.objects.create(inspection=i2, item=u_items[0], follow_up=F.REFERRED)
    rights.Finding.objects.create(inspection=i2, item=u_items[1], follow_up=F.OPEN)

    # stars: one five-star demonstration union (A), one three-star (B), one withdrawn (A)
    StarRating.objects.create(union=union_a, year=year, level=5, is_demonstration=True)
    StarRating.objects.create(union=union_b, year=year, level=3)
    StarRating.objects.create(union=union_c, year=year, level=3, withdrawn_on=today)
    StarRating.objects.create(union=union_a, year=year - 1, level=4)
    rubric = Rubric.objects.create(year=year, title="星级标准", deadline=datetime.date(year, 12, 31))
    Evaluation.objects.create(union=union_a, rubric=rubric, year=year, status=EvaluationStatus.SUBMITTED)
    Evaluation.objects.create(union=union_b, rubric=rubric, year=year)

    # competitions: one competition, 2 events, 4 registrations of 3 workers, 2 awards
    c1 = comp.Competition.objects.create(name="第十二届劳动技能竞赛", year=year)
    old = comp.Competition.objects.create(name="往年竞赛", year=year - 1)

    def event(competition, name):
        return comp.Event.objects.create(
            competition=competition, trade="电工", name=name, held_on=datetime.date(year, 12, 30),
            registration_opens=datetime.date(year, 1, 1), registration_closes=datetime.date(year, 12, 1), capacity=50)

    e1, e2, e3 = event(c1, "电工"), event(c1, "焊工"), event(old, "往年")
    R = comp.Registration.Status
    comp.Registration.objects.create(event=e1, member=m1, award=comp.Award.FIRST)
    comp.Registration.objects.create(event=e1, member=m2, award=comp.Award.SECOND)
    comp.Registration.objects.create(event=e1, member=m3, status=R.WITHDRAWN)
    comp.Registration.objects.create(event=e2, member=m1)
    comp.Registration.objects.create(event=e2, member=m4, status=R.WAITING)
    comp.Registration.objects.create(event=e3, member=m4, award=comp.Award.FIRST)
    for n, (status, member, union, town_street) in enumerate([
        (comp.Proposal.Status.ADOPTED, m1, union_a, town_a), (comp.Proposal.Status.SUBMITTED, m4, union_b, town_b),
    ]):
        comp.Proposal.objects.create(
            number=f"JY{year}{n}", kind=comp.Proposal.Kind.SUGGESTION, title="建议", problem="问题", proposal="内容",
            expected_benefit="效益", member=member, union=union, town_street=town_street, year=year, status=status)

    # awards: craftsman 3 nominated (1 awarded, 1 not, 1 pending) + 1 draft; pioneer 2 (1 awarded, 1 rejected)
    K, S = awards.AwardKind, awards.NominationStatus
    craft = awards.AwardProgramme.objects.create(kind=K.CRAFTSMAN, year=year, title="义乌工匠", is_published=True)
    pioneer = awards.AwardProgramme.objects.create(kind=K.WORKER_PIONEER, year=year, title="工人先锋号", is_published=True)
    beauty = awards.AwardProgramme.objects.create(kind=K.MOST_BEAUTIFUL_WORKER, year=year, title="最美职工",
                                                  is_published=True)

    def nominate(programme, status, town_street, member=None, team=""):
        return awards.Nomination.objects.create(programme=programme, status=status, town_street=town_street,
                                                member=member, team_name=team, nominated_by=staff)

    nominate(craft, S.AWARDED, town_a, m1)
    nominate(craft, S.NOT_AWARDED, town_a, m2)
    nominate(craft, S.SUBMITTED, town_b, m4)
    nominate(craft, S.DRAFT, town_b, m5)
    nominate(pioneer, S.AWARDED, town_b, team="先锋班组")
    nominate(pioneer, S.REJECTED, town_b, team="落选班组")
    for programme, name, town_street in [(craft, "张工匠", town_a), (pioneer, "先锋班组", town_b),
                                         (beauty, "丁思诗", town_a), (beauty, "王立栋", town_a)]:
        awards.HonourEntry.objects.create(programme=programme, name=name, town_street=town_street, deeds="事迹",
                                          employer=employer_a if town_street == town_a else employer_b)

    # aid: winter (budget 100,000: 3 applications, 2 approved 3,500, paid 2,000) and autumn
    # (budget 50,000: 2 applications, 1 paid 3,000); one health check with 2 enrolments
    winter = aid.Campaign.objects.create(kind=aid.CampaignKind.WINTER, year=year, title="冬送温暖",
                                         starts_on=datetime.date(year, 1, 1), ends_on=datetime.date(year, 2, 1),
                                         budget=D("100000"))
    autumn = aid.Campaign.objects.create(kind=aid.CampaignKind.AUTUMN, year=year, title="金秋助学",
                                         starts_on=datetime.date(year, 8, 1), ends_on=datetime.date(year, 9, 1),
                                         budget=D("50000"))
    w_type = aid.AidType.objects.create(campaign=winter, name="慰问金")
    a_type = aid.AidType.objects.create(campaign=autumn, name="助学金")
    A = aid.Status
    for campaign_, type_, member, status, amount in [
        (winter, w_type, m1, A.PAID, D("2000")), (winter, w_type, m2, A.APPROVED, D("1500")),
        (winter, w_type, m4, A.DECLINED, None), (winter, w_type, m5, A.DRAFT, None),
        (autumn, a_type, m4, A.PAID, D("3000")), (autumn, a_type, m1, A.SUBMITTED, None),
    ]:
        aid.Application.objects.create(year=year, campaign=campaign_, aid_type=type_, member=member, status=status,
                                       amount=amount, union=member.union, town_street=member.town_street)
    checkup = aid.HealthProgramme.objects.create(kind=aid.ProgrammeKind.CHECKUP, year=year, title="免费体检",
                                                 starts_on=datetime.date(year, 1, 1), ends_on=datetime.date(year, 12, 31))
    for member in (m1, m4):
        aid.Enrolment.objects.create(programme=checkup, member=member, union=member.union, town_street=member.town_street)

    # mutual aid: 3 enrolled at 1,000 (3,000 due), 3,000 received, 4 claims: 2 paid (800 + 1,200)
    scheme = mutual.Scheme.objects.create(
        year=year, name="职工医疗互助", effective_from=datetime.date(year, 1, 1), contribution=D("1000"),
        cover_start=datetime.date(year, 1, 1), cover_end=datetime.date(year, 12, 31), overall_cap=D("50000"))
    benefit = mutual.BenefitType.objects.create(scheme=scheme, code="inpatient", name="住院",
                                                kind=mutual.BenefitKind.REIMBURSEMENT, yearly_cap=D("30000"))
    enrolments = {
        m: mutual.Enrolment.objects.create(scheme=scheme, year=year, member=m, union=m.union, town_street=m.town_street,
                                           contribution=D("1000"), enrolled_on=datetime.date(year, 1, 1),
                                           covered_from=datetime.date(year, 1, 1))
        for m in (m1, m2, m4)
    }
    mutual.ContributionPayment.objects.create(union=union_a, year=year, amount=D("2000"), paid_on=datetime.date(year, 1, 5),
                                              recorded_by=staff)
    mutual.ContributionPayment.objects.create(union=union_b, year=year, amount=D("1000"), paid_on=datetime.date(year, 1, 5),
                                              recorded_by=staff)
    MS = mutual.Status
    for n, (member, status, amount, month) in enumerate([
        (m1, MS.PAID, D("800"), 4), (m2, MS.APPROVED, D("500"), 4), (m4, MS.PAID, D("1200"), 6), (m4, MS.DECLINED, None, 6),
    ]):
        mutual.Claim.objects.create(
            number=f"HZ{year}{n}", year=year, channel=mutual.Channel.ONLINE, member=member, enrolment=enrolments[member],
            scheme=scheme, benefit=benefit, town_street=member.town_street, hospital="义乌市中心医院",
            admitted_on=datetime.date(year, 1, 2), discharged_on=datetime.date(year, 1, 9), diagnosis="诊断",
            total_cost=D("3000"), insurance_paid=D("2000"), out_of_pocket=D("1000"), payee_bank="银行",
            payee_account="6222000000000000", status=status, payable_amount=amount, submitted_at=at(year, month))

    # counselling: studio A 6 sessions, studio B 2 (shown "<5"); one of last year
    studio_a = couns.Studio.objects.create(name="稠城心灵港湾", town_street=town_a, address="地址", phone="0579")
    studio_b = couns.Studio.objects.create(name="北苑心灵港湾", town_street=town_b, address="地址", phone="0579")
    counsellor = couns.Counsellor.objects.create(user=StaffFactory(), name="咨询师",
                                                 qualification=couns.Counsellor.Qualification.choices[0][0])
    topic = couns.Topic.choices[0][0]
    for studio, count, when in [(studio_a, 6, at(year, 4)), (studio_b, 2, at(year, 5)), (studio_a, 1, at(year - 1, 5))]:
        for _n in range(count):
            session = couns.Session.objects.create(counsellor=counsellor, studio=studio, held_at=when)
            couns.SessionTopic.objects.create(session=session, topic=topic)

    # innovation: 3 places in use-able (1 occupied today), 3 applications submitted, 2 admitted
    space = inno.Space.objects.create(name="市职工众创空间", address="地址")
    places = [inno.Place.objects.create(space=space, name=f"A{i}") for i in range(3)]
    inno.Place.objects.create(space=space, name="停用", is_active=False)
    call = inno.Call.objects.create(title="入驻征集", space=space, opens_on=datetime.date(year, 1, 1),
                                    closes_on=datetime.date(year, 1, 31), places_offered=3)
    industry = inno.Industry.objects.create(name="智能制造")

    def apply(name, status, submitted=True):
        return inno.Application.objects.create(call=call, lead=m1, project_name=name, industry=industry, summary="简介",
                                               status=status, submitted_at=at(year, 1) if submitted else None)

    admitted = apply("项目一", inno.Status.ADMITTED)
    left = apply("项目二", inno.Status.ADMITTED)
    apply("项目三", inno.Status.REJECTED)
    apply("草稿", inno.Status.DRAFT, submitted=False)
    inno.Residency.objects.create(application=admitted, place=places[0], starts_on=today - datetime.timedelta(days=30),
                                  ends_on=today + datetime.timedelta(days=300))
    inno.Residency.objects.create(application=left, place=places[1], starts_on=today - datetime.timedelta(days=60),
                                  ends_on=today + datetime.timedelta(days=300), left_on=today - datetime.timedelta(days=5),
                                  state=inno.Residency.State.WITHDRAWN)
    return SimpleNamespace(year=year, town_a=town_a, town_b=town_b, union_a=union_a, union_b=union_b,
                           employer_a=employer_a, employer_b=employer_b, members=[m1, m2, m3, m4, m5], staff=staff,
                           campaign=winter, aid_type=w_type, scheme=scheme, benefit=benefit, studio_a=studio_a,
                           counsellor=counsellor, competition_event=e1, craft=craft, rubric=rubric)
