"""Uploaded photos as Telegram sees them: their size read from the file (PNG and JPEG), the
limits Telegram sets (10 MB; width + height at most 10,000; sides at most 20 to 1), and the
sizes it answers with (a thumbnail and the photo scaled to at most 1,280 px)."""

from __future__ import annotations

import struct
from typing import Any

MAX_PHOTO_BYTES = 10 * 1024 * 1024
MAX_SIDES_TOTAL = 10_000
MAX_RATIO = 20
SIZES = (320, 1280)  # what Telegram keeps of an upload: a small copy and one at most 1,280 px


def image_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) of a PNG or JPEG, None when the data is neither."""
    if data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR":
        width, height = struct.unpack(">II", data[16:24])
        return width, height
    if data[:2] == b"\xff\xd8":
        index = 2
        while index + 9 < len(data):
            if data[index] != 0xFF:
                return None
            marker = data[index + 1]
            length = struct.unpack(">H", data[index + 2 : index + 4])[0]
            # Start-of-frame markers carry the size (C4, C8 and CC are other segments).
            if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
                height, width = struct.unpack(">HH", data[index + 5 : index + 9])
                return width, height
            index += 2 + length
    return None


def photo_refusal(data: bytes) -> str | None:
    """What Telegram answers an upload it will not take as a photo (None: it takes it)."""
    if not data:
        return "file must be non-empty"
    if len(data) > MAX_PHOTO_BYTES:
        return "PHOTO_SAVE_FILE_INVALID"
    size = image_size(data)
    if size is None:
        return "IMAGE_PROCESS_FAILED"
    width, height = size
    if (
        width < 1
        or height < 1
        or width + height > MAX_SIDES_TOTAL
        or max(width, height) > MAX_RATIO * min(width, height)
    ):
        return "PHOTO_INVALID_DIMENSIONS"
    return None


def photo_sizes(file_id: str, data: bytes) -> list[dict[str, Any]]:
    """The PhotoSize list of an accepted upload, smallest first; the largest has `file_id`."""
    width, height = image_size(data) or (1, 1)
    dimensions = []
    for limit in SIZES:
        scale = min(1.0, limit / max(width, height))
        dimensions.append((max(1, round(width * scale)), max(1, round(height * scale))))
        if scale == 1.0:
            break
    last = len(dimensions) - 1
    return [
        {
            "file_id": file_id if index == last else f"{file_id}-s{index}",
            "file_unique_id": f"{file_id}-u{index}",
            "width": w,
            "height": h,
        }
        for index, (w, h) in enumerate(dimensions)
    ]
