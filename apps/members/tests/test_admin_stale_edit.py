"""Staff edits of a member never overwrite newer data: a page opened before a merge (or any
other change) is refused with a message to reload, and a save writes only the fields the page
changed. The race of a merge against an admin save is run with threads on PostgreSQL."""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.members.admin import STALE_EDIT_MESSAGE
from apps.membership.services import member_merge
from tests.factories import EmployerFactory, MemberFactory, UserFactory


def change_url(member):
    return reverse("admin:members_member_change", args=[member.pk])


def opened_page(client, member) -> dict:
    """What the change page, as just opened, would post back unchanged."""
    form = client.get(change_url(member)).context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        if name == "photo_upload":
            continue
        value = form[name].value()
        data[name] = "" if value is None else value
    return data


def twins():
    employer = EmployerFactory()
    survivor = MemberFactory(name="陈雨桐", employer=employer, address="", job="", user=None)
    removed = MemberFactory(name="陈雨桐", employer=employer, address="稠城街道工人北路1号", job="仓库管理员",
                            user=UserFactory())
    return survivor, removed


@pytest.fixture
def superuser(db):
    return UserFactory(is_staff=True, is_superuser=True)


@pytest.mark.django_db
def test_a_page_opened_before_a_merge_is_refused_and_the_merge_is_kept(client, superuser):
    survivor, removed = twins()
    moved_login = removed.user
    client.force_login(superuser)
    stale = opened_page(client, survivor)
    member_merge(survivor=survivor, removed=removed, by=superuser)
    response = client.post(change_url(survivor), {**stale, "job": "车间主任"})
    assert response.status_code == 200
    assert str(STALE_EDIT_MESSAGE) in response.content.decode()
    survivor.refresh_from_db()
    assert (survivor.address, survivor.job, survivor.user) == ("稠城街道工人北路1号", "仓库管理员", moved_login)


@pytest.mark.django_db
def test_a_fresh_page_saves_and_only_the_changed_fields_are_written(client, superuser):
    member = MemberFactory(address="旧地址", job="质检员")
    client.force_login(superuser)
    page = opened_page(client, member)
    with CaptureQueriesContext(connection) as queries:
        response = client.post(change_url(member), {**page, "job": "车间主任"})
    assert response.status_code == 302
    updates = [q["sql"] for q in queries.captured_queries if q["sql"].startswith('UPDATE "members_member"')]
    assert len(updates) == 1
    assert '"job"' in updates[0] and '"updated_at"' in updates[0]
    for untouched in ('"address"', '"phone"', '"user_id"', '"document_number"', '"union_id"'):
        assert untouched not in updates[0]
    member.refresh_from_db()
    assert (member.job, member.address) == ("车间主任", "旧地址")


@pytest.mark.django_db
def test_a_post_without_the_version_is_refused(client, superuser):
    member = MemberFactory(job="质检员")
    client.force_login(superuser)
    page = opened_page(client, member)
    page.pop("loaded_version")
    response = client.post(change_url(member), {**page, "job": "车间主任"})
    assert str(STALE_EDIT_MESSAGE) in response.content.decode()
    member.refresh_from_db()
    assert member.job == "质检员"


@pytest.mark.django_db(transaction=True)
def test_merge_racing_an_admin_save_loses_nothing():
    """The admin's page was opened before the merge; both then run at the same moment. In
    either order the merge's login and filled-in address survive, and the admin's change is
    either saved (it went first, on the old row) or refused with the reload message."""
    superuser = UserFactory(is_staff=True, is_superuser=True)
    for _round in range(3):
        survivor, removed = twins()
        moved_login = removed.user
        client = Client()
        client.force_login(superuser)
        stale = opened_page(client, survivor)
        barrier = threading.Barrier(2)
        answers, errors = {}, []

        def admin_save(survivor=survivor, stale=stale, client=client, answers=answers, barrier=barrier, errors=errors):
            try:
                barrier.wait()
                answers["admin"] = client.post(change_url(survivor), {**stale, "job": "车间主任"})
            except Exception as exc:  # noqa: BLE001 - reported below
                errors.append(exc)
            finally:
                connection.close()

        def merge(survivor=survivor, removed=removed, barrier=barrier, errors=errors):
            try:
                barrier.wait()
                member_merge(survivor=survivor, removed=removed, by=superuser)
            except Exception as exc:  # noqa: BLE001 - reported below
                errors.append(exc)
            finally:
                connection.close()

        threads = [threading.Thread(target=admin_save), threading.Thread(target=merge)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        survivor.refresh_from_db()
        assert survivor.user == moved_login
        assert survivor.address == "稠城街道工人北路1号"
        response = answers["admin"]
        if response.status_code == 302:
            assert survivor.job == "车间主任"
        else:
            assert str(STALE_EDIT_MESSAGE) in response.content.decode()
            assert survivor.job == "仓库管理员"
