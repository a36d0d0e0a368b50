"""Member admin under volume: load members with generate_volume, then time the hot pages.

Run through `make bench` (scripts/bench.sh). DATABASE_URL names a PostgreSQL database (default
postgres://postgres@127.0.0.1:5432/yiwu_bench, created when missing). BENCH_MEMBERS (default
100000) is the volume wanted: only the missing members are generated. Timings are medians of
BENCH_REPEAT (default 5) requests after one warm-up, through Django's test client (no network).
"""

import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/yiwu_bench"
os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yiwu_union.settings")
os.environ.setdefault("DEBUG", "true")  # plain static storage, no HTTPS redirect
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
os.environ.setdefault("LOG_LEVEL", "WARNING")
WANTED = int(os.environ.get("BENCH_MEMBERS", "100000"))
REPEAT = int(os.environ.get("BENCH_REPEAT", "5"))


def database_ensure(url: str) -> None:
    import psycopg2

    parts = urlsplit(url)
    if not parts.scheme.startswith("postgres"):
        sys.exit("bench needs PostgreSQL: set DATABASE_URL=postgres://...")
    name = parts.path.lstrip("/")
    admin_url = parts._replace(path="/postgres").geturl()
    try:
        conn = psycopg2.connect(admin_url, connect_timeout=3)
    except psycopg2.OperationalError as exc:
        sys.exit(f"PostgreSQL does not answer at {parts.hostname}:{parts.port}: {exc}")
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cur.fetchone() is None:
            cur.execute(f'CREATE DATABASE "{name}"')
            print(f"created database {name}")
    conn.close()


def main() -> None:
    database_ensure(os.environ["DATABASE_URL"])
    import django

    django.setup()
    from django.test.utils import setup_test_environment

    setup_test_environment()  # lets the test client see the changelist's context (result counts)
    from django.contrib.auth.models import Group, User
    from django.core.management import call_command
    from django.db import connection, reset_queries
    from django.db.models import Count
    from django.test import Client
    from django.urls import reverse

    from apps.accounts import roles
    from apps.members.models import Member
    from apps.orgs.models import GrassrootsUnion, UnionOfficer

    call_command("migrate", verbosity=0)
    have = Member.objects.count()
    if have < WANTED:
        started = time.monotonic()
        call_command("generate_volume", members=WANTED - have, seed=2026)
        print(f"generate_volume --members {WANTED - have}: {time.monotonic() - started:.1f} s")
    total = Member.objects.count()

    admin, _ = User.objects.get_or_create(username="bench-admin", defaults={"is_staff": True, "is_superuser": True})
    biggest = (
        GrassrootsUnion.objects.annotate(n=Count("members")).order_by("-n").values_list("pk", "name", "n").first()
    )
    officer, _ = User.objects.get_or_create(username="bench-officer", defaults={"is_staff": True})
    officer.groups.add(Group.objects.get(name=roles.UNION_OFFICER))
    UnionOfficer.objects.get_or_create(user=officer, union_id=biggest[0])
    sample = Member.objects.order_by("pk")[total // 2]

    superuser_client, officer_client = Client(), Client()
    superuser_client.force_login(admin)
    officer_client.force_login(officer)
    changelist = reverse("admin:members_member_changelist")
    export_url = reverse("admin:members_member_export")
    export_fields = ["membership_number", "name", "gender", "document_number", "phone", "union", "employer",
                     "town_street", "job", "joined_on", "status"]
    export_form = {"format": "0", "resource": "0", **{f"memberresource_{f}": "on" for f in export_fields}}

    cases = [
        ("会员列表第 1 页（超级管理员）", superuser_client, "get", changelist, {}),
        ("会员列表第 1 页（基层工会干部）", officer_client, "get", changelist, {}),
        ("按完整身份证号搜索（小写 x）", superuser_client, "get", changelist, {"q": sample.document_number.lower()}),
        ("按手机号搜索", superuser_client, "get", changelist, {"q": sample.phone}),
        ("按会员号搜索", superuser_client, "get", changelist, {"q": sample.membership_number}),
        ("按姓名搜索", superuser_client, "get", changelist, {"q": sample.name}),
        ("按工会筛选（最大的工会）", superuser_client, "get", changelist, {"union": str(biggest[0])}),
        ("按工会名称筛选", superuser_client, "get", changelist, {"union": biggest[1][:6]}),
        ("按镇街+状态筛选", superuser_client, "get", changelist,
         {"town_street__id__exact": str(sample.town_street_id), "status__exact": "active"}),
        (f"导出一个工会（{biggest[2]} 人，xlsx）", superuser_client, "post", f"{export_url}?union={biggest[0]}", export_form),
    ]

    rows = []
    for label, client, method, url, data in cases:
        call = getattr(client, method)
        response = call(url, data)  # warm-up
        if response.status_code != 200:
            sys.exit(f"{label}: HTTP {response.status_code}")
        timings, queries = [], 0
        for _ in range(REPEAT):
            reset_queries()
            started = time.perf_counter()
            response = call(url, data)
            timings.append((time.perf_counter() - started) * 1000)
            queries = len(connection.queries)
        found = response.context["cl"].result_count if response.context and "cl" in response.context else "-"
        rows.append((label, statistics.median(timings), max(timings), queries, found))

    print(f"\n会员 {total:,} 名，工会 {GrassrootsUnion.objects.count():,} 个；每项 {REPEAT} 次取中位数\n")
    table = [("操作", "中位数 ms", "最慢 ms", "查询数", "结果数")]
    table += [(label, f"{median:.1f}", f"{slowest:.1f}", str(queries), str(found))
              for label, median, slowest, queries, found in rows]
    widths = [max(_width(r[i]) for r in table) for i in range(5)]
    for r in table:
        cells = [r[0] + " " * (widths[0] - _width(r[0]))]
        cells += [" " * (w - _width(c)) + c for c, w in zip(r[1:], widths[1:])]
        print("  ".join(cells))


def _width(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


if __name__ == "__main__":
    main()
