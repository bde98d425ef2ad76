"""The seam between the year's facts about each person and the classification that reads them.

The preview (`emulation.services.classification`) asks a `FactsSource` for the months worked and
the discipline of each evaluated person. `recorded_facts` reads what is recorded on each
evaluation (entered on the unit's review page, with the reason kept in its history). The
computed evidence of the year (`emulation.evidence.evidence_for(plan, people)`, built beside this
step) plugs in here as another source, without the classification or its pages changing; tests
pass a source of their own.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from emulation.engine import Discipline
from emulation.models import Campaign, Evaluation


@dataclass(frozen=True)
class PersonFacts:
    months_worked: Decimal
    discipline: Discipline | None


# (campaign, its evaluations) → the facts of each, by evaluation id.
FactsSource = Callable[[Campaign, Sequence[Evaluation]], Mapping[int, PersonFacts]]


def recorded_facts(
    campaign: Campaign, evaluations: Sequence[Evaluation]
) -> Mapping[int, PersonFacts]:
    """The facts as recorded on each evaluation."""
    del campaign  # every fact is on the evaluation itself
    return {
        evaluation.pk: PersonFacts(evaluation.months_worked, evaluation.discipline_value)
        for evaluation in evaluations
    }
