import rules

from organisations.permissions import (
    in_same_school,
    is_admin,
    is_leadership,
    is_member,
    leads_school,
)

rules.add_perm("organisations.view_organisation", is_admin | in_same_school)
rules.add_perm("organisations.manage", is_admin | is_leadership)
rules.add_perm("organisations.change_organisation", is_admin | leads_school)
rules.add_perm("organisations.view_person", is_admin | in_same_school)
rules.add_perm("organisations.change_person", is_admin | leads_school)
rules.add_perm("organisations.browse", is_admin | is_member)


@rules.predicate
def has_account(user: object, person: object) -> bool:
    return getattr(person, "user_id", None) is not None


@rules.predicate
def account_is_admin(user: object, person: object) -> bool:
    account = getattr(person, "user", None)
    return bool(account is not None and account.is_superuser)


# Unlocking a colleague's login or giving them a temporary password: their school's leadership,
# never for the site administrator's account (that would hand the whole site to one school).
rules.add_perm(
    "organisations.manage_account",
    has_account & (is_admin | (leads_school & ~account_is_admin)),
)
