"""The care line's writes: each runs in one transaction that stores the words and queues
every notice it causes (outbox), so a message is relayed exactly once or not at all."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from bot.db.database import Transaction
from bot.db.repositories.clients import Client
from bot.domain.careline import FileInfo, FileVerdict, judge_file, split_text
from bot.services.container import Services
from bot.services.crisis import staffed_now
from bot.services.notices import Notice
from bot.services.outbox import DM, ChannelTarget
from cogs.careline._common import TO_CLIENT, TO_STAFF, max_bytes, repo
from cogs.careline._render import (
    PIECE_LIMIT,
    auto_reply,
    closed_for_client,
    closed_in_thread,
    command_reply_in_thread,
    file_lines,
    name_of,
    note_in_thread,
    opened_in_thread,
    refused_files_for_client,
    refused_files_for_staff,
    refused_files_in_thread,
    relayed_in,
    signature_for,
    staff_reply,
)
from cogs.careline._spec import SPEC

log = logging.getLogger("iopbot.careline")


@dataclass(frozen=True, slots=True)
class Words:
    """One message's text and files, and where it came from (for exactly-once keys)."""

    text: str
    files: tuple[FileInfo, ...]
    source_id: int  # the Discord message (or interaction) id

    def judged(self, services: Services) -> tuple[list[FileVerdict], list[FileVerdict]]:
        verdicts = [judge_file(f, max_bytes(services)) for f in self.files]
        return [v for v in verdicts if v.passed], [v for v in verdicts if not v.passed]


def _pieces(text: str, extra_lines: list[str]) -> list[str]:
    body = "\n".join([text, *extra_lines]) if text else "\n".join(extra_lines)
    return split_text(body, PIECE_LIMIT) if body else []


def dm_meta(client: Client, thread_id: int, what: str) -> dict[str, object]:
    """What the undeliverable hook needs to tell the thread (ids and the shown name)."""
    return {"thread_id": thread_id, "what": what, "name": name_of(client)}


async def _queue_dm(
    services: Services, tx: Transaction, client: Client, key: str, text: str, what: str
) -> int | None:
    thread = await repo(services).thread_for(client.user_id, tx)
    return await services.outbox.enqueue(
        tx,
        dedupe_key=key,
        kind=TO_CLIENT,
        target=DM(client.user_id),
        notice=Notice(content=text, meta=dm_meta(client, thread.thread_id if thread else 0, what)),
        subject_user_id=client.user_id,
    )


async def _queue_thread(
    services: Services, tx: Transaction, client: Client, thread_id: int, key: str, text: str
) -> int | None:
    return await services.outbox.enqueue(
        tx,
        dedupe_key=key,
        kind=TO_STAFF,
        target=ChannelTarget(thread_id),
        notice=Notice(content=text),
        subject_user_id=client.user_id,
    )


@dataclass(frozen=True, slots=True)
class Inbound:
    relayed: bool  # False when it was a repeat of a message already relayed
    new_conversation: bool
    refused_files: int


async def relay_from_client(
    services: Services, client: Client, thread_id: int, words: Words
) -> Inbound:
    """A client's DM: stored, shown in their thread, answered automatically if it opens
    a conversation; files that can't be passed on are refused to both sides."""
    passed, refused = words.judged(services)
    pieces = _pieces(words.text, file_lines(passed))
    name = name_of(client)
    now = services.clock.now()
    settings = services.settings
    reasons = {v.reason or "" for v in refused}
    conversation_id, new = 0, False
    async with services.db.transaction() as tx:
        first_key = f"careline:in:{words.source_id}"
        if await repo(services).seen(tx, words.source_id, "in"):
            return Inbound(relayed=False, new_conversation=False, refused_files=0)
        if pieces:  # only words (or files passed on) open a conversation
            conversation_id, new = await repo(services).ensure_open(
                tx, client.user_id, client.user_id, now
            )
        for n, piece in enumerate(pieces):
            key = first_key if n == 0 else f"{first_key}:{n}"
            text = relayed_in(name, piece, first=n == 0)
            if n == 0 and new:  # one message, so the marker can't arrive after the words
                text = f"{opened_in_thread(conversation_id)}\n{text}"
            await _queue_thread(services, tx, client, thread_id, key, text)
        if pieces:
            await repo(services).add_message(
                tx,
                conversation_id=conversation_id,
                client_id=client.user_id,
                direction="in",
                author_id=client.user_id,
                text=words.text,
                attachments=[_file_record(v) for v in passed],
                discord_message_id=words.source_id,
                now=now,
            )
        if refused:
            staff_key = f"{first_key}:refused" if pieces else first_key
            staff_text = refused_files_for_staff(name, len(refused), reasons)
            await _queue_thread(services, tx, client, thread_id, staff_key, staff_text)
            client_text = refused_files_for_client(len(refused), reasons, text_sent=bool(pieces))
            key = f"careline:refused:{words.source_id}"
            await _queue_dm(services, tx, client, key, client_text, "refused")
        if new:
            resources = [(r.name, r.contact) for r in settings.safety.resources]
            await _queue_dm(
                services,
                tx,
                client,
                f"careline:auto:{conversation_id}",
                auto_reply(
                    team_name=SPEC.section_of(settings).team_name,
                    staffed_hours=settings.program.staffed_hours,
                    answer_time=SPEC.section_of(settings).answer_time,
                    resources=resources,
                    staffed_now=staffed_now(services),
                ),
                "auto_reply",
            )
    log.info(
        "careline.in",
        extra={
            "person": services.key.pseudonym(client.user_id),
            "conversation_id": conversation_id,
            "files": len(passed),
        },
    )
    return Inbound(relayed=bool(pieces), new_conversation=new, refused_files=len(refused))


def _file_record(verdict: FileVerdict) -> dict[str, object]:
    f = verdict.file
    return {"name": f.name, "type": verdict.kind, "size": f.size, "url": f.url}


@dataclass(frozen=True, slots=True)
class Outbound:
    sent: bool  # a DM was queued
    refused_files: int


async def reply_to_client(
    services: Services,
    client: Client,
    thread_id: int,
    words: Words,
    *,
    staff_id: int,
    staff_name: str,
    via_command: bool,
) -> Outbound:
    """A facilitator's answer: stored, queued as a DM (signed by config), and, when it was
    typed as a command, shown in the thread too so the thread stays the record."""
    settings = SPEC.section_of(services.settings)
    passed, refused = words.judged(services)
    pieces = _pieces(words.text, file_lines(passed))
    signature = signature_for(settings.reply_signature, staff_name, settings.team_name)
    now = services.clock.now()
    async with services.db.transaction() as tx:
        base = f"careline:out:{words.source_id}"
        if await repo(services).seen(tx, words.source_id, "out"):
            return Outbound(sent=False, refused_files=0)
        if pieces:
            conversation_id, new = await repo(services).ensure_open(
                tx, client.user_id, staff_id, now
            )
            if new:
                await _queue_thread(
                    services,
                    tx,
                    client,
                    thread_id,
                    f"careline:opened:{conversation_id}",
                    opened_in_thread(conversation_id),
                )
            for n, piece in enumerate(pieces):
                key = base if n == 0 else f"{base}:{n}"
                await _queue_dm(
                    services, tx, client, key, staff_reply(signature, piece, first=n == 0), "reply"
                )
                if via_command:
                    await _queue_thread(
                        services,
                        tx,
                        client,
                        thread_id,
                        f"{key}:echo",
                        command_reply_in_thread(staff_name, piece, first=n == 0),
                    )
            await repo(services).add_message(
                tx,
                conversation_id=conversation_id,
                client_id=client.user_id,
                direction="out",
                author_id=staff_id,
                text=words.text,
                attachments=[_file_record(v) for v in passed],
                discord_message_id=words.source_id,
                now=now,
            )
        if refused:
            await _queue_thread(
                services,
                tx,
                client,
                thread_id,
                f"{base}:refused",
                refused_files_in_thread(
                    len(refused), {v.reason or "" for v in refused}, text_sent=bool(pieces)
                ),
            )
    log.info(
        "careline.out",
        extra={"person": services.key.pseudonym(client.user_id), "actor_id": staff_id},
    )
    return Outbound(sent=bool(pieces), refused_files=len(refused))


async def add_note(
    services: Services,
    client: Client,
    thread_id: int,
    words: Words,
    *,
    staff_id: int,
    staff_name: str,
    via_command: bool,
) -> bool:
    """An internal note: stored with the conversation, never sent to the client."""
    now = services.clock.now()
    async with services.db.transaction() as tx:
        if await repo(services).seen(tx, words.source_id, "note"):
            return False
        if via_command:
            for n, piece in enumerate(split_text(words.text, PIECE_LIMIT)):
                await _queue_thread(
                    services,
                    tx,
                    client,
                    thread_id,
                    f"careline:note:{words.source_id}:{n}",
                    note_in_thread(staff_name, piece),
                )
        conversation = await repo(services).open_conversation(client.user_id, tx)
        await repo(services).add_message(
            tx,
            conversation_id=conversation.id if conversation else None,
            client_id=client.user_id,
            direction="note",
            author_id=staff_id,
            text=words.text,
            attachments=[],
            discord_message_id=words.source_id,
            now=now,
        )
    log.info(
        "careline.note",
        extra={"person": services.key.pseudonym(client.user_id), "actor_id": staff_id},
    )
    return True


async def close_conversation(
    services: Services, client: Client, thread_id: int, *, staff_id: int, staff_name: str
) -> int:
    """Close the open conversation (client told, thread told); 0 when none was open."""
    now = services.clock.now()
    team = SPEC.section_of(services.settings).team_name
    async with services.db.transaction() as tx:
        closed = await repo(services).close(tx, client.user_id, staff_id, now)
        if closed:
            await _queue_dm(
                services, tx, client, f"careline:closed:{closed}", closed_for_client(team), "closed"
            )
            await _queue_thread(
                services,
                tx,
                client,
                thread_id,
                f"careline:closed_note:{closed}",
                closed_in_thread(staff_name, name_of(client)),
            )
            await services.audit.record(
                tx,
                actor_id=staff_id,
                action="careline.close",
                subject_user_id=client.user_id,
                conversation_id=closed,
            )
    if closed:
        log.info(
            "careline.closed",
            extra={"person": services.key.pseudonym(client.user_id), "actor_id": staff_id},
        )
    return closed
