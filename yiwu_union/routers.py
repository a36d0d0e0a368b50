"""Reads from the PostgreSQL streaming replica, only where the code asks for them.

The replica (DATABASES["replica"], from DATABASE_REPLICA_URL) lags the primary by up to a few
seconds, so nothing reads from it by default: a member who just submitted a form must see it.
Heavy reads that may lag (dashboards, statistics, exports) opt in:

    from yiwu_union.routers import replica_reads, replica_iter

    with replica_reads():
        stats = list(Application.objects.values("status").annotate(n=Count("id")))

    StreamingHttpResponse(replica_iter(exporter.csv_lines()))   # each row read on the replica

Writes always go to the primary, and so does every read inside a transaction on the primary
(`transaction.atomic()`, `select_for_update()`): a read that must see its own write is never
sent to the replica. Without a configured replica everything reads from the primary.
"""

import contextlib
import contextvars
import functools
from collections.abc import Iterable, Iterator

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"

_reading_replica: contextvars.ContextVar[bool] = contextvars.ContextVar("replica_reads", default=False)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


def replica_alias() -> str:
    """The alias a replica-tolerant read should use right now (for `.using(...)`)."""
    if not replica_configured() or connections[DEFAULT_DB_ALIAS].in_atomic_block:
        return DEFAULT_DB_ALIAS
    return REPLICA


@contextlib.contextmanager
def replica_reads():
    """Inside the block, ORM reads go to the replica (when there is one and no transaction on
    the primary is open); writes still go to the primary."""
    token = _reading_replica.set(True)
    try:
        yield
    finally:
        _reading_replica.reset(token)


def replica_view(view):
    """A statistics page read wholly on the replica: the view and the rendering of its
    template response (where lazy querysets are read). Writes still go to the primary."""

    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        for arg in args:  # the session and its login are read on the primary first: fresh ones may lag
            if hasattr(arg, "META") and hasattr(arg, "user"):
                arg.user.is_authenticated  # noqa: B018 (resolves the lazy user)
        with replica_reads():
            response = view(*args, **kwargs)
            if callable(getattr(response, "render", None)) and not getattr(response, "is_rendered", True):
                response.render()
        return response

    return wrapped


def replica_iter(iterable: Iterable) -> Iterator:
    """Iterate `iterable` (a streaming export's rows) reading on the replica, without the
    replica mode leaking past each step into whatever runs between two rows."""
    with replica_reads():
        iterator = iter(iterable)
    while True:
        with replica_reads():
            try:
                item = next(iterator)
            except StopIteration:
                return
        yield item


class ReplicaRouter:
    """Reads go to the replica only inside `replica_reads()`; everything else to the primary."""

    def db_for_read(self, model, **hints):
        if _reading_replica.get():
            return replica_alias()
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # The replica holds the same rows as the primary.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS
