"""The demo school's emulation (demo/loader.py calls every domain's `load_demo`).

For now the national rule sets only: a flushed test database has lost the migration's rows. The
2023–2024 campaign, from the launch of 26/9/2023 to the principal's decision, comes with the
campaign pages.
"""

from __future__ import annotations

from typing import Any

from emulation.models import RuleSet
from emulation.seed import sync_rule_sets
from planning.models import Plan


def load_demo(plan: Plan, loader: Any) -> None:
    sync_rule_sets(RuleSet)
