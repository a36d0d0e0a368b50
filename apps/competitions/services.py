"""Everything that changes competitions and proposals. Views, admin actions, imports and demo
data all call these; none re-implements a check."""

import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.limits import Limit, LimitExceeded, limit_release, limits_lock, limits_take
from apps.core.models import sequence_next
from apps.core.uploads import document_clean
from apps.members.models import DocumentType
from apps.notify.services import decision_key, member_notify
from apps.notify.texts import sms_template_register

from . import ranking
from .errors import (
    AgeOutOfRange,
    AgeUnknown,
    AlreadyRegistered,
    CertificateTooLow,
    EventFull,
    NotInGoodStanding,
    NotWithdrawable,
    OneEventOnly,
    RegistrationClosed,
    ResultsAlreadyPublished,
    ResultsNotComputed,
    WithdrawalClosed,
)
from .models import (
    CertificateLevel,
    Event,
    Proposal,
    ProposalAttachment,
    ProposalChange,
    Registration,
    RegistrationChange,
    Round,
    level_rank,
)
from .workflows import PROPOSAL_FLOW

R = Registration.Status


def member_birth_date(member) -> datetime.date | None:
    """The birth date on the record, or the one a mainland resident ID number carries."""
    if member.birth_date:
        return member.birth_date
    number = member.document_number or ""
    if member.document_type == DocumentType.RESIDENT_ID and len(number) == 18 and number[6:14].isdigit():
        try:
            return datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
        except ValueError:
            return None
    return None


def age_on(birth: datetime.date, day: datetime.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def registration_eligibility_check(*, event: Event, member, certificate_level: int, today=None) -> None:
    """Raise the first rule `member` fails for `event` (window, standing, age, certificate).
    Capacity and the one-event rule are checked under the lock in `registration_create`."""
    today = today or timezone.localdate()
    if not event.is_open(today):
        raise RegistrationClosed(event.registration_opens, event.registration_closes)
    if not member.is_active_member:
        raise NotInGoodStanding()
    if event.min_age is not None or event.max_age is not None:
        birth = member_birth_date(member)
        if birth is None:
            raise AgeUnknown()
        age = age_on(birth, event.held_on)
        if (event.min_age is not None and age < event.min_age) or (event.max_age is not None and age > event.max_age):
            raise AgeOutOfRange(age, event.min_age, event.max_age)
    if event.required_level and level_rank(certificate_level) < level_rank(event.required_level):
        raise CertificateTooLow(CertificateLevel(event.required_level).label)


def _event_limit(event: Event) -> Limit:
    return Limit(event.limit_key, event.capacity, label=_("“%(event)s”名额") % {"event": event.name})


def _entry_limit(event: Event, member) -> Limit:
    return Limit(f"competitions.entries:competition={event.competition_id}:member={member.pk}", 1,
                 label=_("每人限报项目数"), member=member, year=event.competition.year)


def _record(registration, *, before: str, actor, note: str = "") -> None:
    RegistrationChange.objects.create(
        registration=registration, from_status=before, to_status=registration.status, actor=actor,
        member_id=registration.member_id, note=note,
    )


def registration_create(*, event: Event, member, actor, certificate_level: int = 0,
                        join_waiting_list: bool = False, today=None) -> Registration:
    """Register `member` for `event`, or put them on its waiting list when asked and it is full.

    Checks eligibility, then inside one transaction locks the event's place in the limits
    ledger (``competitions.event:event=<pk>``) and, for one-event competitions, the member's
    entry for the competition; the unique constraint (one live registration per member and
    event) backs a double submit. Raises the domain errors of `registration_eligibility_check`,
    OneEventOnly, AlreadyRegistered, EventFull.
    """
    registration_eligibility_check(event=event, member=member, certificate_level=certificate_level, today=today)
    try:
        with transaction.atomic():
            limits = [_event_limit(event)]
            if event.competition.one_event_only:
                limits.append(_entry_limit(event, member))
            rows = limits_lock(limits)
            if Registration.objects.filter(event=event, member=member).exclude(status=R.WITHDRAWN).exists():
                raise AlreadyRegistered()
            if event.competition.one_event_only:
                other = (Registration.objects.filter(event__competition_id=event.competition_id, member=member)
                         .exclude(status=R.WITHDRAWN).select_related("event").first())
                if other is not None:
                    raise OneEventOnly(other.event.name)
            place = rows[event.limit_key]
            full = place.remaining < 1
            if full and not join_waiting_list:
                raise EventFull()
            registration = Registration.objects.create(
                event=event, member=member, certificate_level=certificate_level, created_by=actor,
                status=R.WAITING if full else R.REGISTERED,
            )
            taken = {k: v for k, v in rows.items() if k != event.limit_key} if full else rows
            if taken:
                limits_take(taken, amount=1, ref=registration.ref, actor=actor)
            _record(registration, before="", actor=actor)
    except IntegrityError as error:  # the unique constraint: a second tap or a parallel request
        raise AlreadyRegistered() from error
    except LimitExceeded as error:
        if error.label == _event_limit(event).label:
            raise EventFull() from error
        raise
    return registration


# The SMS texts of competitions and proposals, editable in admin (SmsTemplate).
SMS_PROMOTED = sms_template_register(
    "competitions.promoted", name="竞赛候补递补成功", text="您已由候补转为正式报名：{event}，比赛日期 {day}。",
    placeholders=["event", "day"],
)
SMS_RESULTS = sms_template_register(
    "competitions.results", name="竞赛成绩已公布", text="{event}成绩已公布：总成绩 {total} 分，第 {rank} 名，奖项：{prize}。",
    placeholders=["event", "total", "rank", "prize"],
)
SMS_TITLE = sms_template_register(
    "competitions.title", name="授予称号", text="您被授予“{title}”称号（{day} 决定）。", placeholders=["title", "day"],
)
SMS_PROPOSAL = {
    Proposal.Status.ADOPTED: sms_template_register(
        "competitions.proposal_adopted", name="合理化建议已采纳", text="您的“{title}”已被采纳。",
        placeholders=["title", "number"],
    ),
    Proposal.Status.NOT_ADOPTED: sms_template_register(
        "competitions.proposal_not_adopted", name="合理化建议未采纳", text="您的“{title}”未被采纳，原因：{reason}",
        placeholders=["title", "number", "reason"],
    ),
    Proposal.Status.SUBMITTED: sms_template_register(
        "competitions.proposal_rereview", name="合理化建议重新评审", text="您的“{title}”已重新进入评审。",
        placeholders=["title", "number"],
    ),
}


def waiting_position(registration: Registration) -> int:
    """1 for the first on the event's waiting list."""
    return Registration.objects.filter(
        event_id=registration.event_id, status=R.WAITING, created_at__lte=registration.created_at,
    ).exclude(created_at=registration.created_at, pk__gt=registration.pk).count()


def _promote_waiting(event: Event, rows) -> Registration | None:
    """Give a freed place (held in the locked `rows`) to the first on the waiting list."""
    place = rows[event.limit_key]
    if place.remaining < 1:
        return None
    nxt = (Registration.objects.select_for_update().filter(event=event, status=R.WAITING)
           .order_by("created_at", "id").first())
    if nxt is None:
        return None
    limits_take({event.limit_key: place}, amount=1, ref=nxt.ref)
    nxt.status = R.REGISTERED
    nxt.save(update_fields=["status"])
    _record(nxt, before=R.WAITING, actor=None, note=_("候补递补"))
    values = {"event": str(event), "day": f"{event.held_on:%Y-%m-%d}"}
    member_notify(
        member=nxt.member, title=_("竞赛候补递补成功"),
        body=_("您已由候补转为正式报名：%(event)s，比赛日期 %(day)s") % values,
        link=reverse("competitions:mine"),
        sms_template=SMS_PROMOTED, sms_values=values, dedupe_key=decision_key(nxt, "promoted"),
    )
    return nxt


def registration_withdraw(*, registration: Registration, actor, today=None) -> Registration:
    """Withdraw before the window closes: the place goes back to the ledger and the first on the
    waiting list takes it (and is told). Raises WithdrawalClosed, NotWithdrawable."""
    today = today or timezone.localdate()
    with transaction.atomic():
        event = Event.objects.select_related("competition").get(pk=registration.event_id)
        rows = limits_lock([_event_limit(event)])
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.status == R.WITHDRAWN:
            raise NotWithdrawable()
        if today > event.registration_closes:
            raise WithdrawalClosed()
        before = registration.status
        registration.status = R.WITHDRAWN
        registration.withdrawn_at = timezone.now()
        registration.save(update_fields=["status", "withdrawn_at"])
        limit_release(ref=registration.ref, note=_("退出报名"))
        rows[event.limit_key].refresh_from_db()
        _record(registration, before=before, actor=actor)
        _promote_waiting(event, rows)
    return registration


def event_capacity_change(*, event: Event, capacity: int, actor) -> Event:
    """Change an event's capacity; a larger one fills from the waiting list at once. A capacity
    below the places taken raises LimitExceeded."""
    with transaction.atomic():
        event = Event.objects.select_for_update().select_related("competition").get(pk=event.pk)
        event.capacity = capacity
        rows = limits_lock([_event_limit(event)])
        event.save(update_fields=["capacity"])
        while _promote_waiting(event, rows) is not None:
            pass
    return event


def event_results_compute(*, event: Event, actor) -> int:
    """Totals by the rounds' weights, ranks (ties shared, the event's tie-break) and prizes for
    every registered entrant with a score in each round. Returns how many were ranked.
    Raises ResultsAlreadyPublished, ResultsNotComputed."""
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        if event.results_published:
            raise ResultsAlreadyPublished()
        rounds = list(Round.objects.filter(event=event))
        registrations = list(
            Registration.objects.filter(event=event, status=R.REGISTERED).prefetch_related("scores")
        )
        entries, unranked = [], []
        for registration in registrations:
            points = {s.round_id: s.points for s in registration.scores.all()}
            if not rounds or any(r.pk not in points for r in rounds):
                unranked.append(registration)
                continue
            total = ranking.weighted_total((points[r.pk], r.full_marks, r.weight) for r in rounds)
            practical = next((points[r.pk] for r in rounds if r.kind == Round.Kind.PRACTICAL), None)
            entries.append(ranking.Entry(key=registration.pk, total=total, practical=practical))
        if not entries:
            raise ResultsNotComputed()
        ranked = ranking.rank_entries(entries, tie_break=event.tie_break)
        prizes = ranking.awards_assign(ranked, basis=event.award_basis, amounts={
            "first": event.first_prizes, "second": event.second_prizes,
            "third": event.third_prizes, "merit": event.merit_prizes,
        })
        by_pk = {r.pk: r for r in registrations}
        for entry, rank in ranked:
            registration = by_pk[entry.key]
            registration.total, registration.rank, registration.award = entry.total, rank, prizes[entry.key]
        for registration in unranked:
            registration.total, registration.rank, registration.award = None, None, ""
        Registration.objects.bulk_update(registrations, ["total", "rank", "award"])
    return len(entries)


def event_results_publish(*, event: Event, actor) -> Event:
    """Publish the computed results on the public page and tell every ranked entrant."""
    with transaction.atomic():
        event = Event.objects.select_for_update().select_related("competition").get(pk=event.pk)
        if event.results_published:
            raise ResultsAlreadyPublished()
        ranked = list(Registration.objects.filter(event=event, rank__isnull=False).select_related("member"))
        if not ranked:
            raise ResultsNotComputed()
        event.results_published_at = timezone.now()
        event.save(update_fields=["results_published_at"])
        for registration in ranked:
            prize = registration.get_award_display() or _("无")
            values = {"event": str(event), "total": registration.total, "rank": registration.rank, "prize": prize}
            member_notify(
                member=registration.member, title=_("竞赛成绩已公布"),
                body=_("%(event)s：总成绩 %(total)s 分，第 %(rank)s 名，奖项：%(prize)s") % values,
                link=reverse("competitions:mine"),
                sms_template=SMS_RESULTS, sms_values=values, dedupe_key=decision_key(registration, "results"),
            )
    return event


def registration_title_mark(*, registration: Registration, title: str, decided_on: datetime.date, actor) -> Registration:
    """Mark a winner for a city title (e.g. 义乌市技术能手) with the decision date, and tell them."""
    with transaction.atomic():
        registration = Registration.objects.select_for_update().select_related("member", "event").get(pk=registration.pk)
        registration.city_title, registration.title_decided_on = title.strip(), decided_on
        registration.save(update_fields=["city_title", "title_decided_on"])
        values = {"title": registration.city_title, "day": f"{decided_on:%Y-%m-%d}"}
        member_notify(member=registration.member, title=_("授予称号"),
                      body=_("您被授予“%(title)s”称号（%(day)s 决定）") % values,
                      link=reverse("competitions:mine"), sms_template=SMS_TITLE, sms_values=values,
                      dedupe_key=decision_key(registration, "title", registration.city_title))
    return registration


# --- proposals -----------------------------------------------------------------------------

def proposal_submit(*, member, kind: str, title: str, problem: str, proposal: str, expected_benefit: str,
                    co_authors=(), consent_public: bool = False, uploads=(), actor=None) -> Proposal:
    """File a proposal or innovation for `member` (first author) with co-authors and checked
    attachments (`uploads` already passed through `document_clean`: CleanDocument objects)."""
    with transaction.atomic():
        year = timezone.localdate().year
        number = f"JY{year}-{sequence_next(key='competitions.proposal', year=year):06d}"
        item = Proposal.objects.create(
            number=number, kind=kind, title=title, problem=problem, proposal=proposal,
            expected_benefit=expected_benefit, member=member, union_id=member.union_id,
            town_street_id=member.town_street_id, consent_public=consent_public, year=year,
        )
        item.co_authors.set([m for m in co_authors if m.pk != member.pk])
        for clean in uploads:
            ProposalAttachment.objects.create(
                proposal=item, file=clean.content, kind=clean.kind, content_type=clean.content_type,
                original_name=clean.original_name[:100], uploaded_by=actor,
            )
        ProposalChange.objects.create(proposal=item, from_status="", to_status=item.status, actor=actor,
                                      member=member)
    return item


def proposal_transition(*, proposal: Proposal, target: str, actor, reason: str = "", benefit=None,
                        benefit_measured: bool = False, award_amount=None) -> Proposal:
    """Review a proposal (adopted with its yearly benefit and award, or not adopted with a
    reason); writes the status-change row and tells every author (inbox + SMS)."""
    with transaction.atomic():
        item = Proposal.objects.select_for_update().get(pk=proposal.pk)
        PROPOSAL_FLOW.check(obj=item, current=item.status, target=target, actor=actor,
                            details={"reason": reason, "benefit": benefit})
        before = item.status
        item.status = target
        item.reason = reason.strip() if target == Proposal.Status.NOT_ADOPTED else ""
        if target == Proposal.Status.ADOPTED:
            item.benefit = Decimal(benefit)
            item.benefit_measured = benefit_measured
            item.award_amount = Decimal(award_amount) if award_amount not in (None, "") else None
        item.reviewed_by, item.reviewed_at = actor, timezone.now()
        item.save()
        ProposalChange.objects.create(proposal=item, from_status=before, to_status=target, actor=actor,
                                      member_id=item.member_id, note=item.reason)
        proposal_tell(item, target)
    return item


def proposal_tell(item: Proposal, target: str) -> None:
    """Tell every author of the review's decision, once each per entry into `target` (a
    proposal may come back to review and be decided again: the round is in the key)."""
    values = {"title": item.title, "number": item.number, "reason": item.reason}
    body = {
        Proposal.Status.ADOPTED: _("您的“%(title)s”已被采纳。"),
        Proposal.Status.NOT_ADOPTED: _("您的“%(title)s”未被采纳，原因：%(reason)s"),
        Proposal.Status.SUBMITTED: _("您的“%(title)s”已重新进入评审。"),
    }[target] % values
    entered = ProposalChange.objects.filter(proposal=item, to_status=target).count()
    for author in [item.member, *item.co_authors.all()]:
        member_notify(member=author, title=_("合理化建议评审结果"), body=body,
                      link=reverse("competitions:proposal_detail", kwargs={"number": item.number}),
                      sms_template=SMS_PROPOSAL[target], sms_values=values,
                      dedupe_key=decision_key(item, target, entered, author.pk))


def proposal_upload_clean(upload):
    """An attachment checked by content (PDF or image, re-encoded): raises ValidationError."""
    return document_clean(upload)
