"""The home page's content ("Việc của tôi"): what needs the signed-in person today, gathered
from each domain's own questions (planning/queries.py, tracking/queries.py,
conferences/queries.py, reports/queries.py, emulation/queries.py). Which blocks a person sees follows their rights;
the number of queries does not grow with the school's data."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest

from conferences.queries import conferences_now, opinions_to_answer
from core.clock import today
from core.sheets.stash import PendingImport, pending_imports
from emulation.queries import EmulationWork, dossiers_waiting
from emulation.queries import work_of as emulation_work
from organisations.membership import Membership
from planning import queries as planning
from planning.models import Plan
from planning.queries import MyTasks, TaskList
from province.queries import OpenRequests, open_requests
from province.rules import works_above_schools
from reports.queries import reports_to_sign
from tracking import queries as tracking
from tracking.dashboard import default_day
from tracking.queries import KeyFigures


@dataclass
class MyWork:
    plan: Plan | None
    tasks: MyTasks | None = None
    checkins: TaskList | None = None
    # Decisions waiting for the person (leadership, or a unit head's reports to sign).
    extensions: TaskList | None = None
    proposals: TaskList | None = None
    opinions: TaskList | None = None
    reports: TaskList | None = None
    # Excel imports checked but not confirmed yet (from the session: core/sheets/stash.py).
    imports: list[PendingImport] = field(default_factory=list)
    conferences: list[Any] = field(default_factory=list)
    # What the year's emulation cycle asks of the person (register, self-assess, review).
    emulation: EmulationWork | None = None
    notifications: TaskList = field(default_factory=TaskList)
    figures: KeyFigures | None = None
    # For an officer above the schools (the Sở): the report requests some school has not
    # answered, and the schools' emulation dossiers waiting for the body.
    requests: OpenRequests | None = None
    dossiers: int = 0

    @property
    def decisions(self) -> int:
        lists = (self.extensions, self.proposals, self.opinions, self.reports)
        return len(self.imports) + sum(each.total for each in lists if each is not None)

    @property
    def nothing_urgent(self) -> bool:
        tasks = self.tasks
        return (
            not self.conferences
            and not self.decisions
            and (self.emulation is None or not self.emulation.total)
            and (tasks is None or not (tasks.overdue.total or tasks.due_soon.total))
            and (self.checkins is None or not self.checkins.total)
            and (self.requests is None or not self.requests.total)
            and not self.dossiers
        )


def my_work(request: HttpRequest, membership: Membership) -> MyWork:
    day = today()
    plan = planning.current_plan()
    work = MyWork(plan=plan, notifications=tracking.unread_notifications(request.user))
    work.imports = pending_imports(request)
    work.conferences = conferences_now(on=day)
    work.emulation = emulation_work(membership, on=day)
    if membership.is_leadership:
        work.opinions = opinions_to_answer()
    if works_above_schools(request.user) and membership.school_id is not None:
        work.requests = open_requests(membership.school_id, on=day)
        work.dossiers = dossiers_waiting(membership.school_id)
        return work
    if plan is None:
        return work
    # A finished year is read as it stood on its last day, as on the plan's and the task's pages.
    on = default_day(plan, day)
    mine = planning.my_tasks(plan, membership, planning.units_answered_for(membership))
    work.tasks = planning.tasks_needing_me(mine, on=on)
    work.checkins = tracking.checkins_expected(mine, plan, on=on)
    if membership.is_leadership or membership.headed_unit_ids:
        work.reports = reports_to_sign(plan, membership)
    if membership.is_leadership:
        work.extensions = tracking.pending_extensions(plan)
        work.proposals = planning.pending_proposals(plan)
        work.figures = tracking.key_figures(plan, on=on)
    return work
