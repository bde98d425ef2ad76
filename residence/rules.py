"""Who may see and change the residence data (django-rules permissions of the residence app).

Figures without names (occupancy, declaration rate, counts by ward) are the school's. Names,
addresses and phones follow the students app's rule (NĐ 13/2023/NĐ-CP): the leadership and the
student affairs office every student, a faculty's heads its programmes', a class adviser their
class (`students.rules.named_cohorts`). Allocations, imports, inspections and the lists for the
ward and the police are the student affairs office's and the leadership's.
"""

from __future__ import annotations

import rules

from organisations.permissions import in_same_school, is_admin, leads_school
from students.rules import advises, heads_faculty, in_records_office

rules.add_perm("residence.view_figures", is_admin | in_same_school)
rules.add_perm("residence.manage", leads_school | in_records_office)
# Printing a class's declaration links and codes: whoever may see the class's names.
rules.add_perm("residence.issue_links", leads_school | in_records_office | heads_faculty | advises)
