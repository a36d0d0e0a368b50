"""The member admin: officer scoping, masking, search, filters, query counts, photo, card action."""

import io
import struct
import zlib

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from apps.members.models import Member
from apps.members.services import member_card_token, member_card_verify
from tests.factories import (
    EmployerFactory,
    MemberFactory,
    OfficerFactory,
    UserFactory,
    resident_id,
)

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:members_member_changelist"


def login(client, user):
    """force_login with the user as stored: the factories set a password they do not save,
    and a session made from the unsaved hash would be refused on the next request."""
    client.force_login(type(user).objects.get(pk=user.pk))


def change_url(member):
    return reverse("admin:members_member_change", args=[member.pk])


@pytest.fixture
def superuser(db):
    return UserFactory(is_staff=True, is_superuser=True)


@pytest.fixture
def org_staff(staff_of):
    return staff_of("组织部")  # has members.view_full_document


@pytest.fixture
def economic_staff(staff_of):
    return staff_of("经济技术部")  # no member permissions at all


@pytest.fixture
def viewer(db):
    """Staff who may look members up but not see whole ID numbers or change anything."""
    user = UserFactory(is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_member", content_type__app_label="members"))
    return user


def listed_pks(response):
    return {m.pk for m in response.context["cl"].result_list}


def member_form_data(member, **overrides):
    """The change form as an officer (masked identity fields) posts it."""
    data = {
        "name": member.name, "gender": member.gender, "birth_date": "",
        "union": member.union_id, "employer": member.employer_id or "", "town_street": member.town_street_id,
        "job": member.job, "address": member.address, "joined_on": member.joined_on.isoformat(),
        "status": member.status,
        # the version the page was opened with (the record as it is now)
        "loaded_version": Member.objects.get(pk=member.pk).updated_at.isoformat(),
    }
    data.update(overrides)
    return data


def png_bomb(width=30000, height=30000) -> bytes:
    """A tiny PNG whose header claims an enormous picture."""
    def chunk(kind, payload):
        return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b"")


def jpeg_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (300, 400), (200, 30, 30)).save(out, format="JPEG")
    return out.getvalue()


# ---- officer scoping ----------------------------------------------------------------------

def test_officer_changelist_lists_only_own_union(client, officer, member, other_member):
    login(client, officer)
    response = client.get(reverse(CHANGELIST))
    assert response.status_code == 200
    assert listed_pks(response) == {member.pk}
    assert other_member.name not in response.content.decode()


@pytest.mark.parametrize("view", ["change", "history", "delete"])
def test_officer_object_views_of_another_union_are_404(client, officer, other_member, view):
    login(client, officer)
    url = reverse(f"admin:members_member_{view}", args=[other_member.pk])
    assert client.get(url).status_code == 404


def test_officer_historical_version_of_another_union_is_404(client, officer, other_member):
    other_member.job = "质检员"
    other_member.save()
    version = other_member.history.first()
    login(client, officer)
    url = reverse("admin:members_member_simple_history", args=[other_member.pk, version.history_id])
    assert client.get(url).status_code == 404


def test_officer_post_to_another_unions_member_changes_nothing(client, officer, member, other_member):
    login(client, officer)
    response = client.post(change_url(other_member), member_form_data(other_member, name="篡改", union=member.union_id))
    assert response.status_code == 404
    other_member.refresh_from_db()
    assert other_member.name == "李建国"
    assert other_member.union_id != member.union_id


def test_officer_cannot_move_member_to_another_union(client, officer, member, other_member):
    login(client, officer)
    response = client.post(change_url(member), member_form_data(member, union=other_member.union_id, employer=""))
    assert response.status_code == 200  # form redisplayed with the error
    assert "union" in response.context["adminform"].form.errors
    member.refresh_from_db()
    assert member.union_id != other_member.union_id


def test_officer_union_field_offers_only_own_union(client, officer, member, other_member):
    login(client, officer)
    response = client.get(reverse("admin:members_member_add"))
    union_field = response.context["adminform"].form.fields["union"]
    assert list(union_field.queryset) == [member.union]


def test_officer_can_edit_own_member_and_history_records_who(client, officer, member):
    login(client, officer)
    response = client.post(change_url(member), member_form_data(member, job="车间主任"))
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    member.refresh_from_db()
    assert member.job == "车间主任"
    latest = member.history.first()
    assert latest.history_user == officer and latest.prev_record.job != "车间主任"
    history = client.get(reverse("admin:members_member_history", args=[member.pk]))
    assert history.status_code == 200


def test_officer_export_contains_only_own_union(client, officer, member, other_member):
    login(client, officer)
    response = client.post(reverse("admin:members_member_export"), {"format": "0", "resource": "0", **{
        f"memberresource_{f}": "on" for f in ["name", "document_number", "union"]
    }})
    assert response.status_code == 200
    book = __import__("openpyxl").load_workbook(io.BytesIO(response.content))
    names = [row[0].value for row in book.active.iter_rows(min_row=2)]
    assert names == [member.name]


def test_staff_without_member_permissions_gets_403(client, db):
    nobody = UserFactory(is_staff=True)
    login(client, nobody)
    assert client.get(reverse(CHANGELIST)).status_code == 403


def test_wrong_staff_group_gets_403_on_member_views(client, economic_staff, member):
    login(client, economic_staff)
    assert client.get(reverse(CHANGELIST)).status_code == 403
    assert client.get(change_url(member)).status_code == 403
    assert client.get(reverse("admin:members_member_history", args=[member.pk])).status_code == 403
    assert client.get(reverse("admin:members_member_export")).status_code == 403
    assert client.get(reverse("admin:members_member_import")).status_code == 403


def test_view_only_staff_cannot_change_a_member(client, viewer, member):
    login(client, viewer)
    assert client.get(reverse(CHANGELIST)).status_code == 200
    response = client.post(change_url(member), {**member_form_data(member), "name": "篡改",
                                                "document_type": "id_card", "document_number": member.document_number,
                                                "phone": member.phone})
    assert response.status_code == 403
    member.refresh_from_db()
    assert member.name == "张晓红"


def test_member_login_cannot_open_admin(client, member):
    client.force_login(member.user)
    response = client.get(reverse(CHANGELIST))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


# ---- masking ------------------------------------------------------------------------------

def test_changelist_masks_identity_without_full_document_permission(client, viewer, member):
    login(client, viewer)
    body = client.get(reverse(CHANGELIST)).content.decode()
    assert member.document_number not in body and member.phone not in body
    assert member.masked_document in body and member.masked_phone in body


def test_changelist_shows_full_identity_with_permission(client, org_staff, member):
    login(client, org_staff)
    body = client.get(reverse(CHANGELIST)).content.decode()
    assert member.document_number in body and member.phone in body


def test_change_form_and_history_mask_identity_for_officer(client, officer, member):
    member.phone = "13912345678"
    member.save()
    login(client, officer)
    body = client.get(change_url(member)).content.decode()
    assert member.document_number not in body and "13912345678" not in body
    assert member.masked_document in body
    history = client.get(reverse("admin:members_member_history", args=[member.pk])).content.decode()
    assert "13912345678" not in history and member.document_number not in history


def test_granting_full_document_permission_unmasks(client, viewer, member):
    viewer.user_permissions.add(Permission.objects.get(codename="view_full_document"))
    login(client, viewer)
    assert member.document_number in client.get(reverse(CHANGELIST)).content.decode()


# ---- search and filters -------------------------------------------------------------------

@pytest.fixture
def x_member(db):
    number = next(resident_id(n) for n in range(900, 2000) if resident_id(n).endswith("X"))
    return MemberFactory(name="赵一鸣", document_number=number, phone="13700001111", membership_number="YW2020000777")


@pytest.mark.parametrize("query", ["{lower}", " {spaced} ", "13700001111", "137 0000 1111", "yw2020000777", "赵一"])
def test_search_finds_member(client, superuser, x_member, member, query):
    number = x_member.document_number
    query = query.format(lower=number.lower(), spaced=f"{number[:6]} {number[6:14]} {number[14:].lower()}")
    login(client, superuser)
    response = client.get(reverse(CHANGELIST), {"q": query})
    assert listed_pks(response) == {x_member.pk}


def test_search_by_partial_id_number_finds_nothing(client, superuser, x_member):
    login(client, superuser)
    response = client.get(reverse(CHANGELIST), {"q": x_member.document_number[:10]})
    assert listed_pks(response) == set()


def test_officer_search_cannot_reach_another_union(client, officer, other_member):
    login(client, officer)
    response = client.get(reverse(CHANGELIST), {"q": other_member.document_number})
    assert listed_pks(response) == set()


def test_union_filter_by_id_and_by_name(client, superuser, member, other_member):
    login(client, superuser)
    by_id = client.get(reverse(CHANGELIST), {"union": str(member.union_id)})
    assert listed_pks(by_id) == {member.pk}
    by_name = client.get(reverse(CHANGELIST), {"union": other_member.union.name[-8:]})
    assert listed_pks(by_name) == {other_member.pk}


def test_union_filter_offers_officer_only_own_unions(client, officer, member, other_member):
    login(client, officer)
    body = client.get(reverse(CHANGELIST)).content.decode()
    assert member.union.name in body
    assert other_member.union.name not in body


def test_status_and_town_filters(client, superuser, member, other_member):
    other_member.status = Member.Status.WITHDRAWN
    other_member.save()
    login(client, superuser)
    response = client.get(reverse(CHANGELIST), {"status__exact": "withdrawn"})
    assert listed_pks(response) == {other_member.pk}
    response = client.get(reverse(CHANGELIST), {"town_street__id__exact": str(member.town_street_id)})
    assert member.pk in listed_pks(response)


# ---- query counts -------------------------------------------------------------------------

def _changelist_queries(client, url) -> int:
    client.get(url)  # warm caches (content types, permissions of the session's user)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("who", ["superuser", "officer"])
def test_changelist_query_count_is_flat(client, django_assert_num_queries, who):
    union_employer = EmployerFactory()
    user = UserFactory(is_staff=True, is_superuser=True) if who == "superuser" else OfficerFactory(
        union=union_employer.union).user
    MemberFactory.create_batch(10, employer=union_employer)
    MemberFactory.create_batch(3)  # other unions
    login(client, user)
    url = reverse(CHANGELIST)
    small = _changelist_queries(client, url)
    MemberFactory.create_batch(190, employer=union_employer)
    with django_assert_num_queries(small):
        response = client.get(url)
    assert len(response.context["cl"].result_list) == response.context["cl"].list_per_page == 25


# ---- add, photo, card ---------------------------------------------------------------------

def test_member_added_in_admin_gets_membership_number(client, superuser, member):
    login(client, superuser)
    response = client.post(reverse("admin:members_member_add"), {
        "name": "孙丽萍", "gender": "F", "document_type": "id_card",
        "document_number": resident_id(777).lower(), "phone": "13600007777", "birth_date": "",
        "union": member.union_id, "employer": "", "town_street": member.town_street_id,
        "job": "会计", "address": "", "joined_on": "", "status": "active",
    })
    assert response.status_code == 302, response.context["adminform"].form.errors
    created = Member.objects.get(phone="13600007777")
    assert created.membership_number.startswith("YW") and created.joined_on is not None
    assert created.document_number == resident_id(777).upper()
    assert created.history.first().history_user == superuser


def test_add_with_bad_id_number_is_refused_in_chinese(client, superuser, member):
    login(client, superuser)
    bad = resident_id(5)[:-1] + ("0" if resident_id(5)[-1] != "0" else "1")
    response = client.post(reverse("admin:members_member_add"), {
        "name": "错号", "gender": "M", "document_type": "id_card", "document_number": bad, "phone": "",
        "union": member.union_id, "town_street": member.town_street_id, "status": "active",
    })
    assert response.status_code == 200
    assert "校验位不正确" in response.content.decode()
    assert not Member.objects.filter(name="错号").exists()


@pytest.mark.parametrize("payload,message", [
    (b"this is not a picture at all", "文件不是有效的图片"),
    (png_bomb(), "图片像素过多"),
])
def test_photo_upload_refuses_fake_and_bomb_files(client, officer, member, payload, message):
    login(client, officer)
    upload = SimpleUploadedFile("photo.jpg", payload, content_type="image/jpeg")
    response = client.post(change_url(member), {**member_form_data(member), "photo_upload": upload})
    assert response.status_code == 200
    assert message in response.content.decode()
    member.refresh_from_db()
    assert not member.photo


def test_photo_upload_stores_photo_and_shows_thumbnail(client, officer, member):
    login(client, officer)
    upload = SimpleUploadedFile("me.jpg", jpeg_bytes(), content_type="image/jpeg")
    response = client.post(change_url(member), {**member_form_data(member), "photo_upload": upload})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.photo and member.photo_thumbnail
    thumb_url = reverse("members:photo", kwargs={"pk": member.pk, "size": "thumb"})
    assert thumb_url in client.get(change_url(member)).content.decode()
    assert client.get(thumb_url).status_code == 200


def test_reissue_card_action_revokes_old_qr(client, officer, member):
    old_token = member_card_token(member)
    login(client, officer)
    response = client.post(reverse(CHANGELIST), {"action": "reissue_card", "_selected_action": [member.pk]})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.card_serial == 2
    assert member_card_verify(old_token).outcome == "revoked"
    assert member_card_verify(member_card_token(member)).outcome == "valid"
    assert member.history.first().history_user == officer


def test_reissue_card_action_ignores_other_unions_members(client, officer, member, other_member):
    login(client, officer)
    client.post(reverse(CHANGELIST), {"action": "reissue_card", "_selected_action": [member.pk, other_member.pk]})
    other_member.refresh_from_db()
    assert other_member.card_serial == 1


def test_view_only_staff_has_no_reissue_action(client, viewer, member):
    login(client, viewer)
    client.post(reverse(CHANGELIST), {"action": "reissue_card", "_selected_action": [member.pk]})
    member.refresh_from_db()
    assert member.card_serial == 1
