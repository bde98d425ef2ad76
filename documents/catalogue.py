"""The catalogue of document types: data with its legal source, kept in data/document_types.json."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

CATALOGUE_PATH = Path(__file__).resolve().parent / "data" / "document_types.json"


def load_catalogue() -> dict[str, Any]:
    return json.loads(CATALOGUE_PATH.read_text(encoding="utf-8"))


def sync_document_types(model: Any) -> int:
    """Create or update the document types from the catalogue; returns how many it wrote.

    Takes the model class so that data migrations can pass their historical model.
    """
    catalogue = load_catalogue()
    valid_from = dt.date.fromisoformat(catalogue["valid_from"])
    written = 0
    for entry in catalogue["types"]:
        model.objects.update_or_create(
            code=entry["code"],
            defaults={
                "name": entry["name"],
                "is_regulatory": entry.get("regulatory", False),
                "in_symbol": entry.get("in_symbol", True),
                "systems": ",".join(entry.get("systems", ["state"])),
                "source": catalogue["source"],
                "valid_from": valid_from,
            },
        )
        written += 1
    return written
