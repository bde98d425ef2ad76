"""The council's cases as table rows, built here rather than in the template: a university's
list holds a case per CSTĐCS, HTXS candidate over the quota and title to propose (978 for the
2 000 staff of bench/emulation_scale_bench.py), and the template engine spent most of the page's
time on them, the ballot paper's three radio buttons a case above all (docs/PERFORMANCE.md, "Thi
đua"). Same markup, escaped (html.escape); the page's template keeps everything else.

The cases are read as plain values (one query), not as four model instances each."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from emulation.models import CouncilItem, CouncilVote, ItemKind

_COLUMNS = (
    "pk", "kind", "group", "quota", "grounds", "yes_count", "no_count", "abstain_count", "base",
    "passed", "rank", "evaluation_id", "evaluation__person_id", "evaluation__person__full_name",
    "evaluation__unit__name", "evaluation__unit__short_name", "unit__name",
)  # fmt: skip


@dataclass(frozen=True)
class Case:
    """One case of the ballot as the council's page shows it."""

    pk: int
    kind: str
    group: str
    quota: int | None
    grounds: str
    yes_count: int | None
    no_count: int | None
    abstain_count: int | None
    base: int | None
    passed: bool | None
    rank: int | None
    evaluation_id: int | None
    person_id: int | None
    person_name: str
    person_unit: str
    person_unit_short: str
    unit_name: str  # a unit's case (TTLĐXS)

    @property
    def kind_label(self) -> str:
        return str(ItemKind(self.kind).label)


def cases_of(vote: CouncilVote) -> list[Case]:
    """The vote's cases in the ballot's order."""
    rows = CouncilItem.objects.filter(vote=vote).order_by("order", "pk").values_list(*_COLUMNS)
    return [Case(*row[:11], *row[11:13], *(value or "" for value in row[13:])) for row in rows]


def _labels() -> dict[str, str]:
    return {kind.value: str(kind.label) for kind in ItemKind}


# Plain str.format and the standard library's escape: format_html's lazy checks per value cost
# more than the rows themselves (a thousand rows: 200 ms against 20 ms). Every value that is not
# an int or a fixed word of ours goes through _e.
def _e(value: object) -> str:
    return escape(str(value), quote=True)


def item_rows(cases: Iterable[Case], *, counted: bool) -> SafeString:
    """The list of cases: what, who, why; once counted, the tally and the outcome."""
    labels = _labels()
    quota_word, collective = _e(_("chỉ tiêu")), _e(_("Tập thể"))
    kept, fell = _e(_("giữ HTXS")), _e(_("xếp HTT"))
    passed_word, failed_word = _e(_("tán thành")), _e(_("không đủ phiếu"))
    rank_word = _("thứ %(r)s")
    rows = []
    for case in cases:
        group = (
            f'<div class="text-body-secondary">{_e(case.group)} · {quota_word} {case.quota}</div>'
            if case.group
            else ""
        )
        who = (
            f'{_e(case.person_name)}<div class="text-body-secondary">{_e(case.person_unit)}</div>'
            if case.evaluation_id is not None
            else f"{collective} {_e(case.unit_name)}"
        )
        tally = ""
        if counted:
            colour = "success" if case.passed else "danger"
            if case.kind == ItemKind.HTXS:
                outcome = (
                    f"{_e(rank_word % {'r': case.rank})} — "
                    f'<span class="text-{colour}">{kept if case.passed else fell}</span>'
                )
            else:
                word = passed_word if case.passed else failed_word
                outcome = (
                    f'<span class="text-{colour}">{word}</span> ({case.yes_count}/{case.base})'
                )
            tally = (
                f'<td class="text-center fw-semibold">{case.yes_count}</td>'
                f'<td class="text-center">{case.no_count}</td>'
                f'<td class="text-center">{case.abstain_count}</td>\n      <td>{outcome}</td>'
            )
        rows.append(
            f'<tr data-item="{case.pk}">\n      <td>{_e(labels[case.kind])}{group}</td>\n'
            f"      <td>{who}</td>\n      <td>{_e(case.grounds)}</td>\n      {tally}\n    </tr>"
        )
    return mark_safe("".join(rows))  # every value escaped above


def ballot_rows(cases: Iterable[Case], choices: Sequence[tuple[str, object]]) -> SafeString:
    """A member's ballot paper: a row per case, one radio button per choice, abstain chosen."""
    labels = _labels()
    collective = _e(_("Tập thể"))
    # Each button split around the case's id: (before, after).
    buttons = [
        (
            '<td class="text-center"><input class="form-check-input" type="radio" name="item-',
            f'" value="{_e(value)}" aria-label="{_e(label)}"'
            f"{' checked' if value == 'abstain' else ''}></td>",
        )
        for value, label in choices
    ]
    rows = []
    for case in cases:
        who = (
            f'{_e(case.person_name)} <span class="text-body-secondary">'
            f"({_e(case.person_unit_short or case.person_unit)})</span>"
            if case.evaluation_id is not None
            else f"{collective} {_e(case.unit_name)}"
        )
        rows.append(
            f'<tr data-item="{case.pk}">\n        <td><span class="text-body-secondary">'
            f"{_e(labels[case.kind])}:</span> {who}</td>\n        "
            f"{''.join(f'{before}{case.pk}{after}' for before, after in buttons)}\n      </tr>"
        )
    return mark_safe("".join(rows))  # every value escaped above
