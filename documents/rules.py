import rules

from documents.models import DocumentReceipt
from organisations.membership import membership_of
from organisations.permissions import (
    clerk_of_school,
    in_same_school,
    is_admin,
    is_clerk,
    is_leadership,
    leads_school,
)


@rules.predicate
def received_by_school(user: object, document: object) -> bool:
    """A body above sent the document to the user's school: it is in the school's register."""
    school_id = membership_of(user).school_id
    document_id = getattr(document, "pk", None)
    return (
        document_id is not None
        and school_id is not None
        and DocumentReceipt._base_manager.filter(
            document_id=document_id, school_id=school_id
        ).exists()
    )


rules.add_perm("documents.view_document", is_admin | in_same_school | received_by_school)
rules.add_perm("documents.register", is_admin | is_leadership | is_clerk)
# A received document stays the sender's: only the sender's leadership and clerks change it.
rules.add_perm("documents.change_document", is_admin | leads_school | clerk_of_school)
# Sharing the names of the school's tasks that implement a received document with its sender.
rules.add_perm("documents.share_receipt", is_admin | leads_school)
