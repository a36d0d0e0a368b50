"""Image files for upload tests: a real photo, a text file named .jpg, a decompression bomb."""

import io
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def real_jpeg(name="photo.jpg", size=(300, 400)):
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 40)).save(out, format="JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def text_named_jpg():
    return SimpleUploadedFile("photo.jpg", b"This is not a picture, only text.\n" * 20, content_type="image/jpeg")


def png_bomb(width=30000, height=30000):
    """A tiny PNG whose header claims width x height pixels (900 megapixels)."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    body = zlib.compress(b"\x00" * (width + 1) * 16)
    data = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", body) + chunk(b"IEND", b"")
    return SimpleUploadedFile("bomb.png", data, content_type="image/png")
