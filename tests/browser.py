"""Helpers of the browser tests (Playwright on Debian's Chromium, conftest.py)."""

import os
from pathlib import Path

from django.test import Client


def screenshot_folder(tmp_path) -> Path:
    """Where screenshots go: SCREENSHOT_DIR to keep them for review, else the test's temp folder."""
    folder = Path(os.environ.get("SCREENSHOT_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def sign_in(page, live_server, user) -> None:
    """Signs `user` in on the browser page by handing it a session made by the test client
    (the sign-in forms have tests of their own); the page's earlier cookies are dropped."""
    page.context.clear_cookies()
    client = Client()
    client.force_login(user)
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
