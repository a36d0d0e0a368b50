"""Checks of uploaded files by their content, never by their name.

Two stages, so that nobody can make the server decode pictures before proving who they are:

- `document_check()` / `documents_check()`: cheap, run on every upload (size, magic bytes, the
  image header's dimensions, the PDF trailer; no pixel is decoded). `documents_check()` also
  bounds the pixels of one request (`UPLOAD_MAX_PIXELS_PER_REQUEST`).
- `photo_clean()` / `document_clean()`: decode, downscale and re-encode, so that what is stored
  was produced by Pillow. Call them only after the sign-in or phone-code check.

`PendingUploads` keeps checked files server-side while a form is shown again (a code step, a
typo elsewhere), so a file a person chose is never dropped silently.
"""

import contextlib
import datetime
import io
import os
import uuid
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

PHOTO_FORMATS = {"JPEG", "PNG", "WEBP"}
PHOTO_MAX_SIDE = 1600
DOCUMENT_IMAGE_SIDE = 2400
THUMB_SIDE = 320

_MAGIC = [
    (b"%PDF-", "pdf"),
    (b"\xff\xd8\xff", "image"),
    (b"\x89PNG\r\n\x1a\n", "image"),
]


def _mb(max_bytes: int) -> int:
    return max_bytes // (1024 * 1024)


def _too_large(max_bytes: int) -> ValidationError:
    return ValidationError(_("文件过大：不能超过 %(mb)d MB。") % {"mb": _mb(max_bytes)}, code="too_large")


def _too_many_pixels() -> ValidationError:
    return ValidationError(_("图片像素过多，疑似异常文件，请换一张照片。"), code="too_many_pixels")


@dataclass
class CleanPhoto:
    image: ContentFile
    thumbnail: ContentFile
    width: int
    height: int


@dataclass
class CheckedUpload:
    """A file whose header has been checked; nothing has been decoded yet."""

    upload: object
    kind: str  # "pdf" or "image"
    pixels: int
    original_name: str


def _read_limited(upload, max_bytes: int) -> bytes:
    if upload.size is not None and upload.size > max_bytes:
        raise _too_large(max_bytes)
    upload.seek(0)
    data = upload.read(max_bytes + 1)
    upload.seek(0)
    if len(data) > max_bytes:
        raise _too_large(max_bytes)
    return data


def _image_header(data: bytes) -> Image.Image:
    """Open an image lazily (header only) and check its format and pixel count."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_many_pixels()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationError(_("文件不是有效的图片，请上传 JPEG、PNG 或 WebP 照片。"), code="not_image")
    if image.format not in PHOTO_FORMATS:
        raise ValidationError(_("只接受 JPEG、PNG 或 WebP 格式的照片。"), code="bad_format")
    width, height = image.size
    if width * height > settings.PHOTO_MAX_PIXELS:
        raise _too_many_pixels()
    return image


def _open_image(upload, max_bytes: int, side: int) -> Image.Image:
    """Decode an image, reduced while decoding where the format allows it (JPEG: 1/2 to 1/8),
    so a 50-megapixel phone photo costs a fraction of its full size in memory and time."""
    image = _image_header(_read_limited(upload, max_bytes))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            if image.format == "JPEG":
                image.draft("RGB", (side, side))
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_many_pixels()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationError(_("文件不是有效的图片，请上传 JPEG、PNG 或 WebP 照片。"), code="not_image")
    return image


def _encode_jpeg(image: Image.Image, side: int) -> tuple[bytes, int, int]:
    copy = image.copy()
    copy.thumbnail((side, side))
    out = io.BytesIO()
    copy.save(out, format="JPEG", quality=85, optimize=True)
    return out.getvalue(), copy.width, copy.height


def photo_check(upload, max_bytes: int | None = None) -> CheckedUpload:
    """The cheap check of a photo: size, format and pixel count from its header."""
    image = _image_header(_read_limited(upload, max_bytes or settings.PHOTO_MAX_BYTES))
    width, height = image.size
    return CheckedUpload(upload, "image", width * height, (getattr(upload, "name", "") or "photo")[-100:])


def photo_clean(upload, max_bytes: int | None = None) -> CleanPhoto:
    """Validate an uploaded photo and return it downscaled and re-encoded as JPEG with a thumbnail.

    Raises ValidationError with a Chinese message for a fake, oversize or decompression-bomb file.
    Decodes the picture: call it only after the sign-in or code check.
    """
    image = _open_image(upload, max_bytes or settings.PHOTO_MAX_BYTES, PHOTO_MAX_SIDE)
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


def _kind(upload) -> str | None:
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image"
    return next((k for magic, k in _MAGIC if head.startswith(magic)), None)


def document_check(upload, max_bytes: int | None = None) -> CheckedUpload:
    """The cheap check of an image or PDF by content (no pixel decoded). Raises ValidationError."""
    max_bytes = max_bytes or settings.DOCUMENT_MAX_BYTES
    original = (getattr(upload, "name", "") or "file")[-100:]
    if upload.size is not None and upload.size > max_bytes:
        raise _too_large(max_bytes)
    kind = _kind(upload)
    if kind == "image":
        image = _image_header(_read_limited(upload, max_bytes))
        return CheckedUpload(upload, "image", image.size[0] * image.size[1], original)
    if kind == "pdf":
        data = _read_limited(upload, max_bytes)
        if b"%%EOF" not in data[-2048:]:
            raise ValidationError(_("PDF 文件不完整或已损坏。"), code="bad_pdf")
        return CheckedUpload(upload, "pdf", 0, original)
    raise ValidationError(_("只接受图片（JPEG、PNG、WebP）或 PDF 文件。"), code="bad_type")


def documents_check(uploads, *, already_pixels: int = 0, max_bytes: int | None = None):
    """Check several uploads of one request cheaply; returns (checked, errors).

    `errors` are Chinese messages naming each refused file. The pixels of all images together
    (plus `already_pixels` kept from earlier) stay within UPLOAD_MAX_PIXELS_PER_REQUEST: more
    than phones produce for one request is refused before anything is decoded.
    """
    checked, errors = [], []
    pixels = already_pixels
    for upload in uploads:
        name = getattr(upload, "name", "") or "file"
        try:
            item = document_check(upload, max_bytes)
        except ValidationError as exc:
            errors.append(_("“%(name)s”：%(error)s") % {"name": name, "error": " ".join(exc.messages)})
            continue
        if pixels + item.pixels > settings.UPLOAD_MAX_PIXELS_PER_REQUEST:
            errors.append(
                _("“%(name)s”：图片总像素超过一次提交的上限，请分批上传或换用较小的图片。") % {"name": name}
            )
            continue
        pixels += item.pixels
        checked.append(item)
    return checked, errors


def document_clean(upload, max_bytes: int | None = None) -> CleanDocument:
    """Accept a PDF or an image (JPEG, PNG, WebP), judged by content; refuse anything else.

    Images are decoded, downscaled and re-encoded (call this only after the sign-in or code
    check); PDFs are kept as sent once their header and trailer look right.
    """
    max_bytes = max_bytes or settings.DOCUMENT_MAX_BYTES
    checked = document_check(upload, max_bytes)
    if checked.kind == "image":
        image = _open_image(upload, max_bytes, DOCUMENT_IMAGE_SIDE)
        image = ImageOps.exif_transpose(image).convert("RGB")
        data, _w, _h = _encode_jpeg(image, DOCUMENT_IMAGE_SIDE)
        return CleanDocument(
            ContentFile(data, name=f"{uuid.uuid4().hex}.jpg"), "image", "image/jpeg", checked.original_name
        )
    data = _read_limited(upload, max_bytes)
    return CleanDocument(
        ContentFile(data, name=f"{uuid.uuid4().hex}.pdf"), "pdf", "application/pdf", checked.original_name
    )


def request_too_large(request) -> HttpResponse | None:
    """A 413 answer when the request announces more than UPLOAD_MAX_REQUEST_BYTES, read before
    Django parses the body (DATA_UPLOAD_MAX_MEMORY_SIZE does not count files)."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > settings.UPLOAD_MAX_REQUEST_BYTES:
        return HttpResponse(
            _("一次提交的文件合计不能超过 %(mb)d MB，请分批上传。") % {"mb": _mb(settings.UPLOAD_MAX_REQUEST_BYTES)},
            status=413, content_type="text/plain; charset=utf-8",
        )
    return None


PENDING_DIR = "pending"
PENDING_SESSION_KEY = "pending_uploads"


class PendingUploads:
    """Files chosen on a form that is shown again before it is saved (a code step, an error).

    They are checked (not decoded) and kept in storage under `pending/`, listed in the session
    of the browser that chose them and keyed to one form (its token), so no other browser or
    form can use them. `purge_pending_uploads()` removes what was never submitted.
    """

    def __init__(self, request, key: str):
        self.session = request.session
        self.key = key

    def _all(self) -> dict:
        return self.session.get(PENDING_SESSION_KEY, {})

    def items(self) -> list[dict]:
        return list(self._all().get(self.key, []))

    def __len__(self) -> int:
        return len(self.items())

    def pixels(self) -> int:
        return sum(item["pixels"] for item in self.items())

    def add(self, checked: list[CheckedUpload]) -> None:
        items = self.items()
        for item in checked:
            ext = ".pdf" if item.kind == "pdf" else ".img"
            item.upload.seek(0)
            path = default_storage.save(
                f"{PENDING_DIR}/{timezone.localdate():%Y%m%d}/{uuid.uuid4().hex}{ext}", item.upload
            )
            size = item.upload.size or 0
            items.append({"path": path, "name": item.original_name, "size": size, "pixels": item.pixels})
        everything = self._all()
        everything[self.key] = items
        self.session[PENDING_SESSION_KEY] = everything

    def open_files(self) -> list:
        """The kept files, opened for `document_clean()`, named as the person named them."""
        files = []
        for item in self.items():
            handle = default_storage.open(item["path"], "rb")
            handle.name = item["name"]
            files.append(handle)
        return files

    def clear(self) -> None:
        for item in self.items():
            default_storage.delete(item["path"])
        everything = self._all()
        everything.pop(self.key, None)
        self.session[PENDING_SESSION_KEY] = everything


def purge_pending_uploads(*, keep_days: int = 1) -> int:
    """Delete kept files of forms that were never submitted (folders older than keep_days)."""
    try:
        folders, _files = default_storage.listdir(PENDING_DIR)
    except FileNotFoundError:
        return 0
    oldest = f"{timezone.localdate() - datetime.timedelta(days=keep_days):%Y%m%d}"
    removed = 0
    for folder in folders:
        if folder.isdigit() and folder < oldest:
            _dirs, names = default_storage.listdir(f"{PENDING_DIR}/{folder}")
            for name in names:
                default_storage.delete(f"{PENDING_DIR}/{folder}/{name}")
                removed += 1
            with contextlib.suppress(OSError, NotImplementedError):
                os.rmdir(default_storage.path(f"{PENDING_DIR}/{folder}"))
    return removed
