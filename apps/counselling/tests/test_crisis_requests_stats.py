"""Crisis flags reach every supervisor; anonymous requests keep only what was given; the numbers
carry no personal data."""

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from apps.counselling import errors
from apps.counselling.models import AnonymousRequest, CrisisFlag, Session, Topic
from apps.counselling.services import (
    booking_create,
    crisis_clear,
    crisis_raise,
    request_call_back,
    request_submit,
    session_record,
)
from apps.counselling.stats import counselling_stats
from apps.notify.models import StaffNotice
from apps.workdays.calendar import add_workdays
from tests.factories import MemberFactory, UserFactory, response_bytes

from .conftest import at, make_counsellor, make_slot, next_open_day

pytestmark = pytest.mark.django_db


@pytest.fixture
def supervisors(studio):
    from apps.accounts.roles import COUNSELLING, COUNSELLING_SUPERVISOR

    return [make_counsellor(studio, name=f"督导{i}", groups=(COUNSELLING, COUNSELLING_SUPERVISOR)) for i in range(3)]


def test_a_crisis_reaches_every_supervisor_at_once(client, counsellor, supervisors, sms_outbox,
                                                   django_capture_on_commit_callbacks):
    request = request_submit(contact_kind="phone", contact="13805791234")
    with django_capture_on_commit_callbacks(execute=True):
        flag = crisis_raise(actor=counsellor.user, request=request)
    assert sorted(m.phone for m in sms_outbox) == sorted(s.phone for s in supervisors)
    assert all("危机预警" in m.text and "13805791234" not in m.text for m in sms_outbox)
    # the shared staff notices (apps.notify), urgent, one per supervisor, naming no person
    notices = StaffNotice.objects.filter(link=reverse("admin:counselling_crisisflag_change", args=[flag.pk]))
    assert sorted(n.user_id for n in notices) == sorted(s.user_id for s in supervisors)
    assert all(n.urgent and n.read_at is None and f"危机预警 #{flag.pk}" in n.title for n in notices)
    assert all("13805791234" not in n.title + n.body for n in notices)
    assert not StaffNotice.objects.filter(user=counsellor.user).exists()
    client.force_login(supervisors[0].user)
    page = client.get(reverse("admin:index")).content.decode()
    assert "有 1 条未解除的危机预警" in page and "其中 1 条紧急" in page
    client.force_login(counsellor.user)
    assert "未解除的危机预警" not in client.get(reverse("admin:index")).content.decode()


def test_only_a_supervisor_with_a_note_clears_a_crisis(client, counsellor, supervisors):
    request = request_submit(contact_kind="wechat", contact="wx_abc")
    flag = crisis_raise(actor=counsellor.user, request=request)
    with pytest.raises(errors.NotASupervisor):
        crisis_clear(flag=flag, actor=counsellor.user, note="我觉得没事了")
    with pytest.raises(errors.ClearingNoteRequired):
        crisis_clear(flag=flag, actor=supervisors[0].user, note="  ")
    flag.refresh_from_db()
    assert flag.is_open
    client.force_login(supervisors[1].user)
    response = client.post(reverse("admin:counselling_crisisflag_change", args=[flag.pk]), {"clearing_note": ""})
    assert response.status_code == 200
    flag.refresh_from_db()
    assert flag.is_open
    response = client.post(reverse("admin:counselling_crisisflag_change", args=[flag.pk]),
                           {"clearing_note": "已回电，安全"})
    assert response.status_code == 302
    flag.refresh_from_db()
    assert not flag.is_open and flag.cleared_by == supervisors[1].user and flag.clearing_note == "已回电，安全"


def test_open_crises_are_listed_first(client, counsellor, supervisors):
    requests = [request_submit(contact_kind="phone", contact=f"1380579123{i}") for i in range(3)]
    flags = [crisis_raise(actor=counsellor.user, request=r) for r in requests]
    crisis_clear(flag=flags[2], actor=supervisors[0].user, note="已处理")  # the newest, now closed
    assert list(CrisisFlag.objects.values_list("pk", flat=True)) == [flags[1].pk, flags[0].pk, flags[2].pk]
    client.force_login(supervisors[0].user)
    page = client.get(reverse("admin:counselling_crisisflag_changelist")).content.decode()
    assert page.index(f"匿名求助 #{requests[1].pk}") < page.index(f"匿名求助 #{requests[2].pk}")


def test_anonymous_request_needs_no_account_and_keeps_only_what_was_given(client):
    response = client.post(reverse("counselling:request"), {
        "contact_kind": "phone", "contact": "+86 １３８-0579-1234", "topic": "", "call_time": "",
    }, REMOTE_ADDR="10.1.2.3", HTTP_USER_AGENT="Mozilla/5.0 WeChat")
    assert response.status_code == 302
    row = AnonymousRequest.objects.get()
    assert row.contact == "13805791234" and row.topic == "" and row.call_time == ""
    assert row.studio_id is None and row.called_back_at is None
    kept = {f.name: getattr(row, f.attname) for f in AnonymousRequest._meta.concrete_fields}
    assert "10.1.2.3" not in str(kept) and "WeChat" not in str(kept)
    assert set(AnonymousRequest._meta.get_fields()) - set(AnonymousRequest._meta.concrete_fields), "only reverse relations"
    assert {f.name for f in AnonymousRequest._meta.concrete_fields} == {
        "id", "contact_kind", "contact", "topic", "call_time", "created_at", "callback_due", "status",
        "called_back_at", "called_back_on", "called_back_by", "studio",
    }


def test_bad_contact_is_refused_with_a_message(client):
    response = client.post(reverse("counselling:request"), {"contact_kind": "phone", "contact": "abc"})
    assert response.status_code == 200 and "请填写正确的联系方式" in response.content.decode()
    assert not AnonymousRequest.objects.exists()


def test_the_studio_records_the_call_back(counsellor):
    request = request_submit(contact_kind="phone", contact="13805791234", topic=Topic.EMOTIONS, call_time="晚上七点后")
    request_call_back(request=request, actor=counsellor.user, reached=True)
    request.refresh_from_db()
    assert request.status == AnonymousRequest.Status.CALLED_BACK and request.called_back_by == counsellor.user
    assert request.callback_due == add_workdays(timezone.localtime(request.created_at).date(), 1)


def test_statistics_contain_no_names_phones_or_notes(client, member, counsellor, studio, supervisor):
    day = next_open_day()
    for hour in range(9, 16):
        slot = make_slot(counsellor, studio, at(day, hour))
        other = member if hour == 9 else MemberFactory(user=UserFactory())
        booking = booking_create(member=other, slot=slot, topic=Topic.WORK_STRESS if hour < 15 else Topic.FAMILY,
                                 note="私密留言")
        session_record(booking=booking, actor=counsellor.user,
                       topics=[booking.topic, Topic.EMOTIONS] if hour == 9 else None,
                       outcome=Session.Outcome.NO_SHOW if hour == 10 else Session.Outcome.ATTENDED, notes="私密笔记内容")
    request_submit(contact_kind="phone", contact="13805791234")
    stats = counselling_stats(year=day.year)
    assert stats["sessions"] == 7 and stats["no_show_rate"] == round(100 / 7, 1)
    # a session of two categories counts under each; under five shows as <5
    assert {r["topic"]: r["count"] for r in stats["by_topic"]} == {"工作压力": 6, "家庭": "<5", "情绪": "<5"}
    assert stats["requests"] == "<5"
    client.force_login(supervisor)
    page = client.get(reverse("admin:counselling_session_stats"), {"year": day.year}).content.decode()
    export = client.get(reverse("admin:counselling_session_stats_export"), {"year": day.year})
    book = load_workbook(io.BytesIO(response_bytes(export)))
    sheet = "\n".join(str(c) for row in book.active.iter_rows(values_only=True) for c in row)
    for text in (page, sheet):
        for secret in (member.name, member.phone, "私密留言", "私密笔记内容", "13805791234", counsellor.name):
            assert secret not in text
    assert "<5" in sheet and studio.name in sheet


def test_stats_page_takes_odd_years(client, supervisor):
    client.force_login(supervisor)
    for year in ("", "abc", "99999999999999999999", "1900", "2026\x00"):
        assert client.get(reverse("admin:counselling_session_stats"), {"year": year}).status_code == 200


def test_a_session_records_several_topic_categories(member, counsellor, slot):
    booking = booking_create(member=member, slot=slot, topic=Topic.WORK_STRESS)
    session = session_record(booking=booking, actor=counsellor.user, outcome=Session.Outcome.ATTENDED,
                             topics=[Topic.FAMILY, Topic.WORK_STRESS])
    assert sorted(t.topic for t in session.topics.all()) == [Topic.FAMILY, Topic.WORK_STRESS]
    from apps.counselling.services import session_topics_set

    with pytest.raises(errors.TopicsRequired):
        session_topics_set(session=session, topics=[])
    with pytest.raises(errors.TopicsRequired):
        session_topics_set(session=session, topics=["nonsense"])
    session_topics_set(session=session, topics=[Topic.EMOTIONS])
    assert [t.topic for t in session.topics.all()] == [Topic.EMOTIONS]


def test_crisis_supervisor_banner_follows_open_flags(client, counsellor, supervisors):
    flag = crisis_raise(actor=counsellor.user, request=request_submit(contact_kind="phone", contact="13805791234"))
    crisis_clear(flag=flag, actor=supervisors[0].user, note="已联系家属并转介")
    client.force_login(supervisors[1].user)
    assert "未解除的危机预警" not in client.get(reverse("admin:index")).content.decode()
