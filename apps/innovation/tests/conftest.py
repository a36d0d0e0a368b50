"""Fixtures of the innovation tests: a space with places, an open call, applications walked to any status."""

import datetime
import io

import pytest
from django.utils import timezone
from PIL import Image

from apps.core.uploads import document_clean
from apps.innovation.models import Call, Criterion, Industry, Place, Reviewer, Space, Stage, Status
from apps.innovation.services import application_save, application_transition

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def png_bytes(colour=(30, 120, 200)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(out, format="PNG")
    return out.getvalue()


def pdf_upload(name="计划书.pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@pytest.fixture
def industry(db):
    return Industry.objects.create(name="数字经济", sort_order=1)


@pytest.fixture
def space(db):
    space = Space.objects.create(name="义乌市职工众创空间", address="稠城街道工人西路1号")
    for n in range(1, 4):
        Place.objects.create(space=space, name=f"A{n:02d}", kind=Place.Kind.DESK, capacity=4)
    return space


def make_call(space, industry, places=2):
    today = timezone.localdate()
    call = Call.objects.create(
        title=f"{today.year}年入驻征集", space=space, opens_on=today - datetime.timedelta(days=10),
        closes_on=today + datetime.timedelta(days=20), places_offered=places,
    )
    call.industries.add(industry)
    Criterion.objects.create(call=call, name="创新性", max_score=40, sort_order=1)
    Criterion.objects.create(call=call, name="市场前景", max_score=60, sort_order=2)
    return call


@pytest.fixture
def call(space, industry):
    return make_call(space, industry)


def make_application(call, lead, *, status=Status.SUBMITTED, name="智能袜机物联网改造", staff=None):
    application = application_save(
        call=call, lead=lead, project_name=name, industry=call.industries.first(),
        summary="为袜业小微企业改造老旧袜机，加装传感器实时统计产量与故障。", stage=Stage.PROTOTYPE,
        needs_desk=True, publish_consent=True, public_summary="袜机物联网改造", plans=[document_clean(pdf_upload())],
        actor=lead.user,
    )
    if status == Status.DRAFT:
        return application
    application_transition(application=application, target=Status.SUBMITTED, actor=lead.user)
    for target in {Status.REVIEWING: [Status.REVIEWING], Status.ADMITTED: [Status.REVIEWING, Status.ADMITTED],
                   Status.REJECTED: [Status.REJECTED], Status.RETURNED: [Status.RETURNED],
                   Status.SUBMITTED: []}[status]:
        application_transition(application=application, target=target, actor=staff,
                               reason="请补充财务测算" if target == Status.RETURNED else "")
    application.refresh_from_db()
    return application


@pytest.fixture
def economic(staff_of):
    from apps.accounts import roles

    return staff_of(roles.ECONOMIC)


def add_reviewer(call, user, employer=None):
    return Reviewer.objects.create(call=call, user=user, employer=employer)
