"""Production start-up: `check --deploy` is clean on the production settings against a real
database, and yiwu_union/wsgi.py refuses to serve on a development SMS backend or without the
counselling notes key (and starts with the bench's backend and key, as `make bench` runs it)."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.db import connection
from django.utils import timezone

ROOT = Path(__file__).resolve().parent.parent


def _production_env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "TESTING", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    env.update({
        "DJANGO_SETTINGS_MODULE": "yiwu_union.settings", "DEBUG": "false", "SECRET_KEY": secrets.token_urlsafe(48),
        "ALLOWED_HOSTS": "union.example.cn", "SMS_BACKEND": "bench.sms.BenchSmsBackend",
        "COUNSELLING_NOTES_KEY": Fernet.generate_key().decode(),
    })
    env.update(extra)
    return {k: v for k, v in env.items() if v is not None}


def _database_url() -> str:
    s = connection.settings_dict
    return f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def _run(args, env):
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True)  # no timeout: libfaketime breaks its polling sleep


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_check_deploy_is_clean_on_the_production_settings_against_the_database():
    from apps.workdays.models import CalendarYear

    # Staff confirm next year's official calendar (workdays.W001 asks for it from November on).
    CalendarYear.objects.get_or_create(year=timezone.localdate().year + 1, defaults={"source": "国务院办公厅通知"})
    env = _production_env(DATABASE_URL=_database_url())
    connection.close()
    result = _run(["manage.py", "check", "--deploy", "--database", "default", "--fail-level", "WARNING"], env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize("broken, check_id", [
    ({"SMS_BACKEND": "apps.notify.sms.ConsoleBackend"}, "notify.E001"),
    ({"SMS_BACKEND": "apps.notify.sms.LocMemBackend"}, "notify.E001"),
    ({"COUNSELLING_NOTES_KEY": None}, "counselling.E001"),
    ({"COUNSELLING_NOTES_KEY": "not-a-key"}, "counselling.E002"),
])
def test_the_wsgi_application_refuses_to_start_in_production(broken, check_id):
    result = _run(["-c", "import yiwu_union.wsgi"], _production_env(**broken))
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and check_id in result.stderr


def test_the_wsgi_application_starts_with_the_bench_settings():
    """bench/run.py gives gunicorn bench.sms.BenchSmsBackend and a bench-only notes key."""
    backend, key = "bench.sms.BenchSmsBackend", "YmVuY2gtb25seS1jb3Vuc2VsbGluZy1ub3Rlcy1rZXk="
    server_env = (ROOT / "bench" / "run.py").read_text()
    assert f'"SMS_BACKEND": "{backend}"' in server_env and key in server_env
    env = _production_env(DJANGO_SETTINGS_MODULE="bench.settings", SMS_BACKEND=backend, COUNSELLING_NOTES_KEY=key)
    result = _run(["-c", "import yiwu_union.wsgi; print('started')"], env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "started"


def test_the_wsgi_application_starts_under_debug_with_the_console_backend():
    env = _production_env(DEBUG="true", SMS_BACKEND="apps.notify.sms.ConsoleBackend", COUNSELLING_NOTES_KEY=None)
    result = _run(["-c", "import yiwu_union.wsgi; print('started')"], env)
    assert result.returncode == 0, result.stderr
