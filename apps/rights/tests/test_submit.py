"""Submitting a case: the online form (member and non-member), content-checked attachments,
gapless numbers under concurrency, and one case per submitted form."""

import threading
import uuid
from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse

from apps.rights.models import CaseAttachment, Category, Channel, RightsCase, Status
from apps.rights.services import case_submit
from tests.factories import EmployerFactory, resident_id, town

from .conftest import EXE, PDF, last_code, png_bytes, upload

NEW = reverse("rights:new")


def form_data(chosen, **extra):
    employer = chosen
    data = {
        "token": str(uuid.uuid4()),
        "employer": str(employer.pk),
        "employer_name": employer.name,
        "category": Category.WAGE_ARREARS,
        "description": "公司拖欠我三个月工资共九千元，老板一直推脱。",
        "amount_owed": "9000.00",
    }
    data.update(extra)
    return data


@pytest.mark.django_db
class TestService:
    def test_numbers_are_consecutive_per_year(self, make_case):
        first, second = make_case(), make_case()
        year = first.year
        assert first.number == f"WQ{year}-000001"
        assert second.number == f"WQ{year}-000002"

    def test_submission_records_the_first_history_row_and_tells_the_worker(self, make_case, sms_outbox, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            case = make_case()
        change = case.changes.get()
        assert (change.from_status, change.to_status, change.note) == ("", Status.SUBMITTED, "网上提交")
        assert len(sms_outbox) == 1 and case.number in sms_outbox[0].text

    def test_same_token_twice_creates_one_case(self, make_case):
        token = uuid.uuid4()
        first = make_case(idempotency_key=token)
        again = make_case(idempotency_key=token)
        assert again.pk == first.pk
        assert RightsCase.objects.count() == 1

    def test_member_case_takes_name_phone_and_area_from_the_member(self, make_case, member):
        case = make_case(member=member, employer=None, employer_name="义乌某某物流公司（名录外）")
        assert (case.worker_name, case.worker_phone, case.town_street) == (member.name, member.phone, member.town_street)

    def test_amount_owed_cannot_be_negative_in_the_database(self, make_case):
        from django.db import IntegrityError

        with pytest.raises(IntegrityError):
            make_case(amount_owed=Decimal("-1"))


@pytest.mark.django_db
class TestOnlineFormForAMember:
    def test_member_submits_with_a_pdf_and_an_image(self, client, member, employer, django_capture_on_commit_callbacks, sms_outbox):
        client.force_login(member.user)
        data = form_data(employer, attachments=[upload("合同.pdf", PDF, "application/pdf"), upload("工资条.png", png_bytes(), "image/png")])
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(NEW, data)
        case = RightsCase.objects.get()
        assert response.status_code == 302 and response.url == reverse("rights:detail", kwargs={"number": case.number})
        assert case.member == member and case.channel == Channel.ONLINE
        assert case.amount_owed == Decimal("9000.00")
        kinds = sorted(case.attachments.values_list("kind", "original_name"))
        assert kinds == [("image", "工资条.png"), ("pdf", "合同.pdf")]
        assert [m.phone for m in sms_outbox] == [member.phone]

    def test_double_submit_creates_one_case(self, client, member, employer):
        client.force_login(member.user)
        data = form_data(employer)
        first = client.post(NEW, data)
        second = client.post(NEW, data)
        assert RightsCase.objects.count() == 1
        assert first.url == second.url == reverse("rights:detail", kwargs={"number": RightsCase.objects.get().number})

    def test_executable_disguised_as_pdf_is_refused_and_nothing_is_saved(self, client, member, employer):
        client.force_login(member.user)
        response = client.post(NEW, form_data(employer, attachments=[upload("劳动合同.pdf", EXE, "application/pdf")]))
        assert response.status_code == 200
        assert "“劳动合同.pdf”：只接受图片（JPEG、PNG、WebP）或 PDF 文件。" in response.content.decode()
        assert not RightsCase.objects.exists() and not CaseAttachment.objects.exists()

    def test_negative_amount_is_refused(self, client, member, employer):
        client.force_login(member.user)
        response = client.post(NEW, form_data(employer, amount_owed="-50"))
        assert "涉及金额不能为负数。" in response.content.decode()
        assert not RightsCase.objects.exists()

    def test_typed_in_employer_is_kept_as_typed(self, client, member):
        client.force_login(member.user)
        data = form_data(EmployerFactory.build(pk=0, name="x"), employer="", employer_name="义乌市某某小作坊")
        response = client.post(NEW, data)
        assert response.status_code == 302
        case = RightsCase.objects.get()
        assert case.employer is None and case.employer_name == "义乌市某某小作坊"

    def test_a_known_name_typed_without_choosing_finds_the_employer(self, client, member, employer):
        client.force_login(member.user)
        client.post(NEW, form_data(employer, employer=""))
        assert RightsCase.objects.get().employer == employer

    def test_missing_employer_is_explained(self, client, member, employer):
        client.force_login(member.user)
        response = client.post(NEW, form_data(employer, employer="", employer_name=""))
        assert "请填写用人单位。" in response.content.decode()


@pytest.mark.django_db
class TestOnlineFormForANonMember:
    phone = "13912345678"

    def send_code(self, client, capture):
        with capture(execute=True):
            client.post(NEW, {"name": "赵大勇", "phone": self.phone, "send_code": "1"})

    def test_non_member_verifies_the_phone_and_follows_the_case(self, client, employer, sms_outbox, django_capture_on_commit_callbacks):
        self.send_code(client, django_capture_on_commit_callbacks)
        code = last_code(sms_outbox, self.phone)
        data = form_data(employer, name="赵大勇", phone=self.phone, code=code, id_number=resident_id(77))
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(NEW, data)
        assert response.status_code == 302 and response.url == reverse("rights:status")
        case = RightsCase.objects.get()
        assert (case.member, case.worker_name, case.worker_phone, case.worker_id_number) == (
            None, "赵大勇", self.phone, resident_id(77),
        )
        assert case.number in sms_outbox[-1].text
        assert case.number in client.get(reverse("rights:status")).content.decode()

    def test_wrong_code_creates_nothing(self, client, employer, sms_outbox, django_capture_on_commit_callbacks):
        self.send_code(client, django_capture_on_commit_callbacks)
        response = client.post(NEW, form_data(employer, name="赵大勇", phone=self.phone, code="000000"))
        assert "验证码不正确" in response.content.decode()
        assert not RightsCase.objects.exists()

    def test_double_submit_after_the_code_was_used_leads_to_the_same_case(self, client, employer, sms_outbox, django_capture_on_commit_callbacks):
        self.send_code(client, django_capture_on_commit_callbacks)
        data = form_data(employer, name="赵大勇", phone=self.phone, code=last_code(sms_outbox, self.phone))
        client.post(NEW, data)
        again = client.post(NEW, data)
        assert again.status_code == 302 and again.url == reverse("rights:status")
        assert RightsCase.objects.count() == 1

    def test_bad_id_number_is_explained(self, client, employer, sms_outbox, django_capture_on_commit_callbacks):
        self.send_code(client, django_capture_on_commit_callbacks)
        data = form_data(employer, name="赵大勇", phone=self.phone, code=last_code(sms_outbox, self.phone),
                         id_number="330782199001011230")
        response = client.post(NEW, data)
        assert "身份证号码校验位不正确，请核对后重新输入。" in response.content.decode()
        assert not RightsCase.objects.exists()

    def test_typed_in_employer_needs_its_town(self, client, employer, sms_outbox, django_capture_on_commit_callbacks):
        self.send_code(client, django_capture_on_commit_callbacks)
        data = form_data(employer, employer="", employer_name="无名小厂", name="赵大勇", phone=self.phone,
                         code=last_code(sms_outbox, self.phone))
        response = client.post(NEW, data)
        assert "单位不在名录中，请选择单位所在镇街。" in response.content.decode()
        data["town_street"] = str(town("fotang").pk)
        data["code"] = last_code(sms_outbox, self.phone)
        assert client.post(NEW, data).status_code == 302
        assert RightsCase.objects.get().town_street.code == "fotang"

    def test_the_form_page_renders_for_anyone(self, client):
        response = client.get(NEW)
        body = response.content.decode()
        assert response.status_code == 200
        assert 'name="token"' in body and "获取验证码" in body and 'enctype="multipart/form-data"' in body


@pytest.mark.django_db
def test_employer_search_returns_known_employers(client, employer):
    EmployerFactory(name="浙江义乌另一家公司")
    response = client.get(reverse("rights:employer_search"), {"q": "稠城测试"})
    assert response.json() == {"results": [{"id": employer.pk, "name": employer.name, "town": "稠城"}]}
    assert client.get(reverse("rights:employer_search"), {"q": "稠"}).json() == {"results": []}


def _in_threads(count, work):
    """Run work(i) in `count` threads started together; returns results and errors."""
    barrier = threading.Barrier(count)
    results, errors = [None] * count, []

    def run(i):
        try:
            barrier.wait()
            results[i] = work(i)
        except Exception as exc:  # noqa: BLE001  (reported by the test)
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_cases_at_the_same_moment_get_consecutive_distinct_numbers():
    employer = EmployerFactory()

    def submit(i):
        case = case_submit(
            channel=Channel.ONLINE, category=Category.DISMISSAL, description="被违法解除劳动合同。",
            employer=employer, worker_name=f"并发职工{i}", worker_phone=f"1390000000{i}",
        )
        return case.number

    numbers, errors = _in_threads(2, submit)
    assert errors == []
    year = RightsCase.objects.first().year
    assert sorted(numbers) == [f"WQ{year}-000001", f"WQ{year}-000002"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_same_form_sent_twice_at_the_same_moment_creates_one_case():
    employer = EmployerFactory()
    token = uuid.uuid4()

    def submit(i):
        return case_submit(
            channel=Channel.ONLINE, category=Category.WAGE_ARREARS, description="拖欠工资。", employer=employer,
            worker_name="双击职工", worker_phone="13900000009", idempotency_key=token,
        ).pk

    pks, errors = _in_threads(2, submit)
    assert errors == []
    assert pks[0] == pks[1]
    assert RightsCase.objects.count() == 1
    # The loser's number was rolled back with it: the next case continues without a gap.
    assert RightsCase.objects.get().number.endswith("-000001")
