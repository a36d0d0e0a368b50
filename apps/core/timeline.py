"""One member's history across every workflow: one query per status-change model.

Every app's status-change rows inherit `apps.core.models.StatusChange` and carry `member`, so a
new app shows up here without a change. Models listed in `settings.TIMELINE_EXCLUDED` (the
counselling workflow: its very existence is sensitive) are left out.
"""

from dataclasses import dataclass
from datetime import datetime

from django.apps import apps
from django.conf import settings

from .models import StatusChange


@dataclass
class TimelineEntry:
    at: datetime
    kind: str  # the status-change model's verbose name, e.g. 案件流转记录
    from_label: str
    to_label: str
    note: str
    row: StatusChange


def status_change_models() -> list[type[StatusChange]]:
    excluded = set(getattr(settings, "TIMELINE_EXCLUDED", ()))
    return [
        model for model in apps.get_models()
        if issubclass(model, StatusChange) and model._meta.label not in excluded
    ]


def member_status_changes(member, *, limit_per_model: int = 200) -> list[TimelineEntry]:
    """Every status change about `member`, newest first (at most `limit_per_model` a model)."""
    entries = []
    for model in status_change_models():
        for row in model.objects.filter(member=member).order_by("-at", "-id")[:limit_per_model]:
            entries.append(
                TimelineEntry(
                    at=row.at, kind=str(model._meta.verbose_name),
                    from_label=row.get_from_status_display() if row.from_status else "",
                    to_label=row.get_to_status_display(), note=row.note, row=row,
                )
            )
    entries.sort(key=lambda e: e.at, reverse=True)
    return entries
