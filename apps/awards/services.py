"""Changes to honour-roll entries that carry a rule: the photo, checked by its content."""

from django.db import transaction

from apps.core.uploads import photo_clean

from .models import HonourEntry


def honour_entry_photo_set(*, entry: HonourEntry, upload) -> HonourEntry:
    """Validate `upload` by content (raises ValidationError with a Chinese message), store it
    re-encoded as JPEG with a thumbnail, and delete the previous files after commit."""
    clean = photo_clean(upload)
    old = [name for name in (entry.photo.name, entry.photo_thumbnail.name) if name]
    with transaction.atomic():
        entry.photo.save(clean.image.name, clean.image, save=False)
        entry.photo_thumbnail.save(clean.thumbnail.name, clean.thumbnail, save=False)
        entry.save(update_fields=["photo", "photo_thumbnail"])
        storage = entry.photo.storage
        for name in old:
            transaction.on_commit(lambda name=name: storage.delete(name))
    return entry


def honour_entry_photo_remove(*, entry: HonourEntry) -> HonourEntry:
    """Take the photo off an entry; the files go once the transaction commits."""
    old = [name for name in (entry.photo.name, entry.photo_thumbnail.name) if name]
    with transaction.atomic():
        entry.photo = ""
        entry.photo_thumbnail = ""
        entry.save(update_fields=["photo", "photo_thumbnail"])
        storage = entry.photo.storage
        for name in old:
            transaction.on_commit(lambda name=name: storage.delete(name))
    return entry
