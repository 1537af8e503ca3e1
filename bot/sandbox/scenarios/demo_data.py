"""Demo part "data": a client exports their own data; a facilitator exports a client's
record (audit-logged); with the Auditor role, the facilitator reads the audit trail;
Riley (client3) deletes their data: the confirmation says what is removed and what is
kept and why, and the result lists both."""

from __future__ import annotations

from typing import Any

from bot.sandbox.scenario import ScenarioContext


def _attachment_names(messages: list[dict[str, Any]]) -> list[str]:
    names = []
    for message in messages:
        for attachment in message.get("attachments") or []:
            if isinstance(attachment, dict):
                attachment = attachment.get("filename") or attachment.get("name") or ""
            names.append(str(attachment))
    return names


async def run(ctx: ScenarioContext) -> None:
    alex = ctx.user("client1")
    dana = ctx.user("facilitator")
    welcome = ctx.channel("welcome")
    staff = ctx.channel("staff-alerts")

    dms_before = len(ctx.dms(alex))
    mine = await ctx.slash(alex, welcome, "mydata export")
    ctx.expect(not mine.is_error, f"/mydata export answered without an error: {mine.text!r}")
    ctx.expect(mine.ephemeral, "/mydata export is answered privately")
    await ctx.settle()
    new_dms = ctx.dms(alex)[dms_before:]
    ctx.expect(
        any(name.endswith(".json") for name in _attachment_names(new_dms)),
        "Alex got a JSON file of their data by DM",
    )

    record = await ctx.slash(dana, staff, "client export", member=alex)
    ctx.expect(not record.is_error, f"/client export answered: {record.text!r}")
    ctx.expect(record.ephemeral, "/client export is ephemeral")
    ctx.expect("audit trail" in record.text, "/client export says it is audit-logged")

    refused = await ctx.slash(dana, staff, "audit client", member=alex)
    ctx.expect("audit role" in refused.text, "/audit client needs the audit role")
    ctx.step("The program gives Dana (facilitator) the Auditor role")
    guild = ctx.world.guild_id
    member = ctx.emulator.state.guilds[guild].members[dana.id]
    roles = [int(r) for r in member["roles"]] + [ctx.world.roles["auditor"]]
    ctx.emulator.set_member_roles(guild, dana.id, roles)
    await ctx.settle()
    trail = await ctx.slash(dana, staff, "audit client", member=alex)
    ctx.expect(not trail.is_error, f"/audit client answered: {trail.text!r}")
    ctx.expect("client.export" in trail.text, "the audit trail shows the facilitator's export")
    ctx.expect("client.enroll" in trail.text, "the audit trail shows the enrollment")

    await _riley_deletes(ctx)


def _custom_ids(components: list[dict[str, Any]]) -> list[str]:
    found: list[str] = []
    for item in components:
        for component in [item, *(item.get("components") or [])]:
            if component.get("custom_id"):
                found.append(str(component["custom_id"]))
    return found


async def _riley_deletes(ctx: ScenarioContext) -> None:
    riley = ctx.user("client3")
    prompt = await ctx.slash(riley, ctx.channel("welcome"), "mydata delete")
    ctx.expect(prompt.ephemeral, "/mydata delete asks privately first")
    ctx.expect(
        "What is kept, and why" in prompt.text and "6 years" in prompt.text,
        "the confirmation says what is kept and why",
    )
    confirm = next((c for c in _custom_ids(prompt.components) if ":delete:" in c), None)
    ctx.require(confirm is not None, "the confirmation has a Delete my data button")
    if confirm is None:
        return
    done = await ctx.click(riley, prompt, confirm)
    ctx.expect(not done.is_error, f"the deletion answered: {done.text!r}")
    ctx.expect(
        "removed" in done.text and "Kept, and why" in done.text,
        "the result lists what was removed and what was kept",
    )
