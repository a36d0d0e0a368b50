"""Every export of personal data is logged (who, when, what, filters) and streamed."""

import io

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.http import FileResponse, StreamingHttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from apps.accounts import roles
from apps.core.exports import Exporter
from apps.core.models import ExportJob, ExportLog
from apps.core.services import export_job_run, export_job_start, export_log_write
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


class Numbers(Exporter):
    title = "数字"
    columns = ["号", "名"]

    def __init__(self, count, filters=None):
        self.count = count
        self.filters = filters or {}

    def rows(self):
        for n in range(self.count):
            yield [n, "=1+1" if n == 0 else f"名{n}"]


def request_of(user, query=""):
    request = RequestFactory().get("/x" + query)
    request.user = user
    return request


def test_xlsx_download_is_streamed_from_a_file_and_logged():
    user = UserFactory(is_staff=True)
    response = Numbers(3000, filters={"town": "3"}).response("xlsx", request=request_of(user))
    assert isinstance(response, FileResponse)
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("号", "名") and rows[1] == (0, "'=1+1") and len(rows) == 3001
    log = ExportLog.objects.get()
    assert (log.user, log.what, log.row_count, log.file_format) == (user, "数字", 3000, "xlsx")
    assert log.filters == {"town": "3"} and log.source.endswith("Numbers")


def test_csv_download_is_streamed_row_by_row_with_a_bom():
    user = UserFactory(is_staff=True)
    response = Numbers(5).response("csv", request=request_of(user, "?year=2024&town=1"))
    assert isinstance(response, StreamingHttpResponse) and not isinstance(response, FileResponse)
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff号,名\r\n0,'=1+1\r\n")
    log = ExportLog.objects.get()
    assert log.row_count is None and log.file_format == "csv"  # a stream's length is known only at its end


def test_exporter_without_filters_logs_the_query_string():
    class Plain(Numbers):
        def __init__(self):
            super().__init__(1)
            self.filters = None

    Plain().response("xlsx", request=request_of(UserFactory(is_staff=True), "?year=2024&town=1"))
    assert ExportLog.objects.get().filters == {"year": "2024", "town": "1"}


def test_admin_export_logs_who_and_the_filters(client, member, other_member):
    user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(user)
    response = client.post(reverse("admin:members_member_export") + f"?union={member.union_id}", {
        "format": "0", "resource": "0", "memberresource_name": "on", "memberresource_phone": "on",
    })
    assert response.status_code == 200
    log = ExportLog.objects.get()
    assert log.user == user and log.row_count == 1 and log.file_format == "xlsx"
    assert log.filters["union"] == str(member.union_id)
    assert set(log.filters["_columns"]) >= {"name", "phone"}
    assert log.source == "admin:members.member"


def test_background_export_is_logged_when_the_file_is_built(member, staff_of):
    owner = staff_of(roles.ORGANISATION)
    job = export_job_start(owner=owner, exporter="apps.members.exports.MemberExporter", title="会员名单",
                           params={"union__id__exact": str(member.union_id)})
    job = export_job_run(job_id=job.pk)
    assert job.status == ExportJob.Status.DONE
    log = ExportLog.objects.get()
    assert (log.user, log.row_count, log.what) == (owner, 1, "会员名单")
    assert log.filters == {"union__id__exact": str(member.union_id)}


def test_rights_statistics_export_is_logged(client, staff_of):
    user = staff_of(roles.RIGHTS)
    client.force_login(user)
    response = client.get(reverse("admin:rights_rightscase_export"), {"year": "2024"})
    assert response.status_code == 200
    assert ExportLog.objects.get().user == user


def test_filters_are_bounded_in_size():
    log = export_log_write(user=UserFactory(), what="x" * 500, source="t", filters={"q": ["a" * 500] * 50})
    assert len(log.what) == 100 and len(log.filters["q"]) == 20 and len(log.filters["q"][0]) == 200


# ---- the log in the admin -----------------------------------------------------------------

@pytest.fixture
def auditor(db):
    user = UserFactory(is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_exportlog"))
    return user


def test_staff_with_the_permission_read_the_log_and_nobody_edits_it(client, auditor):
    log = export_log_write(user=auditor, what="会员名单", source="t", filters={"union": "3"}, row_count=2)
    client.force_login(auditor)
    changelist = client.get(reverse("admin:core_exportlog_changelist"))
    assert changelist.status_code == 200 and "会员名单" in changelist.content.decode()
    assert client.get(reverse("admin:core_exportlog_change", args=[log.pk])).status_code == 200
    assert client.get(reverse("admin:core_exportlog_add")).status_code == 403
    assert client.post(reverse("admin:core_exportlog_delete", args=[log.pk]), {"post": "yes"}).status_code == 403
    superuser = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(superuser)
    assert client.get(reverse("admin:core_exportlog_add")).status_code == 403
    assert ExportLog.objects.count() == 1


def test_staff_without_the_permission_cannot_read_the_log(client, staff_of):
    client.force_login(staff_of(roles.ECONOMIC))
    assert client.get(reverse("admin:core_exportlog_changelist")).status_code == 403


@pytest.mark.parametrize("params", [{"q": "\x00"}, {"at__year": "99999999999"}, {"at__gte": "x\x00"}, {"what": "不存在"}, {"p": "-1"}])
def test_log_changelist_survives_odd_parameters(client, auditor, params):
    client.force_login(auditor)
    assert client.get(reverse("admin:core_exportlog_changelist"), params).status_code in (200, 302, 400)


def test_log_changelist_queries_are_flat(client, auditor):
    client.force_login(auditor)
    url = reverse("admin:core_exportlog_changelist")

    def queries(count):
        ExportLog.objects.bulk_create([
            ExportLog(user=UserFactory(), what="会员名单", source="t") for _ in range(count)
        ])
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    small = queries(10)
    large = queries(190)
    assert small == large and large <= 15
