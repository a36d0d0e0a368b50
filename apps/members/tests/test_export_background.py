"""Large member exports built by a Celery task and downloaded only by who asked."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from apps.accounts import roles
from apps.core.models import ExportJob
from apps.core.services import export_job_run, export_job_start
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db
START = reverse("admin:members_member_export_background")


def sheet_rows(job):
    job.refresh_from_db()
    with job.file.open("rb") as handle:
        return [[c.value for c in row] for row in load_workbook(io.BytesIO(handle.read())).active.iter_rows()]


def start(client, django_capture_on_commit_callbacks, query=""):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(START + query)
    assert response.status_code == 302 and response.url == reverse("admin:core_exportjob_changelist")
    return ExportJob.objects.latest("id")


def test_organisation_exports_everyone_in_full(client, member, other_member, staff_of, django_capture_on_commit_callbacks):
    client.force_login(staff_of(roles.ORGANISATION))
    job = start(client, django_capture_on_commit_callbacks)
    assert job.status == ExportJob.Status.DONE and job.row_count == 2
    rows = sheet_rows(job)
    assert rows[0][:4] == ["姓名", "性别", "证件类型", "证件号码"]
    assert {r[3] for r in rows[1:]} == {member.document_number, other_member.document_number}


def test_filters_of_the_changelist_are_kept(client, member, other_member, staff_of, django_capture_on_commit_callbacks):
    client.force_login(staff_of(roles.ORGANISATION))
    job = start(client, django_capture_on_commit_callbacks, f"?union__id__exact={member.union_id}")
    assert [r[0] for r in sheet_rows(job)[1:]] == [member.name]


def test_officer_gets_own_union_only_and_masked(client, member, other_member, officer, django_capture_on_commit_callbacks):
    MemberFactory(employer=member.employer)
    client.force_login(officer)
    job = start(client, django_capture_on_commit_callbacks, f"?union__id__exact={other_member.union_id}")
    assert job.row_count == 0  # the filter cannot widen an officer's scope
    job = start(client, django_capture_on_commit_callbacks)
    rows = sheet_rows(job)[1:]
    assert len(rows) == 2 and other_member.name not in {r[0] for r in rows}
    assert all("**********" in r[3] and "****" in r[4] for r in rows)


def test_only_the_owner_sees_and_downloads(client, member, staff_of, django_capture_on_commit_callbacks):
    owner, other = staff_of(roles.ORGANISATION), staff_of(roles.ORGANISATION)
    client.force_login(owner)
    job = start(client, django_capture_on_commit_callbacks)
    download = reverse("core:export_download", args=[job.pk])
    response = client.get(download)
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    client.force_login(other)
    assert client.get(download).status_code == 404
    assert download not in client.get(reverse("admin:core_exportjob_changelist")).content.decode()
    assert client.get(reverse("admin:core_exportjob_change", args=[job.pk])).status_code in (302, 403, 404)
    client.logout()
    assert client.get(download).status_code == 302  # to the admin login


def test_start_needs_post_and_export_permission(client, member, staff_of):
    client.force_login(staff_of(roles.ORGANISATION))
    assert client.get(START).status_code == 403
    client.force_login(staff_of(roles.ECONOMIC))
    assert client.post(START).status_code == 403
    assert not ExportJob.objects.exists()


class Exploding:
    @classmethod
    def for_job(cls, user, params):
        raise RuntimeError("数据库连接中断")


def test_a_failing_export_is_recorded(member, staff_of):
    job = export_job_start(owner=staff_of(roles.ORGANISATION), exporter="apps.members.tests.test_export_background.Exploding", title="x")
    export_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == ExportJob.Status.FAILED and "数据库连接中断" in job.error


def test_changelist_offers_the_background_export(client, member, staff_of):
    client.force_login(staff_of(roles.ORGANISATION))
    page = client.get(reverse("admin:members_member_changelist")).content.decode()
    assert START in page and "后台导出全部" in page


def test_old_exports_are_purged_with_their_files(member, staff_of):
    import datetime

    from django.utils import timezone

    from apps.core.services import export_jobs_purge

    owner = staff_of(roles.ORGANISATION)
    old = export_job_start(owner=owner, exporter="apps.members.exports.MemberExporter", title="旧名单")
    export_job_run(job_id=old.pk)
    fresh = export_job_start(owner=owner, exporter="apps.members.exports.MemberExporter", title="新名单")
    old.refresh_from_db()
    storage, name = old.file.storage, old.file.name
    ExportJob.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=8))
    assert export_jobs_purge(older_than_days=7) == 1
    assert not storage.exists(name)
    assert list(ExportJob.objects.values_list("pk", flat=True)) == [fresh.pk]
