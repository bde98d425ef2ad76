"""Who is told when a teaching assignment is applied: the lecturers who teach in the semester
(each may look at their own sections and statement) and the heads of their groups."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.urls import reverse
from django.utils.translation import gettext as _

from notifications.models import NotificationKind
from notifications.people import heads_of
from notifications.services import notify
from workload.models import Lecturer, Term


def assignment_applied(term: Term, changed: int, *, by: User) -> None:
    lecturers = list(
        Lecturer.objects.filter(
            assigned_sections__term=term,
            assigned_sections__archived_at__isnull=True,
            person__user__isnull=False,
        )
        .select_related("person__user")
        .distinct()
        .order_by("pk")
    )
    heads = [
        user for group_id in {lec.group_id for lec in lecturers} for user in heads_of(group_id)
    ]
    notify(
        [*(lec.person.user for lec in lecturers), *heads],
        kind=NotificationKind.ASSIGNMENT_APPLIED,
        title=_("Đã áp dụng phân công giảng dạy %(term)s") % {"term": term},
        body=_("%(n)d lớp học phần đổi người dạy. Hãy xem các lớp được phân công cho mình.")
        % {"n": changed},
        url=reverse("workload:term_detail", args=[term.pk]),
        actor=by,
    )
