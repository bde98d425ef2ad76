"""Conference kinds with their quorum and vote rules: data with its legal source.

Kept in data/conference_kinds.json; written by a data migration and again by the demo loader
(a flushed test database has lost the migration's rows).
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

KINDS_PATH = Path(__file__).resolve().parent / "data" / "conference_kinds.json"


def load_kinds() -> list[dict[str, Any]]:
    return list(json.loads(KINDS_PATH.read_text(encoding="utf-8"))["kinds"])


def sync_conference_kinds(model: Any) -> int:
    """Create or update the kinds from the data file; takes the (historical) model class."""
    written = 0
    for entry in load_kinds():
        model.objects.update_or_create(
            code=entry["code"],
            valid_from=dt.date.fromisoformat(entry["valid_from"])
            if entry.get("valid_from")
            else None,
            defaults={
                "name": entry["name"],
                "quorum_numerator": entry["quorum_numerator"],
                "quorum_denominator": entry["quorum_denominator"],
                "pass_share": Decimal(entry["pass_share"]),
                "pass_base": entry["pass_base"],
                "legal_basis": entry["legal_basis"],
                "valid_to": dt.date.fromisoformat(entry["valid_to"])
                if entry.get("valid_to")
                else None,
                "is_sample": bool(entry.get("sample")),
            },
        )
        written += 1
    return written
