"""core.errors.DomainError: the message a user is told and the HTTP status that says so."""

from __future__ import annotations

from core.errors import DomainError
from core.versioning import EditConflict


class Refused(DomainError):
    pass


class Conflict(DomainError):
    status = 409


def test_a_domain_error_carries_its_message_and_a_400_by_default() -> None:
    error = Refused("Ngày kết thúc phải sau ngày bắt đầu.")
    assert (error.message, error.status, str(error)) == (
        "Ngày kết thúc phải sau ngày bắt đầu.",
        400,
        "Ngày kết thúc phải sau ngày bắt đầu.",
    )


def test_the_status_comes_from_the_class_or_from_the_raiser() -> None:
    assert Conflict("Đã có người sửa.").status == 409
    assert Refused("Không tìm thấy.", status=404).status == 404
    assert Refused("Không được.").status == 400
    assert EditConflict.status == 409
