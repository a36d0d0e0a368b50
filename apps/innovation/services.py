"""Everything that changes innovation-space data. The member's pages, the admin screens and
the demo data call these; none re-implements a rule.

- application_save: a team's draft (new or edited while a draft or returned), its team and plans.
- application_transition: the one way an application changes status (APPLICATION_FLOW), with
  the call's places behind apps.core.limits on admission, a status-change row and the lead told.
- review_assign / review_submit: the panel, conflicts of interest excluded.
- residency_start / residency_end: a place for a term; leaving gives the call's place back.
- progress_report_file: the lead's quarterly report.
- call_admissions_notice_publish: the public notice (公示) of a call's admitted teams.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.limits import Limit, limit_release, limits_lock, limits_take
from apps.core.uploads import CleanDocument
from apps.notify.services import decision_key, member_notify
from apps.notify.texts import sms_template_register

from .errors import (
    ApplicationLocked,
    CallClosed,
    IndustryNotInCall,
    LeadNotMember,
    NegativeAmount,
    NotAReviewer,
    NothingToNotice,
    NotResident,
    PlaceTaken,
    PlanRequired,
    ReportExists,
    ReportQuarterInvalid,
    ResidencyDatesOutOfOrder,
    ReviewAlreadySubmitted,
    ReviewerConflicted,
    ScoreMissing,
    ScoreOutOfRange,
)
from .models import (
    Application,
    ApplicationStatusChange,
    BusinessPlan,
    Call,
    ProgressReport,
    Residency,
    Review,
    Reviewer,
    Score,
    Status,
    TeamMember,
)
from .selectors import report_quarters_due, reviewer_conflicted
from .workflows import APPLICATION_FLOW

MAX_PLANS = 5


@dataclass(frozen=True)
class TeamMate:
    """A team member other than the lead: a name and role, and the member record if they are one."""

    name: str
    role: str = ""
    member: object | None = None


def application_save(
    *,
    call: Call,
    lead,
    project_name: str,
    industry,
    summary: str,
    stage: str,
    needs_desk: bool = False,
    needs_mentor: bool = False,
    needs_funding_advice: bool = False,
    publish_consent: bool = False,
    public_summary: str = "",
    lead_role: str = "",
    team: list[TeamMate] | tuple = (),
    plans: list[CleanDocument] | tuple = (),
    actor=None,
    application: Application | None = None,
) -> Application:
    """Create or update a team's application as a draft (or a returned one being corrected).

    The lead must be a member (`lead` a Member; LeadNotMember otherwise) and is always the first
    team member; the team is replaced with `team`. New plans are added (earlier ones are kept).
    Takes the application's row lock, so a submission at the same moment cannot be edited
    under it (ApplicationLocked). Raises CallClosed, IndustryNotInCall.
    """
    if lead is None or not getattr(lead, "pk", None):
        raise LeadNotMember()
    if (application is None or application.status == Status.DRAFT) and not call.is_open():
        raise CallClosed()  # a returned application may still be corrected after the call closes
    if not call.industries.filter(pk=industry.pk).exists():
        raise IndustryNotInCall()
    with transaction.atomic():
        if application is None:
            application = Application(call=call, lead=lead)
        else:
            application = Application.objects.select_for_update().get(pk=application.pk)
            if not application.is_editable:
                raise ApplicationLocked()
        application.employer_id = lead.employer_id
        application.project_name = project_name.strip()
        application.industry = industry
        application.summary = summary.strip()
        application.stage = stage
        application.needs_desk = needs_desk
        application.needs_mentor = needs_mentor
        application.needs_funding_advice = needs_funding_advice
        application.publish_consent = publish_consent
        application.public_summary = public_summary.strip() if publish_consent else ""
        is_new = application.pk is None
        application.save()
        if is_new:
            ApplicationStatusChange.objects.create(
                application=application, from_status="", to_status=Status.DRAFT, actor=actor, member=lead,
                note=_("保存草稿"),
            )
        application.team.all().delete()
        TeamMember.objects.bulk_create(
            [TeamMember(application=application, name=lead.name, role=lead_role.strip(), member=lead, is_lead=True)]
            + [
                TeamMember(application=application, name=mate.name.strip(), role=mate.role.strip(), member=mate.member)
                for mate in team
                if mate.name.strip() and getattr(mate.member, "pk", None) != lead.pk
            ]
        )
        for document in plans:
            BusinessPlan.objects.create(
                application=application, file=document.content, kind=document.kind,
                content_type=document.content_type, original_name=document.original_name, uploaded_by=actor,
            )
    return application


_DECISION_TEXT = {
    Status.SUBMITTED: (_("众创空间入驻申请已提交"), _("您的项目“%(name)s”已提交，我们将组织评审。")),
    Status.RETURNED: (_("众创空间入驻申请退回修改"), _("您的项目“%(name)s”需要修改后重新提交，原因：%(reason)s")),
    Status.REVIEWING: (_("众创空间入驻申请进入评审"), _("您的项目“%(name)s”已进入专家评审。")),
    Status.ADMITTED: (_("众创空间入驻申请已通过"), _("恭喜！您的项目“%(name)s”获准入驻职工众创空间，工作人员将与您联系安排工位。")),
    Status.REJECTED: (_("众创空间入驻申请未入选"), _("很遗憾，您的项目“%(name)s”本次未入选，欢迎继续关注。")),
}
# The SMS of each decision, editable in admin (SmsTemplate); {name} is the project's name.
SMS_DECISION = {
    Status.SUBMITTED: sms_template_register(
        "innovation.application_submitted", name="众创空间入驻申请已提交",
        text="您的项目“{name}”已提交，我们将组织评审。", placeholders=["name"],
    ),
    Status.RETURNED: sms_template_register(
        "innovation.application_returned", name="众创空间入驻申请退回修改",
        text="您的项目“{name}”需要修改后重新提交，原因：{reason}", placeholders=["name", "reason"],
    ),
    Status.REVIEWING: sms_template_register(
        "innovation.application_reviewing", name="众创空间入驻申请进入评审",
        text="您的项目“{name}”已进入专家评审。", placeholders=["name"],
    ),
    Status.ADMITTED: sms_template_register(
        "innovation.application_admitted", name="众创空间入驻申请已通过",
        text="恭喜！您的项目“{name}”获准入驻职工众创空间，工作人员将与您联系安排工位。", placeholders=["name"],
    ),
    Status.REJECTED: sms_template_register(
        "innovation.application_rejected", name="众创空间入驻申请未入选",
        text="很遗憾，您的项目“{name}”本次未入选，欢迎继续关注。", placeholders=["name"],
    ),
}
SMS_RESIDENCY_START = sms_template_register(
    "innovation.residency_started", name="众创空间入驻安排",
    text="您的项目“{name}”入驻 {place}，入驻期 {start} 至 {end}。", placeholders=["name", "place", "start", "end"],
)
SMS_RESIDENCY_END = sms_template_register(
    "innovation.residency_ended", name="众创空间入驻结束",
    text="您的项目“{name}”已离开众创空间（{state}）。", placeholders=["name", "state"],
)
SMS_NOTICE = sms_template_register(
    "innovation.admission_noticed", name="众创空间入驻名单公示",
    text="您的项目“{name}”已列入入驻名单公示，公示期至 {ends}。", placeholders=["name", "ends"],
)


def application_tell(application: Application, target: str, reason: str = "") -> None:
    """Tell the lead of the application's move into `target`, once per entry into it: a
    workflow may come back to a status (returned, resubmitted, returned again), so the key
    carries how many times the application has entered it."""
    title, body = _DECISION_TEXT[target]
    values = {"name": application.project_name, "reason": reason.strip()}
    entered = ApplicationStatusChange.objects.filter(application=application, to_status=target).count()
    member_notify(
        member=application.lead, title=title, body=body % values,
        link=reverse("innovation:detail", kwargs={"pk": application.pk}),
        sms_template=SMS_DECISION[target], sms_values=values,
        dedupe_key=decision_key(application, target, entered),
    )


def application_transition(*, application: Application, target: str, actor, reason: str = "") -> Application:
    """Move an application to `target`, from whichever screen asks, and tell the lead.

    Takes the application's row lock and checks the move on the locked row (APPLICATION_FLOW:
    IllegalTransition, MoveNotPermitted, ReturnReasonRequired). Submitting needs a business plan
    that is not withdrawn (PlanRequired). Admitting takes one of the call's places through
    apps.core.limits (`innovation.places:call=<pk>`, row-locked, backed by the allowance's
    CHECK), so two staff admitting at once never exceed the places (LimitExceeded). Writes an
    ApplicationStatusChange (who, when, from, to, note); the inbox message and SMS leave after commit.
    """
    now = timezone.now()
    with transaction.atomic():
        locked = Application.objects.select_for_update(of=("self",)).select_related("lead", "call").get(pk=application.pk)
        APPLICATION_FLOW.check(obj=locked, current=locked.status, target=target, actor=actor,
                               details={"reason": reason})
        fields = ["status"]
        if target == Status.SUBMITTED:
            if locked.status == Status.DRAFT and not locked.call.is_open():
                raise CallClosed()
            if not locked.plans.filter(withdrawn_at__isnull=True).exists():
                raise PlanRequired()
            locked.submitted_at = now
            locked.return_reason = ""
            fields += ["submitted_at", "return_reason"]
        elif target == Status.RETURNED:
            locked.return_reason = reason.strip()
            fields.append("return_reason")
        elif target == Status.ADMITTED:
            call = locked.call
            rows = limits_lock([Limit(call.limit_key, call.places_offered, label=_("入驻名额"))])
            limits_take(rows, amount=1, ref=f"innovation.application:{locked.pk}", actor=actor)
        previous = locked.status
        locked.status = target
        locked.save(update_fields=fields)
        ApplicationStatusChange.objects.create(
            application=locked, from_status=previous, to_status=target, actor=actor, member_id=locked.lead_id,
            at=now, note=reason.strip(),
        )
        application_tell(locked, target, reason)
    return locked


def review_assign(*, call: Call) -> int:
    """Give every reviewer of `call` a score sheet for each application under review, except
    where the reviewer works for the applicant's employer (conflict). Returns how many were made."""
    reviewers = list(Reviewer.objects.filter(call=call))
    applications = list(
        Application.objects.filter(call=call, status=Status.REVIEWING).prefetch_related("team__member")
    )
    existing = set(Review.objects.filter(application__call=call).values_list("application_id", "reviewer_id"))
    sheets = [
        Review(application=application, reviewer=reviewer)
        for application in applications
        for reviewer in reviewers
        if (application.pk, reviewer.pk) not in existing and not reviewer_conflicted(reviewer, application)
    ]
    Review.objects.bulk_create(sheets)
    return len(sheets)


def review_submit(*, review: Review, actor, scores: dict, comment: str = "") -> Review:
    """Record `actor`'s scores on their own sheet, once: one value per criterion of the call,
    0..max. Refuses another's sheet (NotAReviewer), a conflicted reviewer (ReviewerConflicted), a
    second submission (ReviewAlreadySubmitted), and missing or out-of-range scores."""
    with transaction.atomic():
        locked = (
            Review.objects.select_for_update(of=("self",)).select_related("reviewer", "application")
            .get(pk=review.pk)
        )
        if actor is None or locked.reviewer.user_id != actor.pk:
            raise NotAReviewer()
        if locked.submitted_at is not None:
            raise ReviewAlreadySubmitted()
        if reviewer_conflicted(locked.reviewer, locked.application):
            raise ReviewerConflicted()
        rows, total = [], Decimal("0")
        for criterion in locked.application.call.criteria.all():
            value = scores.get(criterion.pk)
            if value is None:
                raise ScoreMissing(criterion.name)
            value = Decimal(value)
            if not Decimal("0") <= value <= criterion.max_score:
                raise ScoreOutOfRange(criterion.name, criterion.max_score)
            rows.append(Score(review=locked, criterion=criterion, value=value))
            total += value
        Score.objects.filter(review=locked).delete()
        Score.objects.bulk_create(rows)
        locked.total = total
        locked.comment = comment.strip()
        locked.submitted_at = timezone.now()
        locked.save(update_fields=["total", "comment", "submitted_at"])
    return locked


def residency_start(*, application: Application, place, starts_on: datetime.date, ends_on: datetime.date,
                    mentor: str = "", actor=None) -> Residency:
    """Give an admitted team its place for a term. Raises ResidencyDatesOutOfOrder, PlaceTaken
    (the database also keeps one resident team per place), IllegalTransition if not admitted."""
    from apps.core.workflow import IllegalTransition

    if ends_on <= starts_on:
        raise ResidencyDatesOutOfOrder()
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        if locked.status != Status.ADMITTED or Residency.objects.filter(application=locked).exists():
            raise IllegalTransition(Status(locked.status), _("入驻"))
        place = type(place).objects.select_for_update().get(pk=place.pk)
        if Residency.objects.filter(place=place, state=Residency.State.RESIDENT).exists():
            raise PlaceTaken()
        residency = Residency.objects.create(
            application=locked, place=place, starts_on=starts_on, ends_on=ends_on, mentor=mentor.strip()
        )
        ApplicationStatusChange.objects.create(
            application=locked, from_status=locked.status, to_status=locked.status, actor=actor,
            member_id=locked.lead_id, note=_("入驻 %(place)s，%(start)s 至 %(end)s") % {
                "place": place, "start": f"{starts_on:%Y-%m-%d}", "end": f"{ends_on:%Y-%m-%d}"},
        )
        values = {"name": locked.project_name, "place": str(place), "start": f"{starts_on:%Y-%m-%d}",
                  "end": f"{ends_on:%Y-%m-%d}"}
        member_notify(
            member=locked.lead, title=_("众创空间入驻安排"),
            body=_("您的项目“%(name)s”入驻 %(place)s，入驻期 %(start)s 至 %(end)s。") % values,
            link=reverse("innovation:detail", kwargs={"pk": locked.pk}),
            sms_template=SMS_RESIDENCY_START, sms_values=values, dedupe_key=decision_key(residency, "started"),
        )
    return residency


def residency_end(*, residency: Residency, state: str, actor, reason: str = "",
                  on: datetime.date | None = None) -> Residency:
    """A team leaves (graduated, withdrawn, removed): its place and the call's place are freed
    (limit_release). Raises NotResident for a team that already left."""
    on = on or timezone.localdate()
    with transaction.atomic():
        locked = Residency.objects.select_for_update().select_related("application__lead").get(pk=residency.pk)
        if locked.state != Residency.State.RESIDENT or state == Residency.State.RESIDENT:
            raise NotResident()
        locked.state = state
        locked.left_on = on
        locked.left_reason = reason.strip()[:200]
        locked.save(update_fields=["state", "left_on", "left_reason"])
        application = locked.application
        limit_release(ref=f"innovation.application:{application.pk}", note=locked.get_state_display())
        ApplicationStatusChange.objects.create(
            application=application, from_status=application.status, to_status=application.status, actor=actor,
            member_id=application.lead_id, note=_("离开众创空间：%(state)s %(reason)s") % {
                "state": locked.get_state_display(), "reason": locked.left_reason},
        )
        values = {"name": application.project_name, "state": str(locked.get_state_display())}
        member_notify(
            member=application.lead, title=_("众创空间入驻结束"),
            body=_("您的项目“%(name)s”已离开众创空间（%(state)s）。") % values,
            link=reverse("innovation:detail", kwargs={"pk": application.pk}),
            sms_template=SMS_RESIDENCY_END, sms_values=values, dedupe_key=decision_key(locked, "ended"),
        )
    return locked


def progress_report_file(*, residency: Residency, year: int, quarter: int, milestones: str, revenue: Decimal,
                         jobs_created: int, patents: int, actor) -> ProgressReport:
    """The lead's report for one quarter of the term that has begun; once per quarter
    (ReportExists, backed by a unique constraint). `on_time` records whether it came by the due day."""
    if revenue < 0 or jobs_created < 0 or patents < 0:
        raise NegativeAmount()
    today = timezone.localdate()
    with transaction.atomic():
        locked = Residency.objects.select_for_update().get(pk=residency.pk)
        if locked.state != Residency.State.RESIDENT:
            raise NotResident()
        due = {(y, q): due_on for y, q, due_on in report_quarters_due(locked, today, include_current=True)}
        if (year, quarter) not in due:
            raise ReportQuarterInvalid()
        if locked.reports.filter(year=year, quarter=quarter).exists():
            raise ReportExists()
        return ProgressReport.objects.create(
            residency=locked, year=year, quarter=quarter, milestones=milestones.strip(), revenue=revenue,
            jobs_created=jobs_created, patents=patents, filed_by=actor, on_time=today <= due[(year, quarter)],
        )


def application_ref(application) -> str:
    return f"innovation.application:{application.pk}"


def call_admissions_notice_publish(*, call: Call, actor, starts_on: datetime.date | None = None):
    """Put the call's admitted teams not yet on a notice before the public (/notices/) for the
    call's `notice_workdays` working days on the official calendar, with the objection period
    of apps.notices: project, employer, industry and the lead's name masked (no ID, no phone).
    Each application's history records the notice and its lead is told. Takes the call's row
    lock, so two staff publishing at once do not put a team on two notices. Raises NothingToNotice."""
    from apps.core.masking import mask_name
    from apps.notices.models import NoticeItem, NoticeKind, NoticeStatus
    from apps.notices.services import ItemSpec, notice_publish

    with transaction.atomic():
        call = Call.objects.select_for_update().get(pk=call.pk)
        admitted = list(
            Application.objects.filter(call=call, status=Status.ADMITTED)
            .select_related("lead", "employer", "industry").order_by("submitted_at", "pk")
        )
        noticed = set(
            NoticeItem.objects.filter(ref__in=[application_ref(a) for a in admitted])
            .exclude(notice__status=NoticeStatus.WITHDRAWN).values_list("ref", flat=True)
        )
        fresh = [a for a in admitted if application_ref(a) not in noticed]
        if not fresh:
            raise NothingToNotice()
        notice = notice_publish(
            kind=NoticeKind.INNOVATION, source=f"innovation.call:{call.pk}",
            title=_("%(call)s入驻项目名单公示") % {"call": call.title},
            items=[
                ItemSpec(
                    ref=application_ref(a), display_name=a.project_name[:100],
                    organisation=a.employer.name if a.employer_id else "",
                    summary=_("%(industry)s · 负责人 %(lead)s") % {"industry": a.industry.name,
                                                              "lead": mask_name(a.lead.name)},
                )
                for a in fresh
            ],
            workdays=call.notice_workdays, actor=actor, starts_on=starts_on,
            body=_("以上项目经专家评审，拟入驻%(space)s。公示期内如有异议，可在本页提出，请留下联系方式以便核实。")
            % {"space": call.space.name},
        )
        for application in fresh:
            ApplicationStatusChange.objects.create(
                application=application, from_status=application.status, to_status=application.status,
                actor=actor, member_id=application.lead_id,
                note=_("入驻名单公示，至 %(ends)s") % {"ends": f"{notice.ends_on:%Y-%m-%d}"},
            )
            values = {"name": application.project_name, "ends": f"{notice.ends_on:%Y-%m-%d}"}
            member_notify(
                member=application.lead, title=_("众创空间入驻名单公示"),
                body=_("您的项目“%(name)s”已列入入驻名单公示，公示期至 %(ends)s。") % values,
                link=reverse("innovation:detail", kwargs={"pk": application.pk}),
                sms_template=SMS_NOTICE, sms_values=values,
                dedupe_key=decision_key(application, "noticed", notice.pk),
            )
    return notice
