"""core.views.attempt: a service call run for a view, and what the user is told."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.http import HttpRequest, QueryDict
from django.test import RequestFactory

from core.errors import DomainError
from core.versioning import EditConflict, VersionedFormMixin
from core.views import Done, attempt


def _request() -> HttpRequest:
    request = RequestFactory().post("/")
    request.session = {}  # type: ignore[attr-defined]
    request._messages = FallbackStorage(request)  # type: ignore[attr-defined]
    return request


def _told(request: HttpRequest) -> list[tuple[str, str]]:
    return [(m.level_tag, str(m)) for m in get_messages(request)]


def _refuse(message: str = "Không được.") -> Any:
    raise DomainError(message)


class NameForm(forms.Form):
    name = forms.CharField(required=False)


class VersionedNameForm(VersionedFormMixin, NameForm):
    pass


def test_a_call_that_goes_through_returns_its_value_and_says_so() -> None:
    request = _request()
    assert attempt(request, lambda: 3, success="Đã lưu.") == Done(3)
    assert _told(request) == [("success", "Đã lưu.")]


def test_the_success_message_can_be_made_from_the_result() -> None:
    request = _request()
    done = attempt(request, lambda: 3, success=lambda n: f"Đã đánh số {n} ý kiến.")
    assert done is not None and done.value == 3
    assert _told(request) == [("success", "Đã đánh số 3 ý kiến.")]


def test_a_result_of_none_still_counts_as_done_and_nothing_is_said_unasked() -> None:
    request = _request()
    assert attempt(request, lambda: None) == Done(None)
    assert _told(request) == []


def test_a_refusal_without_a_form_is_flashed() -> None:
    request = _request()
    assert attempt(request, lambda: _refuse("Hội nghị đã kết thúc."), success="Đã lưu.") is None
    assert _told(request) == [("error", "Hội nghị đã kết thúc.")]


def test_a_refusal_goes_on_the_form_or_on_its_field() -> None:
    form = NameForm(QueryDict("name=x"))
    assert form.is_valid()
    assert attempt(_request(), lambda: _refuse("Trùng tên."), form=form) is None
    assert form.non_field_errors() == ["Trùng tên."]
    form = NameForm(QueryDict("name=x"))
    assert form.is_valid()
    attempt(_request(), lambda: _refuse("Tên này đã có."), form=form, field="name")
    assert form.errors["name"] == ["Tên này đã có."]


def test_an_edit_conflict_on_a_versioned_form_is_shown_as_a_conflict() -> None:
    conflict = EditConflict.__new__(EditConflict)
    DomainError.__init__(conflict, "Nội dung này vừa được sửa.")
    conflict.current = SimpleNamespace(version=7)  # type: ignore[assignment]

    def save() -> None:
        raise conflict

    form = VersionedNameForm(QueryDict("name=x"))
    assert form.is_valid()
    assert attempt(_request(), save, form=form) is None
    assert form.conflicted is conflict
    assert form.data["version"] == "7"


def test_a_refusal_is_handed_on_after_the_user_is_told_and_only_a_refusal() -> None:
    form = NameForm(QueryDict("name=x"))
    assert form.is_valid()
    seen: list[tuple[str, list[str]]] = []

    def keep(error: DomainError) -> None:
        seen.append((str(error), form.non_field_errors()))

    assert attempt(_request(), lambda: _refuse("Đã có người sửa."), form=form, refused=keep) is None
    assert seen == [("Đã có người sửa.", ["Đã có người sửa."])]
    assert attempt(_request(), lambda: 3, form=form, refused=keep) == Done(3)
    assert len(seen) == 1


def test_an_error_that_is_no_rule_of_the_domain_is_not_hidden() -> None:
    def crash() -> None:
        raise RuntimeError("bug")

    with pytest.raises(RuntimeError):
        attempt(_request(), crash, success="Đã lưu.")
