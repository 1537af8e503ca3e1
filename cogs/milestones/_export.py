"""A client's milestone data, for ``/mydata export`` (the data cog gathers every cog's)."""

from __future__ import annotations

from typing import Any

from bot.db.repositories.milestones import MilestoneRepository


async def export_milestone_data(repo: MilestoneRepository, user_id: int) -> dict[str, Any]:
    record = await repo.record(user_id)
    resets = await repo.resets(user_id)
    milestones = await repo.for_user(user_id)
    given = await repo.congrats_given_by(user_id)
    if record is None and not resets and not milestones and not given:
        return {}
    data: dict[str, Any] = {}
    if record is not None:
        data["sobriety"] = {
            "streak_start": record.streak_start.isoformat() if record.streak_start else None,
            "streak_number": record.streak_number,
            "longest_earlier_streak_days": record.longest_streak_days,
            "banked_days": record.banked_days,
            "public_celebrations": record.public,
            "updated_at": record.updated_at.isoformat(),
        }
    data["sobriety_resets"] = [
        {
            "date": r.on_date.isoformat(),
            "counter_restarted": r.restarted,
            "streak_days": r.streak_days,
            "at": r.at.isoformat(),
        }
        for r in resets
    ]
    data["milestones"] = []
    for m in milestones:
        received = await repo.congrats_for(m.id)
        data["milestones"].append(
            {
                "scheme": m.scheme,
                "kind": m.kind,
                "n": m.n,
                "streak": m.streak,
                "due_date": m.due_date.isoformat(),
                "status": m.status,
                "celebrated_at": m.celebrated_at.isoformat() if m.celebrated_at else None,
                "late": m.late,
                "shared_with_group": m.public,
                "congratulations_received": len(received),
            }
        )
    data["congratulations_given"] = [
        {"milestone_id": c.milestone_id, "at": c.at.isoformat()} for c in given
    ]
    return data
