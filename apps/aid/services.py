"""Everything that changes aid data. Member pages, officer pages, admin actions and tasks call
these; none re-implements a rule.

- hardship files: hardship_file_propose, hardship_file_decide, hardship_file_recheck
- campaigns: campaign_copy
- applications: application_start, application_update, application_documents_add and the one
  application_transition (every move of the workflow in flow.py), application_notice_publish
- health: programme_enrol, enrolment_cancel
"""

import datetime
import re
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.limits import Limit, limit_release, limits_lock, limits_take
from apps.core.masking import mask_name
from apps.core.models import sequence_next
from apps.core.uploads import CleanDocument
from apps.notify.services import decision_key, member_notify
from apps.notify.texts import sms_template_register
from apps.orgs.selectors import officer_union_ids

from .errors import (
    AlreadyEnrolled,
    AmountAboveStandard,
    AmountNotPositive,
    CampaignClosed,
    DatesOutOfOrder,
    DuplicateApplication,
    FileClosed,
    FileExists,
    FileNotOpen,
    FileNotProposed,
    HouseholdHasFile,
    MissingDocument,
    MissingFacts,
    NewLevelRequired,
    NoStandard,
    NotEditable,
    NotEligible,
    NotNoticeable,
    OutOfPocketAboveCost,
    OutsideOwnUnion,
    PaymentDetailsInvalid,
    ProgrammeClosed,
    QuotaNotSet,
    RecheckReasonRequired,
    RefusalReasonRequired,
    SameApprover,
    TooManyCauses,
    TooManyDocuments,
    WithdrawReasonRequired,
)
from .flow import FLOW
from .models import (
    EDITABLE,
    AidPolicy,
    AidType,
    AmountRow,
    Application,
    ApplicationDocument,
    ApplicationStatusChange,
    Campaign,
    Cause,
    Eligibility,
    Enrolment,
    Facts,
    FileStatus,
    FileStatusChange,
    HardshipDocument,
    HardshipFile,
    HardshipRecheck,
    HealthProgramme,
    HolderRule,
    HouseholdMember,
    Nomination,
    ProgrammeKind,
    ProgrammeQuota,
    QuotaScope,
    RecheckOutcome,
    Status,
)

NUMBER_SEQUENCE = "aid_application"
MAX_DOCUMENTS = 10
CENT = Decimal("0.01")


# ---------------------------------------------------------------- policy and amounts

def policy_for(year: int) -> AidPolicy:
    """The year's policy (created with the defaults the first time a year is used)."""
    policy, _created = AidPolicy.objects.get_or_create(year=year)
    return policy


def yearly_key(member_id: int, year: int) -> str:
    return f"aid.yearly:member={member_id}:year={year}"


def money(value) -> Decimal:
    """A money amount from what a person typed (Decimal, rounded to the cent)."""
    try:
        return Decimal(str(value).strip().replace(",", "")).quantize(CENT)
    except (InvalidOperation, ValueError):
        raise AmountNotPositive()


def standard_amount(*, aid_type: AidType, school_level: str = "", has_file: bool = False, level: str = "") -> Decimal | None:
    """The standard amount of `aid_type` for these facts: the most specific matching line of its
    table (school level, hardship-file family or not, hardship level), else its flat standard."""
    best, best_score = None, -1
    for row in aid_type.amounts.all():
        if row.school_level and row.school_level != school_level:
            continue
        if row.holder == HolderRule.HOLDER and not has_file:
            continue
        if row.holder == HolderRule.NOT_HOLDER and has_file:
            continue
        if row.hardship_level and row.hardship_level != level:
            continue
        score = bool(row.school_level) + (row.holder != HolderRule.ANY) + bool(row.hardship_level)
        if score > best_score:
            best, best_score = row.amount, score
    return best if best is not None else aid_type.standard_amount


def application_standard(application: Application) -> Decimal | None:
    return standard_amount(
        aid_type=application.aid_type, school_level=application.school_level,
        has_file=application.hardship_file_id is not None, level=application.hardship_level,
    )


# ---------------------------------------------------------------- hardship files

def open_file_for(member) -> HardshipFile | None:
    return HardshipFile.objects.filter(member=member, status=FileStatus.OPEN).first()


def household_income_per_person(file: HardshipFile) -> Decimal:
    """Monthly income per person of the household (Decimal, to the cent; 0 without members)."""
    incomes = [m.monthly_income for m in file.household.all()]
    if not incomes:
        return Decimal("0.00")
    return (sum(incomes, Decimal("0")) / len(incomes)).quantize(CENT)


def household_conflict_find(file: HardshipFile) -> HardshipFile | None:
    """Another live file at the same address with one of this household's people in it (as
    the worker or a household member): the same household filed twice."""
    names = {m.name for m in file.household.all()} | {file.member.name}
    numbers = {m.document_number for m in file.household.all() if m.document_number} | {file.member.document_number}
    address = " ".join(file.address.split())
    others = HardshipFile.objects.filter(status__in=[FileStatus.PROPOSED, FileStatus.OPEN], address=address).exclude(pk=file.pk)
    return (
        others.filter(
            Q(member__name__in=names) | Q(member__document_number__in=numbers)
            | Q(household__name__in=names) | Q(household__document_number__in=numbers - {""})
        )
        .distinct().order_by("pk").first()
    )


def causes_check(primary: str, secondary: list[str]) -> list[str]:
    secondary = [c for c in dict.fromkeys(secondary or []) if c]
    if len(secondary) > 3 or primary in secondary or any(c not in Cause.values for c in [primary, *secondary]):
        raise TooManyCauses()
    return secondary


def hardship_file_propose(
    *, member, level: str, address: str, primary_cause: str, secondary_causes: list[str], union, actor,
    household: list[dict], documents: list[CleanDocument] = (), situation: str = "",
) -> HardshipFile:
    """A union proposes a household for a hardship file. One live file per member (database
    constraint); a file at the same address sharing a person with another live file is kept
    but flagged for the aid centre (`household_conflict`). Raises FileExists, TooManyCauses,
    OutsideOwnUnion (an officer for another union's member)."""
    secondary = causes_check(primary_cause, secondary_causes)
    unions = officer_union_ids(actor) if actor is not None else []
    if unions and member.union_id not in unions:
        raise OutsideOwnUnion()
    try:
        with transaction.atomic():
            file = HardshipFile.objects.create(
                member=member, level=level, address=address, primary_cause=primary_cause,
                secondary_causes=secondary, situation=situation, proposed_by_union=union, proposed_by=actor,
            )
            HouseholdMember.objects.bulk_create([HouseholdMember(file=file, **row) for row in household])
            for document in documents:
                HardshipDocument.objects.create(
                    file_record=file, file=document.content, kind=document.kind, content_type=document.content_type,
                    original_name=document.original_name, uploaded_by=actor,
                )
            conflict = household_conflict_find(file)
            if conflict is not None:
                file.household_conflict = conflict
                file.save(update_fields=["household_conflict"])
            file_change_record(file, "", FileStatus.PROPOSED, actor, _("%(union)s推荐建档") % {"union": union.name})
    except IntegrityError:
        raise FileExists()
    return file


def file_change_record(file: HardshipFile, from_status: str, to_status: str, actor, note: str) -> FileStatusChange:
    return FileStatusChange.objects.create(
        file=file, from_status=from_status, to_status=to_status, actor=actor, member_id=file.member_id, note=note,
    )


FILE_MESSAGES = {
    FileStatus.OPEN: (_("困难职工档案已建档"), _("您的困难职工档案已经市总工会困难职工帮扶中心认定建档（%(level)s），下次复核日期 %(due)s。")),
    FileStatus.CLOSED: (_("困难职工档案未建档或已退档"), _("您的困难职工档案已%(what)s，原因：%(reason)s。如有疑问请联系所在工会。")),
}


def _sms_default(body: str) -> str:
    """The inbox wording as an SMS template: %(name)s becomes {name}."""
    return re.sub(r"%\((\w+)\)s", r"{\1}", str(body))


# The SMS of each decision, editable in admin (SmsTemplate); by default the inbox wording.
SMS_FILE = {
    FileStatus.OPEN: sms_template_register(
        "aid.file_open", name="困难职工档案已建档", text=_sms_default(FILE_MESSAGES[FileStatus.OPEN][1]),
        placeholders=["level", "due"],
    ),
    FileStatus.CLOSED: sms_template_register(
        "aid.file_closed", name="困难职工档案未建档或已退档", text=_sms_default(FILE_MESSAGES[FileStatus.CLOSED][1]),
        placeholders=["what", "reason"],
    ),
}
SMS_RECHECK = sms_template_register(
    "aid.file_recheck", name="困难职工档案年度复核",
    text="您的困难职工档案已完成年度复核（{outcome}），当前类别：{level}，下次复核日期 {due}。",
    placeholders=["outcome", "level", "due"],
)
SMS_DOCUMENT_WITHDRAWN = sms_template_register(
    "aid.document_withdrawn", name="救助申请材料被撤回",
    text="您的申请 {number} 的材料“{name}”已被撤回，原因：{reason}。{more}", placeholders=["number", "name", "reason", "more"],
)
SMS_ENROLLED = sms_template_register(
    "aid.enrolled", name="帮扶项目报名成功", text="您已报名{title}，具体时间和地点将另行通知。", placeholders=["title"],
)


def _file_tell(file: HardshipFile, *, what: str = "") -> None:
    """Tell the member of the file's decision, once per entry into its status (a closed file
    may be proposed and opened again: the round is in the key)."""
    title, body = FILE_MESSAGES[file.status]
    values = {
        "level": file.get_level_display(), "due": f"{file.recheck_due:%Y-%m-%d}" if file.recheck_due else "—",
        "what": what, "reason": file.closed_reason,
    }
    entered = FileStatusChange.objects.filter(file=file, to_status=file.status).count()
    member_notify(member=file.member, title=str(title), body=body % values, link=reverse("aid:mine"),
                  sms_template=SMS_FILE[file.status], sms_values=values,
                  dedupe_key=decision_key(file, file.status, entered))


def hardship_file_decide(*, file: HardshipFile, actor, approve: bool, note: str = "") -> HardshipFile:
    """The aid centre's decision on a proposed file: open (re-check due in a year) or refused
    (closed with the reason). One household, one file: a file that shares its address and a
    person with another open file is not opened (HouseholdHasFile). Takes the file's row lock; writes a FileStatusChange (who, when,
    why) and tells the member (inbox + SMS after commit). Raises FileNotProposed when the file
    was already decided, RefusalReasonRequired when refusing without a reason."""
    today = timezone.localdate()
    note = (note or "").strip()[:300]
    if not approve and not note:
        raise RefusalReasonRequired()
    with transaction.atomic():
        locked = HardshipFile.objects.select_for_update().select_related("member").get(pk=file.pk)
        if locked.status != FileStatus.PROPOSED:
            raise FileNotProposed()
        if approve:
            conflict = household_conflict_find(locked)
            if conflict is not None and conflict.status == FileStatus.OPEN:
                raise HouseholdHasFile(conflict)
        locked.decided_on, locked.decided_by, locked.decision_note = today, actor, note
        if approve:
            locked.status = FileStatus.OPEN
            locked.recheck_due = _year_later(today)
        else:
            locked.status, locked.closed_on, locked.closed_reason = FileStatus.CLOSED, today, note
        locked._history_user = actor
        locked.save()
        file_change_record(locked, FileStatus.PROPOSED, locked.status, actor, note or _("认定建档"))
        _file_tell(locked, what=_("经审核未予建档"))
    return locked


def hardship_file_recheck(*, file: HardshipFile, actor, outcome: str, new_level: str = "", reason: str = "") -> HardshipRecheck:
    """Record the yearly re-check of an open file: unchanged, level changed or closed (the
    household has left hardship). Sets the next re-check date a year on. Raises FileNotOpen,
    NewLevelRequired, RecheckReasonRequired."""
    today = timezone.localdate()
    with transaction.atomic():
        locked = HardshipFile.objects.select_for_update().get(pk=file.pk)
        if locked.status != FileStatus.OPEN:
            raise FileNotOpen()
        if outcome == RecheckOutcome.LEVEL_CHANGED and (not new_level or new_level == locked.level):
            raise NewLevelRequired()
        if outcome in (RecheckOutcome.LEVEL_CHANGED, RecheckOutcome.CLOSED) and not reason.strip():
            raise RecheckReasonRequired()
        row = HardshipRecheck.objects.create(
            file=locked, checked_on=today, outcome=outcome, old_level=locked.level,
            new_level=new_level if outcome == RecheckOutcome.LEVEL_CHANGED else "", reason=reason.strip()[:300], actor=actor,
        )
        if outcome == RecheckOutcome.CLOSED:
            locked.status, locked.closed_on, locked.closed_reason = FileStatus.CLOSED, today, reason.strip()[:300]
            locked.recheck_due = None
        else:
            if outcome == RecheckOutcome.LEVEL_CHANGED:
                locked.level = new_level
            locked.recheck_due = _year_later(today)
        locked._history_user = actor
        locked.save()
        note = f"{row.get_outcome_display()}" + (f"：{row.reason}" if row.reason else "")
        file_change_record(locked, FileStatus.OPEN, locked.status, actor, note)
        if outcome == RecheckOutcome.CLOSED:
            _file_tell(locked, what=_("经年度复核退档"))
        else:
            values = {"outcome": row.get_outcome_display(), "level": locked.get_level_display(),
                      "due": f"{locked.recheck_due:%Y-%m-%d}"}
            member_notify(
                member=locked.member, title=_("困难职工档案年度复核"),
                body=_("您的困难职工档案已完成年度复核（%(outcome)s），当前类别：%(level)s，下次复核日期 %(due)s。") % values,
                link=reverse("aid:mine"), sms_template=SMS_RECHECK, sms_values=values,
                dedupe_key=decision_key(row, "rechecked"),
            )
    return row


def _year_later(day: datetime.date) -> datetime.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


# ---------------------------------------------------------------- campaigns

def campaign_copy(*, source: Campaign, year: int, actor=None) -> Campaign:
    """Start `year`'s campaign from `source`: same budget, aid types and amount tables, dates
    moved to `year`; not open to members until staff publish it. Raises IntegrityError's
    message as CampaignExists through the caller when the year already has it."""
    shift = year - source.year
    with transaction.atomic():
        campaign = Campaign.objects.create(
            kind=source.kind, year=year, title=source.title.replace(str(source.year), str(year)),
            description=source.description, starts_on=_shift_year(source.starts_on, shift),
            ends_on=_shift_year(source.ends_on, shift), budget=source.budget, is_published=False, copied_from=source,
        )
        for aid_type in source.aid_types.prefetch_related("amounts"):
            rows = list(aid_type.amounts.all())
            aid_type.pk, aid_type.campaign = None, campaign
            aid_type.save()
            AmountRow.objects.bulk_create([
                AmountRow(aid_type=aid_type, school_level=r.school_level, holder=r.holder,
                          hardship_level=r.hardship_level, amount=r.amount) for r in rows
            ])
    return campaign


def _shift_year(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


# ---------------------------------------------------------------- eligibility

def member_facts(member) -> dict:
    """What eligibility depends on, read once for a page that lists many aid types."""
    return {
        "file_statuses": set(HardshipFile.objects.filter(member=member).values_list("status", flat=True)),
        "nominated_years": set(Nomination.objects.filter(member=member).values_list("year", flat=True)),
    }


def ineligibility(*, aid_type: AidType, member, facts: dict, today: datetime.date):
    """The error that keeps `member` from applying for `aid_type` today, or None."""
    if not aid_type.campaign.is_open(today):
        return CampaignClosed()
    if not member.is_active_member:
        return NotEligible(_("会籍不在册。"))
    rule = aid_type.eligibility
    if rule == Eligibility.FILE_HOLDERS and FileStatus.OPEN not in facts["file_statuses"]:
        if FileStatus.CLOSED in facts["file_statuses"]:
            return FileClosed()
        return NotEligible(_("仅限困难职工档案在档职工申请。"))
    if rule == Eligibility.WOMEN and member.gender != "F":
        return NotEligible(_("仅限女职工申请。"))
    if rule == Eligibility.FRONTLINE and aid_type.campaign.year not in facts["nominated_years"]:
        return NotEligible(_("仅限所在工会推荐的一线职工。"))
    return None


def eligibility_check(*, aid_type: AidType, member, today: datetime.date | None = None) -> None:
    """Raise CampaignClosed, NotEligible or FileClosed unless `member` may apply for `aid_type` now."""
    error = ineligibility(aid_type=aid_type, member=member, facts=member_facts(member), today=today or timezone.localdate())
    if error is not None:
        raise error


def _acting_for(actor, member) -> None:
    """A member acts for themselves, an officer for members of their own union only, aid-centre
    staff for anyone (the counter); None is the system. Raises OutsideOwnUnion."""
    from .access import may_act_for

    if actor is None or may_act_for(actor, member):
        return
    raise OutsideOwnUnion()


# ---------------------------------------------------------------- applications

PAYEE_FIELDS = ["bank_name", "bank_account"]
FACT_FIELDS = {
    Facts.GENERAL: ["reason", *PAYEE_FIELDS],
    Facts.STUDENT: ["child_name", "school", "school_level", "enrolled_on", "reason", *PAYEE_FIELDS],
    Facts.ILLNESS: [
        "diagnosis", "hospital", "treated_from", "treated_to", "total_cost", "insurance_paid",
        "mutual_aid_paid", "out_of_pocket", "reason", *PAYEE_FIELDS,
    ],
}
REQUIRED_FACTS = {
    Facts.GENERAL: {"reason": _("申请理由")},
    Facts.STUDENT: {"child_name": _("子女姓名"), "school": _("就读学校"), "school_level": _("学段")},
    Facts.ILLNESS: {
        "diagnosis": _("诊断"), "hospital": _("就诊医院"), "treated_from": _("治疗开始日期"),
        "total_cost": _("医疗总费用"), "out_of_pocket": _("个人自付金额"),
    },
}
REQUIRED_DOCUMENTS = {
    Facts.STUDENT: (ApplicationDocument.Purpose.ADMISSION, _("录取通知书或学籍证明")),
    Facts.ILLNESS: (ApplicationDocument.Purpose.RECEIPT, _("医疗费用票据")),
}
MONEY_FACTS = ("total_cost", "insurance_paid", "mutual_aid_paid", "out_of_pocket")


def application_facts_check(*, facts_kind: str, facts: dict) -> dict:
    """The facts of an application cleaned to what the type asks for. Raises AmountNotPositive
    (negative money), OutOfPocketAboveCost, DatesOutOfOrder."""
    cleaned = {name: facts.get(name) for name in FACT_FIELDS[facts_kind]}
    for name in MONEY_FACTS:
        if name in cleaned and cleaned[name] is not None:
            cleaned[name] = Decimal(cleaned[name])
            if cleaned[name] < 0:
                raise AmountNotPositive()
    total, own = cleaned.get("total_cost"), cleaned.get("out_of_pocket")
    if total is not None and own is not None and own > total:
        raise OutOfPocketAboveCost()
    paid = sum((cleaned.get(n) or Decimal("0")) for n in ("insurance_paid", "mutual_aid_paid", "out_of_pocket"))
    if total is not None and cleaned.get("out_of_pocket") is not None and paid > total:
        raise OutOfPocketAboveCost()
    start, end = cleaned.get("treated_from"), cleaned.get("treated_to")
    if start and end and end < start:
        raise DatesOutOfOrder()
    today = timezone.localdate()
    if start and start > today:
        raise DatesOutOfOrder()
    for name in ("reason", "child_name", "school", "diagnosis", "hospital", *PAYEE_FIELDS):
        if name in cleaned:
            cleaned[name] = (cleaned[name] or "").strip()
    if "school_level" in cleaned:
        cleaned["school_level"] = cleaned["school_level"] or ""
    return cleaned


def application_start(*, aid_type: AidType, member, actor) -> Application:
    """A draft application of `member` for `aid_type` (by the member or an officer of their own
    union). Raises CampaignClosed, NotEligible, FileClosed, DuplicateApplication, OutsideOwnUnion."""
    _acting_for(actor, member)
    eligibility_check(aid_type=aid_type, member=member)
    if Application.objects.filter(member=member, aid_type=aid_type).exclude(status=Status.CANCELLED).exists():
        raise DuplicateApplication()
    try:
        with transaction.atomic():
            application = Application.objects.create(
                year=aid_type.campaign.year, campaign=aid_type.campaign, aid_type=aid_type, member=member,
                union=member.union, town_street=member.town_street, created_by=actor,
            )
            ApplicationStatusChange.objects.create(
                application=application, from_status="", to_status=Status.DRAFT, actor=actor, member=member,
                note=_("开始填写") if member.user_id == getattr(actor, "pk", None) else _("工会代为填报"),
            )
    except IntegrityError:
        raise DuplicateApplication()
    return application


def application_update(*, application: Application, actor, facts: dict) -> Application:
    """Save the facts of a draft or returned application (read-only once submitted). Raises
    NotEditable and the errors of application_facts_check."""
    cleaned = application_facts_check(facts_kind=application.aid_type.facts, facts=facts)
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        _acting_for(actor, locked.member)
        if locked.status not in EDITABLE:
            raise NotEditable()
        for name, value in cleaned.items():
            setattr(locked, name, value)
        locked._history_user = actor
        locked.save(update_fields=list(cleaned))
    return locked


def application_documents_add(*, application: Application, actor, documents: list[tuple[str, CleanDocument]]) -> list:
    """Keep checked uploads on an editable application (also when the rest of the form has an
    error, so a chosen file is never lost). `documents` are (purpose, CleanDocument)."""
    if not documents:
        return []
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        _acting_for(actor, locked.member)
        if locked.status not in EDITABLE:
            raise NotEditable()
        if locked.documents.filter(withdrawn_at__isnull=True).count() + len(documents) > MAX_DOCUMENTS:
            raise TooManyDocuments(MAX_DOCUMENTS)
        return [
            ApplicationDocument.objects.create(
                application=locked, purpose=purpose, file=doc.content, kind=doc.kind, content_type=doc.content_type,
                original_name=doc.original_name, uploaded_by=actor,
            )
            for purpose, doc in documents
        ]


def application_document_withdraw(*, document: ApplicationDocument, actor, reason: str) -> ApplicationDocument:
    """Withdraw a wrong or unreadable file of an application (staff, or the member on a draft):
    the file is kept as evidence (apps.core.evidence), shown struck through, and no longer
    counts for submission, so the member may upload another. Writes an ApplicationStatusChange
    (who, when, which file, why; the status stays) and tells the member. Takes the
    application's row lock. Raises WithdrawReasonRequired."""
    from apps.core.evidence import evidence_withdraw

    reason = (reason or "").strip()
    if not reason:
        raise WithdrawReasonRequired()
    with transaction.atomic():
        application = Application.objects.select_for_update().select_related("member").get(pk=document.application_id)
        if document.withdrawn_at is not None:
            return document
        withdrawn = evidence_withdraw(evidence=document, actor=actor, reason=reason)
        note = _("撤回材料“%(name)s”：%(reason)s") % {"name": document.original_name, "reason": withdrawn.withdrawn_reason}
        ApplicationStatusChange.objects.create(
            application=application, from_status=application.status, to_status=application.status, actor=actor,
            member_id=application.member_id, note=note,
        )
        if application.member.user_id != getattr(actor, "pk", None):
            more = (_("请登录后重新上传。") if application.status in EDITABLE
                    else _("如需补充，工作人员会将申请退回，届时可重新上传。"))
            values = {"number": application.number or _("草稿"), "name": document.original_name,
                      "reason": withdrawn.withdrawn_reason, "more": more}
            member_notify(
                member=application.member, title=_("申请材料被撤回"),
                body=_("您的申请 %(number)s 的材料“%(name)s”已被撤回，原因：%(reason)s。%(more)s") % values,
                link=reverse("aid:mine_detail", kwargs={"pk": application.pk}),
                sms_template=SMS_DOCUMENT_WITHDRAWN, sms_values=values,
                dedupe_key=decision_key(document, "withdrawn"),
            )
    return withdrawn


def _submission_check(application: Application) -> None:
    kind = application.aid_type.facts
    for name, label in REQUIRED_FACTS.get(kind, {}).items():
        if getattr(application, name) in (None, ""):
            raise MissingFacts(label)
    needed = REQUIRED_DOCUMENTS.get(kind)
    if needed and not application.documents.filter(purpose=needed[0], withdrawn_at__isnull=True).exists():
        raise MissingDocument(needed[1])
    eligibility_check(aid_type=application.aid_type, member=application.member)


def application_transition(
    *, application: Application, target: str, actor, reason: str = "", amount=None,
    paid_method: str = "", paid_on: datetime.date | None = None, paid_reference: str = "",
) -> Application:
    """Move an application to `target`, whatever screen asks, and tell the member.

    Takes the application's row lock and checks the move against FLOW (who may make it, what it
    needs). Submitting gives the gapless number JZ<year>-<6 digits> and checks the facts and the
    documents the type needs. Approving checks the amount against the type's standard, then locks
    the campaign budget and the member's yearly limit (apps.core.limits, key order) and commits
    the amount against both, so two approvals at the same moment cannot exceed either; above the
    year's threshold the approval waits for a second approver who is not the first. Paying needs
    the public notice over with no open objection (notice_clearance_check). Writes an
    ApplicationStatusChange (who, when, from, to, note); the member gets an inbox message and an
    SMS after commit. Raises IllegalTransition, MoveNotPermitted, DetailRequired, SameApprover,
    AmountNotPositive, AmountAboveStandard, NoStandard, LimitExceeded, NotOnNotice,
    NoticeStillRunning, ObjectionsOpen, PaymentDetailsInvalid and the submission errors.
    """
    from apps.notices.services import notice_clearance_check

    now = timezone.now()
    with transaction.atomic():
        locked = (
            Application.objects.select_for_update(of=("self",))
            .select_related("member", "aid_type__campaign", "campaign").get(pk=application.pk)
        )
        current = locked.status
        policy = policy_for(locked.year)
        if target == Status.APPROVED and current == Status.CHECKED and amount is not None:
            amount = money(amount)
            if amount > policy.second_approval_over:
                target = Status.REVIEWED
        if target == Status.APPROVED and current == Status.REVIEWED and actor is not None and locked.first_approver_id == actor.pk:
            raise SameApprover()
        FLOW.check(
            obj=locked, current=current, target=target, actor=actor,
            details={"reason": reason, "amount": amount, "paid_method": paid_method, "paid_on": paid_on,
                     "paid_reference": paid_reference},
        )
        fields = ["status"]
        note = reason.strip()
        if target == Status.SUBMITTED:
            _submission_check(locked)
            if not locked.number:
                locked.number = f"JZ{locked.year}-{sequence_next(key=NUMBER_SEQUENCE, year=locked.year):06d}"
            member = locked.member
            file = open_file_for(member)
            locked.union_id, locked.town_street_id = member.union_id, member.town_street_id
            locked.hardship_file, locked.hardship_level = file, file.level if file else ""
            locked.submitted_at, locked.return_reason = now, ""
            fields += ["number", "union", "town_street", "hardship_file", "hardship_level", "submitted_at", "return_reason"]
        elif target == Status.CHECKED:
            locked.checked_by = actor
            fields.append("checked_by")
        elif target == Status.RETURNED:
            locked.return_reason = note[:300]
            fields.append("return_reason")
        elif target == Status.DECLINED:
            locked.decline_reason = note[:300]
            fields.append("decline_reason")
            if current == Status.REVIEWED:
                limit_release(ref=locked.ref, note=_("复核未通过"))
        elif current == Status.CHECKED and target in (Status.APPROVED, Status.REVIEWED):
            _approve_amount(locked, amount=amount, actor=actor, policy=policy)
            locked.amount, locked.first_approver = amount, actor
            fields += ["amount", "first_approver"]
            if target == Status.APPROVED:
                locked.approved_at = now
                fields.append("approved_at")
            note = note or _("批准金额 %(amount)s 元") % {"amount": amount}
        elif current == Status.REVIEWED and target == Status.APPROVED:
            locked.second_approver, locked.approved_at = actor, now
            fields += ["second_approver", "approved_at"]
        elif target == Status.PAID:
            if paid_on > timezone.localdate():
                raise PaymentDetailsInvalid()
            notice_clearance_check(ref=locked.ref)
            locked.paid_method, locked.paid_on = paid_method, paid_on
            locked.paid_reference, locked.paid_by = paid_reference.strip()[:60], actor
            fields += ["paid_method", "paid_on", "paid_reference", "paid_by"]
        locked.status = target
        locked._history_user = actor
        locked.save(update_fields=fields)
        ApplicationStatusChange.objects.create(
            application=locked, from_status=current, to_status=target, actor=actor, member_id=locked.member_id,
            at=now, note=note,
        )
        _member_tell(locked)
    return locked


def _approve_amount(application: Application, *, amount: Decimal, actor, policy: AidPolicy) -> None:
    """Check `amount` against the standard, then lock and commit it against the campaign's
    budget and the member's yearly limit (raises LimitExceeded naming the one without room)."""
    if amount <= 0:
        raise AmountNotPositive()
    standard = application_standard(application)
    if standard is None:
        raise NoStandard()
    if amount > standard:
        raise AmountAboveStandard(standard)
    campaign = application.campaign
    rows = limits_lock([
        Limit(campaign.budget_key, campaign.budget, label=_("活动预算")),
        Limit(yearly_key(application.member_id, application.year), policy.yearly_limit, label=_("本人年度救助限额"),
              member=application.member, year=application.year),
    ])
    limits_take(rows, amount=amount, ref=application.ref, actor=actor)


STATUS_MESSAGES = {
    Status.SUBMITTED: (_("救助申请已提交"), _("您的%(type)s申请 %(number)s 已提交，等待所在工会审核。")),
    Status.CHECKED: (_("救助申请工会审核通过"), _("您的申请 %(number)s 已通过工会审核，已报市总工会困难职工帮扶中心审批。")),
    Status.RETURNED: (_("救助申请被退回补充材料"), _("您的申请 %(number)s 需补充材料：%(reason)s。请登录后修改并重新提交。")),
    Status.REVIEWED: (_("救助申请已初审通过"), _("您的申请 %(number)s 已初审通过，等待复核。")),
    Status.APPROVED: (_("救助申请已批准"), _("您的申请 %(number)s 已批准，金额 %(amount)s 元，公示期满后发放。")),
    Status.DECLINED: (_("救助申请未获批准"), _("您的申请 %(number)s 未获批准，原因：%(reason)s。")),
    Status.NOTICED: (_("救助申请公示中"), _("您的申请 %(number)s 正在公示（姓名已遮蔽），公示期满后发放。")),
    Status.PAID: (_("救助金已发放"), _("您的申请 %(number)s 救助金 %(amount)s 元已于 %(date)s 以%(method)s发放。")),
}


SMS_APPLICATION = {
    status: sms_template_register(
        f"aid.application_{status}", name=str(title), text=_sms_default(body),
        placeholders=["type", "number", "amount", "reason", "date", "method"],
    )
    for status, (title, body) in STATUS_MESSAGES.items()
}


def _member_tell(application: Application) -> None:
    """Tell the member of the application's move, once per entry into its status (returned,
    resubmitted and returned again are two decisions: the round is in the key)."""
    title, body = STATUS_MESSAGES[application.status]
    values = {
        "type": application.aid_type.name, "number": application.number, "amount": application.amount,
        "reason": application.return_reason or application.decline_reason,
        "date": f"{application.paid_on:%Y-%m-%d}" if application.paid_on else "",
        "method": application.get_paid_method_display(),
    }
    entered = ApplicationStatusChange.objects.filter(application=application, to_status=application.status).count()
    member_notify(
        member=application.member, title=str(title), body=body % values,
        link=reverse("aid:mine_detail", kwargs={"pk": application.pk}),
        sms_template=SMS_APPLICATION[application.status], sms_values=values,
        dedupe_key=decision_key(application, application.status, entered),
    )


def application_notice_publish(*, applications, actor, starts_on: datetime.date | None = None):
    """Put the approved applications among `applications` on public notice, one notice per
    campaign, for the year's number of working days: masked names (张*红), union, aid type and
    amount, never an ID number or a phone. Each moves to NOTICED. Raises NotNoticeable."""
    from apps.notices.models import NoticeKind
    from apps.notices.services import ItemSpec, notice_publish

    pending = list(
        Application.objects.filter(pk__in=[a.pk for a in applications], status=Status.APPROVED)
        .select_related("member", "union", "aid_type", "campaign").order_by("campaign_id", "number")
    )
    if not pending:
        raise NotNoticeable()
    notices = []
    with transaction.atomic():
        by_campaign: dict[int, list[Application]] = {}
        for application in pending:
            by_campaign.setdefault(application.campaign_id, []).append(application)
        for group in by_campaign.values():
            campaign = group[0].campaign
            policy = policy_for(campaign.year)
            notice = notice_publish(
                kind=NoticeKind.AID, source=f"aid.campaign:{campaign.pk}",
                title=_("%(title)s救助对象公示") % {"title": campaign.title},
                body=_("以下职工拟获救助，公示期内如有异议，请在本页提出。"),
                items=[
                    ItemSpec(ref=a.ref, display_name=mask_name(a.member.name), organisation=a.union.name if a.union else "",
                             summary=a.aid_type.name, amount=a.amount)
                    for a in group
                ],
                workdays=policy.notice_workdays, actor=actor, starts_on=starts_on,
            )
            for application in group:
                application_transition(application=application, target=Status.NOTICED, actor=actor)
            Application.objects.filter(pk__in=[a.pk for a in group]).update(notice=notice)
            notices.append(notice)
    return notices


# ---------------------------------------------------------------- health and recuperation

def member_age(member, today: datetime.date) -> int | None:
    birth = member.birth_date
    if birth is None and member.document_type == "resident_id" and len(member.document_number) == 18:
        try:
            birth = datetime.date(int(member.document_number[6:10]), int(member.document_number[10:12]),
                                  int(member.document_number[12:14]))
        except ValueError:
            birth = None
    if birth is None:
        return None
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def programme_check(*, programme: HealthProgramme, member, today=None) -> None:
    """Raise ProgrammeClosed or NotEligible unless `member` may enrol in `programme` now."""
    today = today or timezone.localdate()
    if not programme.is_open(today):
        raise ProgrammeClosed()
    if not member.is_active_member:
        raise NotEligible(_("会籍不在册。"))
    if programme.kind == ProgrammeKind.SCREENING and member.gender != "F":
        raise NotEligible(_("两癌筛查仅限女职工。"))
    if programme.kind == ProgrammeKind.RECUPERATION and not Nomination.objects.filter(member=member, year=programme.year).exists():
        raise NotEligible(_("疗休养名额仅限所在工会推荐的一线职工。"))
    if programme.min_age is not None or programme.max_age is not None:
        age = member_age(member, today)
        if age is None or (programme.min_age is not None and age < programme.min_age) or (
            programme.max_age is not None and age > programme.max_age
        ):
            raise NotEligible(
                _("年龄须在 %(min)s 至 %(max)s 周岁之间。") % {"min": programme.min_age or 0, "max": programme.max_age or "—"}
            )


def programme_quota_limit(programme: HealthProgramme, member) -> Limit:
    """The quota the member's enrolment counts against: their union's or their town/street's."""
    if programme.quota_scope == QuotaScope.UNION:
        holder, holder_id = "union", member.union_id
        row = ProgrammeQuota.objects.filter(programme=programme, union_id=holder_id).first() if holder_id else None
    else:
        holder, holder_id = "town", member.town_street_id
        row = ProgrammeQuota.objects.filter(programme=programme, town_street_id=holder_id).first() if holder_id else None
    places = row.places if row is not None else programme.default_quota
    if holder_id is None or not places:
        raise QuotaNotSet()
    return Limit(f"aid.quota:programme={programme.pk}:{holder}={holder_id}", places, label=_("名额"))


def programme_enrol(*, programme: HealthProgramme, member, actor) -> Enrolment:
    """Enrol `member` (by themselves or an officer of their union): eligibility, then a place of
    the union's or town's quota taken under lock (a full quota raises LimitExceeded, also when
    two enrol at the same moment). One enrolment per member and programme (constraint)."""
    _acting_for(actor, member)
    programme_check(programme=programme, member=member)
    if Enrolment.objects.filter(programme=programme, member=member).exists():
        raise AlreadyEnrolled()
    limit = programme_quota_limit(programme, member)
    try:
        with transaction.atomic():
            rows = limits_lock([limit])
            enrolment = Enrolment.objects.create(
                programme=programme, member=member, union_id=member.union_id, town_street_id=member.town_street_id,
                enrolled_by=actor,
            )
            limits_take(rows, amount=1, ref=enrolment.ref, actor=actor)
            member_notify(
                member=member, title=_("报名成功"),
                body=_("您已报名%(title)s，具体时间和地点将另行通知。") % {"title": programme.title},
                link=reverse("aid:mine"), sms_template=SMS_ENROLLED, sms_values={"title": programme.title},
                dedupe_key=decision_key(enrolment, "enrolled"),
            )
    except IntegrityError:
        raise AlreadyEnrolled()
    return enrolment


def enrolment_cancel(*, enrolment: Enrolment, actor) -> None:
    """Give the place back (the member withdraws or staff remove the enrolment)."""
    with transaction.atomic():
        _acting_for(actor, enrolment.member)
        limit_release(ref=enrolment.ref, note=_("取消报名"))
        enrolment.delete()
