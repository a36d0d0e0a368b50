"""A real Celery worker, with Redis as broker, delivers an SMS from the outbox."""

import os
import subprocess
import sys
import time
import uuid

import pytest
from celery import Celery
from django.conf import settings
from django.db import connection

from apps.notify.models import SmsMessage

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def redis_answers() -> bool:
    import redis

    try:
        return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return False


@pytest.mark.postgres
@pytest.mark.real_clock  # the worker subprocess does not survive libfaketime
@pytest.mark.django_db(transaction=True)
def test_worker_sends_queued_sms_through_redis():
    # make test provides both (a throwaway server when none runs); nothing here is skipped.
    assert "postgresql" in settings.DATABASES["default"]["ENGINE"], "the worker shares the PostgreSQL test database"
    assert redis_answers(), f"no Redis at {REDIS_URL} (make test starts one, or set TEST_REDIS_URL)"
    message = SmsMessage.objects.create(phone="13900000077", text="【义乌市总工会】测试", purpose="test")
    db = connection.settings_dict
    queue = f"yiwu-test-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "yiwu_union.settings",
        "TESTING": "true",
        "SECRET_KEY": settings.SECRET_KEY,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "REDIS_URL": REDIS_URL,
        "SMS_BACKEND": "apps.notify.sms.ConsoleBackend",
        "CELERY_TASK_ALWAYS_EAGER": "false",
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "yiwu_union", "worker", "--pool=solo", "-Q", queue,
         "--without-heartbeat", "--without-gossip", "--without-mingle", "-l", "warning"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        client = Celery(broker=REDIS_URL)
        client.send_task("apps.notify.tasks.sms_send", args=[message.pk], queue=queue)
        deadline = time.monotonic() + 40
        while time.monotonic() < deadline:
            message.refresh_from_db()
            if message.status == SmsMessage.Status.SENT:
                break
            time.sleep(0.3)
    finally:
        worker.terminate()
        output = worker.communicate(timeout=20)[0]
    assert message.status == SmsMessage.Status.SENT, output[-2000:]
    assert "SMS to 139****0077" in output and "13900000077" not in output
