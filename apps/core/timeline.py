"""One member's history across every service, read in a fixed number of queries.

Two sources feed it:

- every workflow's status-change rows (they inherit `apps.core.models.StatusChange` and carry
  `member`): one query per status-change model, each row joined to its record, so an app that
  lands later shows up without a change here. Models listed in `settings.TIMELINE_EXCLUDED`
  (counselling: its very existence is sensitive) are left out of this generic part;
- providers: a function per app, kept in the app's own `timeline.py` and registered with
  `@timeline_provider("app")`, for what is not a status change (the date a member joined, an
  honour on a roll, a competition award) or what needs its own rule (counselling). Every
  `apps/<app>/timeline.py` is imported when the project starts (CoreConfig.ready).

A provider takes the member and a `Viewer` and returns entries; it runs a fixed number of
queries whatever the number of the member's records. Staff see a link only to the records
their admin lets them open (the record's admin `has_view_permission` and its scoped
`get_queryset`, checked with one query per model), and a status change's note only then; the
member sees their own entries without notes.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.db import models
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from .models import StatusChange

LIMIT_PER_SOURCE = 200


@dataclass
class TimelineEntry:
    at: datetime.datetime
    service: str  # the app's name, e.g. 社会化维权
    title: str  # the record, e.g. 维权案件 WQ2026-0001
    status: str = ""  # e.g. 已受理 → 调解中
    note: str = ""
    url: str = ""  # where this viewer may open the record; "" when they may not
    date_only: bool = False  # the source knows the day, not the time
    order: tuple = field(default=(), repr=False)  # ties broken by source and id

    @property
    def kind(self) -> str:
        return f"{self.service} {self.title}"


@dataclass
class Viewer:
    """Who is reading the timeline: the member themself, or a staff login (with its request,
    so that the records' admins decide which links to show)."""

    user: object
    request: object = None
    is_self: bool = False

    @classmethod
    def member_self(cls, user) -> Viewer:
        return cls(user=user, is_self=True)

    @classmethod
    def staff(cls, request) -> Viewer:
        return cls(user=request.user, request=request, is_self=False)


Provider = Callable[[object, Viewer], Iterable[TimelineEntry]]
_providers: dict[str, Provider] = {}


def timeline_provider(name: str):
    """Register `func(member, viewer) -> entries` under `name` (one per app)."""
    def register(func: Provider) -> Provider:
        _providers[name] = func
        return func
    return register


def providers() -> dict[str, Provider]:
    return dict(_providers)


def day_start(day: datetime.date) -> datetime.datetime:
    """A date as the start of that day in Asia/Shanghai, to sort beside timestamps."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def status_change_models() -> list[type[StatusChange]]:
    excluded = set(getattr(settings, "TIMELINE_EXCLUDED", ()))
    return [
        model for model in apps.get_models()
        if issubclass(model, StatusChange) and model._meta.label not in excluded
    ]


def record_field(model: type[StatusChange]) -> models.ForeignKey | None:
    """The foreign key of a status-change row to the record it is about."""
    for candidate in model._meta.concrete_fields:
        if candidate.name in ("actor", "member") or not isinstance(candidate, models.ForeignKey):
            continue
        return candidate
    return None


def admin_links(viewer: Viewer, model: type[models.Model], pks: Iterable[int]) -> dict[int, str]:
    """The admin change links `viewer` may follow among these records of `model`: one query
    (none for the member themself or a staff login whose admin hides the model)."""
    pks = {pk for pk in pks if pk is not None}
    if viewer.is_self or viewer.request is None or not pks:
        return {}
    model_admin = admin.site._registry.get(model)
    if model_admin is None or not model_admin.has_view_permission(viewer.request):
        return {}
    visible = model_admin.get_queryset(viewer.request).filter(pk__in=pks).values_list("pk", flat=True)
    opts = model._meta
    try:
        return {pk: reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[pk]) for pk in visible}
    except NoReverseMatch:
        return {}


def member_link(url_name: str, **kwargs) -> str:
    try:
        return reverse(url_name, kwargs=kwargs or None)
    except NoReverseMatch:
        return ""


# The member's own page of each app's requests, linked from /me/ (an app without one: none).
MEMBER_PAGES = {
    "rights": "rights:mine", "aid": "aid:mine", "mutualaid": "mutualaid:mine",
    "competitions": "competitions:mine", "innovation": "innovation:mine",
    "membership": "membership:profile", "awards": "awards_portal:my_honours",
}


def status_change_entries(member, viewer: Viewer, model: type[StatusChange]) -> list[TimelineEntry]:
    """A status-change model's rows about `member`, each with its record: two queries at most."""
    fk = record_field(model)
    rows = model.objects.filter(member=member)
    if fk is not None:
        rows = rows.select_related(fk.name)
    rows = list(rows.order_by("-at", "-id")[:LIMIT_PER_SOURCE])
    if not rows:
        return []
    links = admin_links(viewer, fk.related_model, [getattr(row, fk.attname) for row in rows]) if fk else {}
    app_config = apps.get_app_config(model._meta.app_label)
    own_page = member_link(MEMBER_PAGES[app_config.label]) if viewer.is_self and app_config.label in MEMBER_PAGES else ""
    entries = []
    for row in rows:
        record = getattr(row, fk.name) if fk else None
        record_pk = getattr(row, fk.attname) if fk else None
        url = links.get(record_pk, "") if not viewer.is_self else own_page
        title = f"{record._meta.verbose_name} {record}" if record is not None else str(model._meta.verbose_name)
        status = row.get_to_status_display()
        if row.from_status:
            status = f"{row.get_from_status_display()} → {status}"
        entries.append(TimelineEntry(
            at=row.at, service=str(app_config.verbose_name), title=title, status=status,
            note=row.note if (not viewer.is_self and record_pk in links) else "", url=url,
            order=(model._meta.label, row.pk),
        ))
    return entries


def member_timeline(member, viewer: Viewer) -> list[TimelineEntry]:
    """Every request, decision and honour of `member` that `viewer` may know of, newest first.

    Runs at most two queries per status-change model and a fixed number per provider, however
    many records the member has."""
    entries: list[TimelineEntry] = []
    for model in status_change_models():
        entries.extend(status_change_entries(member, viewer, model))
    for name, provider in sorted(_providers.items()):
        entries.extend(provider(member, viewer))
    entries.sort(key=lambda e: (e.at, e.order), reverse=True)
    return entries


def member_status_changes(member, *, limit_per_model: int = LIMIT_PER_SOURCE) -> list[TimelineEntry]:
    """Every status change about `member` (no providers), newest first: as a member sees them."""
    entries: list[TimelineEntry] = []
    viewer = Viewer(user=None, is_self=True)
    for model in status_change_models():
        entries.extend(status_change_entries(member, viewer, model)[:limit_per_model])
    entries.sort(key=lambda e: (e.at, e.order), reverse=True)
    return entries
