"""Checks of uploaded files by their content, never by their name.

`photo_clean()` re-encodes a photo so that what is stored was produced by Pillow;
`document_clean()` accepts images and PDFs and refuses anything else, executables included.
"""

import io
import uuid
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

PHOTO_FORMATS = {"JPEG", "PNG", "WEBP"}
PHOTO_MAX_SIDE = 1600
THUMB_SIDE = 320

_MAGIC = [
    (b"%PDF-", "pdf"),
    (b"\xff\xd8\xff", "image"),
    (b"\x89PNG\r\n\x1a\n", "image"),
]


@dataclass
class CleanPhoto:
    image: ContentFile
    thumbnail: ContentFile
    width: int
    height: int


def _open_image(upload, max_bytes: int) -> Image.Image:
    if upload.size is not None and upload.size > max_bytes:
        raise ValidationError(
            _("文件过大：不能超过 %(mb)d MB。") % {"mb": max_bytes // (1024 * 1024)}, code="too_large"
        )
    upload.seek(0)
    data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ValidationError(
            _("文件过大：不能超过 %(mb)d MB。") % {"mb": max_bytes // (1024 * 1024)}, code="too_large"
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.format not in PHOTO_FORMATS:
                raise ValidationError(_("只接受 JPEG、PNG 或 WebP 格式的照片。"), code="bad_format")
            width, height = image.size
            if width * height > settings.PHOTO_MAX_PIXELS:
                raise ValidationError(_("图片像素过多，疑似异常文件，请换一张照片。"), code="too_many_pixels")
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(_("图片像素过多，疑似异常文件，请换一张照片。"), code="too_many_pixels")
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationError(_("文件不是有效的图片，请上传 JPEG、PNG 或 WebP 照片。"), code="not_image")
    return image


def _encode_jpeg(image: Image.Image, side: int) -> tuple[bytes, int, int]:
    copy = image.copy()
    copy.thumbnail((side, side))
    out = io.BytesIO()
    copy.save(out, format="JPEG", quality=85, optimize=True)
    return out.getvalue(), copy.width, copy.height


def photo_clean(upload, max_bytes: int | None = None) -> CleanPhoto:
    """Validate an uploaded photo and return it re-encoded as JPEG with a thumbnail.

    Raises ValidationError with a Chinese message for a fake, oversize or decompression-bomb file.
    """
    image = _open_image(upload, max_bytes or settings.PHOTO_MAX_BYTES)
    image = ImageOps.exif_transpose(image).convert("RGB")
    stem = uuid.uuid4().hex
    data, width, height = _encode_jpeg(image, PHOTO_MAX_SIDE)
    thumb, _w, _h = _encode_jpeg(image, THUMB_SIDE)
    return CleanPhoto(
        image=ContentFile(data, name=f"{stem}.jpg"),
        thumbnail=ContentFile(thumb, name=f"{stem}_thumb.jpg"),
        width=width,
        height=height,
    )


@dataclass
class CleanDocument:
    content: ContentFile
    kind: str  # "pdf" or "image"
    content_type: str
    original_name: str


def document_clean(upload, max_bytes: int | None = None) -> CleanDocument:
    """Accept a PDF or an image (JPEG, PNG, WebP), judged by content; refuse anything else.

    Images are re-encoded; PDFs are kept as sent once their header and trailer look right.
    """
    max_bytes = max_bytes or settings.DOCUMENT_MAX_BYTES
    if upload.size is not None and upload.size > max_bytes:
        raise ValidationError(
            _("文件过大：不能超过 %(mb)d MB。") % {"mb": max_bytes // (1024 * 1024)}, code="too_large"
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    original = (getattr(upload, "name", "") or "file")[-100:]
    is_webp = head[:4] == b"RIFF" and head[8:12] == b"WEBP"
    kind = "image" if is_webp else next((k for magic, k in _MAGIC if head.startswith(magic)), None)
    if kind == "image":
        image = _open_image(upload, max_bytes)
        image = ImageOps.exif_transpose(image).convert("RGB")
        data, _w, _h = _encode_jpeg(image, 2400)
        return CleanDocument(
            ContentFile(data, name=f"{uuid.uuid4().hex}.jpg"), "image", "image/jpeg", original
        )
    if kind == "pdf":
        data = upload.read(max_bytes + 1)
        if len(data) > max_bytes:
            raise ValidationError(_("文件过大：不能超过 %(mb)d MB。") % {"mb": max_bytes // (1024 * 1024)}, code="too_large")
        if b"%%EOF" not in data[-2048:]:
            raise ValidationError(_("PDF 文件不完整或已损坏。"), code="bad_pdf")
        return CleanDocument(
            ContentFile(data, name=f"{uuid.uuid4().hex}.pdf"), "pdf", "application/pdf", original
        )
    raise ValidationError(_("只接受图片（JPEG、PNG、WebP）或 PDF 文件。"), code="bad_type")
