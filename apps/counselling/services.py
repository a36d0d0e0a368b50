"""Everything that changes counselling state. Views, admin actions, tasks and demo data call
these; none re-implements a check."""

import datetime
import unicodedata

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.roles import COUNSELLING_SUPERVISOR
from apps.core.validators import normalise_phone
from apps.members.models import Member
from apps.notify.services import decision_key, member_notify, sms_queue, staff_notify
from apps.notify.texts import sms_template_register
from apps.workdays.calendar import add_workdays, is_workday

from . import errors
from .access import is_supervisor, notes_readable
from .models import (
    AnonymousRequest,
    Booking,
    BookingAllowance,
    BookingChange,
    CrisisFlag,
    Session,
    SessionTopic,
    Slot,
    Topic,
)
from .workflows import BOOKING_FLOW

MAX_PATTERN_DAYS = 366


# ---- slots -----------------------------------------------------------------------------------
def _is_public_holiday(day: datetime.date) -> bool:
    """A statutory holiday: a day off in the shared calendar that is not an ordinary weekend.

    Weekend opening hours stay bookable; a Monday of the Spring Festival does not. A weekend
    day inside a holiday period is caught by the library's holiday name."""
    if is_workday(day):
        return False
    if day.weekday() < 5:
        return True
    import chinese_calendar

    try:
        _off, name = chinese_calendar.get_holiday_detail(day)
    except NotImplementedError:
        return False
    return name is not None


def _within_hours(studio, start: datetime.datetime, end: datetime.datetime) -> bool:
    local_start, local_end = timezone.localtime(start), timezone.localtime(end)
    if local_start.date() != local_end.date():
        return False
    return any(
        h.opens <= local_start.time() and local_end.time() <= h.closes
        for h in studio.hours.all() if h.weekday == local_start.weekday()
    )


def _slot_check(*, counsellor, studio, starts_at, ends_at) -> None:
    if ends_at <= starts_at:
        raise errors.SlotTimesInvalid()
    if starts_at <= timezone.now():
        raise errors.SlotInPast()
    local = timezone.localtime(starts_at)
    if _is_public_holiday(local.date()):
        raise errors.SlotOnHoliday(local.date())
    if not _within_hours(studio, starts_at, ends_at):
        raise errors.SlotOutsideHours(local)


def _slot_insert(*, counsellor, studio, mode, starts_at, ends_at, actor) -> Slot:
    overlapping = Slot.objects.filter(
        counsellor=counsellor, is_withdrawn=False, starts_at__lt=ends_at, ends_at__gt=starts_at
    ).exists()
    if overlapping:
        raise errors.SlotOverlaps(timezone.localtime(starts_at))
    try:
        with transaction.atomic():
            return Slot.objects.create(
                counsellor=counsellor, studio=studio, mode=mode, starts_at=starts_at, ends_at=ends_at,
                created_by=actor,
            )
    except IntegrityError as exc:  # the exclusion constraint: a concurrent publish won the race
        raise errors.SlotOverlaps(timezone.localtime(starts_at)) from exc


def slot_publish(*, counsellor, studio, mode: str, starts_at: datetime.datetime, ends_at: datetime.datetime,
                 actor) -> Slot:
    """Publish one slot. Refuses times out of order, in the past, on a public holiday, outside
    the studio's opening hours, or overlapping another slot of the counsellor (SlotOverlaps,
    backed on PostgreSQL by the exclusion constraint counselling_slot_no_overlap)."""
    if not counsellor.studios.filter(pk=studio.pk).exists():
        raise errors.CounsellorNotAtStudio()
    _slot_check(counsellor=counsellor, studio=studio, starts_at=starts_at, ends_at=ends_at)
    return _slot_insert(counsellor=counsellor, studio=studio, mode=mode, starts_at=starts_at, ends_at=ends_at,
                        actor=actor)


def slots_publish_weekly(*, counsellor, studio, mode: str, first_day: datetime.date, last_day: datetime.date,
                         weekdays: list[int], start: datetime.time, minutes: int, actor) -> list[Slot]:
    """Publish the same slot on each chosen weekday between two dates, all or nothing.

    Public holidays are skipped (the pattern means "every working Wednesday"); any other
    refusal (outside hours, an overlap) refuses the whole pattern with the first bad date."""
    if not weekdays or last_day < first_day or (last_day - first_day).days > MAX_PATTERN_DAYS or minutes <= 0:
        raise errors.PatternInvalid()
    if not counsellor.studios.filter(pk=studio.pk).exists():
        raise errors.CounsellorNotAtStudio()
    tz = timezone.get_current_timezone()
    created = []
    with transaction.atomic():
        day = first_day
        while day <= last_day:
            if day.weekday() in weekdays and not _is_public_holiday(day):
                starts_at = datetime.datetime.combine(day, start, tzinfo=tz)
                ends_at = starts_at + datetime.timedelta(minutes=minutes)
                _slot_check(counsellor=counsellor, studio=studio, starts_at=starts_at, ends_at=ends_at)
                created.append(_slot_insert(counsellor=counsellor, studio=studio, mode=mode, starts_at=starts_at,
                                            ends_at=ends_at, actor=actor))
            day += datetime.timedelta(days=1)
    return created


# ---- bookings --------------------------------------------------------------------------------
def _upcoming_allowed(member) -> int:
    allowance = BookingAllowance.objects.filter(member=member).values_list("max_upcoming", flat=True).first()
    return allowance or 1


def booking_create(*, member: Member, slot: Slot, topic: str, note: str = "") -> Booking:
    """Book a free slot for `member`.

    Takes the member's row lock (one upcoming booking at a time unless a BookingAllowance says
    more) and the slot's row lock; the partial unique constraint counselling_one_booking_per_slot
    refuses a second live booking of the slot even on a path without the locks. Raises
    SlotNotBookable, SlotTaken or TooManyUpcoming. Sends the confirmation after commit."""
    now = timezone.now()
    with transaction.atomic():
        Member.objects.select_for_update().filter(pk=member.pk).first()
        slot = Slot.objects.select_for_update().select_related("studio", "counsellor").get(pk=slot.pk)
        if slot.is_withdrawn or slot.starts_at <= now:
            raise errors.SlotNotBookable()
        if Booking.objects.filter(slot=slot).exclude(status=Booking.Status.CANCELLED).exists():
            raise errors.SlotTaken()
        upcoming = Booking.objects.filter(member=member, status=Booking.Status.BOOKED, slot__starts_at__gt=now).count()
        if upcoming >= _upcoming_allowed(member):
            raise errors.TooManyUpcoming()
        try:
            with transaction.atomic():
                booking = Booking.objects.create(slot=slot, member=member, topic=topic, note=note.strip()[:500])
        except IntegrityError as exc:
            raise errors.SlotTaken() from exc
        BookingChange.objects.create(booking=booking, to_status=booking.status, actor=member.user, member=member)
        booking_confirm_tell(booking)
    return booking


# The counselling SMS texts, editable in admin. They may name only the time and the studio:
# never the topic, the note or anything said in a session (the phone may be read by others).
SMS_BOOKED = sms_template_register(
    "counselling.booked", name="心灵港湾预约成功", text="您已预约{when}的心灵港湾服务，地点：{studio}。",
    placeholders=["when", "studio"],
)
SMS_CANCELLED = sms_template_register(
    "counselling.cancelled", name="心灵港湾预约已取消", text="您{when}的心灵港湾预约已取消。",
    placeholders=["when", "studio"],
)
SMS_REMINDER = sms_template_register(
    "counselling.reminder", name="心灵港湾预约提醒", text="提醒：您明天{time}在{studio}有心灵港湾预约。",
    placeholders=["time", "studio"],
)
SMS_CRISIS = sms_template_register(
    "counselling.crisis", name="危机预警（督导）", text="危机预警：{subject} 被标记为危机，请立即登录后台处理（预警 #{flag}）。",
    placeholders=["subject", "flag"],
)


def booking_confirm_tell(booking: Booking) -> None:
    """Tell the member their booking is made: the inbox row and a neutral SMS, once per booking."""
    slot, member = booking.slot, booking.member
    when = timezone.localtime(slot.starts_at)
    key = decision_key(booking, Booking.Status.BOOKED)
    member_notify(
        member=member, title=_("心灵港湾预约成功"),
        body=_("%(when)s %(mode)s，%(studio)s（%(address)s）。如需取消请至少提前%(hours)s小时。") % {
            "when": f"{when:%m月%d日 %H:%M}", "mode": slot.get_mode_display(), "studio": slot.studio.name,
            "address": slot.studio.address, "hours": settings.COUNSELLING_CANCEL_HOURS,
        },
        link="/me/counselling/", sms=False, dedupe_key=key,
    )
    if member.phone:
        sms_queue(phone=member.phone, purpose="counselling", sensitive=True, template=SMS_BOOKED,
                  values={"when": f"{when:%m月%d日 %H:%M}", "studio": slot.studio.name}, dedupe_key=key)


def booking_cancel_tell(booking: Booking) -> None:
    """Tell the member their booking is cancelled, once (a cancelled booking stays cancelled)."""
    values = {"when": f"{booking.slot.local_start:%m月%d日 %H:%M}", "studio": booking.slot.studio.name}
    key = decision_key(booking, Booking.Status.CANCELLED)
    member_notify(member=booking.member, title=_("心灵港湾预约已取消"),
                  body=_("%(when)s 的预约已取消。") % values, link="/me/counselling/", sms=False, dedupe_key=key)
    if booking.member.phone:
        sms_queue(phone=booking.member.phone, purpose="counselling", sensitive=True, template=SMS_CANCELLED,
                  values=values, dedupe_key=key)


def booking_transition(*, booking: Booking, target: str, actor, note: str = "") -> Booking:
    """Move a booking along BOOKING_FLOW (locks the row, writes a BookingChange).

    A member's own cancellation is refused within COUNSELLING_CANCEL_HOURS of the start
    (CancelTooLate); staff may still cancel."""
    with transaction.atomic():
        booking = Booking.objects.select_for_update().select_related("member", "slot__studio").get(pk=booking.pk)
        BOOKING_FLOW.check(obj=booking, current=booking.status, target=target, actor=actor, details={"note": note})
        if target == Booking.Status.CANCELLED and not actor.has_perm("counselling.change_booking"):
            hours = settings.COUNSELLING_CANCEL_HOURS
            if booking.slot.starts_at - timezone.now() < datetime.timedelta(hours=hours):
                raise errors.CancelTooLate(hours)
        previous = booking.status
        booking.status = target
        fields = ["status"]
        if target == Booking.Status.CANCELLED:
            booking.cancelled_at = timezone.now()
            fields.append("cancelled_at")
        booking._history_user = actor
        booking.save(update_fields=fields)
        BookingChange.objects.create(booking=booking, from_status=previous, to_status=target, actor=actor,
                                     member=booking.member, note=note)
        if target == Booking.Status.CANCELLED:
            booking_cancel_tell(booking)
    return booking


def booking_cancel(*, booking: Booking, actor) -> Booking:
    """The member (or staff) cancels a booking; see booking_transition for the time limit."""
    return booking_transition(booking=booking, target=Booking.Status.CANCELLED, actor=actor)


def reminders_send(*, today: datetime.date | None = None) -> int:
    """SMS a reminder for every live booking whose slot starts tomorrow (Asia/Shanghai), once."""
    today = today or timezone.localdate()
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(today + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
    end = start + datetime.timedelta(days=1)
    sent = 0
    with transaction.atomic():
        due = (Booking.objects.select_for_update(of=("self",)).select_related("member", "slot__studio")
               .filter(status=Booking.Status.BOOKED, reminded_at__isnull=True,
                       slot__starts_at__gte=start, slot__starts_at__lt=end))
        for booking in due:
            if booking.member.phone:
                sms_queue(phone=booking.member.phone, purpose="counselling", sensitive=True, template=SMS_REMINDER,
                          values={"time": f"{booking.slot.local_start:%H:%M}", "studio": booking.slot.studio.name},
                          dedupe_key=decision_key(booking, "reminder"))
                sent += 1
            booking.reminded_at = timezone.now()
            booking.save(update_fields=["reminded_at"])
    return sent


# ---- sessions --------------------------------------------------------------------------------
def _topics_clean(topics) -> list[str]:
    chosen = sorted({t for t in (topics or []) if t in Topic.values})
    if not chosen or len(chosen) != len(set(topics)):
        raise errors.TopicsRequired()
    return chosen


def session_topics_set(*, session: Session, topics) -> Session:
    """Set the topic categories of a session (one or more of Topic; TopicsRequired)."""
    chosen = _topics_clean(topics)
    with transaction.atomic():
        SessionTopic.objects.filter(session=session).exclude(topic__in=chosen).delete()
        have = set(SessionTopic.objects.filter(session=session).values_list("topic", flat=True))
        SessionTopic.objects.bulk_create([SessionTopic(session=session, topic=t) for t in chosen if t not in have])
    return session


def session_record(*, booking: Booking, actor, outcome: str, topics=None, follow_up: bool = False,
                   notes: str = "") -> Session:
    """The counsellor records what happened to a booking: attended (with its topic categories,
    the member's choice at booking unless given, and the sealed notes) or no-show. Moves the
    booking along the workflow; one session per booking."""
    topics = _topics_clean(topics) if topics else None
    with transaction.atomic():
        booking = Booking.objects.select_for_update().select_related("slot__counsellor", "slot__studio").get(
            pk=booking.pk)
        if Session.objects.filter(booking=booking).exists():
            raise errors.AlreadyRecorded()
        session = Session(
            booking=booking, counsellor=booking.slot.counsellor, studio=booking.slot.studio,
            held_at=booking.slot.starts_at, outcome=outcome, follow_up=follow_up,
            waiting_days=max(0, (timezone.localtime(booking.slot.starts_at).date()
                                 - timezone.localtime(booking.booked_at).date()).days),
        )
        if notes and not notes_readable(actor, session):
            raise errors.NotesForbidden()
        session.notes = notes
        booking_transition(booking=booking, target=outcome, actor=actor)
        session._history_user = actor
        session.save()
        session_topics_set(session=session, topics=topics or [booking.topic])
    return session


def session_notes_set(*, session: Session, actor, notes: str) -> Session:
    """Write the sealed notes of a session (its counsellor or a supervisor only)."""
    if not notes_readable(actor, session):
        raise errors.NotesForbidden()
    with transaction.atomic():
        session = Session.objects.select_for_update().get(pk=session.pk)
        session.notes = notes
        session._history_user = actor
        session.save(update_fields=["notes"])
    return session


# ---- anonymous requests ----------------------------------------------------------------------
def contact_normalise(*, kind: str, contact: str) -> str:
    """What people type (full-width digits, +86 138-0579-1234) as it is kept; ContactInvalid."""
    value = unicodedata.normalize("NFKC", contact or "").strip()
    if kind == AnonymousRequest.ContactKind.PHONE:
        value = normalise_phone(value).replace("(", "").replace(")", "")
        if not (value.isdigit() and 7 <= len(value) <= 12):
            raise errors.ContactInvalid()
    elif kind == AnonymousRequest.ContactKind.EMAIL:
        if "@" not in value or len(value) > 100 or " " in value:
            raise errors.ContactInvalid()
    elif not (1 <= len(value) <= 40):
        raise errors.ContactInvalid()
    return value


def request_submit(*, contact_kind: str, contact: str, topic: str = "", call_time: str = "") -> AnonymousRequest:
    """Take an anonymous request: the contact, and optionally a topic and a time to call. Nothing
    else is stored (no account, no address, no browser details); due for a call-back within one
    working day."""
    contact = contact_normalise(kind=contact_kind, contact=contact)
    return AnonymousRequest.objects.create(
        contact_kind=contact_kind, contact=contact, topic=topic, call_time=call_time.strip()[:60],
        callback_due=add_workdays(timezone.localdate(), 1),
    )


def request_call_back(*, request: AnonymousRequest, actor, reached: bool = True, studio=None) -> AnonymousRequest:
    """The studio records that it called back (reached or not)."""
    with transaction.atomic():
        request = AnonymousRequest.objects.select_for_update().get(pk=request.pk)
        now = timezone.now()
        request.status = AnonymousRequest.Status.CALLED_BACK if reached else AnonymousRequest.Status.UNREACHABLE
        request.called_back_at, request.called_back_on, request.called_back_by = now, timezone.localdate(), actor
        fields = ["status", "called_back_at", "called_back_on", "called_back_by"]
        if studio is not None:
            request.studio = studio
            fields.append("studio")
        request._history_user = actor
        request.save(update_fields=fields)
    return request


# ---- crises ----------------------------------------------------------------------------------
def supervisors():
    return get_user_model().objects.filter(groups__name=COUNSELLING_SUPERVISOR, is_active=True, is_staff=True).distinct()


def crisis_link(flag: CrisisFlag) -> str:
    return reverse("admin:counselling_crisisflag_change", args=[flag.pk])


def crisis_raise(*, actor, session: Session | None = None, request: AnonymousRequest | None = None) -> CrisisFlag:
    """Flag a session or an anonymous request as a crisis. Every active supervisor is alerted at
    once through the shared staff notices (an urgent notice in the admin, `staff_notify`) and an
    SMS to the phone of their counsellor profile, sent after commit. Neither names a person or
    says anything of the notes: only the record and flag numbers."""
    with transaction.atomic():
        flag = CrisisFlag.objects.create(session=session, request=request, raised_by=actor)
        people = list(supervisors().select_related("counsellor"))
        subject = _("咨询记录 #%(pk)s") % {"pk": session.pk} if session else _("匿名求助 #%(pk)s") % {"pk": request.pk}
        staff_notify(
            users=people, urgent=True, link=crisis_link(flag),
            title=_("危机预警 #%(pk)s：%(subject)s") % {"pk": flag.pk, "subject": subject},
            body=_("%(subject)s 被标记为危机（对自己或他人有风险），请立即处理；须由督导填写说明后才能解除。")
            % {"subject": subject},
        )
        for user in people:
            phone = getattr(getattr(user, "counsellor", None), "phone", "")
            if phone:
                sms_queue(phone=phone, purpose="counselling-crisis", sensitive=True, template=SMS_CRISIS,
                          values={"subject": subject, "flag": flag.pk},
                          dedupe_key=decision_key(flag, "raised", user.pk))
    return flag


def crisis_clear(*, flag: CrisisFlag, actor, note: str) -> CrisisFlag:
    """A supervisor clears a crisis flag, with a note (NotASupervisor, ClearingNoteRequired)."""
    if not is_supervisor(actor):
        raise errors.NotASupervisor()
    if not (note or "").strip():
        raise errors.ClearingNoteRequired()
    with transaction.atomic():
        flag = CrisisFlag.objects.select_for_update().get(pk=flag.pk)
        if not flag.is_open:
            return flag
        flag.is_open, flag.cleared_by, flag.cleared_at, flag.clearing_note = False, actor, timezone.now(), note.strip()
        flag._history_user = actor
        flag.save(update_fields=["is_open", "cleared_by", "cleared_at", "clearing_note"])
    return flag
