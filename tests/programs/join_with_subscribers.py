"""A bot process with two test subscribers to MemberJoined, fed one join message.

`python -m tests.programs.join_with_subscribers DATABASE_URL UPDATE_JSON kill|run`: with
`kill`, the process dies (SIGKILL-like, no clean-up) between the two subscribers' writes.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
from datetime import datetime

from aiogram.types import Update

from composition.app import create_app
from core.events import EventBus, MemberJoined
from core.uow import UnitOfWork
from devtools.inprocess import InProcessSession
from storage.queries.community import audit
from tests.conftest import make_settings


def subscribe(bus: EventBus, *, die_in_second: bool) -> None:
    async def first(uow: UnitOfWork, event: MemberJoined) -> None:
        await audit.record(
            uow.session,
            group_id=event.group_id,
            actor_id=event.user_id,
            action="test_first",
            at=event.at,
        )

    async def second(uow: UnitOfWork, event: MemberJoined) -> None:
        await uow.session.flush()  # the first subscriber's rows are written, not committed
        if die_in_second:
            os._exit(137)
        await audit.record(
            uow.session,
            group_id=event.group_id,
            actor_id=event.user_id,
            action="test_second",
            at=event.at,
        )

    bus.subscribe(MemberJoined, first)
    bus.subscribe(MemberJoined, second)


async def main(db_url: str, update_json: str, mode: str) -> None:
    app = await create_app(make_settings(db_url), bot_session=InProcessSession())
    subscribe(app.deps["bus"], die_in_second=mode == "kill")
    app.outbox.start()
    try:
        await app.processor.process([Update.model_validate(json.loads(update_json))])
        await app.processor.drain(5)
    finally:
        await app.close()
    print("done", datetime.now().isoformat())


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:4]))
