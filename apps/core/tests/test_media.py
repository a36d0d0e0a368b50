"""The orphan-media sweep: a stored file that no row names goes once old enough; a file a row
names, a young file and the kept files of unsubmitted forms stay."""

import datetime
import os
import time

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from apps.core.media import media_orphans, media_orphans_purge
from apps.core.uploads import PENDING_DIR
from apps.notify.sms import FileBackend

pytestmark = pytest.mark.django_db


def _age(name, days=2):
    old = time.time() - days * 86400
    os.utime(default_storage.path(name), (old, old))


def test_only_old_unreferenced_files_are_swept(member, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)  # only this test's files (other tests' stay out of the count)
    member.photo.save("kept.jpg", ContentFile(b"\xff\xd8\xff\xe0photo"), save=True)
    kept = member.photo.name
    orphan = default_storage.save("aid/2026/orphan.png", ContentFile(b"png"))
    young = default_storage.save("aid/2026/young.png", ContentFile(b"png"))
    pending = default_storage.save(f"{PENDING_DIR}/20200101/form.png", ContentFile(b"png"))
    for name in (kept, orphan, pending):
        _age(name)
    _age(young, days=0)  # by the process's clock (a faked one in the run at another date)
    assert media_orphans(older_than=datetime.timedelta(days=1)) == [orphan]
    assert media_orphans_purge() == 1
    assert not default_storage.exists(orphan)
    assert all(default_storage.exists(name) for name in (kept, young, pending))


def test_file_sms_backend_writes_json_lines(tmp_path, settings):
    settings.SMS_FILE_PATH = str(tmp_path / "sms.jsonl")
    FileBackend().send("13900000001", "验证码 123456", sensitive=True)
    FileBackend().send("13900000002", "已批准")
    lines = (tmp_path / "sms.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2 and '"验证码 123456"' in lines[0] and '"sensitive": true' in lines[0]
    assert oct((tmp_path / "sms.jsonl").stat().st_mode & 0o777) == "0o600"
