"""The portal's Celery app: Redis as broker when REDIS_URL is set, eager tasks otherwise."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yiwu_union.settings")

app = Celery("yiwu_union")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
