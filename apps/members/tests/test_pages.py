"""Masking and access on every member page of the portal."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

MEMBER_PAGES = ["members:home", "members:card", "members:phone_change", "members:photo_upload", "members:notifications"]


@pytest.mark.parametrize("name", MEMBER_PAGES)
def test_member_pages_show_masked_document_and_phone_only(client, member, name):
    client.force_login(member.user)
    page = client.get(reverse(name)).content.decode()
    assert member.document_number not in page
    assert member.phone not in page


@pytest.mark.parametrize("name", MEMBER_PAGES)
def test_member_pages_show_only_the_signed_in_member(client, member, other_member, name):
    client.force_login(other_member.user)
    page = client.get(reverse(name)).content.decode()
    assert member.name not in page and member.masked_document not in page


@pytest.mark.parametrize("name", MEMBER_PAGES)
def test_member_pages_need_a_member(client, name, officer):
    assert client.get(reverse(name)).status_code == 302
    client.force_login(officer)
    assert client.get(reverse(name)).status_code == 404


def test_home_page_lists_inbox(client, member):
    from apps.notify.models import Notification

    Notification.objects.create(member=member, title="入会申请已通过", body="会员号 YW2026000001")
    client.force_login(member.user)
    page = client.get(reverse("members:home")).content.decode()
    assert "入会申请已通过" in page


def test_notifications_query_count_is_flat(client, member, django_assert_num_queries):
    from apps.notify.models import Notification

    client.force_login(member.user)
    Notification.objects.bulk_create([Notification(member=member, title=f"通知{i}") for i in range(10)])
    client.get(reverse("members:notifications"))
    with django_assert_num_queries(5) as ctx10:
        client.get(reverse("members:notifications"))
    Notification.objects.bulk_create([Notification(member=member, title=f"通知{i}") for i in range(190)])
    with django_assert_num_queries(len(ctx10.captured_queries)):
        client.get(reverse("members:notifications"))


def test_home_counts_every_unread_message_in_the_same_query_as_the_five_latest(client, member,
                                                                                 django_assert_num_queries):
    from django.utils import timezone

    from apps.notify.models import Notification

    client.force_login(member.user)
    page = client.get(reverse("members:home")).content.decode()
    assert "暂无消息" in page and "text-bg-danger" not in page
    Notification.objects.bulk_create([Notification(member=member, title=f"旧通知{i}", read_at=timezone.now())
                                      for i in range(3)])
    Notification.objects.bulk_create([Notification(member=member, title=f"新通知{i}") for i in range(4)])
    with django_assert_num_queries(4) as few:  # session, login, member, messages with the count
        page = client.get(reverse("members:home")).content.decode()
    assert 'text-bg-danger">4<' in page and page.count("新通知") == 4 and page.count("旧通知") == 1
    Notification.objects.bulk_create([Notification(member=member, title=f"再通知{i}") for i in range(30)])
    with django_assert_num_queries(len(few.captured_queries)):
        page = client.get(reverse("members:home")).content.decode()
    assert 'text-bg-danger">34<' in page and page.count("再通知") == 5
