"""ID numbers, health data and counselling notes never reach the logs.

A whole journey runs with every logger captured at DEBUG: a worker joins online with an ID
number; a member applies for illness aid (diagnosis, hospital) and their union checks it; a
mutual-aid claim with a diagnosis; a counselling booking whose counsellor writes sealed notes
and a supervisor reads them; the member and staff open their pages, a stranger probes URLs.
The SMS of every decision go through the console backend (the one that writes to the log).
Then the captured text is searched for the ID number, the diagnosis and the note.

django.db.backends is captured too, at DEBUG: with DEBUG off, as in production, Django logs no
SQL at all (its parameters would hold everything); the test runs with DEBUG off and would see
the SQL if a setting turned query logging on.
"""

import datetime
import io
import logging
import uuid
from decimal import Decimal

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from apps.accounts import roles
from tests.factories import MemberFactory, OfficerFactory, StaffFactory, UnionFactory, UserFactory, resident_id, town

pytestmark = pytest.mark.django_db

DIAGNOSIS = "急性淋巴细胞白血病"
HOSPITAL = "浙江大学医学院附属第四医院血液科"
NOTE = "保密笔记：来访者自述长期失眠并有轻生念头"
CLAIM_DIAGNOSIS = "二型糖尿病伴肾病"
JOIN_ID = resident_id(777, birth=datetime.date(1993, 4, 5), female=True)
CONSOLE_SMS = "apps.notify.sms.ConsoleBackend"


class _Capture(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record):
        self.lines.append(f"{record.name} {record.levelname} {self.format(record)}")
        if record.args:
            self.lines.append(repr(record.args))


@pytest.fixture
def captured():
    handler = _Capture()
    handler.setFormatter(logging.Formatter("%(message)s"))
    root = logging.getLogger()
    names = ["", "django", "django.request", "django.server", "django.security", "django.db.backends",
             "celery", "apps", *[n for n in logging.root.manager.loggerDict if n.startswith("apps.")]]
    before = {name: logging.getLogger(name).level for name in names}
    for name in names:
        logging.getLogger(name).setLevel(logging.DEBUG)
    root.addHandler(handler)
    try:
        yield handler
    finally:
        root.removeHandler(handler)
        for name, level in before.items():
            logging.getLogger(name).setLevel(level)


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 40), (10, 120, 200)).save(buffer, "PNG")
    return buffer.getvalue()


def _join(client, sms_outbox, django_capture_on_commit_callbacks):
    import re

    from apps.membership.models import JoinRequest
    from apps.orgs.models import GrassrootsUnion

    catch_all = UnionFactory(name="稠城街道总工会", kind=GrassrootsUnion.Kind.FEDERATION, is_catch_all=True)
    OfficerFactory(union=catch_all)
    form = {
        "name": "陈雨桐", "gender": "F", "document_type": "id_card", "document_number": JOIN_ID,
        "phone": "13957900777", "town_street": town("choucheng").pk, "job": "仓库管理员",
        "address": "稠城街道工人北路1号", "consent": "on", "idempotency_key": str(uuid.uuid4()),
        "employer_name": "义乌市日志测试有限公司",
    }
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("membership:join"), {**form, "send_code": "1"})
    form["code"] = re.search(r"\d{6}", sms_outbox[-1].text).group()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("membership:join"), form)
    assert response.status_code == 302
    assert JoinRequest.objects.filter(document_number=JOIN_ID).exists()
    client.get(reverse("membership:join_status"))


def _illness_aid(member, officer):
    from apps.aid.models import AidPolicy, AidType, Campaign, CampaignKind, Eligibility, Facts, Status
    from apps.aid.services import (
        application_documents_add,
        application_start,
        application_transition,
        application_update,
    )
    from apps.core.uploads import document_clean

    year = timezone.localdate().year
    AidPolicy.objects.create(year=year, yearly_limit=Decimal("10000"), second_approval_over=Decimal("5000"),
                             notice_workdays=5)
    campaign = Campaign.objects.create(
        kind=CampaignKind.ILLNESS, year=year, title=f"{year}年大病重病救助", starts_on=datetime.date(year, 1, 1),
        ends_on=datetime.date(year, 12, 31), budget=Decimal("500000"))
    aid_type = AidType.objects.create(campaign=campaign, name="大病重病救助", facts=Facts.ILLNESS,
                                      eligibility=Eligibility.ANY, standard_amount=Decimal("20000"))
    application = application_start(aid_type=aid_type, member=member, actor=member.user)
    application_update(application=application, actor=member.user, facts={
        "diagnosis": DIAGNOSIS, "hospital": HOSPITAL, "treated_from": timezone.localdate() - datetime.timedelta(days=30),
        "total_cost": "80000", "out_of_pocket": "30000", "reason": f"{DIAGNOSIS}化疗费用高",
    })
    from django.core.files.uploadedfile import SimpleUploadedFile

    application_documents_add(application=application, actor=member.user, documents=[
        ("receipt", document_clean(SimpleUploadedFile("发票.png", _png(), content_type="image/png")))])
    application = application_transition(application=application, target=Status.SUBMITTED, actor=member.user)
    return application_transition(application=application, target=Status.CHECKED, actor=officer)


def _counselling(member):
    from apps.counselling.models import Counsellor, Mode, Session, Slot, Studio, Topic
    from apps.counselling.services import booking_create, session_record

    studio = Studio.objects.create(name="稠城心灵港湾工作室", town_street=town("choucheng"))
    user = StaffFactory(groups=[roles.COUNSELLING], first_name="王心怡")
    counsellor = Counsellor.objects.create(user=user, name="王心怡", qualification=Counsellor.Qualification.COUNSELLOR_2,
                                           phone="13900009999")
    counsellor.studios.add(studio)
    start = timezone.now() + datetime.timedelta(days=5)
    slot = Slot.objects.create(counsellor=counsellor, studio=studio, starts_at=start,
                               ends_at=start + datetime.timedelta(minutes=50), mode=Mode.IN_PERSON)
    booking = booking_create(member=member, slot=slot, topic=Topic.values[0], note="最近睡不好")
    session = session_record(booking=booking, actor=user, outcome=Session.Outcome.ATTENDED, notes=NOTE)
    return booking, session, user


def _claim(member):
    from apps.core.uploads import document_clean
    from apps.mutualaid.demo import scheme_of_year
    from apps.mutualaid.models import Channel
    from apps.mutualaid.services import claim_submit, enrolment_create

    today = timezone.localdate()
    scheme = scheme_of_year(today.year)
    if scheme.cover_start + datetime.timedelta(days=scheme.waiting_days + 5) > today:
        scheme = scheme_of_year(today.year - 1)  # early in the year: a stay at the end of last year
    enrolment_create(member=member, year=scheme.year, actor=None, enrolled_on=scheme.cover_start)
    from django.core.files.uploadedfile import SimpleUploadedFile

    discharged = min(today, scheme.cover_end) - datetime.timedelta(days=1)
    admitted = discharged - datetime.timedelta(days=2)
    return claim_submit(
        member=member, channel=Channel.ONLINE, benefit_code="hospital", hospital=HOSPITAL,
        admitted_on=admitted, discharged_on=discharged, diagnosis=CLAIM_DIAGNOSIS,
        total_cost=Decimal("9000"), insurance_paid=Decimal("5000"), out_of_pocket=Decimal("4000"),
        payee_bank="中国农业银行义乌分行", payee_account="6228480012345678",
        receipts=[document_clean(SimpleUploadedFile("票据.png", _png(), content_type="image/png"))],
        actor=member.user,
    )


def test_a_whole_journey_logs_no_id_number_no_health_data_no_notes(
    client, captured, sms_outbox, django_capture_on_commit_callbacks
):
    from apps.counselling.models import Session

    _join(client, sms_outbox, django_capture_on_commit_callbacks)
    member = MemberFactory(name="赵敏", gender="F", user=UserFactory())
    officer = OfficerFactory(union=member.union).user
    with override_settings(SMS_BACKEND=CONSOLE_SMS), django_capture_on_commit_callbacks(execute=True):
        application = _illness_aid(member, officer)
        booking, session, counsellor = _counselling(member)
        claim = _claim(member)
    supervisor = StaffFactory(groups=[roles.COUNSELLING_SUPERVISOR])
    aid_staff = StaffFactory(groups=[roles.AID])
    pages = [
        (member.user, reverse("aid:mine_detail", args=[application.pk])),
        (member.user, reverse("mutualaid:detail", args=[claim.number])),
        (member.user, reverse("counselling:mine")),
        (member.user, reverse("members:home")),
        (aid_staff, reverse("admin:aid_application_change", args=[application.pk])),
        (aid_staff, reverse("admin:aid_application_changelist") + f"?q={DIAGNOSIS}"),
        (counsellor, reverse("admin:counselling_session_change", args=[session.pk])),
        (supervisor, reverse("admin:counselling_session_change", args=[session.pk])),
        # strangers and wrong roles: refusals are logged (django.request / django.security)
        (UserFactory(), reverse("aid:mine_detail", args=[application.pk])),
        (aid_staff, reverse("admin:counselling_session_change", args=[session.pk])),
    ]
    for user, url in pages:
        client.logout()
        if user is not None:
            client.force_login(user)
        client.get(url)
    assert Session.objects.get(pk=session.pk).notes == NOTE  # the journey wrote what is searched for
    assert captured.lines, "nothing was logged: the capture is not working"
    assert any("SMS to" in line for line in captured.lines), "the console SMS backend did not log the decisions"
    for secret in (JOIN_ID, member.document_number, DIAGNOSIS, HOSPITAL, CLAIM_DIAGNOSIS, NOTE, "轻生"):
        leaks = [line for line in captured.lines if secret in line]
        assert not leaks, f"{secret!r} reached the log:\n" + "\n".join(leaks[:5])
