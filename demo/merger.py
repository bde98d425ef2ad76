"""The merger of the demo school into Trường Cao đẳng Lạng Sơn on 27/8/2025, performed on the
demo data by `manage.py demo_merger` (and by its test): not part of the default demo, whose
2023–2024 year stays as the source tells it.

The data file records the succession itself (demo/loader.py: the two schools and the day) but not
the decision: its number and date here are sample data, marked as such in its summary. The Sở's
officer records it, as on the merger page.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model

from core.scopes import unscoped
from organisations.models import Organisation
from province.demo import OFFICER_USERNAME
from province.mergers import Decision, Outcome, merge_school
from province.models import DirectedSchool

OLD_CODE = "cdsp-lang-son"
NEW_CODE = "cd-lang-son"
EFFECTIVE_ON = dt.date(2025, 8, 27)
SAMPLE_DECISION = Decision(
    number="1234",
    issuer_code="UBND",
    issued_on=dt.date(2025, 8, 20),
    issuer_name="Chủ tịch Ủy ban nhân dân tỉnh Lạng Sơn",
    summary=(
        "Về việc sáp nhập Trường Cao đẳng Sư phạm Lạng Sơn vào Trường Cao đẳng Lạng Sơn "
        "(số, ngày của quyết định là dữ liệu mẫu)"
    ),
)


@unscoped
def merge_demo_school(*, dry_run: bool = False) -> Outcome:
    """Merge the demo college into Trường Cao đẳng Lạng Sơn (units of the same name, created
    there; open tasks into its 2025–2026 plan; staff and students moved)."""
    old = Organisation.objects.get(code=OLD_CODE, kind="school")
    new = Organisation.objects.get(code=NEW_CODE, kind="school")
    entry = DirectedSchool.objects.filter(school=old).select_related("body").first()
    officer = get_user_model().objects.get(username=OFFICER_USERNAME)
    return merge_school(
        old,
        into=new,
        decision=SAMPLE_DECISION,
        effective_on=EFFECTIVE_ON,
        body=entry.body if entry is not None else None,
        by=officer,
        dry_run=dry_run,
    )
