"""The honour-roll admin: photos checked by content, who may edit, flat changelist queries."""

import pytest
from django.urls import reverse

from apps.accounts.roles import ECONOMIC, ORGANISATION, RIGHTS
from apps.awards.models import AwardKind, AwardProgramme, HonourEntry
from apps.members.tests.images import png_bomb, real_jpeg, text_named_jpg
from tests.factories import town

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:awards_honourentry_add")


@pytest.fixture
def programme(db):
    return AwardProgramme.objects.create(
        kind=AwardKind.CRAFTSMAN, year=2019, title="2019年度“义乌工匠”", is_published=True
    )


def entry_form(programme, **extra):
    return {
        "programme": programme.pk, "name": "陈工匠", "employer": "", "union": "",
        "town_street": town("fotang").pk, "deeds": "2019年度“义乌工匠”。", "is_published": "on",
        "sort_order": "1", **extra,
    }


@pytest.fixture
def economic_staff(staff_of):
    return staff_of(ECONOMIC)


def test_fake_image_is_refused_and_nothing_is_saved(client, economic_staff, programme):
    client.force_login(economic_staff)
    response = client.post(ADD_URL, entry_form(programme, photo_upload=text_named_jpg()))
    assert response.status_code == 200
    assert "文件不是有效的图片，请上传 JPEG、PNG 或 WebP 照片。" in response.content.decode()
    assert not HonourEntry.objects.exists()


def test_decompression_bomb_is_refused(client, economic_staff, programme):
    client.force_login(economic_staff)
    response = client.post(ADD_URL, entry_form(programme, photo_upload=png_bomb()))
    assert "图片像素过多，疑似异常文件，请换一张照片。" in response.content.decode()
    assert not HonourEntry.objects.exists()


def test_fake_image_on_an_existing_entry_keeps_the_old_photo(client, economic_staff, programme):
    client.force_login(economic_staff)
    client.post(ADD_URL, entry_form(programme, photo_upload=real_jpeg()))
    entry = HonourEntry.objects.get()
    old = entry.photo.name
    url = reverse("admin:awards_honourentry_change", args=[entry.pk])
    response = client.post(url, entry_form(programme, name="改了名字", photo_upload=text_named_jpg()))
    assert "文件不是有效的图片" in response.content.decode()
    entry.refresh_from_db()
    assert entry.photo.name == old and entry.name == "陈工匠"


def test_real_photo_is_reencoded_and_served_publicly(client, economic_staff, programme):
    client.force_login(economic_staff)
    response = client.post(ADD_URL, entry_form(programme, photo_upload=real_jpeg(size=(2400, 3200))))
    assert response.status_code == 302
    entry = HonourEntry.objects.get()
    assert entry.photo.name.startswith("public/honours/") and entry.photo_thumbnail
    client.logout()
    for size in ("full", "thumb"):
        photo = client.get(reverse("awards:photo", kwargs={"pk": entry.pk, "size": size}))
        assert photo.status_code == 200 and photo["Content-Type"] == "image/jpeg"
    roll = client.get(reverse("awards:roll", kwargs={"slug": "craftsmen"})).content.decode()
    assert reverse("awards:photo", kwargs={"pk": entry.pk, "size": "thumb"}) in roll


def test_photo_can_be_removed(client, economic_staff, programme):
    client.force_login(economic_staff)
    client.post(ADD_URL, entry_form(programme, photo_upload=real_jpeg()))
    entry = HonourEntry.objects.get()
    client.post(reverse("admin:awards_honourentry_change", args=[entry.pk]), entry_form(programme, photo_remove="on"))
    entry.refresh_from_db()
    assert not entry.photo and not entry.photo_thumbnail


def test_unpublished_entry_photo_only_for_staff(client, economic_staff, programme):
    client.force_login(economic_staff)
    client.post(ADD_URL, entry_form(programme, photo_upload=real_jpeg(), is_published=""))
    entry = HonourEntry.objects.get()
    url = reverse("awards:photo", kwargs={"pk": entry.pk, "size": "thumb"})
    staff_view = client.get(url)
    assert staff_view.status_code == 200 and "no-store" in staff_view["Cache-Control"]
    client.logout()
    assert client.get(url).status_code == 404


def test_entry_without_photo_has_no_photo_url(client, honour_rolls):
    entry = HonourEntry.objects.get(name="丁思诗")
    assert client.get(reverse("awards:photo", kwargs={"pk": entry.pk, "size": "full"})).status_code == 404


@pytest.mark.parametrize("group", [ECONOMIC, ORGANISATION])
def test_award_staff_may_open_the_admin(client, staff_of, honour_rolls, group):
    client.force_login(staff_of(group))
    assert client.get(reverse("admin:awards_honourentry_changelist")).status_code == 200
    programme = AwardProgramme.objects.get(kind=AwardKind.WORKER_PIONEER)
    assert client.get(reverse("admin:awards_awardprogramme_change", args=[programme.pk])).status_code == 200


def test_wrong_staff_group_and_officers_cannot_edit_rolls(client, staff_of, officer, honour_rolls, programme):
    entry = HonourEntry.objects.get(name="丁思诗")
    for user in (staff_of(RIGHTS), officer):
        client.force_login(user)
        assert client.get(reverse("admin:awards_honourentry_changelist")).status_code == 403
        assert client.get(reverse("admin:awards_honourentry_change", args=[entry.pk])).status_code == 403
        assert client.post(ADD_URL, entry_form(programme)).status_code == 403
    assert not HonourEntry.objects.filter(name="陈工匠").exists()


def test_admin_search_by_employer_and_union(admin_client, honour_rolls):
    url = reverse("admin:awards_honourentry_changelist")
    found = admin_client.get(url, {"q": "国家税务局"}).context["cl"].result_list
    assert {e.name for e in found} == {"丁思诗", "浙江省义乌市国家税务局工会"}
    filtered = admin_client.get(url, {"programme__kind": "five_star_union", "town_street__id__exact": town("fotang").pk})
    assert {e.name for e in filtered.context["cl"].result_list} == {"义乌市佛堂镇小学工会", "义乌市佛堂镇第二小学工会"}


def test_admin_changelist_query_count_is_flat(admin_client, make_entries, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("admin:awards_honourentry_changelist")
    make_entries(10)
    admin_client.get(url)
    with CaptureQueriesContext(connection) as small:
        assert admin_client.get(url).status_code == 200
    make_entries(190)
    with django_assert_num_queries(len(small.captured_queries)):
        assert admin_client.get(url).status_code == 200


def test_programme_admin_with_entries_query_count_is_flat(admin_client, make_entries, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    programme = make_entries(10)
    url = reverse("admin:awards_awardprogramme_change", args=[programme.pk])
    admin_client.get(url)
    with CaptureQueriesContext(connection) as small:
        assert admin_client.get(url).status_code == 200
    make_entries(190)
    with django_assert_num_queries(len(small.captured_queries)):
        assert admin_client.get(url).status_code == 200


def test_programme_closing_before_opening_is_refused_with_a_message(admin_client):
    response = admin_client.post(reverse("admin:awards_awardprogramme_add"), {
        "kind": "craftsman", "year": "2020", "title": "2020年度“义乌工匠”", "description": "",
        "opens_on": "2020-05-01", "closes_on": "2020-04-01", "quota": "10",
        "entries-TOTAL_FORMS": "0", "entries-INITIAL_FORMS": "0",
    })
    assert "推荐截止日期不能早于开始日期。" in response.content.decode()
    assert not AwardProgramme.objects.exists()
