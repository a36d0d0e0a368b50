"""Project-wide test set-up: PostgreSQL required, Playwright on Debian's Chromium, SMS outbox."""

import os
import shutil

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import pytest  # noqa: E402

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"


def pytest_configure(config):
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"]
    if os.environ.get("CI") == "true" and "postgresql" not in engine:
        raise pytest.UsageError("CI runs the suite on PostgreSQL: set DATABASE_URL (make test does).")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not os.path.exists(CHROMIUM):
        raise RuntimeError(
            f"Chromium not found at {CHROMIUM}: apt-get install -y chromium fonts-noto-cjk (make test does)"
        )
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
            "--no-first-run", "--disable-background-networking", "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {
        **browser_context_args,
        "viewport": {"width": 390, "height": 844},
        "device_scale_factor": 2,
        "is_mobile": True,
        "has_touch": True,
        "locale": "zh-CN",
        "timezone_id": "Asia/Shanghai",
    }


@pytest.fixture
def shots(request, tmp_path):
    """`shots(page, name)`: a full-page screenshot named after the test's app, e.g.
    aid-apply.png, in SCREENSHOT_DIR (kept for review) or the test's temp folder."""
    from tests.browser import screenshot_folder

    folder = screenshot_folder(tmp_path)
    parts = request.module.__name__.split(".")
    prefix = parts[1] if parts[0] == "apps" else "portal"
    return lambda page, name: page.screenshot(path=str(folder / f"{prefix}-{name}.png"), full_page=True)


@pytest.fixture(autouse=True)
def sms_outbox():
    """The in-memory SMS outbox, emptied for each test."""
    from apps.notify import sms

    sms.outbox.clear()
    yield sms.outbox
    sms.outbox.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts and ends in the default language, whatever an earlier one activated."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()
    yield


# Personas, as healthchecks' tests set them up: a member, another member of another union,
# an officer of the member's union, an officer of another union, and staff of a given group.
@pytest.fixture
def member(db):
    from tests.factories import MemberFactory, UserFactory

    return MemberFactory(name="张晓红", gender="F", user=UserFactory())


@pytest.fixture
def other_member(db):
    from tests.factories import MemberFactory, UserFactory

    return MemberFactory(name="李建国", user=UserFactory())


@pytest.fixture
def officer(member):
    from tests.factories import OfficerFactory

    return OfficerFactory(union=member.union).user


@pytest.fixture
def other_officer(other_member):
    from tests.factories import OfficerFactory

    return OfficerFactory(union=other_member.union).user


@pytest.fixture
def staff_of(db):
    """staff_of("权益保障部") -> a staff login in that group."""
    from tests.factories import StaffFactory

    def make(*groups):
        return StaffFactory(groups=list(groups))

    return make


def pytest_runtest_setup(item):
    """A test marked `postgres` fails, never skips, on another database: it cannot hide."""
    if item.get_closest_marker("postgres") is None:
        return
    from django.conf import settings

    if "postgresql" not in settings.DATABASES["default"]["ENGINE"]:
        pytest.fail("this test needs PostgreSQL (row locks, exclusion constraints): set DATABASE_URL")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """With CI=true a skipped test is a failed test: nothing may hide behind a skip."""
    outcome = yield
    report = outcome.get_result()
    if os.environ.get("CI") == "true" and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"skipped under CI=true: {report.longrepr}"
