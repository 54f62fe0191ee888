"""Albums: sendMediaGroup, with Telegram's rules and refusals.

`media` is a JSON array of InputMedia; an upload is named `attach://<part>` (a part of the
multipart request) and a photo Telegram knows may be named by its file id. Telegram checks the
whole album before it sends any of it: no item (or more than 10), documents or audio mixed with
other kinds, `show_caption_above_media` differing between items, an item whose media is not
in the request, or a caption over 1,024 characters refuse the whole call; so does a file
Telegram will not take, as "failed to send message #<position> …". A refused album sends
nothing. Two or more items share a `media_group_id`; a single item is sent as one ordinary
message, outside any album. There is no reply_markup on an album.

The emulator sends photos and documents; video and audio items are refused as unsupported.
"""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

from devtools.emulator.content import bot_message, checked_text
from devtools.emulator.errors import ApiError
from devtools.emulator.images import photo_refusal, photo_sizes
from devtools.emulator.methods import method
from devtools.emulator.world import SentMessage, World

MAX_ITEMS = 10
MAX_CAPTION = 1024
ALBUM_KINDS = ("photo", "video", "document", "audio")
_group_ids = itertools.count(13_000_000_000_000_000)
_file_ids = itertools.count(1)


def _refuse(position: int, error: str) -> ApiError:
    return ApiError(
        400, f'Bad Request: failed to send message #{position} with the error message "{error}"'
    )


def _checked_items(world: World, params: dict[str, Any]) -> list[dict[str, Any]]:
    """Every item of the album, checked as Telegram checks it before sending any."""
    media = params.get("media")
    if media is None:
        raise ApiError(400, 'Bad Request: parameter "media" is required')
    if not isinstance(media, list):
        raise ApiError(400, "Bad Request: can't parse media JSON object")
    if not media:
        raise ApiError(400, "Bad Request: there are no messages to send")
    if len(media) > MAX_ITEMS:
        raise ApiError(400, "Bad Request: too many messages to send as an album")
    kinds = []
    for item in media:
        kind = item.get("type") if isinstance(item, dict) else None
        if kind == "animation":
            raise ApiError(
                400,
                "Bad Request: can't parse InputMedia: type \"animation\" can't be used in "
                "sendMediaGroup",
            )
        if kind not in ALBUM_KINDS:
            raise ApiError(
                400, f'Bad Request: can\'t parse InputMedia: type "{kind}" is unsupported'
            )
        kinds.append(kind)
    for single in ("document", "audio"):
        if single in kinds and any(k != single for k in kinds):
            raise ApiError(400, f"Bad Request: {single} can't be mixed with other media types")
    if len({bool(item.get("show_caption_above_media")) for item in media}) > 1:
        raise ApiError(
            400,
            "Bad Request: parameter show_caption_above_media must be the same for all messages",
        )
    checked = []
    for position, (item, kind) in enumerate(zip(media, kinds, strict=True), 1):
        if kind in ("video", "audio"):
            raise ApiError(400, f"Bad Request: the emulator does not send {kind} in albums")
        source = item.get("media")
        upload = None
        known = None
        if isinstance(source, str) and source.startswith("attach://"):
            upload = params.get(source.removeprefix("attach://"))
            if not isinstance(upload, dict):
                raise ApiError(400, "Bad Request: can't parse InputMedia: media not found")
            if kind == "photo":
                refusal = photo_refusal(upload["data"])
                if refusal is not None:
                    raise _refuse(position, refusal)
        elif isinstance(source, str) and source and kind == "photo":
            known = world.files.get(source)
            if known is None:
                raise _refuse(position, "Wrong file identifier/HTTP URL specified")
        else:
            raise ApiError(400, "Bad Request: can't parse InputMedia: media not found")
        caption = item.get("caption")
        plain = (
            checked_text(caption, item.get("parse_mode"), MAX_CAPTION, "message caption")
            if caption
            else None
        )
        checked.append(
            {"kind": kind, "upload": upload, "known": known, "caption": caption, "plain": plain}
        )
    return checked


@method("sendMediaGroup")
def send_media_group(world: World, params: dict[str, Any]) -> list[dict[str, Any]]:
    chat = world.chat(params)
    items = _checked_items(world, params)
    group_id = str(next(_group_ids)) if len(items) > 1 else None
    results = []
    for item in items:
        file_id = f"album-file{next(_file_ids)}"
        content: dict[str, Any] = {}
        upload = item["upload"]
        if item["kind"] == "photo":
            sizes = item["known"] or photo_sizes(file_id, upload["data"])
            content["photo"] = sizes
            for size in sizes:
                world.files[size["file_id"]] = sizes
            file_id = sizes[-1]["file_id"]
        else:
            content["document"] = {
                "file_id": file_id,
                "file_unique_id": file_id,
                "file_name": upload["file_name"] or file_id,
                "file_size": len(upload["data"]),
            }
        if item["plain"]:
            content["caption"] = item["plain"]
        if group_id is not None:
            content["media_group_id"] = group_id
        result = bot_message(world, chat, {**params, "reply_markup": None}, **content)
        if world.files_dir is not None and upload is not None:
            world.files_dir.mkdir(parents=True, exist_ok=True)
            name = Path(upload["file_name"] or f"{file_id}.png").name
            (world.files_dir / name).write_bytes(upload["data"])
        world.sent.append(
            SentMessage(
                chat["id"],
                result["message_id"],
                "sendMediaGroup",
                item["caption"] or "",
                item["plain"] or "",
                None,
                (result.get("reply_to_message") or {}).get("message_id"),
                upload["data"] if upload is not None else None,
                upload["file_name"] if upload is not None else None,
                photo=file_id if item["kind"] == "photo" else None,
            )
        )
        results.append(result)
    return results
