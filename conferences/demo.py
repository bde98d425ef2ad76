"""The demo school's conference of 26/9/2023, loaded through the services after the plan.

Called at the end of demo.loader.load_demo with the loader, whose dictionaries name the demo's
units, people and tasks by their keys in the data file.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from conferences import services
from conferences.images import placeholder_png
from conferences.kinds import sync_conference_kinds
from conferences.models import (
    AgendaItem,
    Attendance,
    Conference,
    ConferenceChair,
    ConferenceKind,
    ConferenceStatus,
    EmulationLaunch,
    Opinion,
)
from planning.models import Plan

DATA_FILE = Path(__file__).resolve().parent / "data" / "hoi_nghi_2023_09_26.json"


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def load_conference_demo(plan: Plan, loader: Any, path: Path = DATA_FILE) -> Conference:
    data = json.loads(path.read_text(encoding="utf-8"))
    sync_conference_kinds(ConferenceKind)  # a flushed test database has lost the migration's rows
    by = loader.by
    people, orgs, tasks = loader.people, loader.orgs, loader.tasks
    spec, extra = data["conference"], data["conference_sample"]
    held_on = _date(spec["held_on"])
    assert held_on is not None
    conference = services.create_conference(
        Conference(
            school=plan.school,
            kind=ConferenceKind.objects.valid_on(held_on).get(code=spec["kind"]),
            title=spec["title"],
            held_on=held_on,
            starts_at=dt.time.fromisoformat(extra["starts_at"]),
            place=extra["place"],
            plan=plan,
            secretary=people[extra["secretary"]],
            status=ConferenceStatus.PREPARING,
        ),
        by=by,
    )
    for order, entry in enumerate(data["chairs"], start=1):
        chair = ConferenceChair(
            conference=conference,
            person=people[entry["person"]],
            capacity=entry["capacity"],
            order=order,
        )
        services.save(chair, by=by)
    for entry in data["groups"]:
        chosen = services.select_people(
            plan.school_id,
            whole_school=entry.get("whole_school", False),
            units=[orgs[key] for key in entry.get("units", [])],
            roles=entry.get("roles", []),
            on=held_on,
        )
        services.summon_group(conference, name=entry["name"], people=chosen, by=by)
    for order, entry in enumerate(data["agenda"], start=1):
        item = AgendaItem(
            conference=conference,
            order=order,
            kind=entry["kind"],
            title=entry["title"],
            presenter=people.get(entry.get("presenter") or ""),
            presenter_label=entry.get("presenter_label", ""),
            presenter_title=entry.get("presenter_title", ""),
            summary=entry.get("summary", ""),
            is_sample=bool(entry.get("sample")),
        )
        services.save(item, by=by)
    _attendance(conference, data, people, by)
    _opinions(conference, data, people, orgs, tasks, by)
    launch = data["launch"]
    services.save(
        EmulationLaunch(
            conference=conference,
            launched_by=people[launch["launched_by"]],
            launcher_title=launch["launcher_title"],
            on_behalf_of=launch["on_behalf_of"],
            campaign=launch["campaign"],
            audience=launch["audience"],
            content=launch["content"],
            is_sample=bool(launch.get("sample")),
        ),
        by=by,
    )
    for entry in data["conclusions"]:
        task = tasks.get(entry.get("task") or "")
        conclusion = services.record_conclusion(
            conference,
            text=entry["text"],
            is_directive=entry.get("directive", True),
            lead_unit=task.lead_unit if task else None,
            due_date=task.due_date if task else None,
            by=by,
            is_sample=bool(entry.get("sample")),
        )
        if task is not None:
            services.conclusion_to_task(conclusion, existing_task=task, by=by)
    for index, entry in enumerate(data["photos"]):
        services.add_photo(
            conference,
            content=placeholder_png(320, 200, tuple(entry["colour"]), seed=index),
            caption=entry["caption"],
            by=by,
            is_sample=True,  # the picture stands in for the real photo; the caption is the source's
        )
    return services.set_status(conference, ConferenceStatus.CLOSED, by=by)


def _attendance(conference: Conference, data: dict[str, Any], people: Any, by: Any) -> None:
    absent = {people[entry["person"]].pk: entry["reason"] for entry in data["absent"]}
    for invitation in conference.invitations.active():
        if invitation.person_id in absent:
            services.mark_attendance(
                invitation,
                attendance=Attendance.ABSENT,
                reason=absent[invitation.person_id],
                by=by,
            )
        else:
            services.mark_attendance(invitation, attendance=Attendance.PRESENT, by=by)


def _opinions(
    conference: Conference,
    data: dict[str, Any],
    people: Any,
    orgs: Any,
    tasks: Any,
    by: Any,
) -> None:
    topics = data["topics"]
    created: list[Opinion] = []
    for entry in data["opinions"]:
        anonymous = bool(entry.get("anonymous"))
        created.append(
            services.submit_opinion(
                conference,
                author=None if anonymous else people[entry["author"]],
                anonymous=anonymous,
                topic=topics[entry["topic"]],
                content=entry["content"],
                task=tasks.get(entry.get("task") or ""),
                is_sample=bool(entry.get("sample")),
            )
        )
    for opinion, entry in zip(created, data["opinions"], strict=True):
        if entry.get("merge_into"):
            services.merge_opinion(opinion, into=created[entry["merge_into"] - 1], by=by)
    for opinion, entry in zip(created, data["opinions"], strict=True):
        answer = entry.get("answer")
        if not answer:
            continue
        new_task = None
        if answer.get("new_task"):
            spec = answer["new_task"]
            new_task = services.NewTask(
                title=spec["title"],
                lead_unit=orgs[spec["lead_unit"]],
                due_date=_date(spec["due_date"]),  # type: ignore[arg-type]
                parent=tasks.get(spec.get("parent") or ""),
                coordinating=[(orgs[unit], duty) for unit, duty in spec.get("coordinating", [])],
            )
        services.answer_opinion(
            opinion,
            kind=answer["kind"],
            answer=answer["text"],
            forwarded_to=orgs.get(answer.get("forwarded_to") or ""),
            existing_task=tasks.get(answer.get("existing_task") or ""),
            new_task=new_task,
            by=by,
        )


def load_demo(plan: Plan, loader: Any) -> None:
    """The demo school's conference (demo/loader.py calls every domain's `load_demo`)."""
    load_conference_demo(plan, loader)
