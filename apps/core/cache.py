"""Whole-page cache for anonymous public pages, kept fresh by data versions.

    from apps.core.cache import public_page

    @require_GET
    @public_page("awards")            # the data this page shows
    def roll(request, slug): ...

    # apps.py, AppConfig.ready():
    from apps.core.cache import public_data_tracks
    public_data_tracks("awards", AwardProgramme, HonourEntry)   # save/delete bumps "awards"

    # after a bulk write that sends no signal (queryset.update(), raw SQL):
    public_data_changed("awards")

A page is served from the cache only to a visitor who cannot be signed in and has nothing
pending for them: a GET or HEAD without a session cookie and without a messages cookie. Such a
visitor's page depends only on its full path, the active language and the data it shows, so it
is stored once under a key made of the three: each data key ("awards", "stars"...) has a version
in the cache, and `public_data_changed()` replaces it, which retires every page built from the
old data (no list of pages to purge): at once in the process that published, within
`PUBLIC_DATA_VERSION_SECONDS` (1) in the others. Pages also expire after `PUBLIC_PAGE_SECONDS`
(default 600) as a safety net for data a page shows but does not track (a union renamed).

Nothing in a cached response identifies a visitor: the view runs with an `AnonymousUser` (the
session is never opened, so no `Vary: Cookie`), and a response that sets a cookie, reads or
writes the session, asks for a CSRF token or says `private`/`no-store` is passed on uncached.
The CSP nonce of the stored rendering is reused with its page so inline scripts keep working.
Deploys run `migrate`, whose `post_migrate` retires every page (new templates show at once).

Each process also keeps the pages it served for `PUBLIC_PAGE_LOCAL_SECONDS` (1; 0 turns it
off), at most `LOCAL_PAGES` of them: a busy page then costs no cache round trip at all. The copy
is found by the same key, so it can never outlive a version change (the key changes with the
versions, which the process re-reads every second); it only lets a page that expires by time
(a scheduled publication) show up to that second late.
"""

import functools
import hashlib
import time
import uuid

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponse
from django.template.response import SimpleTemplateResponse
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language

VERSION_PREFIX = "public-data:"
PAGE_PREFIX = "public-page:"
EVERY_PAGE = "*"  # a data key every public page depends on (templates, deploys)


def _seconds() -> int:
    return getattr(settings, "PUBLIC_PAGE_SECONDS", 600)


# Each process keeps the versions it read for PUBLIC_DATA_VERSION_SECONDS (1): a cached page then
# costs one cache round trip instead of two, and another process's publish shows within a second
# (at once in the process that published).
_recent: dict = {}


def _recent_seconds() -> float:
    return getattr(settings, "PUBLIC_DATA_VERSION_SECONDS", 1)


# Each process's own copies of the pages it served: page key -> (deadline, stored value).
_local: dict = {}
LOCAL_PAGES = 200


def _local_seconds() -> float:
    return getattr(settings, "PUBLIC_PAGE_LOCAL_SECONDS", 1)


def _local_get(key: str):
    if _local_seconds() <= 0:
        return None
    found = _local.get(key)
    if found is not None and found[0] > time.monotonic():
        return found[1]
    return None


def _local_put(key: str, stored) -> None:
    seconds = _local_seconds()
    if seconds <= 0:
        return
    if len(_local) >= LOCAL_PAGES:
        _local.clear()  # crude but bounded: the busy pages come back at their next request
    _local[key] = (time.monotonic() + seconds, stored)


def public_data_changed(*keys: str) -> None:
    """Retire every cached public page built from the data `keys` (all pages when none given).

    Bumps now and again after the current transaction commits, so that a page rendered by a
    concurrent request from the not-yet-committed state cannot survive the commit.
    """
    names = [VERSION_PREFIX + key for key in (keys or (EVERY_PAGE,))]

    def bump():
        cache.set_many({name: uuid.uuid4().hex for name in names}, timeout=None)
        _recent.clear()
        _local.clear()

    bump()
    transaction.on_commit(bump)


def _versions(keys) -> list[str]:
    memo = _recent.get(keys)
    if memo is not None and memo[0] > time.monotonic():
        return memo[1]
    names = [VERSION_PREFIX + key for key in (EVERY_PAGE, *keys)]
    found = cache.get_many(names)
    missing = [name for name in names if name not in found]
    for name in missing:
        # A version never falls back to a value used before (an evicted key gets a new one).
        cache.add(name, uuid.uuid4().hex, timeout=None)
    if missing:
        found.update(cache.get_many(missing))
    versions = [found.get(name, "-") for name in names]
    if "-" not in versions:
        _recent[keys] = (time.monotonic() + _recent_seconds(), versions)
    return versions


def _cacheable_visitor(request) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME not in cookies and getattr(
        settings, "MESSAGES_COOKIE_NAME", "messages"
    ) not in cookies


def _page_key(request, keys) -> str:
    versions = ".".join(_versions(keys))
    path = hashlib.sha256(request.get_full_path().encode("utf-8", "surrogateescape")).hexdigest()
    return f"{PAGE_PREFIX}{get_language()}:{path}:{hashlib.sha256(versions.encode()).hexdigest()[:16]}"


def _storable(request, response) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False
    session = getattr(request, "session", None)
    if session is not None and (session.accessed or session.modified):
        return False
    control = response.get("Cache-Control", "")
    if "private" in control or "no-store" in control or "no-cache" in control:
        return False
    vary = response.get("Vary", "").lower()
    return "cookie" not in vary


def _mark_public(response) -> None:
    # Browsers revalidate at once (a publish shows on reload); the server's copy is the cache.
    patch_cache_control(response, public=True, max_age=0)


def _lifetime(seconds) -> int:
    # `seconds` may be a callable (e.g. the time until a scheduled item appears), asked on a miss
    if callable(seconds):
        seconds = seconds()
    return seconds if seconds is not None else _seconds()


def public_page(*keys: str, seconds=None):
    """Decorate a public view: anonymous GETs are served whole from the cache (module doc).

    `keys` name the data the page shows; `public_data_changed(key)` (or a tracked model's save)
    makes the next request render afresh. `seconds` (an int, or a callable returning one or
    None) caps how long a rendering is kept, e.g. until the next scheduled publication.
    """

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if not _cacheable_visitor(request):
                return view(request, *args, **kwargs)
            request.user = AnonymousUser()  # no session cookie: nobody is signed in
            key = _page_key(request, keys)
            stored = _local_get(key)
            if stored is None:
                stored = cache.get(key)
                if stored is not None:
                    _local_put(key, stored)
            if stored is not None:
                content, content_type, nonce = stored
                response = HttpResponse(content, content_type=content_type)
                if nonce:
                    request._csp_nonce = nonce
                response["X-Page-Cache"] = "hit"
                _mark_public(response)
                return response
            response = view(request, *args, **kwargs)
            if isinstance(response, SimpleTemplateResponse) and not response.is_rendered:
                response.render()
            if _storable(request, response):
                nonce = getattr(request, "_csp_nonce", None)
                stored = (response.content, response["Content-Type"], nonce if isinstance(nonce, str) else None)
                cache.set(key, stored, _lifetime(seconds))
                _local_put(key, stored)
                response["X-Page-Cache"] = "miss"
                _mark_public(response)
            return response

        return wrapped

    return decorator


def public_data_tracks(key: str, *models) -> None:
    """Call from `AppConfig.ready()`: saving or deleting any of `models` retires pages of `key`."""

    def changed(sender, **kwargs):
        public_data_changed(key)

    for model in models:
        uid = f"public-data:{key}:{model._meta.label}"
        post_save.connect(changed, sender=model, weak=False, dispatch_uid=uid + ":save")
        post_delete.connect(changed, sender=model, weak=False, dispatch_uid=uid + ":delete")


def every_page_changed(**kwargs) -> None:
    """post_migrate receiver: a deploy (new templates, new code) retires every cached page."""
    public_data_changed()
