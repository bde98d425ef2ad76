"""The student's own page: from the link the school sent, the 6-digit code, then their address
for the term. No account: the link and code (residence.links) stand for the student, and the page
shows and changes only that student's declaration. Light on purpose (no scripts, no framework
CSS) for a phone on a slow network; CSRF-protected as every form."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django_scopes import scope

from core.clock import today
from core.login_throttle import client_address
from core.scopes import DIMENSION
from residence import links, services
from residence.forms import CodeForm, DeclarationForm
from residence.models import Declaration, Source

SESSION_KEY = "residence_declare"
TEMPLATE = "residence/declare.html"


@never_cache
@csrf_protect
def declare(request: HttpRequest, token: str) -> HttpResponse:
    address = client_address(request)
    if links.address_blocked(address):
        return render(request, TEMPLATE, {"error": links.BLOCKED}, status=429)
    day = today()
    try:
        link = links.open_link(token, day)
    except services.ResidenceError as error:
        links.count_failure(address)
        return render(request, TEMPLATE, {"error": str(error)}, status=error.status)
    term, student = link.term, link.student
    # The student's name only after the code: a link passed on shows nobody's data.
    context: dict[str, object] = {"term": term, "window": term.window_open(day)}
    verified: dict[str, str] = request.session.get(SESSION_KEY, {})
    if verified.get(str(link.pk)) != link.nonce:
        code_form = CodeForm(request.POST or None)
        context["code_form"] = code_form
        if request.method == "POST" and code_form.is_valid():
            try:
                links.check_code(link, code_form.cleaned_data["code"])
            except services.ResidenceError as error:
                links.count_failure(address)
                context["error"] = str(error)
                return render(request, TEMPLATE, context, status=error.status)
            request.session.cycle_key()
            request.session[SESSION_KEY] = {**verified, str(link.pk): link.nonce}
            return redirect("residence:declare", token=token)
        return render(request, TEMPLATE, context, status=400 if request.method == "POST" else 200)
    with scope(**{DIMENSION: term.school_id}):
        current = Declaration.objects.filter(term=term, student=student).first()
        initial = (
            {key: getattr(current, key) for key in services.DECLARED_FIELDS}
            if current
            else {"phone": student.phone}
        )
        form = DeclarationForm(request.POST or None, initial=initial)
        context.update(
            student=student, form=form, declaration=current, done=request.GET.get("done") == "1"
        )
        if request.method == "POST" and form.is_valid():
            try:
                services.declare(
                    term, student, form.cleaned_data, source=Source.LINK, by=None, today=day
                )
            except services.ResidenceError as error:
                form.add_error(None, str(error))
            else:
                return redirect(request.path + "?done=1")
        status = 400 if form.errors else 200
        return render(request, TEMPLATE, context, status=status)
