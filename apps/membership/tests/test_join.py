"""Joining online: routing, refusals, one request per form, the join and status pages."""

import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.membership.errors import (
    AlreadyMember,
    ConsentRequired,
    EmployerRequired,
    JoinRequestOpen,
    NoReceivingUnion,
    PhoneBelongsToMember,
)
from apps.membership.models import JoinRequest, JoinStatus
from apps.membership.services import join_deadline, join_request_submit
from tests.factories import EmployerFactory, MemberFactory, UnionFactory, town

from .helpers import join_form as _form
from .helpers import last_code

pytestmark = pytest.mark.django_db


class TestRouting:
    def test_known_employer_routes_to_its_union(self, applicant, employer, catch_all):
        request = join_request_submit(**applicant(employer=employer))
        assert request.union == employer.union
        assert request.employer == employer and request.employer_name == ""
        assert request.status == JoinStatus.PENDING
        assert request.deadline == join_deadline(timezone.localdate(request.submitted_at))
        change = request.changes.get()
        assert (change.from_status, change.to_status, change.to_union) == ("", JoinStatus.PENDING, employer.union)

    def test_typed_exact_name_of_known_employer_routes_to_its_union(self, applicant, employer, catch_all):
        request = join_request_submit(**applicant(employer_name=f"  {employer.name} "))
        assert request.employer == employer and request.union == employer.union

    def test_unknown_employer_routes_to_catch_all_union_of_chosen_town(self, applicant, catch_all):
        UnionFactory(name="北苑街道联合工会", kind="joint", town_street=town("beiyuan"), is_catch_all=True)
        request = join_request_submit(**applicant(employer_name="义乌市新开张电商工作室"))
        assert request.union == catch_all
        assert request.employer is None and request.employer_name == "义乌市新开张电商工作室"

    def test_known_employer_without_union_routes_to_catch_all_of_its_own_town(self, applicant, catch_all):
        fotang = UnionFactory(name="佛堂镇总工会", kind="federation", town_street=town("fotang"), is_catch_all=True)
        no_union = EmployerFactory(name="佛堂某袜业有限公司", union=None, town_street=town("fotang"))
        request = join_request_submit(**applicant(employer=no_union, town_street=town("choucheng")))
        assert request.union == fotang
        assert request.town_street == town("fotang")

    def test_area_without_catch_all_union_is_explained(self, applicant):
        with pytest.raises(NoReceivingUnion) as exc:
            join_request_submit(**applicant(employer_name="某未建会单位", town_street=town("dachen")))
        assert "暂未设立接收入会申请的工会" in exc.value.message
        assert not JoinRequest.objects.exists()


class TestRefusals:
    def test_active_members_document_is_refused_with_claim_advice(self, applicant, employer, catch_all):
        existing = MemberFactory()
        with pytest.raises(AlreadyMember) as exc:
            join_request_submit(**applicant(employer=employer, document_number=existing.document_number.lower()))
        assert "激活会员账号" in exc.value.message
        assert not JoinRequest.objects.exists()

    def test_second_open_request_for_same_document_is_refused(self, applicant, employer):
        join_request_submit(**applicant(employer=employer))
        with pytest.raises(JoinRequestOpen):
            join_request_submit(**applicant(employer=employer, phone="13957900000"))
        assert JoinRequest.objects.count() == 1

    def test_same_form_twice_creates_one_request(self, applicant, employer):
        key = uuid.uuid4()
        first = join_request_submit(**applicant(employer=employer), idempotency_key=key)
        second = join_request_submit(**applicant(employer=employer), idempotency_key=key)
        assert first.pk == second.pk and JoinRequest.objects.count() == 1

    def test_phone_of_another_member_is_refused(self, applicant, employer):
        other = MemberFactory()
        with pytest.raises(PhoneBelongsToMember):
            join_request_submit(**applicant(employer=employer, phone=other.phone))

    def test_no_consent_no_employer(self, applicant, employer, catch_all):
        with pytest.raises(ConsentRequired):
            join_request_submit(**applicant(employer=employer, consented=False))
        with pytest.raises(EmployerRequired):
            join_request_submit(**applicant(employer_name=" "))
        assert not JoinRequest.objects.exists()


class TestJoinPage:
    url = reverse("membership:join")

    def test_join_with_code_then_status_page_shows_request(
        self, client, applicant, employer, sms_outbox, django_capture_on_commit_callbacks
    ):
        data = applicant()
        form = _form(data, employer_name=employer.name, employer=employer.pk)
        assert client.get(self.url).status_code == 200
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(self.url, {**form, "send_code": "1"})
        assert "验证码已发送至" in response.content.decode()
        form["code"] = last_code(sms_outbox, data["phone"])
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(self.url, form)
        assert response.status_code == 302 and response.url == reverse("membership:join_status")
        request = JoinRequest.objects.get()
        assert request.union == employer.union and request.phone == data["phone"]
        page = client.get(response.url).content.decode()
        assert employer.union.name in page and "待审核" in page
        assert data["document_number"] not in page
        assert "入会申请已提交" in sms_outbox[-1].text
        # The same form sent again (double tap) goes to the status page and adds nothing.
        response = client.post(self.url, form)
        assert response.status_code == 302 and JoinRequest.objects.count() == 1

    def test_wrong_code_creates_nothing(self, client, applicant, employer, sms_outbox, django_capture_on_commit_callbacks):
        data = applicant()
        form = _form(data, employer_name=employer.name)
        with django_capture_on_commit_callbacks(execute=True):
            client.post(self.url, {**form, "send_code": "1"})
        code = last_code(sms_outbox, data["phone"])
        response = client.post(self.url, {**form, "code": "000000" if code != "000000" else "111111"})
        assert "验证码不正确" in response.content.decode()
        assert not JoinRequest.objects.exists()

    def test_bad_id_and_missing_consent_are_explained(self, client, applicant):
        form = _form(applicant(), employer_name="某单位", document_number="330782199001010000", code="123456")
        form.pop("consent")
        page = client.post(self.url, form).content.decode()
        assert "校验位不正确" in page and "请阅读并同意《中国工会章程》" in page
        assert not JoinRequest.objects.exists()

    def test_employer_search_returns_names_and_towns_only(self, client, employer):
        EmployerFactory(name="浙江某某服饰有限公司")
        data = client.get(reverse("membership:employer_search"), {"q": "小商品城"}).json()
        assert data == {"results": [{
            "id": employer.pk, "name": employer.name, "town_street": employer.town_street_id,
            "town_street_name": employer.town_street.full_name,
        }]}
        assert client.get(reverse("membership:employer_search"), {"q": "义"}).json() == {"results": []}


class TestStatusPage:
    url = reverse("membership:join_status")

    def test_status_shows_only_requests_of_the_verified_phone(
        self, client, applicant, employer, sms_outbox, django_capture_on_commit_callbacks
    ):
        mine = join_request_submit(**applicant(901, employer=employer))
        theirs = join_request_submit(**applicant(902, name="赵一鸣", employer=employer))
        page = client.get(self.url).content.decode()
        assert mine.masked_name not in page and "获取验证码" in page
        with django_capture_on_commit_callbacks(execute=True):
            client.post(self.url, {"phone": mine.phone, "send_code": "1"})
        client.post(self.url, {"phone": mine.phone, "code": last_code(sms_outbox, mine.phone)})
        page = client.get(self.url).content.decode()
        assert mine.masked_document in page
        assert theirs.masked_document not in page and theirs.masked_name not in page

    def test_wrong_code_shows_nothing(self, client, applicant, employer, sms_outbox, django_capture_on_commit_callbacks):
        mine = join_request_submit(**applicant(employer=employer))
        with django_capture_on_commit_callbacks(execute=True):
            client.post(self.url, {"phone": mine.phone, "send_code": "1"})
        code = last_code(sms_outbox, mine.phone)
        page = client.post(self.url, {"phone": mine.phone, "code": "000000" if code != "000000" else "111111"}).content.decode()
        assert mine.masked_document not in page

    def test_no_code_leaves_for_a_phone_without_request(self, client, sms_outbox, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(self.url, {"phone": "13957909999", "send_code": "1"})
        assert "验证码已发送至" in response.content.decode()
        assert sms_outbox == []
