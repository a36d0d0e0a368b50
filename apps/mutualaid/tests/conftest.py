"""Fixtures of the mutual-aid tests: a scheme whose cover runs around today (so the suite
passes on any date, 1 January included), enrolled members, claims walked to any status."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from apps.accounts import roles
from apps.core.uploads import document_clean
from apps.mutualaid.demo import scheme_with_standard_rules
from apps.mutualaid.models import Channel, Scheme, Status
from apps.mutualaid.services import claim_submit, claim_transition, enrolment_create
from tests.factories import AgencyStaffFactory, town

D = Decimal


def png_bytes(colour=(30, 120, 200)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(out, format="PNG")
    return out.getvalue()


def receipt(name="发票.png"):
    return document_clean(SimpleUploadedFile(name, png_bytes(), content_type="image/png"))


def scheme_build(**kwargs) -> Scheme:
    """A scheme with the standard rules (see apps.mutualaid.demo)."""
    return scheme_with_standard_rules(**kwargs)


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def scheme(db, today):
    """This year's scheme, its cover from 300 days ago to 64 days ahead."""
    return scheme_build(year=today.year, cover_start=today - datetime.timedelta(days=300),
                        cover_end=today + datetime.timedelta(days=64))


@pytest.fixture
def mutual_office(staff_of):
    return staff_of(roles.MUTUAL_AID)


@pytest.fixture
def agency(member):
    """An agency-point login of the member's town/street."""
    return AgencyStaffFactory(point__town_street=member.town_street).user


@pytest.fixture
def other_agency(db):
    """An agency-point login of another town/street."""
    return AgencyStaffFactory(point__town_street=town("fotang")).user


@pytest.fixture
def enrol(scheme):
    """enrol(member) -> enrolled at the cover start (waiting period over 210 days ago)."""

    def make(person, on=None):
        return enrolment_create(member=person, year=scheme.year, actor=None, enrolled_on=on or scheme.cover_start)

    return make


SIX_THOUSAND, FOUR_THOUSAND = D("6000"), D("4000")

PATHS = {
    Status.SUBMITTED: [],
    Status.CHECKED: [Status.CHECKED],
    Status.RETURNED: [Status.RETURNED],
    Status.APPROVED: [Status.CHECKED, Status.APPROVED],
    Status.DECLINED: [Status.CHECKED, Status.DECLINED],
    Status.PAID: [Status.CHECKED, Status.APPROVED, Status.PAID],
}


@pytest.fixture
def make_claim(db, today, mutual_office):
    """make_claim(member, status=..., days_ago=20, out_of_pocket=..., **fields) -> a claim."""
    counter = {"n": 0}

    def make(person, status=Status.SUBMITTED, days_ago=None, stay=3, out_of_pocket=SIX_THOUSAND, insurance_paid=FOUR_THOUSAND,
             benefit_code="hospital", **fields):
        counter["n"] += 1
        if days_ago is None:
            days_ago = 10 + counter["n"] * (stay + 1)
        admitted = today - datetime.timedelta(days=days_ago)
        values = {
            "member": person, "channel": Channel.ONLINE, "benefit_code": benefit_code, "hospital": "义乌市中心医院",
            "admitted_on": admitted, "discharged_on": admitted + datetime.timedelta(days=stay), "diagnosis": "肺炎",
            "total_cost": insurance_paid + out_of_pocket, "insurance_paid": insurance_paid,
            "out_of_pocket": out_of_pocket, "payee_bank": "义乌农商银行", "payee_account": "6228480012345678",
            "receipts": [receipt()],
        }
        values.update(fields)
        claim = claim_submit(**values)
        for target in PATHS[status]:
            details = {"note": "材料不全"} if target in (Status.RETURNED, Status.DECLINED) else {}
            if target == Status.PAID:
                details = {"paid_on": today, "reference": "YH0001"}
            claim = claim_transition(claim=claim, target=target, actor=mutual_office, **details)
        return claim

    return make
