"""The link and code a student declares their off-campus address with, from a phone and without
an account.

The link carries the row's id and nonce signed with the site's key; the 6-digit code is derived
from them with the same key and printed beside it (advisers hand them out). Neither is stored,
so the list can be printed again; issuing anew changes the nonce and revokes both. A link works
only until the term's window closes. Guessing is slowed twice: five wrong codes lock the link for
15 minutes, and an address that keeps failing (forged links, wrong codes) is answered 429.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable

from django.contrib.auth.models import User
from django.core import signing
from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from residence.models import DeclarationLink, Term
from residence.services import ResidenceError, ensure_open_school
from students.models import Student

SALT = "residence.declare"
MAX_FAILURES = 5
LOCK = dt.timedelta(minutes=15)
ADDRESS_FAILURES = 30
ADDRESS_WINDOW = 10 * 60  # seconds
BLOCKED = _lazy("Quá nhiều lần thử sai từ địa chỉ này: hãy thử lại sau ít phút.")


def token(link: DeclarationLink) -> str:
    return signing.Signer(salt=SALT).sign(f"{link.pk}.{link.nonce}")


def code(link: DeclarationLink) -> str:
    digest = salted_hmac(SALT + ".code", f"{link.pk}.{link.nonce}").hexdigest()
    return f"{int(digest[:12], 16) % 1_000_000:06d}"


@transaction.atomic
def issue(
    term: Term, students: Iterable[Student], *, by: User, renew: bool = False
) -> list[DeclarationLink]:
    """Each student's link for the term (made when missing; `renew` revokes the old ones)."""
    ensure_open_school(term.school_id)
    students = list(students)
    existing = {
        link.student_id: link
        for link in DeclarationLink.objects.filter(term=term, student__in=students)
    }
    now = timezone.now()
    result = []
    for student in students:
        link = existing.get(student.pk)
        if link is None:
            link = DeclarationLink.objects.create(
                term=term, student=student, nonce=secrets.token_hex(8), issued_at=now
            )
        elif renew:
            link.nonce, link.issued_at, link.failures, link.locked_until = (
                secrets.token_hex(8),
                now,
                0,
                None,
            )
            link.save(update_fields=["nonce", "issued_at", "failures", "locked_until"])
        link.student = student
        result.append(link)
    return result


def _address_key(address: str | None) -> str:
    return f"residence-declare-failures:{address or '-'}"


def address_blocked(address: str | None) -> bool:
    return int(cache.get(_address_key(address), 0)) >= ADDRESS_FAILURES


def count_failure(address: str | None) -> None:
    key = _address_key(address)
    if not cache.add(key, 1, ADDRESS_WINDOW):
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, ADDRESS_WINDOW)


def open_link(value: str, day: dt.date) -> DeclarationLink:
    """The link a token names (read across schools: the visitor has none), refused when forged,
    revoked or past the term's window."""
    try:
        raw = signing.Signer(salt=SALT).unsign(value)
        pk_text, nonce = raw.split(".", 1)
        pk = int(pk_text)
    except (signing.BadSignature, ValueError) as error:
        raise ResidenceError(_("Đường dẫn khai báo không hợp lệ."), status=404) from error
    link = (
        DeclarationLink._base_manager.select_related("term", "student__cohort")
        .filter(pk=pk)
        .first()
    )
    if link is None or not constant_time_compare(link.nonce, nonce):
        raise ResidenceError(
            _("Đường dẫn khai báo đã được thay bằng đường dẫn mới: hãy hỏi giáo viên chủ nhiệm."),
            status=404,
        )
    if day > link.term.declare_until:
        raise ResidenceError(
            _("Đã hết hạn khai báo của %(term)s: hãy liên hệ giáo viên chủ nhiệm.")
            % {"term": link.term},
            status=410,
        )
    return link


def check_code(link: DeclarationLink, given: str) -> None:
    """Accept the link's code, or count a failure (five lock the link for a while)."""
    now = timezone.now()
    if link.locked_until and link.locked_until > now:
        raise ResidenceError(
            _("Nhập sai mã quá nhiều lần: hãy thử lại sau %(m)d phút.")
            % {"m": int((link.locked_until - now).total_seconds() // 60) + 1},
            status=429,
        )
    given = "".join(ch for ch in given if ch in "0123456789")[:12]
    if constant_time_compare(given, code(link)):
        DeclarationLink._base_manager.filter(pk=link.pk).update(
            failures=0, locked_until=None, used_at=now
        )
        return
    manager = DeclarationLink._base_manager.filter(pk=link.pk)
    manager.update(failures=F("failures") + 1)
    failures = manager.values_list("failures", flat=True).first() or 0
    if failures >= MAX_FAILURES:
        manager.update(failures=0, locked_until=now + LOCK)
        raise ResidenceError(
            _("Nhập sai mã quá nhiều lần: hãy thử lại sau %(m)d phút.")
            % {"m": int(LOCK.total_seconds() // 60)},
            status=429,
        )
    raise ResidenceError(_("Mã khai báo không đúng."), status=400)
