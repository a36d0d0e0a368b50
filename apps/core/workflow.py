"""Workflows as data: a transition map beside each status, one check used by every service."""

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


def transition_check(transitions: dict, current, target) -> None:
    """Raise IllegalTransition unless `target` is an allowed next status of `current`."""
    if target not in transitions.get(current, ()):
        raise IllegalTransition(current, target)
