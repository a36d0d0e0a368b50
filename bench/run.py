"""`make bench`: the portal under load as deployed, beside its two references, in one run.

1. Loads the volume into its own database (DATABASE_URL, default yiwu_bench; never a test
   database): BENCH_MEMBERS members (default 1,000,000; `make bench MEMBERS=20000` for a small
   run) with `generate_volume`, a year of each app's records (`--year`), the honour rolls; then
   `VACUUM ANALYZE`.
2. Starts gunicorn (BENCH_WORKERS sync workers, default 5) on a free loopback port with DEBUG
   off, Redis (BENCH_REDIS_URL, default redis://127.0.0.1:6379/6) and the page cache, serving
   the portal and the references of bench/references.py from the same processes.
3. Loads every page with wrk (bench/wrk.lua sends the signed-in cookie) at 1, 10 and 100
   connections, each point twice for BENCH_SECONDS (default 5) seconds.
4. Writes bench/RESULTS.md: req/s, p50/p95/p99, ratios to the floor (b) and to the database
   page (c) from the same run, query counts, and every page that misses its target and why.

It is a benchmark: nothing here is asserted by the test suite.
"""

import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
sys.path.insert(0, str(ROOT))

DATABASE_URL = os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/yiwu_bench"
MEMBERS = int(os.environ.get("BENCH_MEMBERS") or 1_000_000)
SECONDS = int(os.environ.get("BENCH_SECONDS") or 5)
WORKERS = int(os.environ.get("BENCH_WORKERS") or 5)
CONNECTIONS = [int(c) for c in (os.environ.get("BENCH_CONNECTIONS") or "1,10,100").split(",")]
RUNS = int(os.environ.get("BENCH_RUNS") or 2)
REDIS_URL = os.environ.get("BENCH_REDIS_URL") or "redis://127.0.0.1:6379/6"
RESULTS = Path(os.environ.get("BENCH_RESULTS") or ROOT / "bench" / "RESULTS.md")
ONLY = os.environ.get("BENCH_ONLY", "")
LOADS: list[float] = []  # comma-separated page names, for a quick look

SERVER_ENV = {
    "DJANGO_SETTINGS_MODULE": "bench.settings",
    "DATABASE_URL": DATABASE_URL,
    "REDIS_URL": REDIS_URL,
    "DEBUG": "false",
    "SECRET_KEY": os.environ.get("BENCH_SECRET_KEY") or "bench-only-secret-key-" + "x" * 40,
    "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
    "LOG_LEVEL": "WARNING",
    "DB_CONN_MAX_AGE": "600",
    "AXES_ENABLED": "false",
    # yiwu_union/wsgi.py refuses to start with DEBUG off on a development SMS backend or without
    # the counselling notes key: the bench gives a backend that sends nothing and a bench-only key.
    "SMS_BACKEND": "bench.sms.BenchSmsBackend",
    "COUNSELLING_NOTES_KEY": os.environ.get("BENCH_NOTES_KEY") or "YmVuY2gtb25seS1jb3Vuc2VsbGluZy1ub3Rlcy1rZXk=",
}
os.environ.update(SERVER_ENV)

if "test_" in urlsplit(DATABASE_URL).path:
    sys.exit("bench refuses a test database: give DATABASE_URL a database of its own (yiwu_bench)")

PUBLIC, MEMBER, ADMIN, REFERENCE = "public", "member", "admin", "reference"
TARGETS = {
    PUBLIC: "≥ 60% of the floor (b)",
    MEMBER: "≥ 2/3 of the DB page (c), p95 < 200 ms",
    ADMIN: "p95 < 300 ms",
}


@dataclass
class Page:
    name: str
    kind: str
    path: str
    who: str = ""  # "", "member", "superuser", "officer"
    runs: dict = field(default_factory=dict)  # connections -> [Run, Run]
    queries: str = "-"
    single_ms: float | None = None
    cpu_ms: float | None = None  # Django's own CPU per request, in-process (not slowed by other work)


@dataclass
class Run:
    rps: float
    p50: float
    p95: float
    p99: float
    errors: int
    status_errors: int


def say(text: str) -> None:
    print(text, flush=True)


def database_ensure() -> None:
    import psycopg2

    parts = urlsplit(DATABASE_URL)
    conn = psycopg2.connect(parts._replace(path="/postgres").geturl(), connect_timeout=3)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [parts.path.lstrip("/")])
        if cur.fetchone() is None:
            cur.execute(f'CREATE DATABASE "{parts.path.lstrip("/")}"')
            say(f"created database {parts.path.lstrip('/')}")
    conn.close()


def load_volume() -> dict:
    from django.core.management import call_command
    from django.db import connection

    from apps.awards.models import HonourEntry
    from apps.members.models import Member
    from apps.rights.models import RightsCase

    notes = {}
    call_command("migrate", verbosity=0)
    have = Member.objects.count()
    if have < MEMBERS:
        say(f"generate_volume --members {MEMBERS - have} ...")
        started = time.monotonic()
        peak = _child_peak_run([sys.executable, "manage.py", "generate_volume", "--members", str(MEMBERS - have)])
        notes["generate"] = (MEMBERS - have, time.monotonic() - started, peak)
    if not RightsCase.objects.exists():
        say("generate_volume --year ...")
        started = time.monotonic()
        _child_peak_run([sys.executable, "manage.py", "generate_volume", "--year"])
        notes["year"] = time.monotonic() - started
    if not HonourEntry.objects.exists():
        call_command("loaddata", "honour_rolls", verbosity=0)
    say("VACUUM ANALYZE ...")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return notes


def _child_peak_run(argv) -> float:
    """Run a command; its peak resident memory in MB (from wait4's rusage)."""
    process = subprocess.Popen(argv, cwd=ROOT)
    _pid, status, usage = os.wait4(process.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{' '.join(argv)} failed")
    return usage.ru_maxrss / 1024


def accounts_prepare() -> dict:
    """Sessions for a member, a superuser and an officer of the biggest union; the sample rows."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.models import Group, User
    from django.contrib.sessions.backends.db import SessionStore
    from django.db.models import Count

    from apps.accounts import roles
    from apps.members.models import Member
    from apps.notify.models import Notification
    from apps.orgs.models import GrassrootsUnion, UnionOfficer

    def session_for(user):
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.set_expiry(24 * 3600)
        store.save()
        return f"sessionid={store.session_key}"

    superuser, _ = User.objects.get_or_create(
        username="bench-admin", defaults={"is_staff": True, "is_superuser": True})
    biggest = GrassrootsUnion.objects.annotate(n=Count("members")).order_by("-n").values_list("pk", "name").first()
    officer, _ = User.objects.get_or_create(username="bench-officer", defaults={"is_staff": True})
    officer.groups.add(Group.objects.get(name=roles.UNION_OFFICER))
    UnionOfficer.objects.get_or_create(user=officer, union_id=biggest[0])
    total = Member.objects.count()
    sample = Member.objects.order_by("pk")[total // 2]
    member = Member.objects.filter(user__username="bench-member").first()
    if member is None:
        member = Member.objects.filter(user__isnull=True, status=Member.Status.ACTIVE).order_by("pk")[total // 3]
        member.user = User.objects.create(username="bench-member")
        member.save(update_fields=["user"])
        Notification.objects.bulk_create([
            Notification(member=member, title=f"通知 {i}", body="您的会员证已更新。") for i in range(8)
        ])
    return {
        "cookies": {"member": session_for(member.user), "superuser": session_for(superuser),
                    "officer": session_for(officer)},
        "sample": sample, "biggest": biggest, "member": member,
    }


def pages_build(ctx) -> list[Page]:
    from apps.awards.models import HonourEntry

    sample, biggest = ctx["sample"], ctx["biggest"]
    entry = HonourEntry.objects.filter(is_published=True, programme__is_published=True).select_related(
        "programme").order_by("pk").first()
    from apps.awards.models import KIND_SLUGS

    changelist = "/admin/members/member/"
    pages = [
        Page("floor (b)", REFERENCE, "/bench/floor/"),
        Page("DB page (c)", REFERENCE, "/bench/db-page/"),
        Page("home", PUBLIC, "/"),
        Page("honours index", PUBLIC, "/honours/"),
        Page("roll: most beautiful workers", PUBLIC, "/honours/most-beautiful-workers/"),
        Page("roll: five-star unions", PUBLIC, "/honours/five-star-unions/"),
        Page("roll: worker pioneers", PUBLIC, "/honours/worker-pioneers/"),
        Page("roll search", PUBLIC, "/honours/most-beautiful-workers/?" + urlencode({"q": "义乌"})),
        Page("honour entry", PUBLIC, f"/honours/{KIND_SLUGS[entry.programme.kind]}/{entry.pk}/"),
        Page("/stars/", PUBLIC, "/stars/"),
        Page("/me/", MEMBER, "/me/", "member"),
        Page("/me/card/", MEMBER, "/me/card/", "member"),
        Page("/me/notifications/", MEMBER, "/me/notifications/", "member"),
        Page("admin members p1", ADMIN, changelist, "superuser"),
        Page("admin members p1 (officer)", ADMIN, changelist, "officer"),
        Page("admin search name prefix", ADMIN, changelist + "?" + urlencode({"q": sample.name[:2]}), "superuser"),
        Page("admin search ID number", ADMIN, changelist + "?" + urlencode({"q": sample.document_number}),
             "superuser"),
        Page("admin search phone", ADMIN, changelist + "?" + urlencode({"q": sample.phone}), "superuser"),
        Page("admin search membership no.", ADMIN,
             changelist + "?" + urlencode({"q": sample.membership_number}), "superuser"),
        Page("admin filter biggest union", ADMIN, changelist + "?" + urlencode({"union": biggest[0]}), "superuser"),
        Page("admin filter union by name", ADMIN, changelist + "?" + urlencode({"union": biggest[1][:6]}),
             "superuser"),
        Page("admin filter town + status", ADMIN, changelist + "?" + urlencode(
            {"town_street__id__exact": sample.town_street_id, "status__exact": "active"}), "superuser"),
    ]
    if ONLY:
        wanted = {name.strip() for name in ONLY.split(",")}
        pages = [p for p in pages if p.kind == REFERENCE or p.name in wanted]
    return pages


def queries_count(pages, ctx) -> None:
    """Queries per page (rendered, and from the page cache for public pages), through the test client."""
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from apps.core.cache import public_data_changed

    for page in pages:
        client = Client(HTTP_X_FORWARDED_PROTO="https", HTTP_ACCEPT_LANGUAGE="zh-CN")
        if page.who:
            name, value = ctx["cookies"][page.who].split("=", 1)
            client.cookies[name] = value
        client.get(page.path)
        if page.kind == PUBLIC:
            public_data_changed()
        timings = []
        reset_queries()  # each request resets the log (request_started): start the capture at 0
        with CaptureQueriesContext(connection) as rendered:
            started = time.perf_counter()
            response = client.get(page.path)
            timings.append((time.perf_counter() - started) * 1000)
        rendered_count = len(rendered)  # read now: the next request clears the log it slices
        if response.status_code != 200:
            sys.exit(f"{page.name}: HTTP {response.status_code} at {page.path}")
        cpu = []
        for _ in range(3):
            if page.kind == PUBLIC:
                public_data_changed()
            started, started_cpu = time.perf_counter(), time.process_time()
            client.get(page.path)
            timings.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
        page.single_ms = statistics.median(timings)
        page.cpu_ms = statistics.median(cpu)
        page.queries = str(rendered_count)
        if page.kind == PUBLIC:
            client.get(page.path)
            reset_queries()
            with CaptureQueriesContext(connection) as cached:
                hit = client.get(page.path)
                cached_count = len(cached)
            page.queries += f" (cached: {cached_count}, {hit.get('X-Page-Cache', 'no cache')})"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_start(port: int) -> subprocess.Popen:
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, check=True)
    argv = [str(ROOT / ".venv" / "bin" / "gunicorn"), "yiwu_union.wsgi", "-w", str(WORKERS), "-k", "sync",
            "-b", f"127.0.0.1:{port}", "--log-level", "warning", "--timeout", "60", "--backlog", "256"]
    process = subprocess.Popen(argv, cwd=ROOT, env={**os.environ, **SERVER_ENV}, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            # bandit: http://127.0.0.1, the bench's own server
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as reply:  # nosec B310
                if reply.status == 200:
                    return process
        except OSError:
            time.sleep(0.5)
    server_stop(process)
    sys.exit("gunicorn did not answer within 60 s")


def server_stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def floor_capture(port: int) -> None:
    OUT.mkdir(exist_ok=True)
    request = urllib.request.Request(f"http://127.0.0.1:{port}/", headers={"X-Forwarded-Proto": "https"})
    # bandit: http://127.0.0.1, the bench's own server
    with urllib.request.urlopen(request, timeout=10) as reply:  # nosec B310
        (OUT / "floor.html").write_bytes(reply.read())


LINE = re.compile(r"BENCH requests=(\d+) duration_us=(\d+) errors=(\d+) status_errors=(\d+) "
                  r"p50=(\d+) p95=(\d+) p99=(\d+)")


def wrk_point(port: int, page: Page, connections: int, cookies: dict, seconds: int = SECONDS) -> Run:
    threads = max(1, min(2, connections))
    argv = ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s", "--timeout", "10s",
            "-s", str(ROOT / "bench" / "wrk.lua"), f"http://127.0.0.1:{port}{page.path}"]
    env = {**os.environ, "BENCH_COOKIE": cookies.get(page.who, "") if page.who else ""}
    result = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=seconds + 60)
    match = LINE.search(result.stdout)
    if not match:
        sys.exit(f"wrk gave no summary for {page.name}:\n{result.stdout}\n{result.stderr}")
    requests, duration, errors, status_errors, p50, p95, p99 = (int(v) for v in match.groups())
    drain(port)
    if requests == 0:
        return Run(0.0, float("nan"), float("nan"), float("nan"), errors + 1, status_errors)
    return Run(requests / (duration / 1e6), p50 / 1000, p95 / 1000, p99 / 1000, errors, status_errors)


def drain(port: int, limit: float = 90) -> None:
    """Wait until the workers have finished what wrk left queued (sync workers still serve the
    requests of closed connections): /healthz must answer quickly twice in a row."""
    deadline, quick = time.monotonic() + limit, 0
    while time.monotonic() < deadline and quick < 2:
        started = time.monotonic()
        try:
            # bandit: http://127.0.0.1, the bench's own server
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=limit) as reply:  # nosec B310
                reply.read()
        except OSError:
            pass
        quick = quick + 1 if time.monotonic() - started < 0.1 else 0
        time.sleep(0.3)


def mean_rps(page: Page, connections: int) -> float:
    return statistics.mean(r.rps for r in page.runs[connections])


def ratio(page: Page, reference: Page, connections: int) -> str:
    base = mean_rps(reference, connections)
    return f"{mean_rps(page, connections) / base:.2f}" if base else "-"


def mean_p95(page: Page, connections: int) -> float:
    return statistics.mean(r.p95 for r in page.runs[connections])


def verdicts(pages, floor: Page, dbpage: Page, at: int) -> list[str]:
    misses = []
    for page in pages:
        reasons = []
        if page.kind == REFERENCE:
            continue
        if int(page.queries.split()[0]) > 15:
            reasons.append(f"{page.queries.split()[0]} queries > 15")
        failed = sum(r.status_errors + r.errors for r in page.runs[at])
        if failed:
            reasons.append(f"{failed} errors or non-2xx answers (socket timeouts at 10 s)")
        rps, p95 = mean_rps(page, at), mean_p95(page, at)
        if page.kind == PUBLIC and mean_rps(floor, at) and rps < 0.6 * mean_rps(floor, at):
            reasons.append(f"{rps:.0f} req/s = {rps / mean_rps(floor, at):.2f} of the floor < 0.60")
        if page.kind == MEMBER:
            if mean_rps(dbpage, at) and rps < 2 / 3 * mean_rps(dbpage, at):
                reasons.append(f"{rps:.0f} req/s = {rps / mean_rps(dbpage, at):.2f} of the DB page < 0.67 "
                               f"(one request takes {page.single_ms:.0f} ms in-process vs {dbpage.single_ms:.0f} ms)")
            if p95 >= 200:
                reasons.append(f"p95 {p95:.0f} ms ≥ 200 ms")
        if page.kind == ADMIN and p95 >= 300:
            reasons.append(f"p95 {p95:.0f} ms ≥ 300 ms (one request takes {page.single_ms:.0f} ms in-process; "
                           f"{WORKERS} workers on {os.cpu_count()} cores queue the rest)")
        if reasons:
            misses.append(f"- **{page.name}** ({TARGETS[page.kind]}): " + "; ".join(reasons))
    return misses


def report(pages, notes, started: float, members: int) -> str:
    floor, dbpage = pages[0], pages[1]
    lines = [
        "# Benchmark results (`make bench`)",
        "",
        f"Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime(started))} on {platform.node() or 'this machine'}: "
        f"{os.cpu_count()} cores shared with other work, {members:,} members, gunicorn sync ×{WORKERS}, "
        f"DEBUG off, Redis page cache, PostgreSQL after VACUUM ANALYZE; wrk from a second process on loopback, "
        f"{SECONDS} s per point, each point run {RUNS}×. Total {time.time() - started:.0f} s. "
        f"Load average (1 min) of the machine at the start and the end: {LOADS[0]:.1f}, {os.getloadavg()[0]:.1f} "
        f"(other work on the machine shares the cores: compare ratios, not absolute figures).",
        "",
    ]
    if "generate" in notes:
        count, seconds, peak = notes["generate"]
        lines += [f"Loading: `generate_volume --members {count}` took {seconds:.0f} s, peak memory {peak:.0f} MB.", ""]
    if "year" in notes:
        lines += [f"`generate_volume --year` (a year of rights cases) took {notes['year']:.0f} s.", ""]
    lines += [
        "Ratios are req/s ÷ the floor (b: the home page's bytes from memory through the same middleware) and "
        "÷ the DB page (c: 20 members with select_related rendered in base.html), both measured in this run, "
        "mean of the runs. Queries: a rendered request (for public pages also a cached one). "
        "`1 req` = one request in-process, median wall ms; `CPU` = its Django CPU ms (rendered, not from the page "
        "cache), which other work on the machine does not inflate.",
        "",
    ]
    for at in CONNECTIONS:
        lines += [f"## {at} connection{'s' if at > 1 else ''}", "",
                  "| page | req/s (runs) | p50 ms | p95 ms | p99 ms | errors | ÷ b | ÷ c | queries | 1 req | CPU |",
                  "|---|--:|--:|--:|--:|--:|--:|--:|---|--:|--:|"]
        for page in pages:
            runs = page.runs[at]
            lines.append(
                f"| {page.name} | {' / '.join(f'{r.rps:.0f}' for r in runs)} "
                f"| {' / '.join(f'{r.p50:.1f}' for r in runs)} | {' / '.join(f'{r.p95:.1f}' for r in runs)} "
                f"| {' / '.join(f'{r.p99:.1f}' for r in runs)} "
                f"| {' / '.join(str(r.errors + r.status_errors) for r in runs)} "
                f"| {ratio(page, floor, at)} | {ratio(page, dbpage, at)} "
                f"| {page.queries} | {page.single_ms:.1f} | {page.cpu_ms:.1f} |"
            )
        lines.append("")
    at = 10 if 10 in CONNECTIONS else CONNECTIONS[0]
    misses = verdicts(pages, floor, dbpage, at)
    lines += [f"## Targets at {at} connections", ""]
    lines += [f"- {kind}: {target}" for kind, target in TARGETS.items()] + ["- every page: ≤ 15 queries", ""]
    lines += (["Pages that miss a target:", "", *misses] if misses else ["Every page meets its target."]) + [""]
    return "\n".join(lines)


def main() -> None:
    if shutil.which("wrk") is None:
        subprocess.run(["bash", str(ROOT / "scripts" / "need.sh"), "wrk"], check=True)
    started = time.time()
    LOADS.append(os.getloadavg()[0])
    database_ensure()
    import django

    django.setup()
    from django.core.cache import cache

    from apps.members.models import Member

    notes = load_volume()
    members = Member.objects.count()
    ctx = accounts_prepare()
    pages = pages_build(ctx)
    cache.clear()
    port = free_port()
    say(f"gunicorn on 127.0.0.1:{port} ...")
    server = server_start(port)
    try:
        floor_capture(port)
        queries_count(pages, ctx)
        for page in pages:  # warm every worker's database connection and caches
            wrk_point(port, page, WORKERS, ctx["cookies"], seconds=1)
        for at in CONNECTIONS:
            for run in range(RUNS):
                for page in pages:
                    page.runs.setdefault(at, []).append(wrk_point(port, page, at, ctx["cookies"]))
                    last = page.runs[at][-1]
                    say(f"{at:>3} conn run {run + 1}: {page.name:<32} {last.rps:8.0f} req/s  p95 {last.p95:7.1f} ms")
    finally:
        server_stop(server)
    text = report(pages, notes, started, members)
    RESULTS.write_text(text, encoding="utf-8")
    say(text)


if __name__ == "__main__":
    main()
