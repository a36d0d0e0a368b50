"""Talking to a cluster started by scripts/cluster/up.sh: its env file, HTTP with cookies
(standard library only), the database, its processes and the SMS file backend."""

import http.cookiejar
import json
import os
import re
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import psycopg2

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = ROOT / "scripts" / "cluster"


def read_env(folder: Path) -> dict:
    values = {}
    for line in (folder / "env").read_text().splitlines():
        if "=" in line:
            key, value = line.split("=", 1)
            values[key] = value
    return values


class Cluster:
    def __init__(self, folder):
        self.dir = Path(folder)
        self.env = read_env(self.dir)
        self.app_ports = [int(self.env["APP1_PORT"]), int(self.env["APP2_PORT"])]
        self.nginx_port = int(self.env["NGINX_PORT"])

    @classmethod
    def start(cls, **overrides) -> "Cluster":
        env = {**os.environ, **{k: str(v) for k, v in overrides.items()}}
        # conftest.py allows sync database calls from async contexts for Playwright's sake; the
        # app servers' start-up deployment checks (yiwu_union/wsgi.py) rightly refuse that
        env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        out = subprocess.run(["bash", str(SCRIPTS / "up.sh")], env=env, capture_output=True, text=True, timeout=900)
        if out.returncode != 0:
            raise RuntimeError(f"cluster did not start:\n{out.stdout[-3000:]}\n{out.stderr[-3000:]}")
        return cls(out.stdout.strip().splitlines()[-1])

    def stop(self) -> None:
        subprocess.run(["bash", str(SCRIPTS / "down.sh"), str(self.dir)], capture_output=True, timeout=120)

    # ---- processes --------------------------------------------------------------------------
    def proc_env(self) -> dict:
        return {**os.environ, **self.env}

    def manage(self, code: str, timeout: int = 120) -> str:
        """Run Python in `manage.py shell` with the cluster's settings; returns stdout."""
        out = subprocess.run([str(ROOT / ".venv/bin/python"), "manage.py", "shell", "-c", code], cwd=ROOT,
                             env=self.proc_env(), capture_output=True, text=True, timeout=timeout)
        if out.returncode != 0:
            raise RuntimeError(out.stderr[-3000:])
        return out.stdout

    def seed(self, members: int = 2) -> dict:
        out = self.manage(f"from tests.cluster.seed import main; main({members})", timeout=600)
        return json.loads([line for line in out.splitlines() if line.startswith("{")][-1])

    def pid(self, name: str) -> int:
        return int((self.dir / "run" / f"{name}.pid").read_text().strip())

    def children(self, pid: int) -> list[int]:
        out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True)
        return [int(p) for p in out.stdout.split()]

    def pg_ctl(self, which: str, action: str, *extra: str) -> None:
        command = [f"{self.env['PGBIN']}/pg_ctl", "-D", str(self.dir / f"pg-{which}"), "-w", "-t", "30",
                   "-l", str(self.dir / "pg-log" / f"{which}.log"), action, *extra]
        if os.getuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        # No pipes: the server started here would hold them open after pg_ctl returns.
        subprocess.run(command, check=True, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, timeout=60)

    # ---- data -------------------------------------------------------------------------------
    def sql(self, query: str, params=(), *, replica: bool = False):
        port = self.env["PG_REPLICA_PORT" if replica else "PG_PORT"]
        with psycopg2.connect(host="127.0.0.1", port=port, user="postgres", dbname="yiwu", connect_timeout=5) as conn:
            with conn.cursor() as cursor:
                cursor.execute(query, params)
                rows = cursor.fetchall() if cursor.description else []
        conn.close()
        return rows

    def sms(self) -> list[dict]:
        path = self.dir / "sms.jsonl"
        if not path.exists():
            return []
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]

    def wait_sms(self, phone: str, contains: str, *, after: int = 0, timeout: float = 30) -> dict:
        """The first SMS to `phone` containing `contains`, among those after index `after`."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for message in self.sms()[after:]:
                if message["phone"] == phone and contains in message["text"]:
                    return message
            time.sleep(0.2)
        raise AssertionError(f"no SMS to {phone} with {contains!r} within {timeout}s: {self.sms()[after:]}")

    def media_files(self) -> set[str]:
        media = self.dir / "media"
        return {str(p.relative_to(media)) for p in media.rglob("*") if p.is_file()}


class Response:
    def __init__(self, status, headers, body, url):
        self.status, self.headers, self.body, self.url = status, headers, body, url

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """A visitor with cookies; each request goes to the next port of `ports` in turn, so a
    journey alternates between the app servers (or goes through nginx with ports=[nginx])."""

    def __init__(self, ports: list[int], host: str = "127.0.0.1"):
        self.ports, self.host, self.turn = ports, host, 0
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect())
        self.served_by: list[int] = []

    def cookie(self, name: str) -> str | None:
        return next((c.value for c in self.jar if c.name == name), None)

    def request(self, method: str, path: str, *, data=None, files=None, port: int | None = None,
                timeout: float = 30) -> Response:
        if port is None:
            port = self.ports[self.turn % len(self.ports)]
            self.turn += 1
        self.served_by.append(port)
        url = f"http://{self.host}:{port}{path}"
        headers = {"User-Agent": "yiwu-cluster-test"}
        body = None
        if method == "POST":
            fields = dict(data or {})
            token = self.cookie("csrftoken")
            if token:
                fields.setdefault("csrfmiddlewaretoken", token)
                headers["X-CSRFToken"] = token
            headers["Referer"] = url
            if files:
                body, content_type = multipart(fields, files)
            else:
                body, content_type = urllib.parse.urlencode(fields, doseq=True).encode(), "application/x-www-form-urlencoded"
            headers["Content-Type"] = content_type
        req = urllib.request.Request(url, data=body, method=method, headers=headers)
        try:
            with self.opener.open(req, timeout=timeout) as answer:
                return Response(answer.status, answer.headers, answer.read(), url)
        except urllib.error.HTTPError as error:
            return Response(error.code, error.headers, error.read(), url)

    def get(self, path: str, **kwargs) -> Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, data=None, **kwargs) -> Response:
        return self.request("POST", path, data=data, **kwargs)

    # ---- the journeys' steps ------------------------------------------------------------------
    def sign_in_by_code(self, cluster: Cluster, phone: str) -> None:
        assert self.get("/accounts/login/").status == 200
        before = len(cluster.sms())
        sent = self.post("/accounts/login/", {"mode": "code", "c-phone": phone, "send_code": "1"})
        assert sent.status == 200, sent.status
        message = cluster.wait_sms(phone, "验证码", after=before)
        code = re.search(r"(?<!\d)(\d{6})(?!\d)", message["text"]).group(1)
        answer = self.post("/accounts/login/", {"mode": "code", "c-phone": phone, "c-code": code})
        assert answer.status == 302, (answer.status, answer.text[:2000])

    def staff_sign_in(self, username: str, password: str) -> None:
        assert self.get("/admin/login/").status == 200
        answer = self.post("/admin/login/?next=/admin/", {"username": username, "password": password, "next": "/admin/"})
        assert answer.status == 302, (answer.status, answer.text[:2000])


def multipart(fields: dict, files: dict) -> tuple[bytes, str]:
    """files: name -> (filename, bytes, content type)."""
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        for item in value if isinstance(value, list) else [value]:
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{item}\r\n'.encode())
    for name, (filename, content, content_type) in files.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            f"Content-Type: {content_type}\r\n\r\n".encode() + content + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def png_bytes(size=(60, 40), colour=(200, 30, 30)) -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, format="PNG")
    return out.getvalue()


def illness_form(today_iso: str) -> dict:
    return {
        "diagnosis": "急性白血病", "hospital": "义乌市中心医院", "treated_from": today_iso,
        "total_cost": "50000", "out_of_pocket": "20000", "reason": "治疗费用高，家庭困难。", "submit": "1",
    }
