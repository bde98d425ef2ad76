"""The national rule sets, data with their legal source: ``data/rule_sets.json``.

Written by the data migration (0002) and again by the tests after a flush (a flushed database
has lost the migration's rows); read by `evaluate_emulation` when the database is not set up.
No model is imported here: the migration passes its historical model.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

# The evidence's thresholds (NĐ 90/2020 Art. 12–13), shares like the others.
EVIDENCE_SHARES = ("htt_on_time_share", "htxs_ahead_share", "manager_targets_share")
RULE_SETS_PATH = Path(__file__).resolve().parent / "data" / "rule_sets.json"


def load_rule_sets() -> list[dict[str, Any]]:
    """Each national rule set as the model's field values (dates and decimals parsed)."""
    entries = json.loads(RULE_SETS_PATH.read_text(encoding="utf-8"))["rule_sets"]
    return [
        {
            **entry,
            "valid_from": dt.date.fromisoformat(entry["valid_from"]),
            "htxs_quota": Decimal(entry["htxs_quota"]),
            "ttldtt_min_share": Decimal(entry["ttldtt_min_share"]),
            "ttldxs_min_share": Decimal(entry["ttldxs_min_share"]),
            **{name: Decimal(entry[name]) for name in EVIDENCE_SHARES if name in entry},
        }
        for entry in entries
    ]


def sync_rule_sets(model: Any) -> int:
    """Create or update the national rule sets from the data file; takes the model class.

    Called by data migrations with the model as it was then: values the model does not have yet
    are left out (a later migration adding the field syncs again). A new national rule set goes
    into data/rule_sets.json with a data migration that calls this, as document types do."""
    written = 0
    known = {field.name for field in model._meta.concrete_fields}
    for entry in load_rule_sets():
        values = {name: value for name, value in entry.items() if name in known}
        valid_from = values.pop("valid_from")
        model._base_manager.update_or_create(school=None, valid_from=valid_from, defaults=values)
        written += 1
    return written


BONUSES_PATH = Path(__file__).resolve().parent / "data" / "bonuses.json"


def sync_bonuses(base_salary_model: Any, bonus_scale_model: Any) -> int:
    """Create or update the base salaries and bonus scales from ``data/bonuses.json``; takes the
    two model classes (a migration passes its historical models). A new base salary or decree
    goes into the file with a data migration that calls this."""
    data = json.loads(BONUSES_PATH.read_text(encoding="utf-8"))
    written = 0
    for entry in data["base_salaries"]:
        base_salary_model._base_manager.update_or_create(
            valid_from=dt.date.fromisoformat(entry["valid_from"]),
            defaults={
                "amount": entry["amount"],
                "source": entry["source"],
                "notes": entry["notes"],
            },
        )
        written += 1
    for entry in data["scales"]:
        bonus_scale_model._base_manager.update_or_create(
            valid_from=dt.date.fromisoformat(entry["valid_from"]),
            defaults={
                "name": entry["name"],
                "source": entry["source"],
                "basis": entry.get("basis", ""),
                "notes": entry["notes"],
                "coefficients": entry["coefficients"],
                "rounding": entry["rounding"],
            },
        )
        written += 1
    return written
