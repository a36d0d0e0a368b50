"""Fixtures of the rights tests: officers, files, and cases walked to any status."""

import io
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from apps.accounts import roles
from apps.core.uploads import document_clean
from apps.rights.models import Category, Channel, Grade, Outcome, Status
from apps.rights.services import case_submit, case_transition
from tests.factories import EmployerFactory

# The shortest way to each status, and the details each move needs.
PATHS = {
    Status.SUBMITTED: [],
    Status.ACCEPTED: [Status.ACCEPTED],
    Status.DECLINED: [Status.DECLINED],
    Status.MEDIATION: [Status.ACCEPTED, Status.MEDIATION],
    Status.LEGAL_AID: [Status.ACCEPTED, Status.LEGAL_AID],
    Status.ARBITRATION: [Status.ACCEPTED, Status.ARBITRATION],
    Status.RETURN_VISIT: [Status.ACCEPTED, Status.MEDIATION, Status.RETURN_VISIT],
    Status.CLOSED: [Status.ACCEPTED, Status.MEDIATION, Status.RETURN_VISIT, Status.CLOSED],
}
DETAILS = {
    Status.ACCEPTED: {"grade": Grade.GENERAL},
    Status.DECLINED: {"note": "不属于劳动争议，建议向消费者协会反映"},
    Status.CLOSED: {"outcome": Outcome.RESOLVED, "amount_recovered": Decimal("3200.00"), "settled": True, "satisfaction": 5},
}

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200 + b"This program cannot be run in DOS mode."


def png_bytes(colour=(200, 30, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(out, format="PNG")
    return out.getvalue()


def upload(name: str, data: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def last_code(outbox, phone):
    return re.search(r"\d{6}", [m.text for m in outbox if m.phone == phone][-1]).group()


@pytest.fixture
def rights_officer(staff_of):
    user = staff_of(roles.RIGHTS)
    user.email = "wqb@yiwu-union.local"
    user.first_name = "权益"
    user.save()
    return user


@pytest.fixture
def employer(db):
    return EmployerFactory(name="义乌市稠城测试服饰有限公司")


@pytest.fixture
def make_case(db, employer, staff_of):
    """make_case(status=Status.MEDIATION, member=..., **submit_kwargs) -> a case in that status,
    moved there by `actor` (a rights officer unless given)."""

    def make(status=Status.SUBMITTED, actor=None, attachments=(), **kwargs):
        actor = actor or staff_of(roles.RIGHTS)
        fields = {
            "channel": Channel.ONLINE,
            "category": Category.WAGE_ARREARS,
            "description": "公司拖欠三个月工资共计九千元，多次讨要未果。",
            "employer": employer,
            "amount_owed": Decimal("9000.00"),
        }
        fields.update(kwargs)
        if fields.get("member") is None:
            fields.setdefault("worker_name", "王小明")
            fields.setdefault("worker_phone", "13900001111")
        cleaned = [document_clean(upload(n, d)) for n, d in attachments]
        case = case_submit(attachments=cleaned, **fields)
        for target in PATHS[status]:
            case = case_transition(case=case, target=target, actor=actor, **DETAILS.get(target, {}))
        return case

    return make
