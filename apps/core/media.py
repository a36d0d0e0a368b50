"""Media files that no row points at, and their removal.

A file is written to storage before the row that names it commits; a server killed in between
(or a transaction rolled back) leaves the file behind with no row. Nothing serves such a file
(every download goes through a view that loads the row first), and this sweep deletes it once
it is older than any transaction could be. Files kept for unsubmitted forms (uploads.PENDING_DIR)
have their own purge.
"""

import datetime
import logging

from django.apps import apps
from django.core.files.storage import default_storage
from django.db import models
from django.utils import timezone

from .uploads import PENDING_DIR

logger = logging.getLogger(__name__)


def media_referenced() -> set[str]:
    """Every storage name that a FileField (or ImageField) of any model holds."""
    names: set[str] = set()
    for model in apps.get_models():
        fields = [f.name for f in model._meta.concrete_fields if isinstance(f, models.FileField)]
        for field in fields:
            rows = model._default_manager.exclude(**{field: ""}).exclude(**{f"{field}__isnull": True})
            names.update(rows.values_list(field, flat=True).iterator(chunk_size=5000))
    return names


def _walk(folder: str = ""):
    directories, files = default_storage.listdir(folder)
    for name in files:
        yield f"{folder}/{name}" if folder else name
    for directory in directories:
        path = f"{folder}/{directory}" if folder else directory
        if path != PENDING_DIR:
            yield from _walk(path)


def media_orphans(*, older_than: datetime.timedelta) -> list[str]:
    """Stored files older than `older_than` that no row names."""
    try:
        stored = list(_walk())
    except FileNotFoundError:  # no media folder yet
        return []
    referenced = media_referenced()
    cutoff = timezone.now() - older_than
    return [name for name in stored
            if name not in referenced and default_storage.get_modified_time(name) <= cutoff]


def media_orphans_purge(*, older_than: datetime.timedelta = datetime.timedelta(days=1)) -> int:
    """Delete the orphans (see media_orphans); returns how many."""
    orphans = media_orphans(older_than=older_than)
    for name in orphans:
        default_storage.delete(name)
    if orphans:
        logger.warning("deleted %d media files that no record pointed at", len(orphans))
    return len(orphans)
