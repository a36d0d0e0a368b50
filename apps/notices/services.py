"""Publishing notices, taking and answering objections, and the check every final decision
makes (`notice_clearance_check`): the notice period is over and no objection is open.

Apps call these with their own records' refs (``aid.application:42``); the notice board
(/notices/) lists every notice whatever app published it.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from apps.core.cache import public_data_changed
from apps.workdays.calendar import add_workdays

from .errors import AnswerRequired, NoticeClosed, NoticeStillRunning, NotOnNotice, ObjectionsOpen, TooManyObjections
from .models import NoticeItem, NoticeStatus, Objection, ObjectionStatus, PublicNotice

OBJECTIONS_PER_ADDRESS_PER_HOUR = 10


@dataclass
class ItemSpec:
    """One line of a notice. `display_name` must already be masked for a person (张*红)."""

    ref: str
    display_name: str
    organisation: str = ""
    summary: str = ""
    amount: Decimal | None = None


def notice_publish(
    *, kind: str, source: str, title: str, items: list[ItemSpec], workdays: int, actor=None, body: str = "",
    starts_on: datetime.date | None = None,
) -> PublicNotice:
    """Put `items` on public notice from `starts_on` (today) for `workdays` working days on the
    official calendar (the day of publication not counted)."""
    if workdays < 1:
        raise ValueError("a notice runs at least one working day")
    starts_on = starts_on or timezone.localdate()
    with transaction.atomic():
        notice = PublicNotice.objects.create(
            kind=kind, source=source, title=title, body=body, workdays=workdays, starts_on=starts_on,
            ends_on=add_workdays(starts_on, workdays), published_by=actor,
        )
        NoticeItem.objects.bulk_create([
            NoticeItem(
                notice=notice, ref=spec.ref, display_name=spec.display_name, organisation=spec.organisation,
                summary=spec.summary, amount=spec.amount, sort_order=n,
            )
            for n, spec in enumerate(items)
        ])
    return notice


def notice_clearance_check(*, ref: str, today: datetime.date | None = None) -> None:
    """Raise unless the record `ref` has been on a notice whose period is over with every
    objection answered: NotOnNotice, NoticeStillRunning or ObjectionsOpen."""
    today = today or timezone.localdate()
    items = list(
        NoticeItem.objects.filter(ref=ref).exclude(notice__status=NoticeStatus.WITHDRAWN).select_related("notice")
    )
    if not items:
        raise NotOnNotice()
    latest = max(items, key=lambda i: (i.notice.starts_on, i.notice_id))
    if today <= latest.notice.ends_on:
        raise NoticeStillRunning(latest.notice.ends_on)
    # Objections against this line, and those against the whole notice.
    open_count = Objection.objects.filter(
        Q(item=latest) | Q(item__isnull=True), notice_id=latest.notice_id, status=ObjectionStatus.OPEN
    ).count()
    if open_count:
        raise ObjectionsOpen(open_count)


def objection_submit(
    *, notice: PublicNotice, content: str, contact: str, item: NoticeItem | None = None, client_ip: str | None = None,
) -> Objection:
    """Record an objection from anyone (no sign-in) while the notice runs. At most
    OBJECTIONS_PER_ADDRESS_PER_HOUR from one address, so nobody can flood the staff."""
    if not notice.is_running():
        raise NoticeClosed()
    if client_ip:
        key = f"notices:objections:{client_ip}:{timezone.now():%Y%m%d%H}"
        cache.add(key, 0, 3600)
        try:
            count = cache.incr(key)
        except ValueError:
            count = 1
        if count > OBJECTIONS_PER_ADDRESS_PER_HOUR:
            raise TooManyObjections()
    return Objection.objects.create(notice=notice, item=item, content=content.strip(), contact=contact.strip())


def objection_answer(*, objection: Objection, actor, answer: str, upheld: bool = False) -> Objection:
    """Record the staff answer to an objection (once); `upheld` says it was founded."""
    if not answer or not answer.strip():
        raise AnswerRequired()
    with transaction.atomic():
        locked = Objection.objects.select_for_update().get(pk=objection.pk)
        if locked.status == ObjectionStatus.ANSWERED:
            return locked
        locked.answer = answer.strip()
        locked.upheld = upheld
        locked.answered_by = actor
        locked.answered_at = timezone.now()
        locked.status = ObjectionStatus.ANSWERED
        locked._history_user = actor
        locked.save(update_fields=["answer", "upheld", "answered_by", "answered_at", "status"])
        return locked


def notice_withdraw(*, notice: PublicNotice, actor, reason: str) -> PublicNotice:
    if not reason.strip():
        raise AnswerRequired()
    notice.status = NoticeStatus.WITHDRAWN
    notice.withdrawn_reason = reason.strip()[:200]
    notice._history_user = actor
    notice.save(update_fields=["status", "withdrawn_reason"])
    return notice


def notices_close_expired(*, today: datetime.date | None = None) -> int:
    """Mark notices whose period is over as closed (a beat task); they stay listed as closed."""
    today = today or timezone.localdate()
    closed = PublicNotice.objects.filter(status=NoticeStatus.OPEN, ends_on__lt=today).update(status=NoticeStatus.CLOSED)
    if closed:
        public_data_changed("notices")  # update() sends no signal: the board shows them closed now
    return closed
