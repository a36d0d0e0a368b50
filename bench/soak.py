"""A soak of the cluster (scripts/cluster/up.sh): SOAK_SECONDS (600) of mixed load through nginx
- public pages, member sign-ins by SMS code and aid submissions with an upload, staff decisions
in the admin, Excel exports - counting every answer, with the RSS of each gunicorn worker
sampled after a warm-up and at the end. Passes with zero 5xx (and no dropped connection) and no
worker's memory grown beyond 20%. Writes its numbers to stdout (bench/RESULTS.md keeps them).

    .venv/bin/python bench/soak.py                   # starts and stops its own cluster
    CLUSTER_DIR=/tmp/yiwu-cluster.X SOAK_SECONDS=120 .venv/bin/python bench/soak.py
"""

import collections
import os
import random
import re
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.cluster.client import Browser, Cluster, png_bytes  # noqa: E402
from tests.cluster.journey import submit_aid  # noqa: E402

SECONDS = int(os.environ.get("SOAK_SECONDS", "600"))
WARMUP = min(60, SECONDS // 6)
PUBLIC = ["/", "/honours/", "/news/", "/notices/", "/stars/", "/competitions/", "/counselling/", "/innovation/"]
EXPORT = "/admin/membership/joinrequest/stats/?format=xlsx"


class Tally:
    def __init__(self):
        self.lock = threading.Lock()
        self.by_kind = collections.Counter()
        self.statuses = collections.Counter()
        self.errors = collections.Counter()
        self.slowest = 0.0

    def record(self, kind, response, seconds):
        with self.lock:
            self.by_kind[kind] += 1
            status = getattr(response, "status", None)
            if status is None:
                self.errors[f"{kind}: {type(response).__name__}"] += 1
            else:
                self.statuses[status] += 1
                if status >= 500:
                    self.errors[f"{kind}: {status}"] += 1
            self.slowest = max(self.slowest, seconds)


def timed(tally, kind, call, *args, **kwargs):
    started = time.monotonic()
    try:
        response = call(*args, **kwargs)
    except Exception as exc:
        response = exc
    tally.record(kind, response, time.monotonic() - started)
    return response


def worker_rss(cluster) -> dict[int, int]:
    sizes = {}
    for name in ("app1", "app2"):
        for pid in cluster.children(cluster.pid(name)):
            status = Path(f"/proc/{pid}/status").read_text()
            sizes[pid] = int(re.search(r"VmRSS:\s+(\d+)", status).group(1))
    return sizes


def run(cluster: Cluster) -> int:
    data = cluster.seed(members=int(os.environ.get("SOAK_MEMBERS", "500")))
    admin_name = f"soak-admin-{int(time.time())}"
    cluster.manage("from tests.factories import StaffFactory; from tests.cluster.seed import PASSWORD; "
                   f"u = StaffFactory(username='{admin_name}', password=PASSWORD, is_superuser=True); print(u.pk)")
    members = iter(data["members"])
    members_lock = threading.Lock()
    submitted: list[int] = []
    tally = Tally()
    stop = threading.Event()
    port = [cluster.nginx_port]
    image = png_bytes(size=(800, 600))

    def public():
        visitor = Browser(port)
        while not stop.is_set():
            timed(tally, "public", visitor.get, random.choice(PUBLIC))

    def member():
        while not stop.is_set():
            with members_lock:
                person = next(members, None)
            if person is None:
                return
            browser = Browser(port)
            started = time.monotonic()
            try:
                browser.sign_in_by_code(cluster, person["phone"])
                tally.record("sign-in", browser.get("/me/"), time.monotonic() - started)
            except Exception as exc:
                tally.record("sign-in", exc, time.monotonic() - started)
                continue
            answer = timed(tally, "submit", submit_aid, browser, data, image=image)
            location = getattr(answer, "headers", {}).get("Location", "") if getattr(answer, "status", 0) == 302 else ""
            found = re.search(r"/me/aid/(\d+)/", location)
            if found:
                with members_lock:
                    submitted.append(int(found.group(1)))
                timed(tally, "status page", browser.get, location)

    def staff():
        officer, centre = Browser(port), Browser(port)
        officer.staff_sign_in(data["officer"], data["password"])
        centre.staff_sign_in(data["aid_staff"], data["password"])
        while not stop.is_set():
            with members_lock:
                pk = submitted.pop(0) if submitted else None
            if pk is None:
                time.sleep(0.5)
                continue
            decide = f"/admin/aid/application/{pk}/decide/"
            timed(tally, "decision", officer.post, decide, {"target": "checked"})
            timed(tally, "decision", centre.post, decide, {"target": "approved", "amount": "2000"})

    def exports():
        admin = Browser(port)
        admin.staff_sign_in(admin_name, data["password"])
        while not stop.is_set():
            timed(tally, "export", admin.get, EXPORT, timeout=60)
            stop.wait(5)

    threads = [threading.Thread(target=f, daemon=True) for f in (public, public, member, member, staff, exports)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    time.sleep(WARMUP)
    rss_start = worker_rss(cluster)
    time.sleep(max(0, SECONDS - WARMUP))
    rss_end = worker_rss(cluster)
    stop.set()
    for thread in threads:
        thread.join(90)
    elapsed = time.monotonic() - started

    growth = {pid: (rss_end[pid] - rss_start[pid]) / rss_start[pid] for pid in rss_start if pid in rss_end}
    replaced = set(rss_start) ^ set(rss_end)
    total = sum(tally.by_kind.values())
    print(f"Soak: {elapsed:.0f} s through nginx, {total} requests ({total / elapsed:.1f}/s)")
    print("By kind: " + ", ".join(f"{kind} {n}" for kind, n in sorted(tally.by_kind.items())))
    print("Statuses: " + ", ".join(f"{status}: {n}" for status, n in sorted(tally.statuses.items())))
    print(f"Errors (5xx or dropped): {sum(tally.errors.values())} {dict(tally.errors) or ''}")
    print(f"Slowest answer: {tally.slowest:.2f} s")
    for pid in sorted(growth):
        print(f"Worker {pid}: RSS {rss_start[pid] / 1024:.1f} MB after warm-up -> {rss_end[pid] / 1024:.1f} MB "
              f"({growth[pid]:+.1%})")
    if replaced:
        print(f"Workers replaced during the soak: {sorted(replaced)}")
    worst = max(growth.values(), default=0)
    ok = not tally.errors and not replaced and worst <= 0.20
    print("PASS" if ok else "FAIL", f"(worst memory growth {worst:+.1%})")
    return 0 if ok else 1


def main() -> int:
    folder = os.environ.get("CLUSTER_DIR")
    cluster = Cluster(folder) if folder else Cluster.start()
    try:
        return run(cluster)
    finally:
        if not folder:
            cluster.stop()


if __name__ == "__main__":
    sys.exit(main())
