"""Workflows as data: each move declares who may make it and what it needs, checked in one place.

A workflow is a list of `Move`s beside its status TextChoices::

    CLAIM_FLOW = Workflow("mutualaid.claim", [
        Move(S.SUBMITTED, S.CHECKED, may=agency_point_of_member),
        Move((S.CHECKED,), S.APPROVED, permission="mutualaid.approve_claim", requires=("amount",)),
        Move((S.SUBMITTED, S.CHECKED), S.DECLINED, permission="mutualaid.approve_claim", requires=("reason",)),
    ])

and every entry point (member form, officer page, admin action, import, task) goes through the
app's one `*_transition` service, which calls `CLAIM_FLOW.check(...)` on the locked row. The
check refuses, in this order: a move the map does not have (`IllegalTransition`), an actor who
may not make it (`MoveNotPermitted`), and a missing required detail (`DetailRequired`), each
with its message for the person. Pages ask `flow.moves_for(obj, actor)` to show only the
buttons that would be accepted.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .errors import DomainError


class IllegalTransition(DomainError):
    def __init__(self, current, target):
        super().__init__(
            _("当前状态“%(current)s”不能变更为“%(target)s”。")
            % {"current": getattr(current, "label", current), "target": getattr(target, "label", target)}
        )
        self.current = current
        self.target = target


class MoveNotPermitted(DomainError):
    def __init__(self, target):
        super().__init__(
            _("您没有权限将其变更为“%(target)s”。") % {"target": getattr(target, "label", target)}
        )
        self.target = target


class DetailRequired(DomainError):
    def __init__(self, name: str, label: str):
        super().__init__(_("请填写%(label)s。") % {"label": label})
        self.name = name


# `None` as the actor stands for the system (a beat task, a migration).
Predicate = Callable[[object, object], bool]  # (actor, obj) -> may make the move


def _is_given(value) -> bool:
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, (list, tuple, set, dict)):
        return bool(value)
    return True  # numbers (0 included), dates, objects


@dataclass(frozen=True)
class Move:
    """One allowed move: from any of `sources` to `target`.

    - `permission`: a Django permission ("app.codename") the actor must hold (superusers do);
    - `may`: a predicate (actor, obj) for what a permission cannot say (an officer of the
      object's own union, the second approver not being the first...); both must hold when
      both are given; with neither, any signed-in actor who reaches the service may move;
    - `system`: the move is also made with no actor (a deadline task);
    - `requires`: names of details the service must be given (a reason, an amount), with
      their labels for the message in `Workflow.labels`.
    """

    sources: tuple
    target: str
    permission: str | None = None
    may: Predicate | None = None
    requires: tuple[str, ...] = ()
    system: bool = False

    def __init__(self, sources, target, *, permission=None, may=None, requires=(), system=False):
        object.__setattr__(self, "sources", tuple(sources) if isinstance(sources, (list, tuple, set)) else (sources,))
        object.__setattr__(self, "target", target)
        object.__setattr__(self, "permission", permission)
        object.__setattr__(self, "may", may)
        object.__setattr__(self, "requires", tuple(requires))
        object.__setattr__(self, "system", system)

    def permits(self, actor, obj) -> bool:
        if actor is None:
            return self.system
        if not getattr(actor, "is_authenticated", False) or not getattr(actor, "is_active", True):
            return False
        if self.permission and not actor.has_perm(self.permission):
            return False
        if self.may is not None and not self.may(actor, obj):
            return False
        return True


@dataclass
class Workflow:
    """A named set of moves. `labels` maps a required detail's name to the words shown."""

    name: str
    moves: list[Move]
    labels: dict[str, str] = field(default_factory=dict)

    def __post_init__(self):
        seen = set()
        for move in self.moves:
            for source in move.sources:
                if (source, move.target) in seen:
                    raise ValueError(f"{self.name}: move {source} -> {move.target} declared twice")
                seen.add((source, move.target))

    @property
    def transitions(self) -> dict:
        """The plain map status -> allowed next statuses (for tables and tests)."""
        result: dict = {}
        for move in self.moves:
            for source in move.sources:
                result.setdefault(source, ())
                result[source] = (*result[source], move.target)
        return result

    def move(self, current, target) -> Move | None:
        for candidate in self.moves:
            if candidate.target == target and current in candidate.sources:
                return candidate
        return None

    def targets(self, current) -> tuple:
        return tuple(m.target for m in self.moves if current in m.sources)

    def check(self, *, obj, current, target, actor, details: dict | None = None) -> Move:
        """Return the move, or raise IllegalTransition / MoveNotPermitted / DetailRequired."""
        move = self.move(current, target)
        if move is None:
            raise IllegalTransition(current, target)
        if not move.permits(actor, obj):
            raise MoveNotPermitted(target)
        details = details or {}
        for name in move.requires:
            if not _is_given(details.get(name)):
                raise DetailRequired(name, str(self.labels.get(name, name)))
        return move

    def moves_for(self, obj, current, actor) -> list[Move]:
        """The moves `actor` may make from `current` (for buttons and admin actions)."""
        return [m for m in self.moves if current in m.sources and m.permits(actor, obj)]


def transition_check(transitions: dict, current, target) -> None:
    """Raise IllegalTransition unless `target` is an allowed next status of `current`.

    For maps without actors (a finding's follow-up): workflows with people use `Workflow`.
    """
    if target not in transitions.get(current, ()):
        raise IllegalTransition(current, target)


def any_of(*predicates: Predicate) -> Predicate:
    """A predicate true when one of `predicates` is (e.g. own-union officer or department staff)."""

    def check(actor, obj) -> bool:
        return any(p(actor, obj) for p in predicates)

    return check


def has_perm(permission: str) -> Predicate:
    def check(actor, obj) -> bool:
        return actor.has_perm(permission)

    return check
