"""Uploads of the online form: nothing decoded before the code (the decode-before-code attack),
pixels and bytes bounded per file and per request, anonymous posts limited per address, files
kept across the code step, and material added to an open case afterwards."""

import io
import time

import pytest
from django.urls import reverse
from PIL import Image

from apps.core import uploads
from apps.rights.models import CaseAttachment, RightsCase, Status
from tests.factories import resident_id

from .conftest import EXE, PDF, last_code, png_bytes, upload
from .test_submit import NEW, form_data

PHONE = "13912345678"


@pytest.fixture(scope="module")
def big_png():
    """A small file (about 100 KB) that decodes to 6300 x 6300 pixels: the attack's file."""
    out = io.BytesIO()
    Image.new("RGB", (6300, 6300), (250, 250, 250)).save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def decodes(monkeypatch):
    """Records every image decode (Image.load) made while the form is handled."""
    calls = []
    real = Image.Image.load

    def spy(self, *args, **kwargs):
        calls.append(self.size)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Image.Image, "load", spy)
    return calls


def send_code(client, capture, **files):
    with capture(execute=True):
        return client.post(NEW, {"name": "赵大勇", "phone": PHONE, "send_code": "1", **files})


@pytest.mark.django_db
class TestDecodeBeforeCode:
    def test_ten_big_pngs_with_a_wrong_code_decode_nothing(self, client, employer, big_png, decodes, sms_outbox,
                                                           django_capture_on_commit_callbacks):
        send_code(client, django_capture_on_commit_callbacks)
        files = [upload(f"p{i}.png", big_png, "image/png") for i in range(10)]
        started = time.monotonic()
        response = client.post(NEW, form_data(employer, name="赵大勇", phone=PHONE, code="000000", attachments=files))
        elapsed = time.monotonic() - started
        assert response.status_code == 200
        assert decodes == []
        assert elapsed < 5, elapsed
        assert not RightsCase.objects.exists()

    def test_without_any_code_nothing_is_decoded(self, client, employer, big_png, decodes):
        files = [upload(f"p{i}.png", big_png, "image/png") for i in range(3)]
        response = client.post(NEW, form_data(employer, name="赵大勇", phone=PHONE, attachments=files))
        assert "请输入短信验证码。" in response.content.decode()
        assert decodes == []

    def test_with_the_right_code_the_pixels_of_one_request_are_bounded(self, client, employer, big_png, decodes,
                                                                       sms_outbox, django_capture_on_commit_callbacks):
        send_code(client, django_capture_on_commit_callbacks)
        files = [upload(f"p{i}.png", big_png, "image/png") for i in range(10)]
        code = last_code(sms_outbox, PHONE)
        response = client.post(NEW, form_data(employer, name="赵大勇", phone=PHONE, code=code, attachments=files))
        body = response.content.decode()
        assert response.status_code == 200
        assert "“p3.png”：图片总像素超过一次提交的上限" in body
        assert decodes == []  # refused from the headers, before anything is decoded
        assert not RightsCase.objects.exists()

    def test_a_file_over_the_per_file_pixel_limit_is_refused_from_its_header(self, client, member, employer, decodes, settings):
        settings.PHOTO_MAX_PIXELS = 6300 * 6300 - 1
        client.force_login(member.user)
        out = io.BytesIO()
        Image.new("RGB", (6300, 6300)).save(out, format="PNG")
        decodes.clear()
        response = client.post(NEW, form_data(employer, attachments=[upload("big.png", out.getvalue(), "image/png")]))
        assert "“big.png”：图片像素过多" in response.content.decode()
        assert decodes == [] and not RightsCase.objects.exists()

    def test_request_size_is_capped_before_the_body_is_read(self, client, employer, settings):
        settings.UPLOAD_MAX_REQUEST_BYTES = 50_000
        response = client.post(NEW, form_data(employer, attachments=[upload("a.pdf", PDF + b"0" * 60_000 + b"%%EOF")]))
        assert response.status_code == 413
        assert "一次提交的文件合计不能超过" in response.content.decode()

    def test_django_upload_memory_settings_are_bounded(self, settings):
        assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= 2621440
        assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE <= 5 * 1024 * 1024
        assert settings.DATA_UPLOAD_MAX_NUMBER_FILES <= 20

    def test_anonymous_posts_are_limited_per_address(self, client, employer, settings):
        settings.RIGHTS_ANONYMOUS_POSTS_PER_HOUR = 2
        data = form_data(employer, name="赵大勇", phone=PHONE, code="000000")
        assert client.post(NEW, data, REMOTE_ADDR="203.0.113.9").status_code == 200
        assert client.post(NEW, data, REMOTE_ADDR="203.0.113.9").status_code == 200
        third = client.post(NEW, data, REMOTE_ADDR="203.0.113.9")
        assert third.status_code == 429
        assert "提交过于频繁" in third.content.decode()
        assert client.post(NEW, data, REMOTE_ADDR="198.51.100.7").status_code == 200


@pytest.mark.django_db
class TestFilesAcrossTheCodeStep:
    def test_files_chosen_before_the_code_are_kept_and_filed(self, client, employer, sms_outbox,
                                                             django_capture_on_commit_callbacks):
        data = form_data(employer, name="赵大勇", phone=PHONE)
        with django_capture_on_commit_callbacks(execute=True):
            shown = client.post(NEW, {**data, "send_code": "1", "attachments": [
                upload("工资条一.png", png_bytes(), "image/png"), upload("合同.pdf", PDF, "application/pdf"),
            ]})
        body = shown.content.decode()
        assert "已保留 2 个材料" in body and "工资条一.png" in body and "合同.pdf" in body
        code = last_code(sms_outbox, PHONE)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(NEW, {**data, "code": code})
        assert response.status_code == 302
        case = RightsCase.objects.get()
        assert sorted(case.attachments.values_list("original_name", flat=True)) == ["合同.pdf", "工资条一.png"]
        assert client.session.get(uploads.PENDING_SESSION_KEY) == {}

    def test_files_are_kept_across_a_wrong_code_too(self, client, employer, sms_outbox, django_capture_on_commit_callbacks):
        data = form_data(employer, name="赵大勇", phone=PHONE)
        send_code(client, django_capture_on_commit_callbacks)
        wrong = client.post(NEW, {**data, "code": "000000", "attachments": [upload("截图.png", png_bytes(), "image/png")]})
        assert "验证码不正确" in wrong.content.decode() and "截图.png" in wrong.content.decode()
        client.post(NEW, {**data, "code": last_code(sms_outbox, PHONE)})
        assert list(RightsCase.objects.get().attachments.values_list("original_name", flat=True)) == ["截图.png"]

    def test_a_refused_file_is_named_and_nothing_is_filed(self, client, employer, sms_outbox, django_capture_on_commit_callbacks):
        data = form_data(employer, name="赵大勇", phone=PHONE)
        send_code(client, django_capture_on_commit_callbacks)
        code = last_code(sms_outbox, PHONE)
        response = client.post(NEW, {**data, "code": code, "attachments": [
            upload("合同.pdf", PDF, "application/pdf"), upload("病毒.pdf", EXE, "application/pdf"),
        ]})
        body = response.content.decode()
        assert "“病毒.pdf”：只接受图片" in body and "已保留 1 个材料" in body
        assert not RightsCase.objects.exists()
        # The code was not used up by the refused post: the same code files the case.
        assert client.post(NEW, {**data, "code": code}).status_code == 302
        assert list(RightsCase.objects.get().attachments.values_list("original_name", flat=True)) == ["合同.pdf"]

    def test_another_browser_cannot_use_the_kept_files(self, client, employer, sms_outbox, django_capture_on_commit_callbacks):
        from django.test import Client

        data = form_data(employer, name="赵大勇", phone=PHONE)
        send_code(client, django_capture_on_commit_callbacks)
        client.post(NEW, {**data, "code": "000000", "attachments": [upload("合同.pdf", PDF, "application/pdf")]})
        other = Client()
        other.post(NEW, {**data, "send_code": "1"})
        assert "合同.pdf" not in other.post(NEW, {**data, "code": "000000"}).content.decode()


@pytest.mark.django_db
class TestMaterialAddedLater:
    def test_member_adds_material_to_an_open_case(self, client, member, make_case):
        case = make_case(member=member)
        client.force_login(member.user)
        url = reverse("rights:detail", kwargs={"number": case.number})
        assert "补充证明材料" in client.get(url).content.decode()
        response = client.post(url, {"attachments": [upload("工资条.png", png_bytes(), "image/png")]})
        assert response.status_code == 302
        item = CaseAttachment.objects.get(case=case)
        assert (item.original_name, item.kind, item.uploaded_by) == ("工资条.png", "image", member.user)
        assert case.changes.filter(note__contains="职工补充材料 1 份").exists()

    def test_non_member_adds_material_from_the_status_page(self, client, make_case, sms_outbox,
                                                           django_capture_on_commit_callbacks):
        case = make_case(worker_name="赵大勇", worker_phone=PHONE, worker_id_number=resident_id(5))
        status = reverse("rights:status")
        with django_capture_on_commit_callbacks(execute=True):
            client.post(status, {"phone": PHONE, "send_code": "1"})
        client.post(status, {"phone": PHONE, "code": last_code(sms_outbox, PHONE)})
        url = reverse("rights:status_detail", kwargs={"number": case.number})
        response = client.post(url, {"attachments": [upload("合同.pdf", PDF, "application/pdf")]})
        assert response.status_code == 302
        assert list(case.attachments.values_list("original_name", flat=True)) == ["合同.pdf"]

    def test_material_is_refused_on_a_finished_case(self, client, member, make_case):
        case = make_case(status=Status.DECLINED, member=member)
        client.force_login(member.user)
        url = reverse("rights:detail", kwargs={"number": case.number})
        assert "补充证明材料" not in client.get(url).content.decode()
        response = client.post(url, {"attachments": [upload("合同.pdf", PDF, "application/pdf")]})
        assert "案件已办结，不能再补充材料" in response.content.decode()
        assert not case.attachments.exists()

    def test_another_member_cannot_add_material(self, client, member, other_member, make_case):
        case = make_case(member=member)
        client.force_login(other_member.user)
        url = reverse("rights:detail", kwargs={"number": case.number})
        assert client.post(url, {"attachments": [upload("合同.pdf", PDF, "application/pdf")]}).status_code == 404
        assert not case.attachments.exists()

    def test_a_fake_file_is_refused_with_its_name(self, client, member, make_case):
        case = make_case(member=member)
        client.force_login(member.user)
        url = reverse("rights:detail", kwargs={"number": case.number})
        response = client.post(url, {"attachments": [upload("合同.pdf", EXE, "application/pdf")]})
        assert response.status_code == 400 and "“合同.pdf”：只接受图片" in response.content.decode()
        assert not case.attachments.exists()


@pytest.mark.django_db
def test_kept_files_of_forms_never_submitted_are_purged(client, employer, sms_outbox, django_capture_on_commit_callbacks):
    import datetime

    from django.core.files.storage import default_storage
    from django.utils import timezone

    from apps.core.tasks import pending_uploads_purge

    data = form_data(employer, name="赵大勇", phone=PHONE)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(NEW, {**data, "send_code": "1", "attachments": [upload("合同.pdf", PDF, "application/pdf")]})
    [kept] = next(iter(client.session[uploads.PENDING_SESSION_KEY].values()))
    assert default_storage.exists(kept["path"])
    assert pending_uploads_purge() == 0  # today's are kept
    old_folder = f"{uploads.PENDING_DIR}/{timezone.localdate() - datetime.timedelta(days=3):%Y%m%d}"
    old = default_storage.save(f"{old_folder}/abandoned.pdf", upload("x.pdf", PDF))
    assert pending_uploads_purge() == 1
    assert not default_storage.exists(old) and default_storage.exists(kept["path"])
