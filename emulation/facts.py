"""The seam between the year's facts about each person and the classification that reads them.

The preview (`emulation.services.classification`) asks a `FactsSource` for the facts of each
evaluated person. Two sources:

- `recorded_facts`: the months worked, the months of leave and maternity leave, and the
  discipline recorded on each evaluation (entered
  by the leadership or its office, with the reason kept in its history);
- `evidence_facts`: the same recorded months and discipline (the personnel records, never
  computed), with the year's evidence computed from the plan (`emulation.evidence`): the tasks
  against their original deadline, the check-ins, the units' targets, the teaching hours.

Where the law judges a level by the year's results (NĐ 90/2020/NĐ-CP, Art. 12–13 as amended by
NĐ 48/2023/NĐ-CP: HTT when every task is done on time, HTXS when, besides, at least half are done
beyond what was asked; a manager also by the unit's results), `evidence_notes` says where the
computed evidence does not bear out the level proposed, with the thresholds of the rule set in
force (dated data, `RuleSet.htt_on_time_share` and the two beside it). The preview warns with it; the level
itself stays the reviewers' and the council's (the engine runs on the proposal).

`campaign_evidence` reads the evidence of a campaign's people on the campaign's day: the pages
of the cycle (self-assessment, the unit's review) show the same figures the preview checks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from django.utils.translation import gettext as _

from core.clock import today
from emulation.engine import Discipline, Level, Rules, percent
from emulation.evidence import PersonEvidence, YearEvidence
from emulation.evidence_cache import cached_year_evidence
from emulation.models import Campaign, Evaluation
from organisations.models import Person
from planning.models import Plan
from planning.status import default_day


@dataclass(frozen=True)
class PersonFacts:
    months_worked: Decimal
    discipline: Discipline | None
    # The year's evidence, computed; None from a source that reads none.
    evidence: PersonEvidence | None = None
    # Months of leave the law allows (maternity leave apart), and maternity leave (NĐ 90/2020
    # Art. 2 cl. 3), as recorded.
    leave_months: Decimal = Decimal(0)
    maternity: bool = False

    @classmethod
    def recorded(cls, evaluation: Evaluation) -> PersonFacts:
        return cls(
            evaluation.months_worked,
            evaluation.discipline_value,
            leave_months=evaluation.leave_months,
            maternity=evaluation.maternity_leave,
        )


# (campaign, its evaluations) → the facts of each, by evaluation id.
FactsSource = Callable[[Campaign, Sequence[Evaluation]], Mapping[int, PersonFacts]]


def recorded_facts(
    campaign: Campaign, evaluations: Sequence[Evaluation]
) -> Mapping[int, PersonFacts]:
    """The facts as recorded on each evaluation."""
    del campaign  # every fact is on the evaluation itself
    return {evaluation.pk: PersonFacts.recorded(evaluation) for evaluation in evaluations}


# The evidence of a campaign ---------------------------------------------------------------------


@dataclass(frozen=True)
class CampaignEvidence:
    """The year's evidence of some of a campaign's people, read on `on` (`past`: a day before
    the plan's default day, read as it stood then, as the evidence pages do)."""

    plan: Plan
    on: dt.date
    past: bool
    year: YearEvidence

    def of(self, person_id: int) -> PersonEvidence | None:
        return self.year.people.get(person_id)


def evidence_day(campaign: Campaign, plan: Plan) -> tuple[dt.date, bool]:
    """The day a campaign's evidence is read on: the plan's default day (today; a finished
    year its last day), but not after the campaign's last day (the emulation year ends with
    it); and whether that day is a past one."""
    default = default_day(plan, today())
    day = max(plan.starts_on, min(default, campaign.period_end))
    return day, day < default


def campaign_evidence(campaign: Campaign, people: Iterable[Person]) -> CampaignEvidence | None:
    """The people's evidence in the campaign's year (None: the campaign has no plan). A fixed
    number of queries whatever the number of people (emulation.evidence)."""
    plan = campaign.plan
    if plan is None:
        return None
    on, past = evidence_day(campaign, plan)
    return CampaignEvidence(
        plan=plan,
        on=on,
        past=past,
        year=cached_year_evidence(plan, people=people, on=on, past=past),
    )


def evidence_facts(
    campaign: Campaign, evaluations: Sequence[Evaluation]
) -> Mapping[int, PersonFacts]:
    """The recorded months and discipline, with each person's computed evidence."""
    recorded = recorded_facts(campaign, evaluations)
    evidence = campaign_evidence(campaign, [evaluation.person for evaluation in evaluations])
    if evidence is None:
        return recorded
    return {
        evaluation.pk: replace(recorded[evaluation.pk], evidence=evidence.of(evaluation.person_id))
        for evaluation in evaluations
    }


# What the law reads in the evidence ---------------------------------------------------------


def evidence_notes(
    level: Level | None, evidence: PersonEvidence, *, manager: bool, rules: Rules
) -> list[str]:
    """Where the computed evidence does not bear out `level`, the level a person is expected
    at (Vietnamese, one sentence each), by NĐ 90/2020 Art. 12–13 as amended by NĐ 48/2023, with
    the thresholds of the rule set in force (`rules`; the national set: every task, half, every
    target):

    - HTT and HTXS: at least `htt_on_time_share` of the tasks due done on time, against their
      original deadline (a task late or still open past it says otherwise);
    - HTXS: besides, at least `htxs_ahead_share` of the tasks done beyond what was asked; the
      plan knows only the time, so a task done before its original deadline (vượt tiến độ)
      stands for it, over the tasks done, as the evidence page counts it;
    - a manager at HTT or HTXS: at least `manager_targets_share` of their units' targets met (of
      those measured so far).

    Nothing is said of a person with no task due (a lecturer's year is their teaching, shown
    with the evidence) or of a level at HT or below.
    """
    if level not in (Level.HTT, Level.HTXS):
        return []
    notes: list[str] = []
    tasks = evidence.tasks
    due = len(tasks.due)
    if due and Decimal(len(tasks.on_time)) < rules.htt_on_time_share * due:
        # Due and not done, neither overdue: on its deadline today, or within an extension.
        open_ = due - len(tasks.on_time) - len(tasks.late) - len(tasks.overdue)
        parts = [
            _("%(n)d trễ hạn") % {"n": len(tasks.late)} if tasks.late else "",
            _("%(n)d quá hạn") % {"n": len(tasks.overdue)} if tasks.overdue else "",
            _("%(n)d chưa hoàn thành") % {"n": open_} if open_ else "",
        ]
        notes.append(
            _(
                "dự kiến %(level)s nhưng chỉ %(on_time)d/%(due)d nhiệm vụ đến hạn hoàn thành "
                "đúng hạn ban đầu (%(why)s); %(level)s cần %(share)s nhiệm vụ hoàn thành đúng "
                "tiến độ."
            )
            % {
                "level": level.value,
                "on_time": len(tasks.on_time),
                "due": due,
                "why": ", ".join(part for part in parts if part),
                "share": _share(rules.htt_on_time_share, _("mọi")),
            }
        )
    done = len(tasks.done)
    if level is Level.HTXS and done and Decimal(len(tasks.ahead)) < rules.htxs_ahead_share * done:
        notes.append(
            _(
                "dự kiến HTXS nhưng chỉ %(ahead)d/%(done)d nhiệm vụ đã hoàn thành vượt tiến "
                "độ; HTXS cần %(share)s số nhiệm vụ hoàn thành vượt mức."
            )
            % {
                "ahead": len(tasks.ahead),
                "done": done,
                "share": _share(rules.htxs_ahead_share, _("tất cả")),
            }
        )
    # A target not measured yet says nothing either way; one measured and missed does.
    measured = [line for line in evidence.targets.lines if line.actual is not None]
    met = [line for line in measured if line.met]
    if manager and Decimal(len(met)) < rules.manager_targets_share * len(measured):
        notes.append(
            _(
                "dự kiến %(level)s nhưng đơn vị mới đạt %(met)d/%(all)d chỉ tiêu đã có số liệu; "
                "cán bộ quản lý xếp %(level)s cần đơn vị hoàn thành %(share)s chỉ tiêu."
            )
            % {
                "level": level.value,
                "met": len(met),
                "all": len(measured),
                "share": _share(rules.manager_targets_share, _("mọi")),
            }
        )
    return notes


def _share(share: Decimal, every: str) -> str:
    """A threshold as the notes say it: `every` for 1, "ít nhất một nửa" for 0.5, else "ít nhất
    60%"."""
    if share >= 1:
        return every
    if share == Decimal("0.5"):
        return _("ít nhất một nửa")
    return _("ít nhất %(percent)s") % {"percent": percent(share)}
