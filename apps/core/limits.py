"""Scarce things under concurrency: lock the limits in a fixed order, re-check, write.

Every budget, yearly limit, quota, capacity or place goes through this module::

    with transaction.atomic():
        limits = limits_lock([
            Limit(f"aid.budget:campaign={c.pk}", c.budget, label=_("活动预算")),
            Limit(f"aid.yearly:member={m.pk}:year={year}", c.yearly_limit, label=_("年度救助限额"),
                  member=m, year=year),
        ])
        amount = min(asked, *(l.remaining for l in limits.values()))   # or refuse
        limits_take(limits, amount=amount, ref=f"aid.application:{app.pk}", actor=user)

`limits_lock` takes the row locks in key order (so two approvals touching the same budget and
member never deadlock), creating missing rows first. `limits_take` refuses with `LimitExceeded`
when any limit lacks room, and the database check constraint (`used <= capacity`) refuses an
over-commit from any path that skipped the lock. Each commitment is an `AllowanceEntry` row;
`limit_release` gives it back, and `allowance_recount` rebuilds `used` from the open entries.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from .errors import DomainError
from .models import Allowance, AllowanceEntry


class LimitExceeded(DomainError):
    def __init__(self, label: str, remaining: Decimal):
        remaining = Decimal(remaining)
        shown = remaining.quantize(Decimal("1")) if remaining == remaining.to_integral() else remaining
        super().__init__(_("超出%(label)s：剩余 %(remaining)s。") % {"label": label, "remaining": shown})
        self.label = label
        self.remaining = remaining


@dataclass(frozen=True)
class Limit:
    """What a limit is called and how much it may hold now (from the app's own row: the
    campaign's budget, the event's capacity). `member`/`year` mark per-member yearly limits."""

    key: str
    capacity: Decimal | int
    label: str = ""
    member: object | None = None
    year: int | None = None


def limits_lock(limits: list[Limit]) -> dict[str, Allowance]:
    """Lock the allowance rows of `limits` (creating them if new) in key order and return them
    by key, with `capacity` brought to what the caller says now.

    Must run inside `transaction.atomic()`; the locks are held until the caller commits, so keep
    the rest of the block short. A capacity lowered below what is already used raises
    LimitExceeded (nothing is written).
    """
    assert transaction.get_connection().in_atomic_block, "limits_lock needs a transaction"
    specs = {limit.key: limit for limit in limits}
    for key in sorted(specs):
        spec = specs[key]
        try:
            with transaction.atomic():
                Allowance.objects.get_or_create(
                    key=key,
                    defaults={
                        "capacity": Decimal(spec.capacity), "label": str(spec.label or key)[:200],
                        "member": spec.member, "year": spec.year,
                    },
                )
        except IntegrityError:  # created by a concurrent request between our look and our insert
            pass
    rows = {row.key: row for row in Allowance.objects.select_for_update().filter(key__in=specs).order_by("key")}
    for key, spec in specs.items():
        row = rows[key]
        capacity = Decimal(spec.capacity)
        if row.capacity != capacity:
            if capacity < row.used:
                raise LimitExceeded(str(spec.label or row.label or key), capacity - row.used)
            row.capacity = capacity
            row.save(update_fields=["capacity", "updated_at"])
        if spec.label and row.label != str(spec.label):
            row.label = str(spec.label)[:200]
            row.save(update_fields=["label", "updated_at"])
    return rows


def limits_take(rows: dict[str, Allowance], *, amount: Decimal | int, ref: str, actor=None) -> list[AllowanceEntry]:
    """Commit `amount` against every locked row in `rows` (from `limits_lock`), or raise
    LimitExceeded naming the first limit without room. All or nothing."""
    amount = Decimal(amount)
    if amount <= 0:
        raise ValueError("a commitment is positive")
    for key in sorted(rows):
        row = rows[key]
        if row.remaining < amount:
            raise LimitExceeded(row.label or key, row.remaining)
    entries = []
    now = timezone.now()
    for key in sorted(rows):
        row = rows[key]
        row.used = row.used + amount
        row.save(update_fields=["used", "updated_at"])
        entries.append(AllowanceEntry.objects.create(allowance=row, amount=amount, ref=ref, actor=actor, at=now))
    return entries


def limits_commit(limits: list[Limit], *, amount: Decimal | int = 1, ref: str, actor=None) -> list[AllowanceEntry]:
    """Lock, re-check and commit in one call (a place, a registration, a fixed amount)."""
    with transaction.atomic():
        return limits_take(limits_lock(limits), amount=amount, ref=ref, actor=actor)


def limit_release(*, ref: str, note: str = "", keys: list[str] | None = None) -> Decimal:
    """Give back what `ref` holds (all its open entries, or only those on `keys`): a withdrawn
    registration, a declined approval. Returns the amount released per allowance summed."""
    with transaction.atomic():
        entries = AllowanceEntry.objects.filter(ref=ref, released_at__isnull=True)
        if keys is not None:
            entries = entries.filter(allowance__key__in=keys)
        entries = list(entries.select_related("allowance").order_by("allowance__key"))
        if not entries:
            return Decimal("0")
        locked = {
            row.pk: row
            for row in Allowance.objects.select_for_update().filter(pk__in={e.allowance_id for e in entries}).order_by("key")
        }
        now = timezone.now()
        total = Decimal("0")
        for entry in entries:
            row = locked[entry.allowance_id]
            row.used = row.used - entry.amount
            row.save(update_fields=["used", "updated_at"])
            entry.released_at = now
            entry.release_note = note[:200]
            entry.save(update_fields=["released_at", "release_note"])
            total += entry.amount
        return total


def allowance_recount(allowance: Allowance) -> Allowance:
    """Rebuild `used` from the open entries (after a member merge moved entries between rows).
    A merged person may have held more than one limit allows: capacity then rises to `used`,
    so the record stays true rather than the merge failing."""
    with transaction.atomic():
        row = Allowance.objects.select_for_update().get(pk=allowance.pk)
        used = row.entries.filter(released_at__isnull=True).aggregate(total=Sum("amount"))["total"] or Decimal("0")
        row.used = used
        row.capacity = max(row.capacity, used)
        row.save(update_fields=["used", "capacity", "updated_at"])
        return row


def allowance_used(key: str) -> Decimal:
    """What is committed against `key` now (0 when nothing ever was); a read, without lock."""
    row = Allowance.objects.filter(key=key).only("used").first()
    return row.used if row else Decimal("0")


def allowances_merge(*, removed, survivor) -> int:
    """Move the per-member limits of `removed` onto `survivor` (member merge) and recount them:
    a yearly limit of the two records of one person becomes one. Keys name the member as
    ``member=<pk>``. Called by the merge inside its transaction. Returns the rows moved."""
    moved = 0
    old_tag, new_tag = f"member={removed.pk}", f"member={survivor.pk}"
    for row in Allowance.objects.select_for_update().filter(member=removed).order_by("key"):
        new_key = row.key.replace(old_tag, new_tag)
        target = Allowance.objects.select_for_update().filter(key=new_key).first()
        if target is None:
            row.key, row.member = new_key, survivor
            row.save(update_fields=["key", "member", "updated_at"])
        else:
            AllowanceEntry.objects.filter(allowance=row).update(allowance=target)
            row.delete()
            allowance_recount(target)
        moved += 1
    return moved
