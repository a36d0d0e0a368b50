"""Test settings: the production settings with a test SMS outbox, fast hashing, temp media."""

import os
import tempfile

os.environ.setdefault("TESTING", "true")
os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production-0123456789abcdef")

from .settings import *  # noqa: E402,F401,F403

SMS_BACKEND = "apps.notify.sms.LocMemBackend"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="yiwu-test-media-"))  # noqa: F405
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Tests clear the cache between steps to see a page rendered again; the per-process copy of
# public pages would outlive that. apps/core/tests/test_page_cache.py turns it on to test it.
PUBLIC_PAGE_LOCAL_SECONDS = 0
CELERY_TASK_ALWAYS_EAGER = True
CELERY_BROKER_URL = "memory://"
LOGGING = {"version": 1, "disable_existing_loggers": False}
COUNSELLING_NOTES_KEY = "dGVzdC1vbmx5LWNvdW5zZWxsaW5nLWtleS0wMTIzNDU="
