import re

import pytest
from cryptography.fernet import Fernet
from django.urls import reverse

from apps.members.services import member_card_token, member_card_verify

pytestmark = pytest.mark.django_db


def verify_page(client, token):
    return client.get(reverse("cards:verify", kwargs={"token": token})).content.decode()


def test_card_shows_number_union_and_qr(client, member):
    client.force_login(member.user)
    page = client.get(reverse("members:card")).content.decode()
    assert member.membership_number in page
    assert member.union.name in page
    assert 'src="data:image/png;base64,' in page
    assert member.masked_document in page and member.document_number not in page


def test_card_needs_sign_in(client):
    response = client.get(reverse("members:card"))
    assert response.status_code == 302 and reverse("accounts:login") in response.url


def test_staff_without_member_record_gets_404(client, staff_of):
    client.force_login(staff_of("组织部"))
    assert client.get(reverse("members:card")).status_code == 404


def test_valid_token_shows_masked_details_only(client, member):
    page = verify_page(client, member_card_token(member))
    assert "会员证有效" in page
    assert member.masked_document not in page and member.document_number not in page
    assert member.masked_name in page and member.name not in page
    assert member.phone not in page and member.membership_number in page


def test_expired_token_says_so(client, member, monkeypatch):
    from apps.members import services

    token = member_card_token(member)
    real_time = services.time.time
    monkeypatch.setattr(services.time, "time", lambda: real_time() + 400 * 86400)  # a card QR is valid 365 days
    assert member_card_verify(token).outcome == "expired"
    assert "二维码已过期" in verify_page(client, token)


def test_forged_token_says_so(client, member):
    token = member_card_token(member)
    forged = token[:-3] + ("abc" if token[-3:] != "abc" else "xyz")
    assert member_card_verify(forged).outcome == "forged"
    page = verify_page(client, forged)
    assert "可能是伪造的会员证" in page and member.union.name not in page


def test_token_made_with_another_key_is_forged(member):
    token = Fernet(Fernet.generate_key()).encrypt(f'{{"m":{member.pk},"s":1}}'.encode()).decode()
    assert member_card_verify(token).outcome == "forged"
    assert member_card_verify("").outcome == "forged"
    assert member_card_verify("\x00" * 40).outcome == "forged"


def test_reissued_card_revokes_old_qr(client, member):
    token = member_card_token(member)
    member.card_serial += 1
    member.save()
    assert member_card_verify(token).outcome == "revoked"
    assert member_card_verify(member_card_token(member)).outcome == "valid"


def test_withdrawn_member_card_is_invalid(client, member):
    token = member_card_token(member)
    member.status = member.Status.WITHDRAWN
    member.save()
    assert "会员证无效" in verify_page(client, token)


def test_card_qr_is_drawn_once_and_anew_after_a_reissue(client, member, monkeypatch):
    from apps.members import views

    drawn = []
    real = views._qr_data_uri
    monkeypatch.setattr(views, "_qr_data_uri", lambda url: drawn.append(url) or real(url))
    client.force_login(member.user)
    first = client.get(reverse("members:card")).content.decode()
    second = client.get(reverse("members:card")).content.decode()
    image = re.compile(r'src="(data:image/png;base64,[^"]+)"')
    assert len(drawn) == 1 and image.search(first).group(1) == image.search(second).group(1)
    token = drawn[0].rstrip("/").rsplit("/", 1)[-1]
    assert member_card_verify(token).outcome == "valid"
    member.card_serial += 1
    member.save()
    client.get(reverse("members:card"))
    assert len(drawn) == 2 and member_card_verify(drawn[1].rstrip("/").rsplit("/", 1)[-1]).outcome == "valid"
    assert member_card_verify(token).outcome == "revoked"
