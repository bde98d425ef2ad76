"""The exchange format of `evaluate_emulation` (issue 14), read into the engine's facts.

Input::

    {"year": "2023-2024",
     "rules": {"htxs_quota": 0.2, "min_months_classified": 6, "ldtt_min_months": 10},
     "units": [{"id": "K1"}],
     "people": [{"id": "P01", "unit": "K1", "group": "GV", "months_worked": 12,
                 "discipline": null, "proposed": "HTXS", "council_rank": 1,
                 "initiative": "school",
                 "history": [{"year": "2022-2023", "titles": ["LĐTT", "CSTĐCS"]}]}]}

``rules`` is optional: its values replace, for this run, the rule set's values of the same names
(the three above; the rule set's other values, ``ttldtt_min_share``, ``ttldxs_min_share`` and
``cstd_higher_streak``, may be given the same way). ``under_ministry`` (optional, false) makes the
higher individual title "CSTĐ cấp bộ". Keys not named here are ignored. A person's
``discipline``, ``council_rank``, ``initiative`` and ``history`` may be left out (null, none),
and so may ``leave_months`` (0: months absent on leave the law allows, maternity leave apart;
from the rule set's ``leave_cap_months``, 3, the level is at most HT) and ``maternity`` (false:
true classifies a person on maternity leave on the time actually worked, under 6 months too),
NĐ 90/2020 Art. 2 cl. 3; ``rules`` may replace ``leave_cap_months`` too.

Every refusal is an `ExchangeError` whose message says, in Vietnamese, where and what.
Text is compared after Unicode NFC normalisation (a file saved on another system may spell "ả"
as "a" + a combining hook); names (levels, discipline, scopes, titles) are compared without regard to case.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from emulation.engine import (
    INDIVIDUAL_TITLES,
    Discipline,
    Level,
    Person,
    SchoolYear,
    Scope,
    Title,
    Unit,
)

# The rule values `rules` may replace, with their bounds (inclusive) and whether whole.
OVERRIDABLE: dict[str, tuple[Decimal, Decimal, bool]] = {
    "htxs_quota": (Decimal(0), Decimal(1), False),
    "min_months_classified": (Decimal(0), Decimal(12), False),
    "ldtt_min_months": (Decimal(0), Decimal(12), False),
    "ttldtt_min_share": (Decimal(0), Decimal(1), False),
    "ttldxs_min_share": (Decimal(0), Decimal(1), False),
    "cstd_higher_streak": (Decimal(1), Decimal(50), True),
    "leave_cap_months": (Decimal(0), Decimal(12), False),
}


class ExchangeError(ValueError):
    """Input the command refuses; the message is for the user (Vietnamese)."""


@dataclass(frozen=True)
class Exchange:
    year: SchoolYear
    units: list[Unit]
    people: list[Person]
    rule_values: dict[str, Decimal | int] = field(default_factory=dict)
    under_ministry: bool = False


def _text(value: Any) -> str:
    return unicodedata.normalize("NFC", value).strip()


def _names(values: Any) -> str:
    return ", ".join(f'"{value}"' for value in values)


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    return {
        bool: "true/false",
        int: "số",
        float: "số",
        str: "chuỗi",
        list: "danh sách",
        dict: "đối tượng",
    }.get(type(value), type(value).__name__)


def _require(data: dict[str, Any], key: str, where: str) -> Any:
    if key not in data:
        raise ExchangeError(f'{where}: thiếu khóa bắt buộc "{key}"')
    return data[key]


def _string(value: Any, where: str, key: str) -> str:
    if not isinstance(value, str) or not _text(value):
        raise ExchangeError(f'{where}: "{key}" phải là chuỗi khác rỗng (nhận được {_kind(value)})')
    return _text(value)


def _number(value: Any, where: str, key: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ExchangeError(f'{where}: "{key}" phải là số (nhận được {_kind(value)})')
    number = Decimal(str(value))
    if not number.is_finite():
        raise ExchangeError(f'{where}: "{key}" phải là số hữu hạn')
    return number


def _year(value: Any, where: str) -> SchoolYear:
    if not isinstance(value, str):
        raise ExchangeError(f'{where}: "year" phải là chuỗi dạng "2023-2024"')
    try:
        return SchoolYear.parse(value)
    except ValueError as exc:
        raise ExchangeError(f"{where}: {exc}") from exc


def _choice(
    value: Any,
    options: type[Level] | type[Discipline] | type[Scope],
    where: str,
    key: str,
    nullable: bool,
) -> Any:
    allowed = [option.value for option in options]
    if value is None and nullable:
        return None
    if isinstance(value, str):
        text = _text(value)
        for option in options:
            if text.casefold() == option.value.casefold():
                return option
    accepted = ("null hoặc " if nullable else "") + "một trong " + _names(allowed)
    shown = f'"{value}"' if isinstance(value, str) else _kind(value)
    raise ExchangeError(f'{where}: "{key}" không hợp lệ ({shown}); chỉ nhận {accepted}')


def parse(data: Any) -> Exchange:
    """The facts of an input document; raises `ExchangeError` on anything the format refuses."""
    if not isinstance(data, dict):
        raise ExchangeError(f"dữ liệu phải là một đối tượng JSON (nhận được {_kind(data)})")
    year = _year(_require(data, "year", "dữ liệu"), "dữ liệu")
    rule_values = _rules(data.get("rules"))
    under_ministry = data.get("under_ministry", False)
    if not isinstance(under_ministry, bool):
        raise ExchangeError('dữ liệu: "under_ministry" phải là true hoặc false')

    raw_units = _require(data, "units", "dữ liệu")
    if not isinstance(raw_units, list):
        raise ExchangeError(f'dữ liệu: "units" phải là danh sách (nhận được {_kind(raw_units)})')
    units: list[Unit] = []
    unit_ids: set[str] = set()
    for index, raw in enumerate(raw_units):
        where = f"units[{index}]"
        if not isinstance(raw, dict):
            raise ExchangeError(f'{where}: phải là đối tượng {{"id": …}}')
        unit_id = _string(_require(raw, "id", where), where, "id")
        if unit_id in unit_ids:
            raise ExchangeError(f'{where}: mã đơn vị "{unit_id}" lặp lại')
        unit_ids.add(unit_id)
        units.append(Unit(unit_id))

    raw_people = _require(data, "people", "dữ liệu")
    if not isinstance(raw_people, list):
        raise ExchangeError(f'dữ liệu: "people" phải là danh sách (nhận được {_kind(raw_people)})')
    people: list[Person] = []
    person_ids: set[str] = set()
    for index, raw in enumerate(raw_people):
        person = _person(raw, f"people[{index}]", year, unit_ids)
        if person.id in person_ids:
            raise ExchangeError(f'people[{index}]: mã người "{person.id}" lặp lại')
        person_ids.add(person.id)
        people.append(person)
    return Exchange(year, units, people, rule_values, under_ministry)


def _rules(raw: Any) -> dict[str, Decimal | int]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise ExchangeError(f'dữ liệu: "rules" phải là đối tượng (nhận được {_kind(raw)})')
    values: dict[str, Decimal | int] = {}
    for key, (low, high, whole) in OVERRIDABLE.items():
        if key not in raw:
            continue
        number = _number(raw[key], "rules", key)
        if whole and number != number.to_integral_value():
            raise ExchangeError(f'rules: "{key}" phải là số nguyên')
        if not low <= number <= high:
            raise ExchangeError(f'rules: "{key}" phải từ {low} đến {high} (nhận được {number})')
        values[key] = int(number) if whole else number
    return values


def _person(raw: Any, where: str, year: SchoolYear, unit_ids: set[str]) -> Person:
    if not isinstance(raw, dict):
        raise ExchangeError(f"{where}: phải là đối tượng (nhận được {_kind(raw)})")
    person_id = _string(_require(raw, "id", where), where, "id")
    where = f"{where} ({person_id})"
    unit = _string(_require(raw, "unit", where), where, "unit")
    if unit not in unit_ids:
        raise ExchangeError(f'{where}: đơn vị "{unit}" không có trong "units"')
    group = _string(_require(raw, "group", where), where, "group")
    months_worked = _number(_require(raw, "months_worked", where), where, "months_worked")
    if not Decimal(0) <= months_worked <= Decimal(12):
        raise ExchangeError(
            f'{where}: "months_worked" phải từ 0 đến 12 (nhận được {months_worked})'
        )
    leave_months = Decimal(0)
    if raw.get("leave_months") is not None:
        leave_months = _number(raw["leave_months"], where, "leave_months")
        if not Decimal(0) <= leave_months <= Decimal(12) - months_worked:
            raise ExchangeError(
                f'{where}: "leave_months" phải từ 0 đến {12 - months_worked} (cộng với '
                f'"months_worked" không quá 12; nhận được {leave_months})'
            )
    maternity = raw.get("maternity", False)
    if maternity is None:
        maternity = False
    if not isinstance(maternity, bool):
        raise ExchangeError(
            f'{where}: "maternity" phải là true, false hoặc null (nhận được {maternity!r})'
        )
    proposed = _choice(_require(raw, "proposed", where), Level, where, "proposed", False)
    discipline = _choice(raw.get("discipline"), Discipline, where, "discipline", True)
    initiative = _choice(raw.get("initiative"), Scope, where, "initiative", True)
    rank = raw.get("council_rank")
    if rank is not None and (isinstance(rank, bool) or not isinstance(rank, int) or rank < 1):
        raise ExchangeError(
            f'{where}: "council_rank" phải là null hoặc số nguyên từ 1 trở lên (nhận được {rank!r})'
        )
    return Person(
        id=person_id,
        unit=unit,
        group=group,
        months_worked=months_worked,
        proposed=proposed,
        discipline=discipline,
        council_rank=rank,
        initiative=initiative,
        history=_history(raw.get("history"), where, year),
        leave_months=leave_months,
        maternity=maternity,
    )


def _history(raw: Any, where: str, year: SchoolYear) -> dict[SchoolYear, frozenset[Title]]:
    if raw is None:
        return {}
    if not isinstance(raw, list):
        raise ExchangeError(f'{where}: "history" phải là danh sách (nhận được {_kind(raw)})')
    history: dict[SchoolYear, frozenset[Title]] = {}
    allowed = sorted(title.value for title in INDIVIDUAL_TITLES)
    for index, entry in enumerate(raw):
        at = f"{where}: history[{index}]"
        if not isinstance(entry, dict):
            raise ExchangeError(f'{at} phải là đối tượng {{"year": …, "titles": […]}}')
        past = _year(_require(entry, "year", at), at)
        if past >= year:
            raise ExchangeError(
                f"{at}: năm {past} không trước năm xét {year} (lịch sử là các năm học trước)"
            )
        if past in history:
            raise ExchangeError(f"{at}: năm {past} lặp lại trong lịch sử")
        titles = entry.get("titles", [])
        if not isinstance(titles, list):
            raise ExchangeError(f'{at}: "titles" phải là danh sách')
        found: set[Title] = set()
        for title in titles:
            text = _text(title).casefold() if isinstance(title, str) else None
            match = [known for known in INDIVIDUAL_TITLES if known.value.casefold() == text]
            if not match:
                shown = f'"{title}"' if isinstance(title, str) else _kind(title)
                raise ExchangeError(
                    f"{at}: danh hiệu {shown} không hợp lệ; chỉ nhận {_names(allowed)}"
                )
            found.add(match[0])
        history[past] = frozenset(found)
    return history
