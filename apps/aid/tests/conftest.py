"""Fixtures of the aid tests: an open year of campaigns, aid types with amount tables, aid
staff, and applications walked to any status."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from apps.accounts import roles
from apps.aid.models import (
    AidPolicy,
    AidType,
    AmountRow,
    Application,
    Campaign,
    CampaignKind,
    Eligibility,
    Facts,
    HardshipFile,
    HardshipLevel,
    HolderRule,
    SchoolLevel,
    Status,
)
from apps.aid.services import application_documents_add, application_start, application_transition, application_update
from apps.core.uploads import document_clean

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200 + b"This program cannot be run in DOS mode."


def png_bytes(colour=(200, 30, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(out, format="PNG")
    return out.getvalue()


def png_upload(name="录取通知书.png"):
    return SimpleUploadedFile(name, png_bytes(), content_type="image/png")


def today():
    return timezone.localdate()


@pytest.fixture
def year():
    return today().year


@pytest.fixture
def policy(db, year):
    return AidPolicy.objects.create(year=year, yearly_limit=Decimal("10000"), second_approval_over=Decimal("5000"),
                                    notice_workdays=5)


def make_campaign(kind, year, *, budget=Decimal("100000"), open_=True):
    start = today() - datetime.timedelta(days=10) if open_ else today() - datetime.timedelta(days=60)
    end = today() + datetime.timedelta(days=20) if open_ else today() - datetime.timedelta(days=30)
    return Campaign.objects.create(
        kind=kind, year=year, title=f"{year}年{CampaignKind(kind).label}", starts_on=start, ends_on=end, budget=budget,
    )


@pytest.fixture
def autumn(db, year, policy):
    return make_campaign(CampaignKind.AUTUMN, year)


@pytest.fixture
def student_aid(autumn):
    aid_type = AidType.objects.create(campaign=autumn, name="金秋助学金", facts=Facts.STUDENT, eligibility=Eligibility.ANY)
    for level, holder, amount in [
        (SchoolLevel.HIGH, HolderRule.HOLDER, "2000"), (SchoolLevel.HIGH, HolderRule.NOT_HOLDER, "1000"),
        (SchoolLevel.BACHELOR, HolderRule.HOLDER, "5000"), (SchoolLevel.BACHELOR, HolderRule.NOT_HOLDER, "3000"),
        (SchoolLevel.GRADUATE, HolderRule.HOLDER, "8000"), (SchoolLevel.GRADUATE, HolderRule.NOT_HOLDER, "6000"),
    ]:
        AmountRow.objects.create(aid_type=aid_type, school_level=level, holder=holder, amount=Decimal(amount))
    return aid_type


@pytest.fixture
def illness_aid(db, year, policy):
    campaign = Campaign.objects.create(
        kind=CampaignKind.ILLNESS, year=year, title=f"{year}年大病重病救助",
        starts_on=datetime.date(year, 1, 1), ends_on=datetime.date(year, 12, 31), budget=Decimal("500000"),
    )
    return AidType.objects.create(campaign=campaign, name="大病重病救助", facts=Facts.ILLNESS,
                                  eligibility=Eligibility.ANY, standard_amount=Decimal("20000"))


@pytest.fixture
def winter_aid(db, year, policy):
    campaign = make_campaign(CampaignKind.WINTER, year)
    aid_type = AidType.objects.create(campaign=campaign, name="冬送温暖慰问金", facts=Facts.GENERAL,
                                      eligibility=Eligibility.FILE_HOLDERS)
    for level, amount in [(HardshipLevel.DEEP, "3000"), (HardshipLevel.RELATIVE, "2000"), (HardshipLevel.SUDDEN, "2500")]:
        AmountRow.objects.create(aid_type=aid_type, hardship_level=level, amount=Decimal(amount))
    return aid_type


@pytest.fixture
def aid_staff(staff_of):
    return staff_of(roles.AID)


@pytest.fixture
def second_staff(staff_of):
    return staff_of(roles.AID)


def open_file(member, level=HardshipLevel.DEEP, address="义乌市稠城街道县前街1号"):
    return HardshipFile.objects.create(
        member=member, level=level, status="open", address=address, primary_cause="illness",
        proposed_by_union=member.union, recheck_due=today() + datetime.timedelta(days=200),
    )


STUDENT_FACTS = {"child_name": "张小明", "school": "义乌中学", "school_level": SchoolLevel.HIGH, "reason": "家庭困难"}


def submitted_student(member, aid_type, actor=None):
    actor = actor or member.user
    application = application_start(aid_type=aid_type, member=member, actor=actor)
    application_update(application=application, actor=actor, facts=STUDENT_FACTS)
    application_documents_add(application=application, actor=actor,
                              documents=[("admission", document_clean(png_upload()))])
    return application_transition(application=application, target=Status.SUBMITTED, actor=actor)


@pytest.fixture
def make_application(aid_staff, second_staff):
    """make_application(member, aid_type, status, amount=...) walks a student application there."""

    def make(member, aid_type, status=Status.SUBMITTED, amount=Decimal("1000")):
        from tests.factories import OfficerFactory

        application = submitted_student(member, aid_type)
        officer = OfficerFactory(union=member.union).user
        path = {
            Status.SUBMITTED: [],
            Status.CHECKED: [(Status.CHECKED, officer, {})],
            Status.APPROVED: [(Status.CHECKED, officer, {}), (Status.APPROVED, aid_staff, {"amount": amount})],
        }[status]
        for target, actor, details in path:
            application = application_transition(application=application, target=target, actor=actor, **details)
        return Application.objects.get(pk=application.pk)

    return make
