"""Public notices: the period in working days, objections from anyone, the decision check."""

import datetime
from decimal import Decimal

import pytest

from apps.notices.errors import NoticeClosed, NoticeStillRunning, NotOnNotice, ObjectionsOpen, TooManyObjections
from apps.notices.models import NoticeKind, NoticeStatus, Objection
from apps.notices.services import (
    ItemSpec,
    notice_clearance_check,
    notice_publish,
    notice_withdraw,
    notices_close_expired,
    objection_answer,
    objection_submit,
)

pytestmark = pytest.mark.django_db

ITEMS = [
    ItemSpec(ref="aid.application:1", display_name="张*红", organisation="义乌市某服饰有限公司工会",
             summary="金秋助学 · 本科", amount=Decimal("2000.00")),
    ItemSpec(ref="aid.application:2", display_name="李*国", summary="冬送温暖", amount=Decimal("800.00")),
]


def publish(starts_on=None, workdays=5):
    return notice_publish(kind=NoticeKind.AID, source="aid.campaign:1", title="2026年金秋助学拟资助名单公示",
                          items=ITEMS, workdays=workdays, starts_on=starts_on)


def test_period_counts_working_days_across_national_day():
    # Published on Wednesday 30 September 2026: 1-7 October are holidays, Saturday 10 October is a
    # make-up working day; five working days are 8, 9, 10, 12 and 13 October.
    notice = publish(starts_on=datetime.date(2026, 9, 30))
    assert notice.ends_on == datetime.date(2026, 10, 13)


def test_decision_waits_for_the_period_and_every_objection():
    start = datetime.date(2026, 6, 1)
    notice = publish(starts_on=start)
    with pytest.raises(NotOnNotice):
        notice_clearance_check(ref="aid.application:99", today=notice.ends_on + datetime.timedelta(days=1))
    with pytest.raises(NoticeStillRunning, match="公示期内不能作出最终决定"):
        notice_clearance_check(ref="aid.application:1", today=notice.ends_on)
    objection = Objection.objects.create(notice=notice, item=notice.items.get(ref="aid.application:1"),
                                         content="该职工家庭经济情况良好，不符合条件。", contact="13800000000")
    after = notice.ends_on + datetime.timedelta(days=1)
    with pytest.raises(ObjectionsOpen, match="1 条异议未答复"):
        notice_clearance_check(ref="aid.application:1", today=after)
    notice_clearance_check(ref="aid.application:2", today=after)  # the objection is about the other line
    objection_answer(objection=objection, actor=None, answer="经核实，该职工符合条件。")
    notice_clearance_check(ref="aid.application:1", today=after)


def test_an_objection_against_the_whole_notice_holds_every_line(staff_of):
    notice = publish(starts_on=datetime.date(2026, 6, 1))
    Objection.objects.create(notice=notice, content="名单未按规定程序产生，请复核。", contact="匿名 0579-1234")
    with pytest.raises(ObjectionsOpen):
        notice_clearance_check(ref="aid.application:2", today=notice.ends_on + datetime.timedelta(days=1))


def test_objections_only_while_running_and_limited_per_address():
    notice = publish()
    for _n in range(10):
        objection_submit(notice=notice, content="这是一条异议内容，请核实。", contact="13800000000", client_ip="10.0.0.9")
    with pytest.raises(TooManyObjections):
        objection_submit(notice=notice, content="这是一条异议内容，请核实。", contact="13800000000", client_ip="10.0.0.9")
    objection_submit(notice=notice, content="另一个地址提出的异议内容。", contact="x@example.cn", client_ip="10.0.0.10")
    notice.starts_on = notice.ends_on = notice.starts_on - datetime.timedelta(days=1)
    notice.save()
    with pytest.raises(NoticeClosed):
        objection_submit(notice=notice, content="这是一条迟到的异议内容。", contact="13800000000")


def test_expired_notices_close_and_stay_listed(client):
    notice = publish(starts_on=datetime.date(2026, 6, 1))
    assert notices_close_expired(today=datetime.date(2026, 7, 1)) == 1
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.CLOSED
    page = client.get("/notices/").content.decode()
    assert notice.title in page and "公示结束" in page


def test_public_pages_show_masked_lines_and_take_an_objection(client):
    notice = publish()
    page = client.get(f"/notices/{notice.pk}/").content.decode()
    assert "张*红" in page and "2000.00" in page and "提出异议" in page
    response = client.post(f"/notices/{notice.pk}/", {
        "item": notice.items.get(ref="aid.application:1").pk, "content": "该职工已在其他单位领取过同类补助。",
        "contact": "13912345678",
    })
    assert response.status_code == 302
    assert Objection.objects.get().contact == "13912345678"
    assert "13912345678" not in client.get(f"/notices/{notice.pk}/").content.decode()
    short = client.post(f"/notices/{notice.pk}/", {"content": "太短", "contact": "x"})
    assert "至少" in short.content.decode() or "10" in short.content.decode()
    assert Objection.objects.count() == 1


def test_withdrawn_notice_leaves_the_board(client):
    notice = publish()
    notice_withdraw(notice=notice, actor=None, reason="名单有误，重新公示")
    assert notice.title not in client.get("/notices/").content.decode()
    assert client.get(f"/notices/{notice.pk}/").status_code == 404
    with pytest.raises(NotOnNotice):
        notice_clearance_check(ref="aid.application:1")


@pytest.mark.parametrize("query", ["?page=99999999999999999999", "?kind=unknown&page=-1", "?page="])
def test_board_odd_parameters(client, query):
    assert client.get(f"/notices/{query}").status_code == 200
    assert client.get("/notices/?kind=%00").status_code == 200


def test_board_query_count_flat(client, django_assert_max_num_queries):
    for n in range(3):
        publish()
    with django_assert_max_num_queries(4):
        client.get("/notices/")
    for n in range(30):
        publish()
    with django_assert_max_num_queries(4):
        client.get("/notices/")


def test_staff_answer_objection_in_admin_only_for_their_kind(client, staff_of):
    notice = publish()
    objection = Objection.objects.create(notice=notice, content="该职工不符合条件，请核实。", contact="13800000000")
    aid_staff, rights_staff = staff_of("困难职工帮扶中心"), staff_of("权益保障部")
    client.force_login(rights_staff)
    assert client.get(f"/admin/notices/objection/{objection.pk}/change/").status_code in (302, 403, 404)
    client.force_login(aid_staff)
    assert client.get("/admin/notices/objection/").status_code == 200
    assert client.get(f"/admin/notices/publicnotice/{notice.pk}/change/").status_code == 200
    response = client.post(f"/admin/notices/objection/{objection.pk}/change/", {"answer": "经核实符合条件。", "upheld": ""})
    assert response.status_code == 302
    objection.refresh_from_db()
    assert objection.answered_by == aid_staff and objection.status == "answered"
    economic = staff_of("经济技术部")
    client.force_login(economic)
    assert client.get(f"/admin/notices/objection/{objection.pk}/change/").status_code in (302, 404)
