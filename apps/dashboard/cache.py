"""The dashboard's short cache, retired section by section whenever a decision is recorded.

Each section's figures are kept for DASHBOARD_CACHE_SECONDS (60) under a key made of the year,
the town/street, the language, the day and the versions of the apps the section reads (the
members section reads members and membership; the others their own app). Saving any
status-change row of an app (every subclass of `apps.core.models.StatusChange`: a case moved,
an application approved, a claim paid...) or one of the other decision records below gives
that app's version a new value, so the next request counts that app's sections again and
keeps the others: an aid decision does not recount a million members. The version changes now
and again after the transaction commits, so figures counted by a concurrent request before
the commit cannot outlive it.
"""

import uuid

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from apps.core.models import StatusChange

VERSION_KEY = "dashboard:version:%s"  # one per app label

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


def figures_versions(app_labels) -> dict[str, str]:
    """The current version of each app's figures (one cache round trip; made when missing)."""
    keys = {label: VERSION_KEY % label for label in app_labels}
    found = cache.get_many(keys.values())
    versions = {}
    for label, key in keys.items():
        if key not in found:
            cache.add(key, uuid.uuid4().hex, timeout=None)
            found[key] = cache.get(key) or "-"
        versions[label] = found[key]
    return versions


def figures_changed(sender=None, **kwargs) -> None:
    """Retire the cached figures of the sender's app (a post_save/post_delete receiver); with
    no sender, of every app."""
    labels = [sender._meta.app_label] if sender is not None else sorted(
        {model._meta.app_label for model in decision_models()})

    def bump():
        cache.set_many({VERSION_KEY % label: uuid.uuid4().hex for label in labels}, timeout=None)

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


def cached_sections(keys: dict[str, tuple[str, tuple[str, ...]]], compute, *, refresh: bool = False) -> dict:
    """{name: value} for `keys` ({name: (key, app labels it reads)}): each from the cache under
    its key and its apps' versions, else from `compute(names missing)`, which returns
    {name: value} for those; two cache round trips whatever the number of sections. With
    `refresh`, every section is counted again and stored (the background warm-up)."""
    versions = figures_versions({label for _key, labels in keys.values() for label in labels})
    full = {
        name: "dashboard:" + ":".join(versions[label] for label in labels) + ":" + key
        for name, (key, labels) in keys.items()
    }
    found = {} if refresh else cache.get_many(full.values())
    values = {name: found[full_key] for name, full_key in full.items() if full_key in found}
    missing = [name for name in keys if name not in values]
    if missing:
        computed = compute(missing)
        cache.set_many({full[name]: computed[name] for name in missing}, timeout=cache_seconds())
        values.update(computed)
    return values
