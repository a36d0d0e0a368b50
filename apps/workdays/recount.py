"""Stored deadlines follow the calendar: when staff enter or correct days, every open deadline
that the change moves is recomputed, and the recount is recorded.

Apps register a recount function with `@deadline_recounter`; it recomputes the open deadlines
of its own records (with the calendar as it is now), writes its own history for each record
whose deadline moved, and returns how many moved.
"""

from collections.abc import Callable

from django.db import transaction

from .models import DeadlineRecount

_RECOUNTERS: dict[str, Callable[..., int]] = {}


def deadline_recounter(label: str):
    """Register `fn(*, actor, reason) -> int` as the recount of one kind of deadline."""

    def register(fn):
        _RECOUNTERS[label] = fn
        return fn

    return register


def deadlines_recount(*, actor=None, reason: str) -> DeadlineRecount:
    """Recompute every registered kind of open deadline and record what moved."""
    from .calendar import overrides_changed

    overrides_changed()
    moved = {}
    with transaction.atomic():
        for label, fn in sorted(_RECOUNTERS.items()):
            moved[label] = fn(actor=actor, reason=reason)
        return DeadlineRecount.objects.create(actor=actor, reason=reason[:200], moved=moved)
