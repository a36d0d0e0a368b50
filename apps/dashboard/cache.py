"""The dashboard's short cache, retired whenever a decision is recorded.

Figures are kept for DASHBOARD_CACHE_SECONDS (60) under a key made of the year, the town/street,
the sections shown and one version; saving any status-change row (every subclass of
`apps.core.models.StatusChange`: a case moved, an application approved, a claim paid...) or one
of the other decision records below gives the version a new value, so the next request counts
again. The version changes now and again after the transaction commits, so figures counted by a
concurrent request before the commit cannot outlive it.
"""

import uuid

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from apps.core.models import StatusChange

VERSION_KEY = "dashboard:version"

# Decisions that are not status-change rows: a star level, an honour on the roll, a supervision
# finding followed up, a contribution received, a residency, a session held, an enrolment, a
# member's status, a competition's scores and awards.
DECISION_MODELS = [
    "members.Member", "stars.StarRating", "awards.HonourEntry", "rights.Finding", "rights.Inspection",
    "mutualaid.ContributionPayment", "mutualaid.Enrolment", "innovation.Residency", "innovation.Place",
    "counselling.Session", "aid.Enrolment", "aid.Campaign", "competitions.Registration",
]


def cache_seconds() -> int:
    return getattr(settings, "DASHBOARD_CACHE_SECONDS", 60)


def figures_version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
        version = cache.get(VERSION_KEY) or "-"
    return version


def figures_changed(**kwargs) -> None:
    """Retire every cached dashboard figure (a post_save/post_delete receiver)."""

    def bump():
        cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)

    bump()
    transaction.on_commit(bump)


def decision_models() -> list:
    found = [model for model in apps.get_models() if issubclass(model, StatusChange)]
    for label in DECISION_MODELS:
        try:
            found.append(apps.get_model(label))
        except LookupError:  # an app not installed in this deployment
            continue
    return found


def decisions_track() -> None:
    for model in decision_models():
        uid = f"dashboard:{model._meta.label}"
        post_save.connect(figures_changed, sender=model, weak=False, dispatch_uid=uid + ":save")
        post_delete.connect(figures_changed, sender=model, weak=False, dispatch_uid=uid + ":delete")


def cached(key: str, compute):
    """`compute()` once per version and key for a short time."""
    full_key = f"dashboard:{figures_version()}:{key}"
    value = cache.get(full_key)
    if value is None:
        value = compute()
        cache.set(full_key, value, timeout=cache_seconds())
    return value
