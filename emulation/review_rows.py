"""A unit's review page as rows built in Python: each person's name, key figures, levels so far
and the review form of each step the reviewer may take. The template engine spent most of the
page's time on these rows (35 of them, a select, a comment and the person's evidence line each:
docs/PERFORMANCE.md, "Thi đua"). Same markup as the template they replace; every value escaped
(html.escape). The evidence line is the one `emulation/evidence/_person_line.html` writes
(tested equal).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from html import escape
from typing import Any

from django.forms import Form
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.text import format_number
from emulation.evidence import PersonEvidence


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def _number(value: Any) -> str:
    return format_number(Decimal(str(value)))  # the vn_number filter


def person_line(p: PersonEvidence, *, with_on_time: bool) -> str:
    """A person's key figures on one line, as `emulation/evidence/_person_line.html`."""
    tasks = p.tasks
    parts = []
    if tasks.tasks:
        if with_on_time:
            parts.append(f"{len(tasks.on_time)}/{len(tasks.due)} {_e(_('đúng hạn'))} · ")
        rate = p.checkins.on_time_rate
        parts.append(
            f"{len(tasks.ahead)} {_e(_('vượt tiến độ'))} · "
            f'<span class="{"text-danger" if tasks.overdue else ""}">{len(tasks.overdue)} '
            f"{_e(_('quá hạn'))}</span> · {_e(_('báo cáo'))} "
            f"{_number(rate) + '%' if rate is not None else '—'}"
        )
    else:
        parts.append(_e(_("không có nhiệm vụ")))
    if p.targets.lines:
        parts.append(f" · {_e(_('chỉ tiêu'))} {len(p.targets.met)}/{len(p.targets.lines)}")
    if p.teaching and p.teaching.rate is not None:
        parts.append(f" · {_e(_('giờ giảng'))} {_number(p.teaching.rate)}%")
    return "".join(parts) + "\n"


BUTTONS = {
    "group": gettext_lazy("Tổ xét"),
    "unit": gettext_lazy("Đơn vị xét"),
    "leadership": gettext_lazy("BGH xét"),
}


def _form(pk: int, step: str, form: Form, csrf: str) -> str:
    url = _e(reverse("emulation:evaluation_review", args=[pk, step]))
    level, comment = form["level"], form["comment"]
    chosen = level.value()
    hidden = "".join(
        f'<input type="hidden" name="{_e(field.html_name)}" value="{_e(field.value() or "")}" '
        f'id="{_e(field.auto_id)}">'
        for field in form.hidden_fields()
    )
    options = "".join(
        f'<option value="{_e(value)}"{" selected" if chosen == value else ""}>'
        f"{_e(value or '—')}</option>"
        for value, _label in level.field.choices  # type: ignore[attr-defined]  # a ChoiceField
    )
    level_id, comment_id = f"{_e(level.id_for_label)}-{pk}", f"{_e(comment.id_for_label)}-{pk}"
    return (
        f'\n      <form class="d-flex flex-wrap gap-1 mb-1" method="post" action="{url}" '
        f'hx-post="{url}" hx-target="#row-{pk}" hx-swap="outerHTML">{csrf}\n        {hidden}\n'
        f'        <label class="visually-hidden" for="{level_id}">{_e(level.label)}</label>\n'
        f'        <select class="form-select form-select-sm w-auto" name="{_e(level.html_name)}" '
        f'id="{level_id}">{options}</select>\n'
        f'        <label class="visually-hidden" for="{comment_id}">{_e(comment.label)}</label>\n'
        f'        <input class="form-control form-control-sm flex-grow-1" style="min-width: 8rem; '
        f'width: auto" name="{_e(comment.html_name)}" id="{comment_id}" '
        f'value="{_e(comment.value() or "")}" placeholder="{_e(_("Nhận xét"))}">\n'
        f'        <button class="btn btn-sm btn-outline-danger" type="submit">'
        f"{_e(BUTTONS[step])}</button>\n      </form>\n      "
    )


def csrf_input(token: str) -> str:
    """What {% csrf_token %} writes."""
    return f'<input type="hidden" name="csrfmiddlewaretoken" value="{_e(token)}">'


def review_row(
    row: Mapping[str, Any], *, csrf: str, form_error: Mapping[str, Any] | None = None
) -> SafeString:
    """One person's row (`row`: the view's evaluation, evidence, evidence_url, forms by step);
    `csrf`: the hidden CSRF input; `form_error`: a failed review's errors, shown in the row."""
    e = row["evaluation"]
    pk = e.pk
    dash = "—"
    manager = (
        f' <span class="badge text-bg-light border">{_e(_("quản lý"))}</span>'
        if e.is_manager
        else ""
    )
    subunit = f"{_e(e.subunit)} · " if e.subunit else ""
    evidence = ""
    if row["ev"]:
        evidence = (
            f'\n      <div class="small text-body-secondary" data-evidence="{pk}">'
            f"{person_line(row['ev'], with_on_time=True)} · "
            f'<a href="{_e(row["evidence_url"])}">{_e(_("minh chứng"))}</a></div>'
        )
    secondary = '<span class="text-body-secondary">{}</span>'
    levels = secondary.format(_e(_("Tự xếp"))) + f" {_e(e.self_level or dash)}"
    if e.subunit:
        levels += f" · {secondary.format(_e(_('Tổ')))} {_e(e.group_level or dash)}"
    levels += f" · {secondary.format(_e(_('Đơn vị')))} <strong>{_e(e.unit_level or dash)}</strong>"
    if e.is_manager:
        levels += f" · {secondary.format(_e(_('BGH')))} {_e(e.leadership_level or dash)}"
    errors = ""
    if form_error:
        joined = "".join(
            f"{_e(' '.join(str(message) for message in messages))} "
            for messages in form_error.values()
        )
        errors = f'<div class="small text-danger">{joined}</div>'
    forms = "".join(_form(pk, step, form, csrf) for step, form in row["forms"].items())
    if not forms:
        forms = (
            f'\n      <span class="small text-body-secondary">{_e(e.get_stage_display())}</span>'
        )
    return mark_safe(  # every value escaped above
        f'\n<li class="list-group-item" id="row-{pk}" data-evaluation="{pk}">\n'
        '  <div class="row g-2">\n    <div class="col-12 col-lg-5">\n'
        f'      <a class="fw-semibold" href="{_e(reverse("emulation:evaluation", args=[pk]))}">'
        f"{_e(e.person)}</a>{manager}\n"
        f'      <div class="small text-body-secondary">{subunit}{_e(e.task_group)}</div>'
        f'{evidence}\n      <div class="small mt-1" data-levels="{pk}">{levels}</div>\n'
        '    </div>\n    <div class="col-12 col-lg-7">\n'
        f"      {errors}{forms}\n    </div>\n  </div>\n</li>\n"
    )
