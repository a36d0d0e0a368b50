from django import template

from ..models import Status

register = template.Library()

_BADGES = {
    Status.SUBMITTED: "text-bg-secondary",
    Status.ACCEPTED: "text-bg-primary",
    Status.DECLINED: "text-bg-dark",
    Status.MEDIATION: "text-bg-info",
    Status.LEGAL_AID: "text-bg-info",
    Status.ARBITRATION: "text-bg-info",
    Status.RETURN_VISIT: "text-bg-warning",
    Status.CLOSED: "text-bg-success",
}


@register.filter
def status_badge(status: str) -> str:
    """The Bootstrap badge class of a case status."""
    return _BADGES.get(status, "text-bg-secondary")


@register.filter
def percent(value) -> str:
    """0.8567 -> 85.7%; None -> —."""
    if value is None:
        return "—"
    return f"{value * 100:.1f}%"
