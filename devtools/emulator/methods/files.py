"""Sending files: sendDocument, and uploads of sendPhoto (methods/photos.py; the upload is kept,
and saved under files_dir). A photo upload must be an image Telegram takes (images.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from devtools.emulator.content import bot_message, checked_text
from devtools.emulator.errors import ApiError
from devtools.emulator.images import photo_refusal, photo_sizes
from devtools.emulator.methods import method
from devtools.emulator.world import SentMessage, World


def send_file(world: World, params: dict[str, Any], kind: str) -> dict[str, Any]:
    chat = world.chat(params)
    upload = params.get(kind)
    if not isinstance(upload, dict):
        raise ApiError(400, f"Bad Request: there is no {kind} in the request")
    caption = params.get("caption")
    plain_caption = (
        checked_text(caption, params.get("parse_mode"), 1024, "caption") if caption else None
    )
    file_id = f"file{len(world.sent) + 1}"
    content: dict[str, Any] = {}
    if kind == "document":
        content["document"] = {
            "file_id": file_id,
            "file_unique_id": file_id,
            "file_name": upload["file_name"],
            "file_size": len(upload["data"]),
        }
    else:
        refusal = photo_refusal(upload["data"])
        if refusal is not None:
            raise ApiError(400, f"Bad Request: {refusal}")
        content["photo"] = photo_sizes(file_id, upload["data"])
        for size in content["photo"]:  # the bot may send it again by the id of any size
            world.files[size["file_id"]] = content["photo"]
        for size in content["photo"]:  # getFile serves each size's bytes (the dashboard)
            world.file_bytes[size["file_id"]] = upload["data"]
    world.file_bytes[file_id] = upload["data"]
    if plain_caption:
        content["caption"] = plain_caption
    result = bot_message(world, chat, params, **content)
    if world.files_dir is not None:
        world.files_dir.mkdir(parents=True, exist_ok=True)
        (world.files_dir / Path(upload["file_name"] or file_id).name).write_bytes(upload["data"])
    world.sent.append(
        SentMessage(
            chat["id"],
            result["message_id"],
            f"send{kind.title()}",
            caption or "",
            plain_caption or "",
            params.get("reply_markup"),
            None,
            upload["data"],
            upload["file_name"],
            photo=file_id if kind == "photo" else None,
        )
    )
    return result


@method("sendDocument")
def send_document(world: World, params: dict[str, Any]) -> dict[str, Any]:
    return send_file(world, params, "document")


@method("getFile")
def get_file(world: World, params: dict[str, Any]) -> dict[str, Any]:
    """A file the bot may download (/file/bot<token>/<file_path>): an upload of the bot's, or a
    photo a user sent (the emulator draws a small picture for those)."""
    file_id = str(params.get("file_id") or "")
    if file_id not in world.file_bytes and file_id in world.files:
        world.file_bytes[file_id] = placeholder_png(file_id)
    data = world.file_bytes.get(file_id)
    if data is None:
        raise ApiError(400, "Bad Request: invalid file_id")
    return {
        "file_id": file_id,
        "file_unique_id": file_id,
        "file_size": len(data),
        "file_path": f"photos/{file_id}",
    }


def placeholder_png(seed: str, size: int = 64) -> bytes:
    """A square of one colour (from the seed), as a PNG."""
    import struct
    import zlib

    digest = zlib.crc32(seed.encode())
    pixel = bytes([(digest >> 16) & 255, (digest >> 8) & 255, digest & 255])
    raw = b"".join(b"\x00" + pixel * size for _ in range(size))

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )
