"""The card's public side (issue 17.6, 17.10, 17.11): no ID digits, an opaque QR token, a card
that is not valid shows nothing of the member, and a photo is 404 to anyone not allowed."""

import base64
import re

import pytest
from django.urls import reverse

from apps.members.services import member_card_reissue, member_card_token, member_photo_set
from apps.members.tests.images import real_jpeg
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def _verify(client, token):
    return client.get(reverse("cards:verify", kwargs={"token": token}))


def test_verification_page_shows_no_id_digits(client, member):
    member = MemberFactory(document_number="330782199001010021", user=None)
    page = _verify(client, member_card_token(member)).content.decode()
    assert "会员证有效" in page
    assert "3307" not in page and "0021" not in page
    assert not re.search(r"\d\*{4,}", page) and "证件号码" not in page
    assert member.masked_name in page and member.union.name in page
    assert member.membership_number in page


def test_verification_page_shows_the_photo_of_a_valid_card(client, member):
    member_photo_set(member=member, upload=real_jpeg())
    token = member_card_token(member)
    page = _verify(client, token).content.decode()
    photo_url = reverse("cards:photo", kwargs={"token": token})
    assert photo_url in page
    response = client.get(photo_url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"


def test_photo_of_a_revoked_card_is_not_served(client, member):
    member_photo_set(member=member, upload=real_jpeg())
    token = member_card_token(member)
    member_card_reissue(members=type(member).objects.filter(pk=member.pk), by=None)
    assert client.get(reverse("cards:photo", kwargs={"token": token})).status_code == 404
    assert client.get(reverse("cards:photo", kwargs={"token": "nonsense"})).status_code == 404


def test_token_does_not_show_the_member_id(member):
    token = member_card_token(member)
    padded = token + "=" * (-len(token) % 4)
    for text in (token, base64.urlsafe_b64decode(padded.split(":")[0].encode()).decode("latin-1")):
        assert f'"m":{member.pk}' not in text.replace(" ", "")
        assert "card_serial" not in text
    # Two tokens for the same card differ: nothing stable to read off.
    assert member_card_token(member) != token


def test_revoked_card_says_not_valid_and_shows_nothing_of_the_member(client, member):
    token = member_card_token(member)
    member_card_reissue(members=type(member).objects.filter(pk=member.pk), by=None)
    page = _verify(client, token).content.decode()
    assert "会员证无效" in page or "已作废" in page
    assert member.masked_name not in page and member.union.name not in page
    assert member.membership_number not in page


def test_inactive_card_says_not_valid_and_shows_nothing_of_the_member(client, member):
    token = member_card_token(member)
    member.status = member.Status.WITHDRAWN
    member.save()
    page = _verify(client, token).content.decode()
    assert "会员证无效" in page
    assert member.masked_name not in page and member.union.name not in page


class TestPhotoAlways404:
    def _url(self, member):
        return reverse("members:photo", kwargs={"pk": member.pk, "size": "thumb"})

    def test_another_members_photo_is_404(self, client, member, other_member):
        member_photo_set(member=member, upload=real_jpeg())
        client.force_login(other_member.user)
        assert client.get(self._url(member)).status_code == 404

    def test_missing_photo_and_missing_member_are_404(self, client, member, other_member):
        client.force_login(other_member.user)
        assert client.get(self._url(member)).status_code == 404
        assert client.get(reverse("members:photo", kwargs={"pk": 99999999, "size": "thumb"})).status_code == 404

    def test_wrong_staff_group_gets_404(self, client, member, staff_of):
        member_photo_set(member=member, upload=real_jpeg())
        client.force_login(staff_of("经济技术部"))
        assert client.get(self._url(member)).status_code == 404

    def test_owner_still_gets_their_photo(self, client, member):
        member_photo_set(member=member, upload=real_jpeg())
        client.force_login(member.user)
        assert client.get(self._url(member)).status_code == 200


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_scanned_card_on_a_phone_shows_photo_and_masked_card(live_server, page):
    from playwright.sync_api import expect

    member = MemberFactory(name="朱俊芳", user=None)
    member_photo_set(member=member, upload=real_jpeg(size=(600, 800)))
    page.goto(f"{live_server.url}{reverse('cards:verify', kwargs={'token': member_card_token(member)})}")
    expect(page.locator("#verify-result")).to_contain_text("会员证有效")
    expect(page.locator("img.member-photo")).to_be_visible()
    assert page.evaluate("document.querySelector('img.member-photo').naturalWidth") > 0
    body = page.content()
    assert member.membership_number in body and "证件号码" not in body and member.document_number[-4:] not in body
    page.screenshot(path="/tmp/card-verify.png", full_page=True)
