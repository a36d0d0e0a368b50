"""The portal as it runs at city scale (scripts/cluster/up.sh): two gunicorn app servers behind
nginx, PostgreSQL with a streaming replica, Redis, a Celery worker and beat. One cluster for the
module; each test leaves it running as it found it.

The faults: a gunicorn worker killed mid-submission, PostgreSQL restarted under load, Redis
down, a Celery worker killed mid-task."""

import os
import signal
import threading
import time

import pytest

from .client import Browser, Cluster, png_bytes
from .journey import member_journey, submit_aid

pytestmark = [pytest.mark.cluster, pytest.mark.xdist_group("cluster")]


@pytest.fixture(scope="module")
def cluster():
    started = Cluster.start(SMS_CLAIM_TIMEOUT=4, SMS_SWEEP_SECONDS=2)
    try:
        yield started
    finally:
        started.stop()


@pytest.fixture(scope="module")
def data(cluster):
    return cluster.seed(members=12)


@pytest.fixture(scope="module")
def members(data):
    """Fresh members, one at a time (each applies once for the aid type)."""
    pool = iter(data["members"])

    def take():
        member = next(pool, None)
        assert member is not None, "the seed has too few members for these tests"
        return member

    return take


def test_member_journey_across_both_app_servers(cluster, data, members):
    result = member_journey(cluster, data, members())
    assert result["ports"] == sorted(cluster.app_ports)


def test_member_journey_through_nginx(cluster, data, members):
    logs = [cluster.dir / "log" / f"app{n}-access.log" for n in (1, 2)]
    before = [len(log.read_text().splitlines()) for log in logs]
    result = member_journey(cluster, data, members(), ports=[cluster.nginx_port])
    assert result["ports"] == [cluster.nginx_port]
    after = [len(log.read_text().splitlines()) for log in logs]
    assert all(a > b for a, b in zip(after, before, strict=True)), f"nginx balanced across both app servers: {before} -> {after}"


def _application_state(cluster, member_id):
    rows = cluster.sql("SELECT id, status FROM aid_application WHERE member_id = %s", [member_id])
    if not rows:
        return None, []
    (pk, status), = rows
    documents = cluster.sql("SELECT file FROM aid_applicationdocument WHERE application_id = %s", [pk])
    return status, [name for (name,) in documents]


def test_gunicorn_worker_killed_mid_submission_leaves_whole_or_nothing(cluster, data, members):
    app1 = cluster.app_ports[0]
    master = cluster.pid("app1")
    big = png_bytes(size=(2600, 1900), colour=(10, 120, 200))  # seconds of decoding, not milliseconds
    outcomes = []
    for delay in (0.05, 0.3, 0.8):
        member = members()
        browser = Browser([app1])
        browser.sign_in_by_code(cluster, member["phone"])
        sender = threading.Thread(target=_try, args=(submit_aid, browser, data), kwargs={"image": big})
        sender.start()
        time.sleep(delay)
        for worker in cluster.children(master):
            os.kill(worker, signal.SIGKILL)
        sender.join(60)
        status, documents = _application_state(cluster, member["id"])
        assert status in (None, "submitted"), (delay, status)  # never a draft or a half-saved row
        if status == "submitted":
            assert documents and all((cluster.dir / "media" / name).is_file() for name in documents)
        outcomes.append(status)
        _wait_for_workers(cluster, master)
    # Files written before the kill whose row never committed: the orphan sweep takes them.
    cluster.manage("import datetime; from apps.core.media import media_orphans_purge; "
                   "print(media_orphans_purge(older_than=datetime.timedelta(0)))")
    referenced = {name for (name,) in cluster.sql("SELECT file FROM aid_applicationdocument")}
    stored = {name for name in cluster.media_files() if not name.startswith("pending/")}
    assert stored == referenced, stored ^ referenced
    print("outcomes by delay:", outcomes)


def _try(call, *args, **kwargs):
    try:
        return call(*args, **kwargs)
    except Exception as exc:  # the connection dies with the worker
        return exc


def _wait_for_workers(cluster, master, count=2, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if len(cluster.children(master)) >= count:
            break
        time.sleep(0.2)
    for _ in range(100):
        if Browser([cluster.app_ports[0]]).get("/healthz").status == 200:
            return
        time.sleep(0.2)
    raise AssertionError("gunicorn did not replace its workers")


def test_postgresql_restart_under_load_without_restarting_app_servers(cluster, data, members):
    member = members()
    browser = Browser([cluster.nginx_port])
    browser.sign_in_by_code(cluster, member["phone"])
    masters = [cluster.pid("app1"), cluster.pid("app2")]
    stop = threading.Event()
    answers = []

    def load():
        while not stop.is_set():
            response = _try(browser.get, "/me/", timeout=10)
            answers.append((time.monotonic(), getattr(response, "status", 0)))

    threads = [threading.Thread(target=load, daemon=True) for _ in range(3)]
    for thread in threads:
        thread.start()
    try:
        time.sleep(1.5)
        cluster.pg_ctl("primary", "restart", "-m", "fast")
        back = time.monotonic()
        time.sleep(3)
    finally:
        stop.set()
        for thread in threads:
            thread.join(20)
    before = [status for at, status in answers if at < back - 10]
    after = [status for at, status in answers if at > back + 0.5]
    assert after and all(status == 200 for status in after), after
    assert [cluster.pid("app1"), cluster.pid("app2")] == masters
    for port in cluster.app_ports:  # every worker's pooled connection was replaced, on both servers
        for _ in range(4):
            assert browser.get("/me/", port=port).status == 200
    print(f"{len(answers)} requests; {sum(s != 200 for _, s in answers)} failed while PostgreSQL restarted; "
          f"{len(before)} before")


def test_redis_down_pages_serve_and_sms_wait_in_the_outbox(cluster, data, members):
    member = members()
    browser = Browser(cluster.app_ports)
    browser.sign_in_by_code(cluster, member["phone"])
    os.kill(cluster.pid("redis"), signal.SIGTERM)
    try:
        time.sleep(0.5)
        for port in cluster.app_ports:
            assert Browser([port]).get("/").status == 200  # public pages, no cache
            assert browser.get("/me/", port=port).status == 200  # the session, from PostgreSQL
        sms_before = len(cluster.sms())
        started = time.monotonic()
        answer = submit_aid(browser, data, image=png_bytes())
        assert answer.status == 302, answer.status
        assert time.monotonic() - started < 15
        pending = cluster.sql("SELECT id FROM notify_smsmessage WHERE phone = %s AND status = 'pending'", [member["phone"]])
        assert pending, "the submission's SMS waits in the outbox"
        assert len(cluster.sms()) == sms_before
    finally:
        _redis_start(cluster)
    ids = ",".join(str(pk) for (pk,) in pending)
    cluster.manage(f"from apps.notify.services import sms_deliver\nfor pk in [{ids}]: sms_deliver(message_id=pk)")
    cluster.wait_sms(member["phone"], "已提交", timeout=10)


def _redis_start(cluster):
    import subprocess

    subprocess.run(["redis-server", "--port", cluster.env["REDIS_PORT"], "--bind", "127.0.0.1", "--save", "",
                    "--appendonly", "no", "--daemonize", "yes", "--dir", str(cluster.dir),
                    "--pidfile", str(cluster.dir / "run/redis.pid"), "--logfile", str(cluster.dir / "log/redis.log")],
                   check=True)
    time.sleep(0.5)


def test_celery_worker_killed_mid_task_sends_once(cluster, data, members):
    member = members()
    delay = cluster.dir / "sms.jsonl.delay"
    delay.write_text("6")
    try:
        browser = Browser(cluster.app_ports)
        assert browser.get("/accounts/login/").status == 200
        assert browser.post("/accounts/login/", {"mode": "code", "c-phone": member["phone"], "send_code": "1"}).status == 200
        (pk,), = cluster.sql("SELECT id FROM notify_smsmessage WHERE phone = %s", [member["phone"]])
        for _ in range(100):  # the worker claimed it and is "at the provider"
            if cluster.sql("SELECT status FROM notify_smsmessage WHERE id = %s", [pk]) == [("sending",)]:
                break
            time.sleep(0.1)
        else:
            raise AssertionError("the worker never took the SMS")
        children = cluster.children(cluster.pid("worker"))
        assert children
        for child in children:
            os.kill(child, signal.SIGKILL)
    finally:
        delay.unlink()
    cluster.wait_sms(member["phone"], "验证码", timeout=30)  # the claim went stale; sent again
    time.sleep(3)
    texts = [m for m in cluster.sms() if m["phone"] == member["phone"]]
    assert len(texts) == 1, texts
    (status, attempts), = cluster.sql("SELECT status, attempts FROM notify_smsmessage WHERE id = %s", [pk])
    assert status == "sent" and attempts == 2
