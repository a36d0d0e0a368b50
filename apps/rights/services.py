"""Everything that changes rights data. Pages, admin screens and tasks call these; none
re-implements a rule.

- case_submit: a new case from the online form or entered by staff (gapless number, one case
  per submitted form).
- case_transition: the one way a case changes status (transition map, who/when/from/to/note,
  deadline of the next step, the worker told by SMS after commit).
- case_note_add, case_due_digests_send, supervision_campaign_create, finding_follow_up.
"""

import datetime
import uuid
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F, OuterRef, Subquery
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts import roles
from apps.core.models import sequence_next
from apps.core.uploads import CleanDocument
from apps.core.workflow import transition_check
from apps.notify.services import decision_key, member_notify, sms_queue
from apps.notify.texts import sms_template_register
from apps.workdays.calendar import add_workdays
from apps.workdays.recount import deadline_recounter

from .errors import (
    CampaignExists,
    CaseNotOpen,
    GradeRequired,
    NoteRequired,
    OutcomeRequired,
    RecoveredAmountNegative,
    SatisfactionOutOfRange,
    TooManyAttachments,
)
from .models import (
    FOLLOW_UP_TRANSITIONS,
    OPEN_STATUSES,
    SEASON_THEMES,
    STEP_OF_STATUS,
    CaseAttachment,
    CaseStatusChange,
    Channel,
    ChecklistItem,
    Finding,
    Grade,
    Outcome,
    RightsCase,
    Season,
    Status,
    SupervisionCampaign,
    SupervisionTheme,
)
from .selectors import cases_due_for_digest, time_limit_days
from .workflows import CASE_FLOW

MAX_ATTACHMENTS = 10
NUMBER_SEQUENCE = "rights_case"


def case_deadline(*, case: RightsCase, status: str, start: datetime.date) -> datetime.date | None:
    """The last day of the step a case in `status` is in, counted in working days from `start`
    on the official calendar; None for a case that is finished."""
    step = STEP_OF_STATUS.get(status)
    if step is None:
        return None
    return add_workdays(start, time_limit_days(category=case.category, grade=case.grade, step=step))


def case_submit(
    *,
    channel: str,
    category: str,
    description: str,
    member=None,
    worker_name: str = "",
    worker_phone: str = "",
    worker_id_number: str = "",
    employer=None,
    employer_name: str = "",
    town_street=None,
    amount_owed: Decimal = Decimal("0"),
    attachments: list[CleanDocument] | tuple = (),
    idempotency_key: uuid.UUID | None = None,
    created_by: User | None = None,
    handler: User | None = None,
) -> RightsCase:
    """Record a worker's request for help and tell them its number.

    A member's name and phone come from their record; anyone else gives both (the caller has
    verified the phone). The number WQ<year>-<6 digits> is consecutive and gapless per year even
    when two cases arrive at once (the sequence row lock is held until commit). Sending the same
    form twice (same `idempotency_key`) returns the first case and creates nothing.
    Attachments must already be checked by content (`document_clean`).
    """
    if len(attachments) > MAX_ATTACHMENTS:
        raise TooManyAttachments(MAX_ATTACHMENTS)
    if idempotency_key is not None:
        existing = RightsCase.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing
    if member is not None:
        worker_name, worker_phone = member.name, member.phone
        town_street = town_street or member.town_street
    if employer is not None:
        employer_name = ""
        town_street = employer.town_street
    now = timezone.now()
    try:
        with transaction.atomic():
            year = timezone.localdate(now).year
            case = RightsCase(
                year=year,
                idempotency_key=idempotency_key,
                channel=channel,
                category=category,
                member=member,
                worker_name=worker_name,
                worker_phone=worker_phone,
                worker_id_number=worker_id_number,
                employer=employer,
                employer_name=employer_name.strip(),
                town_street=town_street,
                description=description,
                amount_owed=amount_owed or Decimal("0"),
                submitted_at=now,
                created_by=created_by,
                handler=handler,
            )
            case.due_on = case_deadline(case=case, status=Status.SUBMITTED, start=timezone.localdate(now))
            # Taken last: the counter's row stays locked until commit, so what follows is kept short.
            case.number = f"WQ{year}-{sequence_next(key=NUMBER_SEQUENCE, year=year):06d}"
            case.save()
            CaseStatusChange.objects.create(
                case=case, from_status="", to_status=Status.SUBMITTED, actor=created_by, member=member, at=now,
                note=_("网上提交") if channel == Channel.ONLINE else _("工作人员登记（%(channel)s）") % {
                    "channel": case.get_channel_display()
                },
            )
            for document in attachments:
                CaseAttachment.objects.create(
                    case=case, file=document.content, kind=document.kind, content_type=document.content_type,
                    original_name=document.original_name, uploaded_by=created_by,
                )
            values = {"number": case.number, "due": f"{case.due_on:%Y-%m-%d}"}
            _worker_tell(
                case,
                _("维权求助已收到"),
                _("您的维权求助已登记，案件编号 %(number)s，我们将在 %(due)s 前决定是否受理。") % values,
                template=SMS_SUBMITTED, values=values, dedupe_key=decision_key(case, Status.SUBMITTED),
            )
    except IntegrityError:
        # The same form arrived twice at the same moment: the other request created the case.
        if idempotency_key is None:
            raise
        existing = RightsCase.objects.filter(idempotency_key=idempotency_key).first()
        if existing is None:
            raise
        return existing
    return case


def case_transition_check(
    *,
    case: RightsCase,
    target: str,
    actor: User | None,
    note: str = "",
    grade: str = "",
    outcome: str = "",
    amount_recovered: Decimal | None = None,
    settled: bool | None = None,
    satisfaction: int | None = None,
) -> None:
    """Raise the DomainError that `case_transition` would raise for these details, if any:
    the move, who may make it and the details it needs (CASE_FLOW), then their values.

    Forms call this to show the refusal beside the fields; the service calls it again under lock.
    """
    CASE_FLOW.check(
        obj=case, current=case.status, target=target, actor=actor,
        details={"note": note, "grade": grade, "outcome": outcome, "amount_recovered": amount_recovered,
                 "settled": settled},
    )
    if target == Status.ACCEPTED and grade not in Grade.values:
        raise GradeRequired()
    if target == Status.CLOSED:
        if outcome not in Outcome.values:
            raise OutcomeRequired()
        if amount_recovered < 0:
            raise RecoveredAmountNegative()
    if satisfaction is not None and not 1 <= satisfaction <= 5:
        raise SatisfactionOutOfRange()


def case_transition(
    *,
    case: RightsCase,
    target: str,
    actor: User | None,
    note: str = "",
    internal: bool = False,
    grade: str = "",
    outcome: str = "",
    amount_recovered: Decimal | None = None,
    settled: bool | None = None,
    satisfaction: int | None = None,
) -> RightsCase:
    """Move a case to `target`, whatever screen asks, and tell the worker.

    Takes the case's row lock and checks the move against TRANSITIONS on the locked row, so
    two staff acting at once cannot both move it. Acceptance needs a grade (it sets the time
    limits of the later steps), declining a reason (sent to the worker), closing the return
    visit's answer, an outcome and the money recovered. Writes a CaseStatusChange row (who,
    when, from, to, note, internal flag, whether the step left was late) and sets the deadline
    of the next step in working days. The SMS leaves after commit; a broken SMS provider never
    undoes the move. Raises IllegalTransition or another DomainError of errors.py.
    """
    today = timezone.localdate()
    now = timezone.now()
    with transaction.atomic():
        locked = RightsCase.objects.select_for_update(of=("self",)).select_related("member").get(pk=case.pk)
        case_transition_check(
            case=locked, target=target, actor=actor, note=note, grade=grade, outcome=outcome,
            amount_recovered=amount_recovered, settled=settled, satisfaction=satisfaction,
        )
        previous, left_due = locked.status, locked.due_on
        fields = ["status", "due_on"]
        locked.status = target
        if target == Status.ACCEPTED:
            locked.grade = grade
            locked.accepted_at = now
            fields += ["grade", "accepted_at"]
            if locked.handler_id is None and actor is not None and roles.user_in_group(actor, roles.RIGHTS):
                locked.handler = actor
                fields.append("handler")
        elif target == Status.DECLINED:
            locked.decline_reason = note.strip()
            fields.append("decline_reason")
            internal = False  # the reason is the worker's to read
        elif target == Status.CLOSED:
            locked.outcome = outcome
            locked.amount_recovered = amount_recovered
            locked.settled = settled
            locked.satisfaction = satisfaction
            locked.closed_at = now
            fields += ["outcome", "amount_recovered", "settled", "satisfaction", "closed_at"]
        locked.due_on = case_deadline(case=locked, status=target, start=today)
        locked.save(update_fields=fields)
        CaseStatusChange.objects.create(
            case=locked, from_status=previous, to_status=target, actor=actor, member_id=locked.member_id, at=now,
            note=note.strip(),
            is_internal=internal, due_on=left_due, was_late=bool(left_due and today > left_due),
        )
        title, body, template, values = _decision_text(locked, note="" if internal else note.strip())
        # A workflow may come back to a status (a return visit sends a case back to handling):
        # each entry into it is its own decision, told once.
        entered = CaseStatusChange.objects.filter(case=locked, to_status=target).count()
        _worker_tell(locked, title, body, template=template, values=values,
                     dedupe_key=decision_key(locked, target, entered))
    return locked


SMS_SUBMITTED = sms_template_register(
    "rights.case_submitted", name="维权求助已登记",
    text="您的维权求助已登记，案件编号 {number}，我们将在 {due} 前决定是否受理。", placeholders=["number", "due"],
)
SMS_BY_STATUS = {
    Status.ACCEPTED: sms_template_register(
        "rights.case_accepted", name="维权案件已受理",
        text="您的案件 {number} 已受理，承办人将与您联系。", placeholders=["number"],
    ),
    Status.DECLINED: sms_template_register(
        "rights.case_declined", name="维权案件不予受理",
        text="您的案件 {number} 不予受理，原因：{reason}", placeholders=["number", "reason"],
    ),
    Status.CLOSED: sms_template_register(
        "rights.case_closed", name="维权案件已结案",
        text="您的案件 {number} 已结案，结果：{outcome}。感谢您对工会工作的支持。", placeholders=["number", "outcome"],
    ),
    Status.RETURN_VISIT: sms_template_register(
        "rights.case_return_visit", name="维权案件待回访",
        text="您的案件 {number} 已办理完毕，工作人员将回访了解处理结果和您的满意度。", placeholders=["number"],
    ),
}
SMS_PROGRESS = sms_template_register(
    "rights.case_progress", name="维权案件办理进展",
    text="您的案件 {number} 已转入{step}，预计 {due} 前办结。{note}", placeholders=["number", "step", "due", "note"],
)


def _decision_text(case: RightsCase, note: str) -> tuple[str, str, str, dict]:
    """The inbox title and body of the case's new status, and its SMS template and values."""
    number = case.number
    due = f"{case.due_on:%Y-%m-%d}" if case.due_on else ""
    if case.status == Status.ACCEPTED:
        return _("维权案件已受理"), _("您的案件 %(number)s 已受理，承办人将与您联系。") % {"number": number}, \
            SMS_BY_STATUS[Status.ACCEPTED], {"number": number}
    if case.status == Status.DECLINED:
        values = {"number": number, "reason": case.decline_reason}
        return _("维权案件不予受理"), _("您的案件 %(number)s 不予受理，原因：%(reason)s") % values, \
            SMS_BY_STATUS[Status.DECLINED], values
    if case.status == Status.CLOSED:
        values = {"number": number, "outcome": case.get_outcome_display()}
        return _("维权案件已结案"), _("您的案件 %(number)s 已结案，结果：%(outcome)s。感谢您对工会工作的支持。") % values, \
            SMS_BY_STATUS[Status.CLOSED], values
    if case.status == Status.RETURN_VISIT:
        return _("维权案件待回访"), _("您的案件 %(number)s 已办理完毕，工作人员将回访了解处理结果和您的满意度。") % {
            "number": number
        }, SMS_BY_STATUS[Status.RETURN_VISIT], {"number": number}
    step = STEP_OF_STATUS[case.status].label
    body = _("您的案件 %(number)s 已转入%(step)s，预计 %(due)s 前办结。") % {"number": number, "step": step, "due": due}
    said = _("说明：%(note)s") % {"note": note} if note else ""
    return _("维权案件办理进展"), body + said, SMS_PROGRESS, {"number": number, "step": step, "due": due, "note": said}


def _worker_tell(case: RightsCase, title: str, body: str, *, template: str, values: dict, dedupe_key: str) -> None:
    """Members get an inbox message with the SMS; other workers an SMS. Both leave after commit,
    once per decision (`dedupe_key`)."""
    if case.member_id:
        member_notify(
            member=case.member, title=title, body=body,
            link=reverse("rights:detail", kwargs={"number": case.number}),
            sms_template=template, sms_values=values, dedupe_key=dedupe_key,
        )
    elif case.worker_phone:
        sms_queue(phone=case.worker_phone, template=template, values=values, purpose="rights", dedupe_key=dedupe_key)


def case_note_add(*, case: RightsCase, actor: User, note: str, internal: bool = True) -> CaseStatusChange:
    """A note in the case's history without a move (internal unless said otherwise)."""
    if not note.strip():
        raise NoteRequired()
    return CaseStatusChange.objects.create(
        case=case, from_status=case.status, to_status=case.status, actor=actor, member_id=case.member_id,
        note=note.strip(),
        is_internal=internal,
    )


def case_material_add(*, case: RightsCase, documents: list[CleanDocument], by: User | None = None) -> int:
    """Add material to an open case (append-only: nothing is replaced or removed) and note it in
    the case's history, shown to the worker. `by` is the member's login, None for a non-member
    who proved the case's phone. Documents must already be checked by content.
    Raises CaseNotOpen for a finished case, TooManyAttachments beyond MAX_ATTACHMENTS at once."""
    if not documents:
        return 0
    if len(documents) > MAX_ATTACHMENTS:
        raise TooManyAttachments(MAX_ATTACHMENTS)
    with transaction.atomic():
        case = RightsCase.objects.select_for_update().get(pk=case.pk)
        if not case.is_open:
            raise CaseNotOpen()
        for document in documents:
            CaseAttachment.objects.create(
                case=case, file=document.content, kind=document.kind, content_type=document.content_type,
                original_name=document.original_name, uploaded_by=by,
            )
        CaseStatusChange.objects.create(
            case=case, from_status=case.status, to_status=case.status, actor=by,
            note=_("职工补充材料 %(count)d 份：%(names)s")
            % {"count": len(documents), "names": "、".join(d.original_name for d in documents)},
        )
    return len(documents)


def case_due_digests_send(*, on: datetime.date) -> int:
    """Email each rights officer the open cases that fall due `on` that day or are overdue:
    their own cases, and the cases nobody handles yet (sent to every officer). Returns the
    number of emails sent; officers without an email address are skipped."""
    officers = list(
        User.objects.filter(groups__name=roles.RIGHTS, is_active=True, is_staff=True)
        .exclude(email="")
        .order_by("id")
    )
    if not officers:
        return 0
    by_handler: dict[int | None, list[RightsCase]] = {}
    for case in cases_due_for_digest(on):  # one query; grouping only
        by_handler.setdefault(case.handler_id, []).append(case)
    unassigned = by_handler.get(None, [])
    sent = 0
    for officer in officers:
        own = by_handler.get(officer.pk, [])
        if not own and not unassigned:
            continue
        context = {
            "officer": officer, "today": on, "site_url": settings.SITE_URL,
            "own_due": [c for c in own if c.due_on == on], "own_overdue": [c for c in own if c.due_on < on],
            "unassigned": unassigned,
        }
        send_mail(
            subject=_("【维权案件】%(date)s 今日到期 %(due)d 件，已超期 %(late)d 件") % {
                "date": f"{on:%Y-%m-%d}", "due": len(context["own_due"]), "late": len(context["own_overdue"]),
            },
            message=render_to_string("rights/email/due_digest.txt", context),
            from_email=None,
            recipient_list=[officer.email],
        )
        sent += 1
    return sent


# --- supervision (监督四季行) ------------------------------------------------------------------

DEFAULT_CHECKLISTS = {
    Season.SPRING: [
        _("与全部职工依法签订书面劳动合同"),
        _("劳动合同必备条款齐全（工作内容、劳动报酬、工作时间等）"),
        _("试用期约定符合法律规定"),
        _("劳务派遣用工比例不超过10%"),
    ],
    Season.SUMMER: [
        _("落实高温津贴发放"),
        _("高温时段合理调整作息"),
        _("配备防暑降温用品和劳动防护用品"),
        _("开展安全生产教育培训"),
    ],
    Season.AUTUMN: [
        _("为全部职工参加社会保险"),
        _("按实际工资基数缴纳社会保险费"),
        _("不存在以补贴代替社保的约定"),
    ],
    Season.WINTER: [
        _("按月足额支付工资，无拖欠"),
        _("工资不低于当地最低工资标准"),
        _("建立工资支付台账并由职工签收"),
        _("加班工资依法计发"),
    ],
}


def supervision_campaign_create(*, year: int, title: str = "") -> SupervisionCampaign:
    """A year's campaign with its four seasonal themes, each with the standard checklist
    (staff edit the checklists afterwards). Raises CampaignExists for a year that has one."""
    with transaction.atomic():
        if SupervisionCampaign.objects.filter(year=year).exists():
            raise CampaignExists()
        campaign = SupervisionCampaign.objects.create(year=year, title=title or _("%(year)d年监督四季行") % {"year": year})
        for season in Season:
            theme = SupervisionTheme.objects.create(campaign=campaign, season=season, title=SEASON_THEMES[season])
            ChecklistItem.objects.bulk_create(
                ChecklistItem(theme=theme, text=str(text), order=i)
                for i, text in enumerate(DEFAULT_CHECKLISTS[season], start=1)
            )
    return campaign


def finding_follow_up(*, finding: Finding, target: str, actor: User | None, note: str = "",
                      on: datetime.date | None = None) -> Finding:
    """Record the follow-up of a problem found: rectified, or referred to the labour inspectorate
    (FOLLOW_UP_TRANSITIONS; a compliant item has nothing to follow). Takes the finding's row lock.
    Raises IllegalTransition."""
    from .models import FollowUp

    with transaction.atomic():
        locked = Finding.objects.select_for_update().get(pk=finding.pk)
        transition_check(FOLLOW_UP_TRANSITIONS, FollowUp(locked.follow_up), FollowUp(target))
        locked.follow_up = target
        locked.follow_up_note = note.strip()
        locked.followed_up_on = on or timezone.localdate()
        locked.followed_up_by = actor
        locked.save(update_fields=["follow_up", "follow_up_note", "followed_up_on", "followed_up_by"])
    return locked


@deadline_recounter("rights.case")
def case_deadlines_recount(*, actor=None, reason: str) -> int:
    """Recompute the deadline of the current step of every open case after a calendar change
    (counted from the day the case entered that step); a moved deadline gets an internal note."""
    entered = (
        CaseStatusChange.objects.filter(case=OuterRef("pk"), to_status=OuterRef("status"))
        .exclude(from_status=F("to_status")).order_by("-at").values("at")[:1]
    )
    moved = 0
    notes = []
    now = timezone.now()
    rows = RightsCase.objects.filter(status__in=OPEN_STATUSES).annotate(step_started=Subquery(entered))
    for case in rows.only("pk", "status", "category", "grade", "due_on", "member_id", "submitted_at").iterator():
        start = timezone.localdate(case.step_started or case.submitted_at)
        new = case_deadline(case=case, status=case.status, start=start)
        if new == case.due_on:
            continue
        notes.append(CaseStatusChange(
            case_id=case.pk, from_status=case.status, to_status=case.status, actor=actor, member_id=case.member_id,
            at=now, is_internal=True,
            note=_("工作日历调整（%(reason)s），本环节时限由 %(old)s 改为 %(new)s。")
            % {"reason": reason, "old": f"{case.due_on:%Y-%m-%d}" if case.due_on else "—", "new": f"{new:%Y-%m-%d}"},
        ))
        RightsCase.objects.filter(pk=case.pk).update(due_on=new)
        moved += 1
    CaseStatusChange.objects.bulk_create(notes)
    return moved
