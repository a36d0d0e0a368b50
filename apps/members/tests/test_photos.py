import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from PIL import Image

from apps.core.uploads import document_clean, photo_clean

from .images import png_bomb, real_jpeg, text_named_jpg

pytestmark = pytest.mark.django_db


def test_real_photo_is_reencoded_with_thumbnail():
    clean = photo_clean(real_jpeg(size=(2400, 3200)))
    assert max(clean.width, clean.height) == 1600
    assert Image.open(clean.thumbnail).size[1] == 320


def test_text_file_named_jpg_is_refused():
    with pytest.raises(ValidationError) as info:
        photo_clean(text_named_jpg())
    assert info.value.messages == ["文件不是有效的图片，请上传 JPEG、PNG 或 WebP 照片。"]


def test_decompression_bomb_is_refused():
    with pytest.raises(ValidationError) as info:
        photo_clean(png_bomb())
    assert info.value.messages == ["图片像素过多，疑似异常文件，请换一张照片。"]


def test_oversize_file_is_refused(settings):
    settings.PHOTO_MAX_BYTES = 1024
    with pytest.raises(ValidationError) as info:
        photo_clean(real_jpeg(size=(800, 800)))
    assert info.value.code == "too_large"


def test_gif_is_refused():
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile

    out = io.BytesIO()
    Image.new("RGB", (20, 20)).save(out, format="GIF")
    with pytest.raises(ValidationError) as info:
        photo_clean(SimpleUploadedFile("a.gif", out.getvalue()))
    assert info.value.code == "bad_format"


def test_executable_named_pdf_is_refused():
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("合同.pdf", b"MZ\x90\x00" + b"\x00" * 500, content_type="application/pdf")
    with pytest.raises(ValidationError) as info:
        document_clean(fake)
    assert info.value.code == "bad_type"


class TestMemberPhotoUpload:
    url = reverse("members:photo_upload")

    def test_text_file_named_jpg_changes_nothing(self, client, member):
        client.force_login(member.user)
        response = client.post(self.url, {"photo": text_named_jpg()})
        assert response.status_code == 200
        assert "文件不是有效的图片，请上传 JPEG、PNG 或 WebP 照片。" in response.content.decode()
        member.refresh_from_db()
        assert not member.photo

    def test_bomb_changes_nothing(self, client, member):
        client.force_login(member.user)
        response = client.post(self.url, {"photo": png_bomb()})
        assert response.status_code == 200
        assert "图片像素过多，疑似异常文件，请换一张照片。" in response.content.decode()
        member.refresh_from_db()
        assert not member.photo

    def test_real_photo_is_stored_and_served_to_its_owner_only(self, client, member, other_member, officer, other_officer, staff_of):
        client.force_login(member.user)
        assert client.post(self.url, {"photo": real_jpeg()}).status_code == 302
        member.refresh_from_db()
        assert member.photo.name.endswith(".jpg") and member.photo_thumbnail
        url = reverse("members:photo", kwargs={"pk": member.pk, "size": "thumb"})
        assert client.get(url).status_code == 200

        client.force_login(other_member.user)
        assert client.get(url).status_code == 404
        client.force_login(other_officer)
        assert client.get(url).status_code == 404
        client.force_login(staff_of("经济技术部"))
        assert client.get(url).status_code == 404
        client.force_login(officer)
        assert client.get(url).status_code == 200
        client.force_login(staff_of("组织部"))
        assert client.get(url).status_code == 200
