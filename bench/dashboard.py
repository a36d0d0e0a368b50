"""Time the leadership dashboard and the work report at volume (a benchmark, not a test).

    .venv/bin/python bench/dashboard.py                 # 100,000 members (BENCH_MEMBERS)
    BENCH_MEMBERS=1000000 .venv/bin/python bench/dashboard.py

Uses its own database (BENCH_DATABASE_URL, default yiwu_bench_dashboard; created when missing,
a test_ database is refused): tops up to BENCH_MEMBERS members with `generate_volume`, adds a
year of every app's records (`generate_volume --year`) once, VACUUM ANALYZE, then signs in a
superuser and requests /dashboard/ and /dashboard/report/ for the current and the previous
year, BENCH_RUNS (5) times each: cold (the dashboard's cache emptied before each request: every
figure counted by the database) and warm (figures from the short cache); then, the page
cached, the time after one app's decision (only that app's sections counted again). Prints
the median and worst times and the query count, and each section's own time; writes
bench/RESULTS-dashboard.md.
"""

import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/yiwu_bench_dashboard")
MEMBERS = int(os.environ.get("BENCH_MEMBERS", "100000"))
RUNS = int(os.environ.get("BENCH_RUNS", "5"))


def database_ensure(url: str) -> None:
    import psycopg2

    parts = urlparse(url)
    name = parts.path.lstrip("/")
    if name.startswith("test_"):
        raise SystemExit("refusing a test_ database")
    admin = psycopg2.connect(host=parts.hostname, port=parts.port or 5432, user=parts.username or "postgres",
                             password=parts.password or None, dbname="postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()


def main() -> None:
    database_ensure(URL)
    os.environ["DATABASE_URL"] = URL
    os.environ.pop("REDIS_URL", None)  # the process's own memory cache: the figures are what is timed
    os.environ.setdefault("DEBUG", "false")
    os.environ["SECRET_KEY"] = os.environ.get("BENCH_SECRET_KEY") or "bench-only-secret-key-" + "x" * 40  # as bench/run.py
    if not os.environ.get("COUNSELLING_NOTES_KEY"):  # a throwaway key for the generated session notes
        from cryptography.fernet import Fernet

        os.environ["COUNSELLING_NOTES_KEY"] = Fernet.generate_key().decode()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yiwu_union.settings")
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from django.utils import timezone

    from apps.members.models import Member
    from apps.rights.models import RightsCase

    call_command("migrate", verbosity=0)
    started = time.monotonic()
    have = Member.objects.count()
    if have < MEMBERS:
        call_command("generate_volume", members=MEMBERS - have)
    if not RightsCase.objects.exists():
        call_command("generate_volume", year=True)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    loaded = time.monotonic() - started
    setup_test_environment()
    from django.conf import settings
    from django.test.utils import override_settings

    # no collectstatic here: plain static storage (the manifest's lookups are not what is timed)
    storages = {**settings.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    override_settings(STORAGES=storages).enable()
    user, _created = User.objects.get_or_create(username="bench-dashboard", defaults={"is_staff": True, "is_superuser": True})
    client = Client()
    client.force_login(user)
    this_year = timezone.localdate().year
    counts = {
        "members": Member.objects.count(),
        "rights cases": RightsCase.objects.count(),
    }
    for label, model in _models():
        counts[label] = model.objects.count()
    lines = [
        "# Dashboard benchmark",
        "",
        f"{time.strftime('%Y-%m-%d %H:%M', time.gmtime())} UTC, `bench/dashboard.py`, Django test client in one process "
        f"(no web server), PostgreSQL on this machine (2 cores shared with other work), local-memory cache. "
        f"Loading took {loaded:.0f} s.",
        "",
        "Rows: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()),
        "",
        "| page | year | cold median ms | cold max ms | warm median ms | queries (cold) |",
        "|---|---|---|---|---|---|",
    ]
    # The process's first request also imports modules, loads the translations and compiles
    # the templates: timed apart (once per web worker), so the cold runs below time the figures.
    cache.clear()
    began = time.perf_counter()
    assert client.get("/dashboard/", {"year": this_year - 2}, secure=True).status_code == 200
    first = (time.perf_counter() - began) * 1000
    print(f"first request of the process: {first:.0f} ms", flush=True)
    lines[-2:-2] = [f"The process's first request (modules imported, templates compiled; {this_year - 2}) "
                    f"took {first:.0f} ms and is left out of the runs below.", ""]
    for path in ("/dashboard/", "/dashboard/report/"):
        for year in (this_year, this_year - 1):
            cold, warm, queries = [], [], 0
            for _run in range(RUNS):
                cache.clear()
                with CaptureQueriesContext(connection) as captured:
                    began = time.perf_counter()
                    response = client.get(path, {"year": year}, secure=True)
                    cold.append((time.perf_counter() - began) * 1000)
                assert response.status_code == 200, response.status_code
                queries = len(captured)
                began = time.perf_counter()
                client.get(path, {"year": year}, secure=True)
                warm.append((time.perf_counter() - began) * 1000)
            row = (f"| {path} | {year} | {statistics.median(cold):.0f} | {max(cold):.0f} | "
                   f"{statistics.median(warm):.0f} | {queries} |")
            print(row, flush=True)
            lines.append(row)
    # The usual case: the figures are cached and one app records a decision (its version
    # changes), so only that app's sections are counted again.
    from apps.dashboard.cache import VERSION_KEY

    lines += ["", "After one decision (the page cached, then one app's figures retired):", "",
              "| decision in | median ms | max ms | queries |", "|---|---|---|---|"]
    for label in ("members", "rights", "aid", "mutualaid", "counselling", "stars"):
        times, queries = [], 0
        client.get("/dashboard/", secure=True)
        for _run in range(RUNS):
            cache.delete(VERSION_KEY % label)
            with CaptureQueriesContext(connection) as captured:
                began = time.perf_counter()
                client.get("/dashboard/", secure=True)
                times.append((time.perf_counter() - began) * 1000)
            queries = len(captured)
        row = f"| {label} | {statistics.median(times):.0f} | {max(times):.0f} | {queries} |"
        print(row, flush=True)
        lines.append(row)
    # Where a cold page's time goes: each section's figures counted on their own (this year,
    # the whole city), with their queries.
    from apps.dashboard.figures import BUILDERS

    lines += ["", f"Each section counted on its own ({this_year}, the whole city):", "",
              "| section | median ms | queries |", "|---|---|---|"]
    for key, build in BUILDERS.items():
        times, queries = [], 0
        for _run in range(RUNS):
            with CaptureQueriesContext(connection) as captured:
                began = time.perf_counter()
                build(this_year, None)
                times.append((time.perf_counter() - began) * 1000)
            queries = len(captured)
        row = f"| {key} | {statistics.median(times):.1f} | {queries} |"
        print(row, flush=True)
        lines.append(row)
    (ROOT / "bench" / "RESULTS-dashboard.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


def _models():
    from apps.aid.models import Application
    from apps.awards.models import Nomination
    from apps.competitions.models import Registration
    from apps.counselling.models import Session
    from apps.membership.models import JoinRequest
    from apps.mutualaid.models import Claim, Enrolment
    from apps.stars.models import Evaluation

    return [("join requests", JoinRequest), ("aid applications", Application), ("mutual-aid enrolments", Enrolment),
            ("mutual-aid claims", Claim), ("counselling sessions", Session), ("registrations", Registration),
            ("nominations", Nomination), ("star evaluations", Evaluation)]


if __name__ == "__main__":
    main()
