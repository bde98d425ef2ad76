"""Who may see and change a school's Word templates (checked against the school itself)."""

import rules

from organisations.permissions import clerk_of_school, in_same_school, is_admin, leads_school

rules.add_perm("papers.view_templates", is_admin | in_same_school)
# The leadership and the clerk (văn thư) keep the school's templates.
rules.add_perm("papers.manage_templates", is_admin | leads_school | clerk_of_school)
