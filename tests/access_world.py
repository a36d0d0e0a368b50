"""The one data set the access matrix walks: the demo data (a few rows in every app) plus the
personas of the matrix, and the URL arguments each pattern is opened with.

Member-owned records belong to member A (the demo member with a login, union A in 稠城);
member B is a member of union B in 福田 who owns nothing, so each of A's records opened by B
must be refused. Officer A/B are officers of union A/B, agency A/B the agency points of 稠城
and 福田.
"""

import datetime
import io
from dataclasses import dataclass, field

from django.contrib.auth.models import Group, User
from django.core.files.base import ContentFile
from django.core.management import call_command
from PIL import Image

from apps.accounts import roles
from tests.factories import (
    AgencyPointFactory,
    AgencyStaffFactory,
    EmployerFactory,
    MemberFactory,
    OfficerFactory,
    UnionFactory,
    UserFactory,
    town,
)

STAFF_ROLES = {
    "rights": roles.RIGHTS,
    "organisation": roles.ORGANISATION,
    "economic": roles.ECONOMIC,
    "aid": roles.AID,
    "mutualaid": roles.MUTUAL_AID,
    "counselling": roles.COUNSELLING,
    "supervisor": roles.COUNSELLING_SUPERVISOR,
    "leadership": roles.LEADERSHIP,
    "office": roles.OFFICE,
}
ROLES = [
    "anonymous", "member_a", "member_b", "officer_a", "officer_b", "agency_a", "agency_b",
    *STAFF_ROLES, "superuser",
]
# Every staff group of apps/accounts/roles.py is walked: these two through their personas.
GROUP_OF_ROLE = {**STAFF_ROLES, "officer_a": roles.UNION_OFFICER, "officer_b": roles.UNION_OFFICER,
                 "agency_a": roles.AGENCY_POINT, "agency_b": roles.AGENCY_POINT}


def _jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (60, 80), (200, 30, 30)).save(buffer, "JPEG")
    return buffer.getvalue()


PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@dataclass
class World:
    users: dict = field(default_factory=dict)  # role -> User (anonymous: None)
    args: dict = field(default_factory=dict)  # object key -> URL kwargs
    member_a: object = None
    member_b: object = None


_missing: list[str] = []


class _Nothing:
    pk = number = 0


def _owned(model, **filters):
    """The first row of `model` (or of a queryset) matching `filters`; a missing one is
    reported at the end."""
    rows = model if hasattr(model, "query") else model._default_manager
    obj = rows.filter(**filters).order_by("pk").first()
    if obj is None:
        _missing.append(f"{rows.model._meta.label} with {filters}")
        return _Nothing()
    return obj


def _clean(name: str, data: bytes = PDF, kind: str = "pdf", content_type: str = "application/pdf"):
    from apps.core.uploads import CleanDocument

    return CleanDocument(ContentFile(data, name=name), kind, content_type, name)


def _records_of_member_a(a, world) -> None:  # noqa: PLR0915
    """Member A's own records and the staff-owned jobs that the demo data does not make."""
    from django.utils import timezone

    from apps.aid.models import AidType, ApplicationDocument
    from apps.aid.services import application_documents_add, application_start, ineligibility, member_facts
    from apps.competitions.models import Proposal, ProposalAttachment
    from apps.core.models import ExportJob, ImportJob
    from apps.counselling.models import Slot, Topic
    from apps.counselling.services import booking_create
    from apps.membership.services import profile_change_submit, transfer_request
    from apps.news.models import Article, ArticleAttachment, ArticleImage
    from apps.notices.models import PublicNotice
    from apps.stars.models import Evaluation, EvaluationEvidence, EvaluationScore

    today = timezone.localdate()
    open_types = [t for t in AidType.objects.select_related("campaign").order_by("pk")
                  if t.campaign.is_open(today) and ineligibility(aid_type=t, member=a, facts=member_facts(a), today=today) is None]
    assert len(open_types) >= 2, "the demo data has fewer than two aid types open to member A"
    aid_type = open_types[0]
    world.args["aid_type"] = {"type_pk": open_types[1].pk}
    application = application_start(aid_type=aid_type, member=a, actor=a.user)
    application_documents_add(application=application, actor=a.user, documents=[
        (ApplicationDocument.Purpose.DIAGNOSIS, _clean("diagnosis.pdf"))])
    proposal = Proposal.objects.filter(member=a).order_by("pk").first()
    ProposalAttachment.objects.create(proposal=proposal, kind="pdf", content_type="application/pdf",
                                      original_name="图纸.pdf", uploaded_by=a.user,
                                      file=ContentFile(PDF, name="drawing.pdf"))
    slot = (Slot.objects.filter(starts_at__gt=timezone.now() + datetime.timedelta(days=3), is_withdrawn=False,
                                bookings__isnull=True).order_by("-starts_at").first())
    booking_create(member=a, slot=slot, topic=Topic.values[0])
    profile_change_submit(member=a, kind="name", proof=_clean("proof.pdf"), new_name="张晓虹", reason="户口本更名")
    transfer_request(member=a, by=a.user, to_employer=EmployerFactory(town_street=a.town_street), reason="换工作")
    staff = User.objects.get(username="aid")
    ExportJob.objects.create(owner=staff, title="导出", exporter="apps.aid.exports.ApplicationExporter",
                             status=ExportJob.Status.DONE, row_count=1, file=ContentFile(b"a,b\n", name="e.csv"))
    ImportJob.objects.create(owner=staff, title="导入", importer="apps.members.imports.MemberImport",
                             status=ImportJob.Status.DONE)
    article = Article.objects.filter(status="published").order_by("pk").first()
    ArticleImage.objects.create(article=article, image=ContentFile(_jpeg(), name="body.jpg"), caption="现场")
    ArticleAttachment.objects.create(article=article, file=ContentFile(PDF, name="notice.pdf"), name="通知.pdf")
    PublicNotice.objects.create(kind=PublicNotice._meta.get_field("kind").choices[0][0], source="test:1",
                                title="帮扶名单公示", workdays=5, starts_on=today,
                                ends_on=today + datetime.timedelta(days=7))
    evaluation = Evaluation.objects.filter(union=a.union).order_by("pk").first()
    if evaluation is None:
        from apps.stars.models import Rubric

        rubric = Rubric.objects.order_by("-year").first()
        evaluation = Evaluation.objects.create(union=a.union, rubric=rubric, year=rubric.year)
    score = evaluation.scores.order_by("pk").first() if hasattr(evaluation, "scores") else None
    if score is None:
        score = EvaluationScore.objects.create(evaluation=evaluation, criterion=evaluation.rubric.criteria.first())
    EvaluationEvidence.objects.create(score=score, kind="pdf", content_type="application/pdf", original_name="台账.pdf",
                                      uploaded_by=world.users.get("officer_a"), file=ContentFile(PDF, name="ledger.pdf"))


def build_world() -> World:  # noqa: PLR0915 (one list of what the matrix opens)
    from apps.aid.models import Application as AidApplication
    from apps.aid.models import ApplicationDocument, HealthProgramme
    from apps.awards.models import KIND_SLUGS, HonourEntry
    from apps.competitions.models import Competition, Event, Proposal, ProposalAttachment, Registration
    from apps.core.models import ExportJob, ImportJob
    from apps.counselling.models import Booking, Slot
    from apps.counselling.models import Studio as CounsellingStudio
    from apps.innovation.models import Application as InnovationApplication
    from apps.innovation.models import BusinessPlan
    from apps.innovation.models import Studio as InnovationStudio
    from apps.members.models import Member
    from apps.members.services import member_account_activate, member_card_token
    from apps.membership.models import ProfileChangeRequest, Transfer
    from apps.mutualaid.models import Claim, ClaimReceipt
    from apps.news.models import Article, ArticleAttachment, ArticleImage
    from apps.notices.models import PublicNotice
    from apps.rights.models import CaseAttachment, RightsCase
    from apps.stars.models import EvaluationEvidence

    _missing.clear()
    call_command("seed_demo", stdout=io.StringIO())
    world = World()
    a = Member.objects.get(user__isnull=False, union__name="义乌市示范小商品有限公司工会", name="张晓红")
    union_a = a.union
    union_b = UnionFactory(name="义乌市福田测试电子有限公司工会", town_street=town("futian"))
    b = MemberFactory(name="李建国乙", user=UserFactory(username="member_b"),
                      employer=EmployerFactory(union=union_b, town_street=union_b.town_street))
    for member in (a, b):
        if member.user_id is None:
            member_account_activate(member=member)
    photo = _jpeg()
    a.photo.save("a.jpg", ContentFile(photo), save=False)
    a.photo_thumbnail.save("a-thumb.jpg", ContentFile(photo), save=False)
    a.save()
    world.member_a, world.member_b = a, b

    by_name = {u.username: u for u in User.objects.filter(username__in=["admin", "officer", "agency", *[
        "rights", "org", "economic", "aid", "mutualaid", "counselling", "supervisor", "leader", "office"]])}
    world.users = {
        "anonymous": None,
        "member_a": a.user,
        "member_b": b.user,
        "officer_a": by_name["officer"],
        "officer_b": OfficerFactory(union=union_b).user,
        "agency_a": by_name["agency"],
        "agency_b": AgencyStaffFactory(point=AgencyPointFactory(town_street=union_b.town_street)).user,
        "superuser": by_name["admin"],
    }
    demo_login = {"rights": "rights", "organisation": "org", "economic": "economic", "aid": "aid",
                  "mutualaid": "mutualaid", "counselling": "counselling", "supervisor": "supervisor",
                  "leadership": "leader", "office": "office"}
    for role, username in demo_login.items():
        world.users[role] = by_name[username]
    for role, group in GROUP_OF_ROLE.items():
        assert world.users[role].groups.filter(name=group).exists(), (role, group)
    assert Group.objects.filter(name__in=roles.STAFF_GROUPS).count() == len(roles.STAFF_GROUPS)

    # Records of member A that the demo data does not already hold.
    from apps.core.uploads import CleanDocument
    from apps.rights.models import Category, Channel
    from apps.rights.services import case_submit

    if not RightsCase.objects.filter(member=a).exists():
        case_submit(channel=Channel.ONLINE, category=Category.WAGE_ARREARS, description="拖欠两个月工资。",
                    member=a, employer=a.employer, amount_owed=8000,
                    attachments=[CleanDocument(ContentFile(PDF, name="wage.pdf"), "pdf", "application/pdf", "工资条.pdf")])
    _records_of_member_a(a, world)
    case = _owned(RightsCase, member=a)
    world.args.update({
        "rights_case_a": {"number": case.number},
        "rights_attachment_a": {"pk": _owned(CaseAttachment, case__member=a).pk},
    })
    world.args["aid_application_a"] = {"pk": _owned(AidApplication, member=a).pk}
    world.args["aid_document_a"] = {"pk": _owned(ApplicationDocument, application__member=a).pk}
    # Staff withdraw a file of a submitted application (drafts are the member's own): one of
    # member A's, submitted with its file.
    from django.utils import timezone

    from apps.aid.models import AidType
    from apps.aid.services import application_documents_add as documents_add
    from apps.aid.services import application_start as start

    types = [t for t in AidType.objects.select_related("campaign").order_by("-pk") if t.campaign.is_open(timezone.localdate())
             and not AidApplication.objects.filter(member=a, aid_type=t).exists()]
    submitted = start(aid_type=types[0], member=a, actor=a.user)
    documents_add(application=submitted, actor=a.user, documents=[(ApplicationDocument.Purpose.DIAGNOSIS, _clean("bill.pdf"))])
    AidApplication.objects.filter(pk=submitted.pk).update(status="submitted", submitted_at=timezone.now())
    document = _owned(ApplicationDocument, application=submitted)
    world.args["aid_document_a_withdraw"] = {"pk": getattr(document, "application_id", 0), "doc": document.pk}
    world.args["health_programme"] = {"pk": _owned(HealthProgramme).pk}
    entry = _owned(HonourEntry, is_published=True, programme__is_published=True)
    if entry.pk and not entry.photo_thumbnail:
        entry.photo.save("e.jpg", ContentFile(photo), save=False)
        entry.photo_thumbnail.save("e-thumb.jpg", ContentFile(photo), save=False)
        entry.save()
    slug = KIND_SLUGS.get(getattr(getattr(entry, "programme", None), "kind", None), "none")
    world.args["honour_photo"] = {"pk": entry.pk, "size": "thumb"}
    world.args["honour_roll"] = {"slug": slug}
    world.args["honour_entry"] = {"slug": slug, "pk": entry.pk}
    world.args["competition"] = {"pk": _owned(Competition, is_published=True).pk}
    world.args["event"] = {"pk": _owned(Event).pk}
    world.args["registration_a"] = {"pk": _owned(Registration, member=a).pk}
    world.args["proposal_a"] = {"number": _owned(Proposal, member=a).number}
    world.args["proposal_attachment_a"] = {"pk": _owned(ProposalAttachment, proposal__member=a).pk}
    world.args["language"] = {"code": "en"}
    world.args["export_job"] = {"pk": _owned(ExportJob).pk}
    world.args["import_job"] = {"pk": _owned(ImportJob).pk}
    world.args["counselling_studio"] = {"pk": _owned(CounsellingStudio).pk}
    world.args["slot"] = {"slot_pk": _owned(Slot, starts_at__gt=datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=2), is_withdrawn=False, bookings__isnull=True).pk}
    world.args["booking_a"] = {"pk": _owned(Booking, member=a).pk}
    world.args["innovation_application_a"] = {"pk": _owned(InnovationApplication, lead=a).pk}
    world.args["plan_a"] = {"pk": _owned(BusinessPlan, application__lead=a).pk}
    world.args["innovation_studio"] = {"pk": _owned(InnovationStudio).pk}
    world.args["member_photo_a"] = {"pk": a.pk, "size": "thumb"}
    world.args["card_token_a"] = {"token": member_card_token(a)}
    world.args["profile_change_a"] = {"pk": _owned(ProfileChangeRequest, member=a).pk}
    world.args["transfer_a"] = {"pk": _owned(Transfer, member=a).pk}
    world.args["receipt_a"] = {"pk": _owned(ClaimReceipt, claim__member=a).pk}
    world.args["claim_a"] = {"number": _owned(Claim, member=a).number}
    article = _owned(Article, status="published")
    world.args["article"] = {"pk": article.pk}
    world.args["article_image"] = {"pk": _owned(ArticleImage).pk}
    world.args["article_attachment"] = {"pk": _owned(ArticleAttachment).pk}
    world.args["notice"] = {"pk": _owned(PublicNotice).pk}
    from apps.awards.models import Nomination
    from apps.awards.selectors import programmes_running

    world.args["award_programme_open"] = {"programme_pk": _owned(programmes_running()).pk}
    world.args["nomination_a"] = {"pk": _owned(Nomination, union=union_a).pk}
    from apps.awards.models import NominationFile

    nomination_file = _owned(NominationFile)
    world.args["nomination_file"] = {"pk": getattr(nomination_file, "nomination_id", 0), "file_pk": nomination_file.pk}
    world.args["two_members"] = {"first": a.pk, "second": b.pk}
    world.args["staff_user"] = {"id": world.users["office"].pk}
    world.args["stars_union"] = {"pk": union_a.pk}
    from apps.rights.models import SupervisionCampaign
    from apps.rights.services import supervision_campaign_create

    campaign = SupervisionCampaign.objects.order_by("pk").first() or supervision_campaign_create(year=timezone.localdate().year)
    world.args["supervision_campaign"] = {"pk": campaign.pk}
    world.args["stars_evidence_a"] = {"pk": _owned(EvaluationEvidence, score__evaluation__union=union_a).pk}
    if _missing:
        raise AssertionError("the access world lacks (add them in tests/access_world.py): " + "; ".join(_missing))
    return world
