"""Large member imports run as a background job: progress on the page, all or nothing, timed."""

import io
import threading
import time

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from playwright.sync_api import expect

from apps.core import services as core_services
from apps.core.models import ImportJob
from apps.core.services import import_job_run
from apps.members.models import Member
from tests.browser import sign_in
from tests.factories import EmployerFactory, MemberFactory, UnionFactory, UserFactory, resident_id

HEADERS = ["姓名", "性别", "身份证号码", "手机号码", "所在工会", "工作单位", "入会日期"]


def big_workbook(employer, count, bad_line=None) -> bytes:
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(["会员花名册"])
    sheet.append(HEADERS)
    for n in range(1, count + 1):
        number = resident_id(n)
        if n + 2 == bad_line:
            number = number[:-1] + ("0" if number[-1] != "0" else "1")
        sheet.append([f"职工{n} ", "男" if n % 2 else "女", number, f"1590{n:07d}", employer.union.name,
                      employer.name, 42005 + n % 300])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def superuser(db):
    return UserFactory(is_staff=True, is_superuser=True)


@pytest.fixture
def employer(db):
    return EmployerFactory(name="义乌市大批量制衣有限公司", union=UnionFactory(name="义乌市大批量制衣有限公司工会"))


def post_file(client, content, **data):
    return client.post(reverse("admin:members_member_import"), {
        "file": SimpleUploadedFile("花名册.xlsx", content), **data,
    })


@pytest.mark.django_db
def test_5000_rows_are_imported_in_the_background_with_progress(client, superuser, employer,
                                                                django_capture_on_commit_callbacks, monkeypatch):
    seen = []
    real_set = core_services.cache.set
    monkeypatch.setattr(core_services.cache, "set", lambda key, value, **kw: (seen.append(value), real_set(key, value, **kw)))
    content = big_workbook(employer, 5000)
    client.force_login(superuser)
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        response = post_file(client, content)
    elapsed = time.monotonic() - started
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response.url == reverse("core:import_job", args=[job.pk])
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE, job.report
    assert job.report["created"] == 5000 and Member.objects.count() == 5000
    assert not job.file  # the uploaded personal data does not outlive the job
    percents = [100 * v["done"] // v["of"] for v in seen]
    assert len(percents) >= 10 and percents == sorted(percents) and percents[-1] == 100
    status = client.get(reverse("core:import_job_status", args=[job.pk])).json()
    assert status["finished"] and status["percent"] == 100 and status["report"]["created"] == 5000
    page = client.get(response.url).content.decode()
    assert "已导入：新增 5000 人" in page and "core/import_progress.js" in page
    print(f"\n5000-row import (upload, check, write, in one test process): {elapsed:.1f} s")


@pytest.mark.django_db
def test_one_bad_row_in_5000_imports_nothing_and_the_report_names_it(client, superuser, employer,
                                                                    django_capture_on_commit_callbacks):
    client.force_login(superuser)
    with django_capture_on_commit_callbacks(execute=True):
        post_file(client, big_workbook(employer, 5000, bad_line=4321))
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.REFUSED and Member.objects.count() == 0
    texts = [p["text"] for p in job.report["problems"]]
    assert texts == ["第 4321 行【身份证号码】：身份证号码校验位不正确，请核对后重新输入。"]
    page = client.get(reverse("core:import_job", args=[job.pk])).content.decode()
    assert "第 4321 行【身份证号码】" in page and "整个文件都没有导入" in page
    status = client.get(reverse("core:import_job_status", args=[job.pk])).json()
    assert status["status"] == "refused" and status["report"]["problems"] == texts


@pytest.mark.django_db
def test_a_clash_at_write_time_rolls_back_every_row(superuser, employer, monkeypatch):
    from apps.members import resources

    content = big_workbook(employer, 400)
    job = core_services.import_job_start(
        owner=superuser, importer="apps.members.resources.MemberImport", title="会员导入",
        data=content, filename="a.xlsx",
    )
    real_write = resources.MemberImport.write

    def clash_then_write(self, rows, report):
        MemberFactory(document_number=resident_id(399))  # registered while the job ran
        real_write(self, rows, report)

    monkeypatch.setattr(resources.MemberImport, "write", clash_then_write)
    job = import_job_run(job_id=job.pk)
    assert job.status == ImportJob.Status.REFUSED
    assert "整个文件未导入" in job.report["problems"][0]["text"]
    assert Member.objects.count() == 0


@pytest.mark.django_db
def test_import_pages_belong_to_their_owner_only(client, superuser, employer):
    job = core_services.import_job_start(
        owner=superuser, importer="apps.members.resources.MemberImport", title="会员导入",
        data=b"x", filename="a.xlsx",
    )
    other = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(other)
    assert client.get(reverse("core:import_job", args=[job.pk])).status_code == 404
    assert client.get(reverse("core:import_job_status", args=[job.pk])).status_code == 404
    client.force_login(superuser)
    status = client.get(reverse("core:import_job_status", args=[job.pk])).json()
    assert status == {"status": "pending", "status_label": "排队中", "finished": False, "percent": 0}
    page = client.get(reverse("core:import_job", args=[job.pk]))
    assert page.status_code == 200 and "排队中" in page.content.decode()
    assert client.get(reverse("core:import_job", args=[99999999999])).status_code == 404
    client.logout()
    assert client.get(reverse("core:import_job_status", args=[job.pk])).status_code == 302


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_progress_bar_moves_and_the_report_appears_in_the_browser(page, live_server, employer, monkeypatch, tmp_path,
                                                                   shots):
    """The upload goes to a real background thread; the page polls until the import ends."""
    user = UserFactory(is_staff=True, is_superuser=True)

    def dispatch_in_a_thread(pk):
        def work():
            try:
                time.sleep(0.5)
                import_job_run(job_id=pk)
            finally:
                connection.close()

        threading.Thread(target=work).start()

    monkeypatch.setattr(core_services, "_dispatch_import", dispatch_in_a_thread)
    path = tmp_path / "花名册.xlsx"
    path.write_bytes(big_workbook(employer, 5000))
    sign_in(page, live_server, user)
    page.goto(live_server.url + reverse("admin:members_member_import"))
    page.set_input_files("input[type=file]", str(path))
    page.click("input[type=submit]")
    page.wait_for_url("**/imports/*/")
    bar = page.locator("#import-progress")
    values = set()
    for _ in range(600):
        values.add(int(bar.get_attribute("value")))
        if page.locator(".import-ok").count():
            break
        page.wait_for_timeout(100)
    assert page.locator(".import-ok").inner_text() == "已导入：新增 5000 人，更新 0 人。"
    assert int(bar.get_attribute("value")) == 100
    assert any(0 < v < 100 for v in values) or len(values) > 1, values
    shots(page, "import-job-done")
    assert Member.objects.count() == 5000


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_import_page_shows_the_bad_rows_in_the_browser(page, live_server, employer, tmp_path, shots):
    user = UserFactory(is_staff=True, is_superuser=True)
    path = tmp_path / "花名册.xlsx"
    path.write_bytes(big_workbook(employer, 20, bad_line=7))
    sign_in(page, live_server, user)
    page.goto(live_server.url + reverse("admin:members_member_import"))
    assert page.locator("a[href$='/import/template/']").count() == 1
    page.set_input_files("input[type=file]", str(path))
    page.click("input[type=submit]")
    # expect() waits for the answer to the upload; a plain read could see the page before it.
    expect(page.locator(".import-problem-list li")).to_have_text(
        ["第 7 行【身份证号码】：身份证号码校验位不正确，请核对后重新输入。"])
    shots(page, "import-problems")
    assert Member.objects.count() == 0
