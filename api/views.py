"""The page where a user creates and revokes their API tokens."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from api import services
from api.models import ApiToken
from core.forms import StyledFormMixin
from core.requests import SignedInRequest
from core.views import attempt
from organisations.membership import membership_of


def _user(request: HttpRequest) -> Any:
    """The signed-in user (login_required has ruled out the anonymous one)."""
    return request.user


class TokenForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("Tên gợi nhớ"), max_length=100)


@login_required
def tokens(request: SignedInRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    secret = None
    if request.method == "POST" and form.is_valid():
        name = form.cleaned_data["name"]
        organisation_id = membership_of(request.user).school_id
        created = attempt(
            request,
            lambda: services.create_token(request.user, name=name, organisation_id=organisation_id),
            form=form,
        )
        if created:
            _token, secret = created.value
            form = TokenForm()
    rows = ApiToken.objects.filter(user=_user(request))
    return render(
        request,
        "api/tokens.html",
        {"form": form, "tokens": rows, "secret": secret},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
@require_POST
def token_revoke(request: SignedInRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=_user(request))
    services.revoke_token(token, by=request.user)
    messages.success(request, _("Đã thu hồi khóa."))
    return redirect("api_tokens")
