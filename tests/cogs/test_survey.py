"""The recovery check (cogs/survey): prompt, steps, resume, scores, alerts, staff views."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any

import discord

from tests.cogs.checkins_helpers import (
    advance,
    breathe,
    enroll,
    form_ids,
    jump_to,
    make_cohort,
    reply_text,
)
from tests.cogs.survey_helpers import (
    CALM,
    HARDER,
    OPEN_ID,
    answer_all,
    ids,
    survey_prompts,
)
from tests.harness import program_world

COGS = ("clients", "alerts", "survey")


class _Response:
    def __init__(self, calls: list[tuple[str, str]]) -> None:
        self.calls = calls
        self.done = False

    def is_done(self) -> bool:
        return self.done

    async def defer(self, **_: Any) -> None:
        self.done = True
        self.calls.append(("defer", ""))

    async def send_message(self, content: str, **_: Any) -> None:
        self.done = True
        self.calls.append(("send", content))


class _Followup:
    def __init__(self, calls: list[tuple[str, str]]) -> None:
        self.calls = calls

    async def send(self, content: str, **_: Any) -> None:
        self.calls.append(("followup", content))


class FakeFormInteraction:
    """A submitted step as Discord would deliver any payload (radio values as sent)."""

    type = discord.InteractionType.modal_submit

    def __init__(self, user_id: int, custom_id: str, values: dict[str, str]) -> None:
        self.calls: list[tuple[str, str]] = []
        self.user = SimpleNamespace(id=user_id)
        self.id = 1
        self.command = None
        radios = [
            {"type": 18, "component": {"type": 21, "custom_id": k, "value": v}}
            for k, v in values.items()
        ]
        self.data = {"custom_id": custom_id, "components": radios}
        self.response = _Response(self.calls)
        self.followup = _Followup(self.calls)


def staff_posts(w):
    return [m for m in w.messages(w.staff) if m.embeds]


def post_text(message) -> str:
    parts = [message.content or ""]
    for embed in message.embeds:
        parts += [embed.title or "", embed.description or ""]
        parts += [f"{f.name}: {f.value}" for f in embed.fields]
    return "\n".join(parts)


async def test_weekly_prompt_steps_resume_and_scores(tmp_path, caplog) -> None:
    caplog.set_level(logging.DEBUG, logger="iopbot")
    async with program_world(tmp_path, cogs=COGS) as w:
        alex = w.clients[0]
        await enroll(w, alex)
        assert survey_prompts(w, alex) == []
        await advance(w, timedelta(hours=3, minutes=5))  # Monday 10:05 in New York
        prompts = survey_prompts(w, alex)
        assert len(prompts) == 1
        assert OPEN_ID in ids(prompts[0])
        await advance(w, timedelta(hours=2))
        assert len(survey_prompts(w, alex)) == 1  # one per week

        # Step 1 from the DM's button, then stop.
        shown = await alex.user.click(prompts[0], custom_id=OPEN_ID)
        assert shown.modal is not None
        assert shown.modal["title"] == "Recovery check (1 of 3)"
        first = form_ids(shown.modal)
        assert first == ["alcohol_days", "drug_days", "cravings", "sleep"]
        step1 = await alex.user.submit_modal(shown, {k: CALM[k] for k in first})
        assert step1.ephemeral and "Step 1 of 3 saved" in reply_text(step1)
        assert ids(step1.response) == ["iop:survey:step:1"]

        # Later in the week: /survey open resumes at step 2.
        await advance(w, timedelta(days=2))
        await breathe(w)
        again = await alex.slash(w.cohort, "survey open")
        assert again.modal is not None and again.modal["title"] == "Recovery check (2 of 3)"
        results = await answer_all(w, alex, CALM)
        final = reply_text(results[-1])
        assert "saved" in final and "risk 0/15" in final and "protective 8/9" in final
        row = await w.db.fetchone("SELECT * FROM survey_responses WHERE user_id = ?", (alex.id,))
        assert (row["use_score"], row["risk_score"], row["protective_score"]) == (0, 0, 8)
        assert await w.count("SELECT COUNT(*) FROM survey_answers") == 11
        assert staff_posts(w) == []
        logged = " ".join(r.getMessage() + str(r.__dict__) for r in caplog.records)
        assert str(alex.id) not in logged  # pseudonyms only


async def test_a_rise_alerts_staff_without_answers_and_view_is_staff_only(tmp_path) -> None:
    async with program_world(tmp_path, cogs=COGS) as w:
        alex, sam = w.clients[0], w.clients[1]
        await enroll(w, alex)
        await enroll(w, sam)
        await advance(w, timedelta(hours=3, minutes=5))
        await answer_all(w, alex, CALM)
        await advance(w, timedelta(days=7))
        assert len(survey_prompts(w, alex)) == 2
        results = await answer_all(w, alex, HARDER)
        assert "risk 8/15" in reply_text(results[-1])
        await w.run_due_work()
        posts = staff_posts(w)
        texts = [post_text(p) for p in posts]
        assert any("Risk score rose" in t for t in texts), texts
        rise = next(p for p in posts if "Risk score rose" in post_text(p))
        for key in ("cravings", "Most days", "Several times"):
            assert key not in post_text(rise)
        view = next(i for i in ids(rise) if i.startswith("iop:survey:view:"))

        seen = await w.facilitator.click(rise, custom_id=view)
        assert seen.ephemeral and "Several times" in reply_text(seen)
        assert (
            await w.count("SELECT COUNT(*) FROM audit_log WHERE action = 'survey.view_answers'")
            == 1
        )

        # Sam never answered: two periods missed raise the missed alert at the third prompt.
        await advance(w, timedelta(days=7))
        await w.run_due_work()
        assert any("missed" in post_text(p) for p in staff_posts(w))


async def test_answering_again_in_the_period_replaces_and_other_bad_forms(tmp_path) -> None:
    async with program_world(tmp_path, cogs=COGS) as w:
        alex, sam = w.clients[0], w.clients[1]
        await enroll(w, alex)
        await enroll(w, sam)
        await advance(w, timedelta(hours=3, minutes=5))
        await answer_all(w, alex, CALM)
        await answer_all(w, alex, CALM | {"alcohol_days": "1"})
        rows = await w.db.fetchall("SELECT * FROM survey_responses WHERE user_id = ?", (alex.id,))
        assert len(rows) == 1 and rows[0]["use_score"] == 1 and rows[0]["replaced"] == 1
        await w.run_due_work()
        assert any("Use reported" in post_text(p) for p in staff_posts(w))

        # A forged answer, a form opened by Alex, a step that does not exist: nothing stored.
        cog = w.bot.get_cog("SurveyCog")
        before = await w.table_snapshot()
        first_step = ["alcohol_days", "drug_days", "cravings", "sleep"]
        cases = [
            (
                sam.id,
                f"iop:survey:form:{sam.id}:2026-W10:0",
                dict.fromkeys(first_step, "9"),
                "not one of the choices",
            ),
            (sam.id, f"iop:survey:form:{sam.id}:2026-W10:0", {}, "please pick one answer"),
            (
                sam.id,
                f"iop:survey:form:{alex.id}:2026-W10:0",
                dict.fromkeys(first_step, "0"),
                "opened by someone else",
            ),
            (sam.id, f"iop:survey:form:{sam.id}:2026-W10:7", {}, "questions changed"),
        ]
        for user_id, custom_id, values, said in cases:
            fake = FakeFormInteraction(user_id, custom_id, values)
            await cog.on_survey_form(fake)
            assert said in " ".join(text for _, text in fake.calls), (custom_id, fake.calls)
        assert await w.table_snapshot() == before
        await breathe(w)
        shown = await sam.slash(w.cohort, "survey open")

        # A form from a week that has ended is refused, and says nothing was saved.
        await advance(w, timedelta(days=7))
        late = await sam.submit_modal(shown, {k: "0" for k in form_ids(shown.modal)})
        assert "not saved" in reply_text(late)
        assert await w.count("SELECT COUNT(*) FROM survey_responses") == 1  # Alex's only


async def test_history_view_report_export_and_the_data_contract(tmp_path) -> None:
    async with program_world(tmp_path, cogs=COGS) as w:
        alex, sam = w.clients[0], w.clients[1]
        await enroll(w, alex)
        await advance(w, timedelta(hours=3, minutes=5))
        await answer_all(w, alex, CALM)
        await advance(w, timedelta(days=7))
        await answer_all(w, alex, HARDER)

        await breathe(w)
        mine = await alex.slash(w.cohort, "survey history")
        assert mine.ephemeral
        assert any(a.filename == "recovery-check.png" for a in mine.response.attachments)
        assert "2026-W10" in reply_text(mine) and "2026-W11" in reply_text(mine)
        not_staff = await sam.slash(w.cohort, "survey view", member=alex)
        assert not_staff.ephemeral and "2026-W10" not in reply_text(not_staff)
        seen = await w.facilitator.slash(w.cohort, "survey view", member=alex)
        assert any(a.filename == "recovery-check.png" for a in seen.response.attachments)
        report = await w.facilitator.slash(w.cohort, "survey report")
        assert any(a.filename == "recovery-check-report.png" for a in report.response.attachments)
        exported = await w.facilitator.slash(w.cohort, "survey export", member=alex)
        csv_file = exported.response.attachments[0]
        assert csv_file.filename == f"recovery-checks-{alex.id}.csv"
        actions = await w.db.fetchall("SELECT action FROM audit_log WHERE action LIKE 'survey.%'")
        assert sorted(r["action"] for r in actions) == [
            "survey.export",
            "survey.report",
            "survey.view",
        ]

        cog = w.bot.get_cog("SurveyCog")
        data = await cog.export_user_data(alex.id)
        assert [r["period"] for r in data["survey_responses"]] == ["2026-W10", "2026-W11"]
        assert len(data["survey_responses"][0]["answers"]) == 11
        report_ = await cog.delete_user_data(alex.id)
        assert report_.removed["survey_answers"] == 22
        assert await cog.export_user_data(alex.id) == {}


async def test_dm_closed_nudges_in_the_cohort_and_flags_staff(tmp_path) -> None:
    async with program_world(tmp_path, cogs=COGS) as w:
        alex = w.clients[0]
        await enroll(w, alex)
        await make_cohort(w, [alex])
        w.env.inject_error(
            "POST", "/channels/*/messages", status=403, code=50007, message="Cannot send", times=1
        )
        await jump_to(w, datetime(2026, 3, 2, 15, 1, tzinfo=UTC))  # Monday 10:01 New York
        assert survey_prompts(w, alex) == []
        nudges = [m.content for m in w.messages(w.cohort) if "/survey open" in m.content]
        assert nudges == [f"<@{alex.id}>, something is waiting for you: use /survey open"]
        assert await w.count("SELECT COUNT(*) FROM alerts WHERE rule = 'survey_dm_closed'") == 1
        period = await w.db.fetchone(
            "SELECT undeliverable FROM prompt_periods WHERE schedule = 'survey' AND user_id = ?",
            (alex.id,),
        )
        assert period["undeliverable"] == 1
        # The next week's DM goes through: a normal prompt, no second nudge.
        await jump_to(w, datetime(2026, 3, 9, 15, 1, tzinfo=UTC))
        assert len(survey_prompts(w, alex)) == 1
        assert len([m for m in w.messages(w.cohort) if "/survey open" in m.content]) == 1


async def test_purge_removes_old_periods_only(tmp_path) -> None:
    async with program_world(tmp_path, cogs=COGS, retention={"survey_answers_days": 30}) as w:
        alex = w.clients[0]
        await enroll(w, alex)
        await advance(w, timedelta(hours=3, minutes=5))
        await answer_all(w, alex, CALM)
        cog = w.bot.get_cog("SurveyCog")
        assert (await cog.purge_expired())["survey_responses"] == 0
        await jump_to(w, datetime(2026, 4, 6, 16, 0, tzinfo=UTC))
        await answer_all(w, alex, CALM)
        purged = await cog.purge_expired()
        assert purged["survey_responses"] == 1 and purged["survey_answers"] == 11
        left = await w.db.fetchall("SELECT period FROM survey_responses")
        assert [r["period"] for r in left] == ["2026-W15"]
        assert await cog.purge_expired() == {
            "survey_answers": 0,
            "survey_responses": 0,
            "prompt_periods": 0,
        }
