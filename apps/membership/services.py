"""Everything that changes membership: joining, transfers, self-service updates, merges.

Pages, admin actions, tasks and commands call these; none re-implements a rule.

- join_request_submit / join_answer_throttle / join_request_identity_confirm
- join_request_transition / join_requests_escalate
- transfer_request / transfer_transition / member_union_move
- member_profile_update / profile_change_submit / profile_change_transition
- member_merge
"""

import datetime
import hashlib
import json
import logging
import uuid

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import User
from django.core import serializers
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.errors import DomainError
from apps.core.limits import allowances_merge
from apps.core.masking import mask_phone
from apps.core.uploads import CleanDocument
from apps.core.validators import id_birth_date
from apps.members.models import DocumentType, Member, document_validate
from apps.members.services import (
    member_account_activate,
    member_register,
    membership_number_issue,
)
from apps.notify.services import decision_key, member_notify, sms_queue
from apps.notify.texts import sms_template_register

SMS_JOIN_SUBMITTED = sms_template_register(
    "membership.join_submitted", name="入会申请已提交",
    text="您的入会申请已提交，由{union}受理，将于{deadline}前办结。可凭手机号在“进度查询”查看。",
    placeholders=["union", "deadline"],
)
SMS_JOIN_IDENTITY = sms_template_register(
    "membership.join_identity", name="他人以本人证件申请入会（发往原号码）",
    text="有人以您的证件号码提交了入会申请（手机号 {phone}），{union}将现场核验身份证件后办理。如非本人操作，请联系{union}。",
    placeholders=["phone", "union"],
)
SMS_REJOIN_PHONE = sms_template_register(
    "membership.rejoin_phone_changed", name="重新入会时手机号变更（发往原号码）",
    text="您在义乌工会平台的会员手机号已变更为 {new}（{union}现场核验身份后办理重新入会）。如非本人操作，请联系{union}。",
    placeholders=["new", "union"],
)
SMS_JOIN_APPROVED = sms_template_register(
    "membership.join_approved", name="入会申请已通过",
    text="入会申请已通过。欢迎加入{union}，您的会员号为 {number}。请用本手机号短信登录查看电子会员证：{url}",
    placeholders=["union", "number", "url"],
)
SMS_JOIN_DECLINED = sms_template_register(
    "membership.join_declined", name="入会申请未通过",
    text="您的入会申请未通过，原因：{reason}。如有疑问请联系{union}。", placeholders=["reason", "union"],
)
SMS_JOIN_FORWARDED = sms_template_register(
    "membership.join_forwarded", name="入会申请已转交",
    text="您的入会申请已转交{union}办理，可凭手机号在“进度查询”查看进度。", placeholders=["union"],
)
from apps.orgs.models import Employer, GrassrootsUnion, TownStreet
from apps.orgs.selectors import union_for_employer
from apps.workdays.calendar import add_workdays
from apps.workdays.recount import deadline_recounter

from .access import decider_check
from .errors import (
    AlreadyMember,
    ConsentRequired,
    DocumentTaken,
    EmployerRequired,
    ForwardTargetRequired,
    IdentityCheckNotNeeded,
    IdentityNotChecked,
    JoinRequestOpen,
    JoinTooManyAttempts,
    MemberNotActive,
    MergeConflict,
    MergeSameMember,
    NoReceivingUnion,
    NothingChanged,
    PhoneBelongsToMember,
    ProfileChangeOpen,
    SameUnion,
    TransferOpen,
)
from .models import (
    JOIN_OPEN,
    JOIN_TIME_LIMIT_WORKDAYS,
    TRANSFER_OPEN,
    ChangeStatus,
    JoinRequest,
    JoinRequestChange,
    JoinStatus,
    MemberMerge,
    ProfileChangeRequest,
    ProfileChangeStep,
    Transfer,
    TransferChange,
    TransferStatus,
)
from .workflows import CHANGE_FLOW, JOIN_FLOW, TRANSFER_FLOW

logger = logging.getLogger(__name__)


# ---- employers ---------------------------------------------------------------------------
def employer_find(name: str) -> Employer | None:
    """The known employer whose name is exactly `name` (spaces around ignored), else None."""
    name = (name or "").strip()
    if not name:
        return None
    return Employer.objects.select_related("union", "town_street").filter(name=name).first()


def _employer_for(*, employer: Employer | None, name: str, town_street: TownStreet, union: GrassrootsUnion):
    """The employer a new or moved member is linked to: the known one, else one registered now
    from the typed name (no union yet). None when the known employer belongs to another union
    than the receiving one (the receiving union decided to take the worker anyway)."""
    if employer is None and name:
        employer = Employer.objects.filter(name=name.strip()).first()
        if employer is None:
            employer = Employer.objects.create(name=name.strip()[:100], town_street=town_street, union=None)
    if employer is not None and employer.union_id and employer.union_id != union.pk:
        return None
    return employer


# ---- join requests -------------------------------------------------------------------------
def join_deadline(submitted_on: datetime.date) -> datetime.date:
    """Last day to decide a join request submitted on `submitted_on` (15 working days)."""
    return add_workdays(submitted_on, JOIN_TIME_LIMIT_WORKDAYS)


def join_request_submit(
    *,
    name: str,
    gender: str,
    document_type: str,
    document_number: str,
    phone: str,
    town_street: TownStreet,
    job: str,
    employer: Employer | None = None,
    employer_name: str = "",
    address: str = "",
    consented: bool,
    idempotency_key: uuid.UUID | None = None,
) -> JoinRequest:
    """Record a worker's request to join and route it to the union that decides it.

    The caller has verified `phone` by a one-time code. Routing: the employer's union, else the
    catch-all union of the employer's (or the chosen) town/street. Refuses an ID that belongs to
    an active member (AlreadyMember), a second open request for the same document
    (JoinRequestOpen, backed by a partial unique index) and a phone of another member. The same
    form sent twice (same `idempotency_key`) returns the first request and creates nothing.
    A person who already has a Member record (withdrawn, transferred out) and applies from
    another phone than the one on file gets a request marked identity_check_required (the
    officer checks the ID card before approval) and the phone on file is told by SMS.
    """
    if not consented:
        raise ConsentRequired()
    try:
        document_number = document_validate(document_type, document_number)
    except ValidationError as exc:
        raise DomainError(" ".join(exc.messages)) from exc
    if idempotency_key is not None:
        existing = JoinRequest.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing
    previous = Member.objects.filter(document_type=document_type, document_number=document_number).first()
    if previous is not None and previous.status == Member.Status.ACTIVE:
        raise AlreadyMember()
    # Name and ID number are no proof: a new phone for a known person waits for the ID card.
    identity_check = previous is not None and previous.phone != phone
    open_request = JoinRequest.objects.filter(
        document_type=document_type, document_number=document_number, status__in=JOIN_OPEN
    ).first()
    if open_request is not None:
        if idempotency_key is not None and open_request.idempotency_key == idempotency_key:
            return open_request  # the twin of this submission committed a moment ago
        raise JoinRequestOpen()
    if Member.objects.filter(phone=phone).exclude(
        document_type=document_type, document_number=document_number
    ).exists():
        raise PhoneBelongsToMember()
    birth_date = (
        id_birth_date(document_number)
        if document_type in (DocumentType.RESIDENT_ID, DocumentType.HMT_PERMIT) else None
    )
    employer_name = (employer_name or "").strip()
    if employer is None:
        employer = employer_find(employer_name)
    if employer is None and not employer_name:
        raise EmployerRequired()
    if employer is not None:
        employer_name = ""
        town_street = employer.town_street
    union = union_for_employer(employer, town_street)
    if union is None:
        raise NoReceivingUnion()
    now = timezone.now()
    try:
        with transaction.atomic():
            join_request = JoinRequest.objects.create(
                name=name.strip(), gender=gender, document_type=document_type, document_number=document_number,
                birth_date=birth_date, phone=phone, employer=employer, employer_name=employer_name, town_street=town_street,
                job=job.strip(), address=address.strip(), union=union, consented_at=now, submitted_at=now,
                deadline=join_deadline(timezone.localdate(now)), idempotency_key=idempotency_key or uuid.uuid4(),
                identity_check_required=identity_check,
            )
            JoinRequestChange.objects.create(
                join_request=join_request, from_status="", to_status=JoinStatus.PENDING, to_union=union, at=now,
                note=_("网上提交"),
            )
            sms_queue(
                phone=phone, template=SMS_JOIN_SUBMITTED,
                values={"union": union.name, "deadline": f"{join_request.deadline:%Y年%m月%d日}"},
                purpose="join_submitted", dedupe_key=decision_key(join_request, JoinStatus.PENDING),
            )
            if identity_check and previous.phone:
                sms_queue(
                    phone=previous.phone, template=SMS_JOIN_IDENTITY,
                    values={"phone": mask_phone(phone), "union": union.name}, purpose="join_identity",
                )
    except IntegrityError as exc:
        if idempotency_key is not None:
            existing = JoinRequest.objects.filter(idempotency_key=idempotency_key).first()
            if existing is not None:
                return existing
        raise JoinRequestOpen() from exc
    return join_request


def _member_from_join_request(join_request: JoinRequest, by) -> Member:
    """Create (or re-admit a withdrawn) member from an approved request, with a number and a login."""
    existing = (
        Member.objects.select_for_update()
        .filter(document_type=join_request.document_type, document_number=join_request.document_number)
        .first()
    )
    if existing is not None and existing.status == Member.Status.ACTIVE:
        raise AlreadyMember()
    phone_owner = Member.objects.filter(phone=join_request.phone)
    if existing is not None:
        phone_owner = phone_owner.exclude(pk=existing.pk)
    if phone_owner.exists():
        raise PhoneBelongsToMember()
    union = join_request.union
    employer = _employer_for(
        employer=join_request.employer, name=join_request.employer_name,
        town_street=join_request.town_street, union=union,
    )
    town_street = employer.town_street if employer is not None else join_request.town_street
    if existing is not None and existing.phone != join_request.phone and join_request.identity_checked_at is None:
        raise IdentityNotChecked()
    if existing is not None:
        if existing.phone and existing.phone != join_request.phone:
            sms_queue(
                phone=existing.phone, template=SMS_REJOIN_PHONE,
                values={"new": mask_phone(join_request.phone), "union": join_request.union.name},
                purpose="phone_changed",
            )
        member = existing
        for field, value in {
            "name": join_request.name, "gender": join_request.gender, "phone": join_request.phone,
            "union": union, "employer": employer, "town_street": town_street, "job": join_request.job,
            "address": join_request.address or existing.address, "status": Member.Status.ACTIVE,
            "joined_on": timezone.localdate(),
        }.items():
            setattr(member, field, value)
        member._history_user = by
        member._change_reason = _("网上入会申请 #%(pk)s 通过，重新入会") % {"pk": join_request.pk}
        member.save()
        membership_number_issue(member=member)
    else:
        try:
            member = member_register(
                name=join_request.name, gender=join_request.gender, document_type=join_request.document_type,
                document_number=join_request.document_number, birth_date=join_request.birth_date,
                phone=join_request.phone, union=union, employer=employer, town_street=town_street,
                job=join_request.job, address=join_request.address,
            )
        except ValidationError as exc:
            raise DomainError(" ".join(exc.messages)) from exc
    if member.user_id is None:
        # The phone was proven by a code when the request was sent: the login can open now.
        member_account_activate(member=member)
        member.refresh_from_db()
    return member


def join_request_transition(
    *, join_request: JoinRequest, to: str, by: User, note: str = "", to_union: GrassrootsUnion | None = None
) -> JoinRequest:
    """The one way a join request changes status.

    approve: creates the Member (membership number issued), opens their login and tells them by
    inbox + SMS; decline: needs a reason, sent by SMS; forward: to another active union with a
    note (the time limit keeps running from the submission). Only an officer of the union that
    holds the request, or the organisation department, may decide (NotYourUnion). Takes the
    request's row lock; writes a status-change row with who/when/from/to/note.
    """
    note = (note or "").strip()
    with transaction.atomic():
        join_request = (
            JoinRequest.objects.select_for_update(of=("self",)).select_related("union", "employer", "town_street")
            .get(pk=join_request.pk)
        )
        JOIN_FLOW.check(
            obj=join_request, current=join_request.status, target=to, actor=by,
            details={"note": note, "to_union": to_union},
        )
        from_status, from_union = join_request.status, join_request.union
        now = timezone.now()
        fields = ["status"]
        if to == JoinStatus.FORWARDED:
            if not to_union.is_active or to_union.pk == join_request.union_id:
                raise ForwardTargetRequired()
            join_request.union = to_union
            fields.append("union")
        if to in (JoinStatus.APPROVED, JoinStatus.DECLINED):
            join_request.decided_at, join_request.decided_by = now, by
            fields += ["decided_at", "decided_by"]
        if to == JoinStatus.DECLINED:
            join_request.decline_reason = note
            fields.append("decline_reason")
        if to == JoinStatus.APPROVED:
            if join_request.awaits_identity_check:
                raise IdentityNotChecked()
            join_request.member = _member_from_join_request(join_request, by)
            fields.append("member")
        join_request.status = to
        join_request._history_user = by
        join_request.save(update_fields=fields)
        JoinRequestChange.objects.create(
            join_request=join_request, from_status=from_status, to_status=to, from_union=from_union,
            to_union=join_request.union, actor=by, member=join_request.member, at=now, note=note,
        )
        _join_decision_tell(join_request, note)
    return join_request


def join_answer_throttle(*, client_ip: str | None, document_type: str, document_number: str) -> None:
    """Count one join submission (made after a phone code) for the client address and the ID
    number, and raise JoinTooManyAttempts past JOIN_ANSWERS_PER_ADDRESS_DAILY or
    JOIN_ANSWERS_PER_DOCUMENT_DAILY a day (Asia/Shanghai). It bounds what the answers ("already
    a member", "a request is open") can tell about ID numbers. Call before join_request_submit;
    counters live in the cache (atomic increments in Redis); the ID is kept only as a keyed hash.
    """
    day = timezone.localdate().isoformat()
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{document_type}:{document_number}".encode()).hexdigest()[:32]
    counters = [(f"join-answers:doc:{day}:{digest}", settings.JOIN_ANSWERS_PER_DOCUMENT_DAILY)]
    if client_ip:
        counters.append((f"join-answers:ip:{day}:{client_ip}", settings.JOIN_ANSWERS_PER_ADDRESS_DAILY))
    over = False
    for key, limit in counters:
        cache.add(key, 0, timeout=2 * 86400)
        try:
            count = cache.incr(key) or 0
        except ValueError:  # evicted between add and incr
            cache.set(key, 1, timeout=2 * 86400)
            count = 1
        over = over or count > limit
    if over:
        raise JoinTooManyAttempts()


def join_request_identity_confirm(*, join_request: JoinRequest, by: User, note: str = "") -> JoinRequest:
    """Record that an officer checked the applicant's ID card in person (a re-join from a new
    phone), which lets the request be approved. Only a decider of the request's union
    (NotYourUnion); only an open request still waiting for the check (IdentityCheckNotNeeded).
    Takes the request's row lock; writes a change row (from == to) and the history with who."""
    note = (note or "").strip()
    with transaction.atomic():
        join_request = JoinRequest.objects.select_for_update(of=("self",)).select_related("union").get(pk=join_request.pk)
        decider_check(by, join_request.union_id)
        if not join_request.is_open or not join_request.awaits_identity_check:
            raise IdentityCheckNotNeeded()
        now = timezone.now()
        join_request.identity_checked_at, join_request.identity_checked_by = now, by
        join_request._history_user = by
        join_request._change_reason = _("现场核验身份")
        join_request.save(update_fields=["identity_checked_at", "identity_checked_by"])
        text = _("已现场核验身份证件原件，确认为本人")
        JoinRequestChange.objects.create(
            join_request=join_request, from_status=join_request.status, to_status=join_request.status,
            from_union=join_request.union, to_union=join_request.union, actor=by, at=now,
            member=Member.objects.filter(
                document_type=join_request.document_type, document_number=join_request.document_number
            ).first(),
            note=f"{text}：{note}" if note else text,
        )
    return join_request


def _join_decision_tell(join_request: JoinRequest, note: str) -> None:
    if join_request.status == JoinStatus.APPROVED:
        member = join_request.member
        login = f"{settings.SITE_URL}{reverse('accounts:login')}?next={reverse('members:card')}"
        values = {"union": join_request.union.name, "number": member.membership_number, "url": login}
        member_notify(
            member=member,
            title=_("入会申请已通过"),
            body=_("欢迎加入%(union)s，您的会员号为 %(number)s。请用本手机号短信登录查看电子会员证：%(url)s") % values,
            link=reverse("members:card"),
            sms_template=SMS_JOIN_APPROVED, sms_values=values,
            dedupe_key=decision_key(join_request, JoinStatus.APPROVED),
        )
    elif join_request.status == JoinStatus.DECLINED:
        sms_queue(
            phone=join_request.phone, template=SMS_JOIN_DECLINED,
            values={"reason": note, "union": join_request.union.name},
            purpose="join_decision", dedupe_key=decision_key(join_request, JoinStatus.DECLINED),
        )
    elif join_request.status == JoinStatus.FORWARDED:
        # A request may be forwarded more than once: each union it reaches is its own message.
        sms_queue(
            phone=join_request.phone, template=SMS_JOIN_FORWARDED, values={"union": join_request.union.name},
            purpose="join_decision",
            dedupe_key=decision_key(join_request, JoinStatus.FORWARDED, join_request.union_id),
        )


def join_requests_escalate(*, today: datetime.date | None = None) -> int:
    """Flag every open join request past its deadline as escalated to the organisation
    department (组织部), once, with a status-change row and a history row each, and tell
    组织部 and each union's officers (a notice in admin and an e-mail digest after commit).
    Returns how many were flagged."""
    from django.contrib.auth.models import User as UserModel
    from simple_history.utils import bulk_update_with_history

    from apps.accounts import roles
    from apps.notify.services import staff_notify
    from apps.orgs.models import UnionOfficer

    today = today or timezone.localdate()
    now = timezone.now()
    reason = _("超过%(days)d个工作日未办结，已上报市总工会组织部督办。") % {"days": JOIN_TIME_LIMIT_WORKDAYS}
    with transaction.atomic():
        overdue = list(
            JoinRequest.objects.select_for_update(skip_locked=True)
            .filter(status__in=JOIN_OPEN, escalated_at__isnull=True, deadline__lt=today)
            .select_related("union")
            .order_by("pk")
        )
        if not overdue:
            return 0
        for request in overdue:
            request.escalated_at = now
        bulk_update_with_history(overdue, JoinRequest, ["escalated_at"], default_change_reason=reason)
        JoinRequestChange.objects.bulk_create([
            JoinRequestChange(
                join_request_id=r.pk, from_status=r.status, to_status=r.status, from_union_id=r.union_id,
                to_union_id=r.union_id, member_id=r.member_id, at=now, note=reason,
            )
            for r in overdue
        ])
        link = "/admin/membership/joinrequest/?flag=escalated"
        by_union: dict[int, list[JoinRequest]] = {}
        for request in overdue:
            by_union.setdefault(request.union_id, []).append(request)
        lines = "\n".join(
            f"- {r.union.name}：{r.masked_name}，{timezone.localdate(r.submitted_at):%Y-%m-%d} 提交，时限 {r.deadline:%Y-%m-%d}" for r in overdue
        )
        staff_notify(
            users=UserModel.objects.filter(groups__name=roles.ORGANISATION, is_active=True),
            title=_("%(n)d 份入会申请超过办理时限，已上报督办") % {"n": len(overdue)}, body=lines, link=link,
            email=True,
        )
        officers = UnionOfficer.objects.filter(union_id__in=by_union, is_active=True).select_related("user")
        for officer in officers:
            mine = by_union[officer.union_id]
            staff_notify(
                users=[officer.user],
                title=_("本会 %(n)d 份入会申请超过15个工作日未办结，已上报组织部") % {"n": len(mine)},
                body="\n".join(f"- {r.masked_name}，时限 {r.deadline:%Y-%m-%d}" for r in mine), link=link, email=True,
            )
    logger.info("escalated %d overdue join requests", len(overdue))
    return len(overdue)


# ---- transfers -----------------------------------------------------------------------------
def transfer_request(
    *,
    member: Member,
    by: User,
    to_employer: Employer | None = None,
    to_employer_name: str = "",
    to_town_street: TownStreet | None = None,
    reason: str = "",
) -> Transfer:
    """Ask to move `member` to the union of their new employer (转会).

    Asked by the member: waits for the old union to release, then the new union to accept.
    Started by an officer of the member's current union (a member who left): released at once.
    Refuses a member who is not active, a move within the same union (SameUnion) and a second
    open transfer (TransferOpen, backed by a partial unique index).
    """
    own = member.user_id is not None and member.user_id == by.pk
    if not own:
        decider_check(by, member.union_id)
    if member.status != Member.Status.ACTIVE:
        raise MemberNotActive()
    to_employer_name = (to_employer_name or "").strip()
    if to_employer is None:
        to_employer = employer_find(to_employer_name)
    if to_employer is not None:
        to_employer_name, to_town_street = "", to_employer.town_street
    if to_employer is None and (not to_employer_name or to_town_street is None):
        raise EmployerRequired()
    to_union = union_for_employer(to_employer, to_town_street)
    if to_union is None:
        raise NoReceivingUnion()
    if to_union.pk == member.union_id:
        raise SameUnion()
    if Transfer.objects.filter(member=member, status__in=TRANSFER_OPEN).exists():
        raise TransferOpen()
    now = timezone.now()
    try:
        with transaction.atomic():
            transfer = Transfer.objects.create(
                member=member, from_union_id=member.union_id, from_employer_id=member.employer_id,
                to_union=to_union, to_employer=to_employer, to_employer_name=to_employer_name,
                to_town_street=to_town_street, reason=reason.strip(), initiated_by=by, by_officer=not own,
                requested_at=now,
            )
            TransferChange.objects.create(
                transfer=transfer, from_status="", to_status=TransferStatus.PENDING_RELEASE, actor=by, member=member, at=now,
                note=reason.strip(),
            )
            if not own:
                transfer = transfer_transition(
                    transfer=transfer, to=TransferStatus.PENDING_ACCEPT, by=by,
                    note=_("会员已离职，由原工会发起转出"),
                )
            else:
                member_notify(
                    member=member, title=_("转会申请已提交"),
                    body=_("转入%(union)s，待原工会放行、新工会接收。") % {"union": to_union.name},
                    link=reverse("membership:transfer"), sms=False,
                )
    except IntegrityError as exc:
        raise TransferOpen() from exc
    return transfer


def transfer_transition(*, transfer: Transfer, to: str, by: User, note: str = "") -> Transfer:
    """The one way a transfer changes status.

    release (→ pending accept): an officer of the old union; accept (→ completed): an officer of
    the new union, and the member moves (membership number kept, history records the before);
    decline: the union whose step it is, with a reason; cancel: the member, or the old union.
    The organisation department may act for either union. Tells the member at each step.
    """
    note = (note or "").strip()
    with transaction.atomic():
        transfer = (
            Transfer.objects.select_for_update(of=("self",)).select_related("member", "from_union", "to_union")
            .get(pk=transfer.pk)
        )
        TRANSFER_FLOW.check(obj=transfer, current=transfer.status, target=to, actor=by, details={"note": note})
        from_status = transfer.status
        member = transfer.member
        now = timezone.now()
        fields = ["status"]
        if to == TransferStatus.PENDING_ACCEPT:
            transfer.released_at = now
            fields.append("released_at")
        else:
            transfer.finished_at = now
            fields.append("finished_at")
        if to == TransferStatus.COMPLETED:
            employer = _employer_for(
                employer=transfer.to_employer, name=transfer.to_employer_name,
                town_street=transfer.to_town_street, union=transfer.to_union,
            )
            member_union_move(
                member=member, union=transfer.to_union, employer=employer,
                town_street=employer.town_street if employer is not None else transfer.to_town_street, by=by,
                reason=_("转会 #%(pk)s：%(old)s → %(new)s")
                % {"pk": transfer.pk, "old": transfer.from_union.name, "new": transfer.to_union.name},
            )
        transfer.status = to
        transfer._history_user = by
        transfer.save(update_fields=fields)
        TransferChange.objects.create(
            transfer=transfer, from_status=from_status, to_status=to, actor=by, member=member, at=now, note=note
        )
        titles = {
            TransferStatus.PENDING_ACCEPT: _("原工会已同意转出"),
            TransferStatus.COMPLETED: _("转会已完成"),
            TransferStatus.DECLINED: _("转会申请未通过"),
            TransferStatus.CANCELLED: _("转会申请已撤回"),
        }
        bodies = {
            TransferStatus.PENDING_ACCEPT: _("待%(union)s接收。") % {"union": transfer.to_union.name},
            TransferStatus.COMPLETED: _("您已转入%(union)s，会员号 %(number)s 不变。")
            % {"union": transfer.to_union.name, "number": member.membership_number},
            TransferStatus.DECLINED: _("原因：%(reason)s") % {"reason": note},
            TransferStatus.CANCELLED: note,
        }
        member_notify(
            member=member, title=titles[to], body=bodies[to], link=reverse("membership:transfer"),
            sms=to != TransferStatus.CANCELLED, dedupe_key=decision_key(transfer, to),
        )
    return transfer


def member_union_move(
    *, member: Member, union: GrassrootsUnion, employer: Employer | None, town_street: TownStreet, by: User,
    reason: str,
) -> Member:
    """Move a member to another union and employer, keeping their membership number; the
    member's history keeps the union, employer and town/street before, with who and why."""
    member = Member.objects.select_for_update().get(pk=member.pk)
    if member.status != Member.Status.ACTIVE:
        raise MemberNotActive()
    member.union, member.employer, member.town_street = union, employer, town_street
    member._history_user = by
    member._change_reason = reason
    member.save(update_fields=["union", "employer", "town_street", "updated_at"])
    return member


# ---- self-service updates ------------------------------------------------------------------
def member_profile_update(*, member: Member, by: User, address: str, job: str) -> Member:
    """Save the address and job a member typed themselves (no check needed); history records it."""
    changed = []
    for field, value in (("address", address.strip()), ("job", job.strip())):
        if getattr(member, field) != value:
            setattr(member, field, value)
            changed.append(field)
    if changed:
        member._history_user = by
        member._change_reason = _("会员自助修改")
        member.save(update_fields=[*changed, "updated_at"])
    return member


def profile_change_submit(
    *,
    member: Member,
    kind: str,
    proof: CleanDocument,
    new_name: str = "",
    new_document_type: str = "",
    new_document_number: str = "",
    reason: str = "",
) -> ProfileChangeRequest:
    """Ask staff to change the member's name or identity document, with an uploaded proof
    already checked by content (`document_clean`). One pending request per member."""
    fields = {"member": member, "kind": kind, "reason": reason.strip()[:200]}
    if kind == ProfileChangeRequest.Kind.NAME:
        new_name = new_name.strip()
        if not new_name or new_name == member.name:
            raise NothingChanged()
        fields.update(new_name=new_name, old_value=member.name)
    else:
        try:
            new_document_number = document_validate(new_document_type, new_document_number)
        except ValidationError as exc:
            raise DomainError(" ".join(exc.messages)) from exc
        if (new_document_type, new_document_number) == (member.document_type, member.document_number):
            raise NothingChanged()
        if Member.objects.filter(
            document_type=new_document_type, document_number=new_document_number
        ).exclude(pk=member.pk).exists():
            raise DocumentTaken()
        fields.update(
            new_document_type=new_document_type, new_document_number=new_document_number,
            old_value=f"{member.get_document_type_display()} {member.masked_document}",
        )
    if ProfileChangeRequest.objects.filter(member=member, status=ChangeStatus.PENDING).exists():
        raise ProfileChangeOpen()
    try:
        with transaction.atomic():
            change = ProfileChangeRequest(**fields, proof_content_type=proof.content_type)
            change.proof.save(proof.content.name, proof.content, save=False)
            change.save()
            ProfileChangeStep.objects.create(
                change_request=change, from_status="", to_status=ChangeStatus.PENDING, actor=member.user, member=member,
                note=change.reason,
            )
    except IntegrityError as exc:
        raise ProfileChangeOpen() from exc
    return change


def profile_change_transition(*, change: ProfileChangeRequest, to: str, by: User, note: str = "") -> ProfileChangeRequest:
    """The one way a name/document change request moves. Approving applies the change to the
    member with `member.save()`, so the member's history keeps the old value, who approved it
    and why. Deciding: officers of the member's union or the organisation department;
    cancelling: the member. Declining needs a reason. Tells the member."""
    note = (note or "").strip()
    with transaction.atomic():
        change = ProfileChangeRequest.objects.select_for_update(of=("self",)).select_related("member").get(pk=change.pk)
        member = Member.objects.select_for_update().get(pk=change.member_id)
        change.member = member
        CHANGE_FLOW.check(obj=change, current=change.status, target=to, actor=by, details={"note": note})
        now = timezone.now()
        from_status = change.status
        if to == ChangeStatus.APPROVED:
            _profile_change_apply(change, member, by)
        change.status = to
        fields = ["status"]
        if to in (ChangeStatus.APPROVED, ChangeStatus.DECLINED):
            change.decided_at, change.decided_by = now, by
            fields += ["decided_at", "decided_by"]
        if to == ChangeStatus.DECLINED:
            change.decline_reason = note
            fields.append("decline_reason")
        change._history_user = by
        change.save(update_fields=fields)
        ProfileChangeStep.objects.create(
            change_request=change, from_status=from_status, to_status=to, actor=by, member=change.member, at=now,
            note=note,
        )
        if to != ChangeStatus.CANCELLED:
            member_notify(
                member=member, dedupe_key=decision_key(change, to),
                title=_("资料变更已通过") if to == ChangeStatus.APPROVED else _("资料变更未通过"),
                body=_("%(kind)s变更为 %(value)s。") % {"kind": change.get_kind_display(), "value": change.new_value_display}
                if to == ChangeStatus.APPROVED else _("原因：%(reason)s") % {"reason": note},
                link=reverse("membership:profile"),
            )
    return change


def _profile_change_apply(change: ProfileChangeRequest, member: Member, by: User) -> None:
    if change.kind == ProfileChangeRequest.Kind.NAME:
        member.name = change.new_name
        fields = ["name"]
    else:
        if Member.objects.filter(
            document_type=change.new_document_type, document_number=change.new_document_number
        ).exclude(pk=member.pk).exists():
            raise DocumentTaken()
        member.document_type, member.document_number = change.new_document_type, change.new_document_number
        fields = ["document_type", "document_number", "birth_date"]
        if change.new_document_type in (DocumentType.RESIDENT_ID, DocumentType.HMT_PERMIT):
            member.birth_date = None  # Member.save() reads it again from the new number
    member._history_user = by
    member._change_reason = _("资料变更申请 #%(pk)s 审核通过") % {"pk": change.pk}
    try:
        with transaction.atomic():
            member.save(update_fields=[*fields, "updated_at"])
    except IntegrityError as exc:
        raise DocumentTaken() from exc


# ---- merging duplicates --------------------------------------------------------------------
def member_relations():
    """Every relation that points at Member from any installed model (foreign keys and
    one-to-ones, hidden ones such as history tables and many-to-many link tables included).
    Walked at merge time, so a new app that points to Member is covered without a code change."""
    for relation in Member._meta.get_fields(include_hidden=True):
        if not (relation.auto_created and not relation.concrete):
            continue
        if not (relation.one_to_many or relation.one_to_one):
            continue
        model = relation.related_model
        if not model._meta.managed or model._meta.proxy:
            continue
        if getattr(relation.field.remote_field, "parent_link", False):
            continue
        yield relation


def _generic_relations():
    """(model, content-type field, object-id field) of every generic foreign key installed."""
    from django.contrib.contenttypes.fields import GenericForeignKey

    for model in apps.get_models():
        for field in model._meta.private_fields:
            if isinstance(field, GenericForeignKey):
                yield model, field.ct_field, field.fk_field


def _label(model) -> str:
    return f"{model._meta.app_label}.{model._meta.model_name}"


def _member_snapshot(member: Member) -> dict:
    data = serializers.serialize("python", [member])[0]
    snapshot = {"pk": member.pk, **data["fields"]}
    return json.loads(json.dumps(snapshot, cls=DjangoJSONEncoder))


# Apps whose rows would stop the generic walk below (a unique row on both records, such as
# "one open hardship file per member") settle them first. A hook is called inside the merge's
# transaction, after both member rows are locked and the limits ledger merged, before the walk, as
# hook(survivor=, removed=, by=); it returns {label: count} for the merge record, or raises
# MergeConflict (or a subclass with its own message) to stop the merge with nothing changed.
MERGE_HOOKS: list = []


def member_merge_hook(hook):
    """Register `hook` (used as a decorator from an app's `ready()`)."""
    if hook not in MERGE_HOOKS:
        MERGE_HOOKS.append(hook)
    return hook


def member_merge(*, survivor: Member, removed: Member, by: User, note: str = "") -> MemberMerge:
    """Merge two records of one person into `survivor`, in one transaction.

    Every row of every model that points at `removed` (foreign keys, one-to-ones, history
    tables, link tables, generic relations) is moved to `survivor`; a one-to-one or unique row
    present on both sides raises MergeConflict and nothing changes. The login moves when the
    survivor has none (else the removed record's login is deactivated); blank fields of the
    survivor are filled from the removed record. Then `removed` is deleted and a MemberMerge row
    keeps who, when, both ids, a snapshot of the removed record and the counts moved per model.
    Takes both members' row locks (in id order).
    """
    if survivor.pk == removed.pk:
        raise MergeSameMember()
    with transaction.atomic():
        locked = {m.pk: m for m in Member.objects.select_for_update().filter(pk__in=[survivor.pk, removed.pk]).order_by("pk")}
        survivor, removed = locked[survivor.pk], locked[removed.pk]
        snapshot = _member_snapshot(removed)
        counts: dict[str, int] = {}
        # Limits counted per member and year (aid limits, mutual-aid caps) become one and are
        # recounted, before the generic walk below moves whatever else points at `removed`.
        limits_moved = allowances_merge(removed=removed, survivor=survivor)
        if limits_moved:
            counts["core.allowance"] = limits_moved
        for hook in MERGE_HOOKS:
            for label, n in (hook(survivor=survivor, removed=removed, by=by) or {}).items():
                counts[label] = counts.get(label, 0) + n
        for relation in member_relations():
            model, field = relation.related_model, relation.field
            target = field.target_field.attname
            old_value, new_value = getattr(removed, target), getattr(survivor, target)
            rows = model._base_manager.filter(**{field.attname: old_value})
            if not rows.exists():
                continue
            if relation.one_to_one and model._base_manager.filter(**{field.attname: new_value}).exists():
                raise MergeConflict(model._meta.verbose_name)
            if model._meta.auto_created:
                # A many-to-many link table: a link the survivor already has is simply dropped.
                other = next(f for f in model._meta.fields if f.is_relation and f is not field and f.name != "id")
                already = model._base_manager.filter(**{field.attname: new_value}).values(other.attname)
                rows.filter(**{f"{other.attname}__in": already}).delete()
            try:
                with transaction.atomic():
                    moved = rows.update(**{field.attname: new_value})
            except IntegrityError as exc:
                raise MergeConflict(model._meta.verbose_name) from exc
            if moved:
                counts[_label(model)] = counts.get(_label(model), 0) + moved
        from django.contrib.contenttypes.models import ContentType

        member_type = ContentType.objects.get_for_model(Member)
        for model, ct_field, fk_field in _generic_relations():
            moved = model._base_manager.filter(**{ct_field: member_type, fk_field: removed.pk}).update(
                **{fk_field: survivor.pk}
            )
            if moved:
                counts[_label(model)] = counts.get(_label(model), 0) + moved
        removed_user = removed.user
        removed._history_user = by
        removed._change_reason = _("与会员 #%(pk)s 合并后删除") % {"pk": survivor.pk}
        removed_pk = removed.pk
        removed.delete()
        fill = {}
        for field in ("phone", "address", "job", "birth_date", "membership_number", "photo", "photo_thumbnail"):
            if not getattr(survivor, field) and getattr(removed, field):
                fill[field] = getattr(removed, field)
        if removed.joined_on and (survivor.joined_on is None or removed.joined_on < survivor.joined_on):
            fill["joined_on"] = removed.joined_on
        if removed_user is not None:
            if survivor.user_id is None:
                fill["user"] = removed_user
                counts["members.member.user"] = 1
            elif removed_user.is_active:
                removed_user.is_active = False
                removed_user.save(update_fields=["is_active"])
                counts["auth.user.deactivated"] = 1
        for field, value in fill.items():
            setattr(survivor, field, value)
        survivor._history_user = by
        survivor._change_reason = _("合并重复记录 #%(pk)s") % {"pk": removed_pk}
        survivor.save()
        return MemberMerge.objects.create(
            survivor=survivor, survivor_pk=survivor.pk, removed_pk=removed_pk, removed_snapshot=snapshot,
            moved_counts=counts, note=note.strip(), by=by,
        )


@deadline_recounter("membership.join_request")
def join_deadlines_recount(*, actor=None, reason: str) -> int:
    """Recompute the 15-working-day deadline of every open join request after a calendar
    change; each request whose deadline moved gets a history row saying from what to what."""
    moved = 0
    changes = []
    now = timezone.now()
    rows = JoinRequest.objects.select_for_update().filter(status__in=JOIN_OPEN).only(
        "pk", "deadline", "submitted_at", "status", "union_id", "member_id"
    )
    for request in rows.iterator():
        new = join_deadline(timezone.localdate(request.submitted_at))
        if new == request.deadline:
            continue
        changes.append(JoinRequestChange(
            join_request_id=request.pk, from_status=request.status, to_status=request.status, at=now, actor=actor,
            member_id=request.member_id, from_union_id=request.union_id, to_union_id=request.union_id,
            note=_("工作日历调整（%(reason)s），办理时限由 %(old)s 改为 %(new)s。")
            % {"reason": reason, "old": f"{request.deadline:%Y-%m-%d}", "new": f"{new:%Y-%m-%d}"},
        ))
        JoinRequest.objects.filter(pk=request.pk).update(deadline=new)
        moved += 1
    JoinRequestChange.objects.bulk_create(changes)
    return moved
