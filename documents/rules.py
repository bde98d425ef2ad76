import rules

from organisations.permissions import (
    clerk_of_school,
    in_same_school,
    is_admin,
    is_clerk,
    is_leadership,
    leads_school,
)

rules.add_perm("documents.view_document", is_admin | in_same_school)
rules.add_perm("documents.register", is_admin | is_leadership | is_clerk)
rules.add_perm("documents.change_document", is_admin | leads_school | clerk_of_school)
