"""The province load benchmark's check-ins are real form submissions: what bench/locustfile.py
sends, built from the page as a browser would, is accepted by the check-in view."""

from __future__ import annotations

import pytest
from django.urls import reverse

from bench.load_forms import checkin_submission, form_fields, multipart
from conftest import World
from tracking.models import CheckIn


def test_the_checkin_form_is_posted_back_as_a_browser_does(world: World) -> None:
    client = world.client("staff")  # in charge of world.task
    url = reverse("tracking:checkin_create", args=[world.task.pk])
    page = client.get(url).content.decode()
    data = checkin_submission(page, progress=40, done="Đã thực hiện theo kế hoạch.")
    # The check-in form, not the sign-out form of the layout: its version and unit came back.
    assert data["version"] == str(world.task.version)
    assert data["unit"] == str(world.task.lead_unit_id)
    before = CheckIn.objects.count()
    response = client.post(url, data)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("planning:task_detail", args=[world.task.pk]))
    assert CheckIn.objects.count() == before + 1
    world.task.refresh_from_db()
    assert world.task.progress == 40


def test_a_stale_version_is_refused_not_saved(world: World) -> None:
    client = world.client("staff")
    url = reverse("tracking:checkin_create", args=[world.task.pk])
    data = checkin_submission(client.get(url).content.decode(), progress=40, done="Lần một.")
    assert client.post(url, data).status_code == 302
    before = CheckIn.objects.count()
    # The same page posted again: its version is the one before the first check-in.
    response = client.post(url, {**data, "done": "Lần hai."})
    assert response.status_code == 400
    assert 'id="stale"' in response.content.decode()
    assert CheckIn.objects.count() == before


def test_fields_a_browser_sends() -> None:
    html = """
    <form method="post" action="/logout/"><input name="csrfmiddlewaretoken" value="t"></form>
    <form method="post">
      <input type="hidden" name="csrfmiddlewaretoken" value="t">
      <input type="hidden" name="version" value="7">
      <input type="checkbox" name="off"><input type="checkbox" name="on" checked value="1">
      <input type="file" name="evidence"><button type="submit" name="go">x</button>
      <select name="unit"><option value="3">a</option><option value="5" selected>b</option></select>
      <select name="first"><option value="9">a</option></select>
      <textarea name="done">
Đã làm &amp; xong</textarea>
    </form>"""
    assert form_fields(html, having="version") == {
        "csrfmiddlewaretoken": "t", "version": "7", "on": "1", "unit": "5", "first": "9",
        "done": "Đã làm & xong",
    }  # fmt: skip
    with pytest.raises(ValueError, match="no post form"):
        form_fields(html, having="username")
    assert multipart({"a": "1"}, files=("evidence",)) == [
        ("a", (None, "1")), ("evidence", ("", b"", "application/octet-stream"))
    ]  # fmt: skip
