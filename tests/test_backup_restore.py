"""make backup / make restore: a loaded database and its media, backed up by scripts/backup.sh,
restored by scripts/restore.sh into a new database and folder, come back identical: the same
row count and checksum in every table, the same bytes in every media file."""

import json
import os
import subprocess
import sys
from pathlib import Path

import psycopg2
import pytest
from django.apps import apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import backup_manifest  # noqa: E402

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _url(name: str) -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{name}"


@pytest.fixture
def loaded(tmp_path):
    """The demo data (a few rows in every app) with its uploaded files, committed."""
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    from apps.members.models import Member

    member = Member.objects.filter(user__isnull=False).first()
    member.photo.save("backup-test.jpg", ContentFile(b"\xff\xd8\xff" + os.urandom(2000)), save=True)
    # What the demo data leaves empty: a transfer request, a rights case, a public notice, a
    # calendar correction, a sign-in code.
    import datetime

    from apps.accounts.models import PhoneCode
    from apps.workdays.models import CalendarDay

    CalendarDay.objects.create(date=datetime.date(2030, 10, 8), is_workday=False, note="国庆调休")
    PhoneCode.objects.create(phone=member.phone, purpose=PhoneCode.Purpose.choices[0][0], code_hash="0" * 64,
                             expires_at=timezone.now())
    from apps.membership.services import transfer_request
    from apps.notices.models import PublicNotice
    from apps.rights.models import Category, Channel
    from apps.rights.services import case_submit
    from tests.factories import EmployerFactory

    transfer_request(member=member, by=member.user, to_employer=EmployerFactory(), reason="换工作")
    case_submit(channel=Channel.ONLINE, category=Category.WAGE_ARREARS, description="拖欠工资。", member=member,
                employer=member.employer)
    today = timezone.localdate()
    PublicNotice.objects.create(kind=PublicNotice._meta.get_field("kind").choices[0][0], source="test:backup",
                                title="公示", workdays=5, starts_on=today, ends_on=today)
    return member


@pytest.fixture
def restored_db():
    name = connection.settings_dict["NAME"] + "_restored"
    url = _url(name)
    yield url
    admin = psycopg2.connect(_url("postgres"))
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


def _run(script, *args, env):
    return subprocess.run(["bash", str(ROOT / "scripts" / script), *args], cwd=ROOT, env={**os.environ, **env},
                          capture_output=True, text=True)  # no timeout: see test_deploy


def test_backup_then_restore_into_a_new_database_gives_back_every_row_and_file(loaded, restored_db, tmp_path):
    source = _url(connection.settings_dict["NAME"])
    media = Path(settings.MEDIA_ROOT)
    connection.close()  # the scripts read the committed data through their own connections

    backup = _run("backup.sh", env={"DATABASE_URL": source, "MEDIA_ROOT": str(media), "BACKUP_DIR": str(tmp_path / "b")})
    assert backup.returncode == 0, backup.stderr
    folder = Path(backup.stdout.strip().splitlines()[-1])
    assert sorted(p.name for p in folder.iterdir()) == ["SHA256SUMS", "database.dump", "manifest.json", "media.tar"]
    manifest = json.loads((folder / "manifest.json").read_text())
    # the dashboard's one model is an empty table that only gives it an entry on the admin index
    empty = [config.label for config in apps.get_app_configs()
             if config.name.startswith("apps.") and config.label != "dashboard" and list(config.get_models())
             and not any(facts["rows"] for table, facts in manifest["tables"].items()
                         if table.startswith(f"{config.label}_"))]
    assert empty == [], f"apps without a row in the loaded database: {empty}"
    assert any(name.endswith("backup-test.jpg") for name in manifest["media"])

    restored_media = tmp_path / "restored-media"
    restore = _run("restore.sh", str(folder), env={"DATABASE_URL": restored_db, "MEDIA_ROOT": str(restored_media)})
    assert restore.returncode == 0, restore.stderr
    assert "match the manifest" in restore.stdout

    # Compared here too, table by table and file by file, source against restored copy.
    assert backup_manifest.table_facts(restored_db) == backup_manifest.table_facts(source)
    assert backup_manifest.media_facts(str(restored_media)) == backup_manifest.media_facts(str(media))
    assert (restored_media / loaded.photo.name).read_bytes() == loaded.photo.read()

    # A second restore onto the now full database is refused unless asked to replace it.
    again = _run("restore.sh", str(folder), env={"DATABASE_URL": restored_db, "MEDIA_ROOT": str(tmp_path / "m2")})
    assert again.returncode != 0 and "RESTORE_REPLACE=1" in again.stderr

    # The check finds a changed row and a changed file.
    changed = psycopg2.connect(restored_db)
    with changed, changed.cursor() as cursor:
        cursor.execute("UPDATE members_member SET name = name || '改' WHERE id = %s", [loaded.pk])
    changed.close()
    (restored_media / loaded.photo.name).write_bytes(b"not the photo")
    check = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "backup_manifest.py"), "check", restored_db, str(restored_media),
         str(folder / "manifest.json")], capture_output=True, text=True)
    assert check.returncode == 1
    assert "tables: members_member differs" in check.stderr and loaded.photo.name in check.stderr
