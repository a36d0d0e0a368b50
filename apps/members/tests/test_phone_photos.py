"""Real phone photos (10-20 MB, 48 megapixels) are accepted on the signed-in photo form and as
rights attachments, downscaled and re-encoded on the server; the limit is shown on the form;
bombs are still refused."""

import io
import os
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from apps.core.uploads import PHOTO_MAX_SIDE, document_clean

from .images import png_bomb


@pytest.fixture(scope="module")
def phone_photo() -> bytes:
    """A 48-megapixel (8000 x 6000) JPEG of about 16 MB, as a phone's main camera writes it."""
    grain = Image.frombytes("RGB", (2000, 1500), os.urandom(2000 * 1500 * 3))
    out = io.BytesIO()
    grain.resize((8000, 6000), Image.NEAREST).save(out, format="JPEG", quality=60)
    return out.getvalue()


def as_upload(data: bytes, name="IMG_20261201_093012.jpg"):
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


def test_the_sample_is_a_real_phone_sized_photo(phone_photo):
    assert 10 * 1024 * 1024 < len(phone_photo) < 20 * 1024 * 1024
    assert Image.open(io.BytesIO(phone_photo)).size == (8000, 6000)


@pytest.mark.django_db
def test_member_uploads_a_48_megapixel_photo_and_it_is_downscaled(client, member, phone_photo):
    client.force_login(member.user)
    page = client.get(reverse("members:photo_upload")).content.decode()
    assert "不超过 20 MB" in page
    response = client.post(reverse("members:photo_upload"), {"photo": as_upload(phone_photo)})
    assert response.status_code == 302
    member.refresh_from_db()
    stored = Image.open(member.photo.open("rb"))
    assert stored.format == "JPEG" and max(stored.size) == PHOTO_MAX_SIDE
    assert member.photo.size < 2 * 1024 * 1024


def test_a_phone_photo_as_a_rights_attachment_is_downscaled_quickly(phone_photo):
    started = time.monotonic()
    document = document_clean(as_upload(phone_photo))
    elapsed = time.monotonic() - started
    image = Image.open(io.BytesIO(document.content.read()))
    assert document.kind == "image" and max(image.size) == 2400
    assert elapsed < 15, elapsed  # reduced while decoding (JPEG draft): about 1 s on a quiet machine


@pytest.mark.django_db
def test_a_bomb_is_still_refused_on_the_photo_form(client, member):
    client.force_login(member.user)
    response = client.post(reverse("members:photo_upload"), {"photo": png_bomb()})
    assert "图片像素过多" in response.content.decode()
    member.refresh_from_db()
    assert not member.photo
