"""Load the demo school (CĐSP Lạng Sơn, 2023–2024) from its data file, through the services.

The file reproduces every fact of the source article; what the article does not state is marked
`"sample": true` there. Loading twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
import importlib
import importlib.util
import json
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import transaction

from core.scopes import unscoped
from documents.catalogue import sync_document_types
from documents.models import Document, DocumentType
from documents.services import register_document
from organisations import services as org_services
from organisations.models import Organisation, Person, Position
from planning import services as plan_services
from planning.models import ORDER_STEP, Plan, StrategicGoal, Target, Task, WorkArea
from province import demo as province_demo
from province import services as province_services

DATA_FILE = Path(__file__).resolve().parent / "data" / "cdsp_lang_son_2023_2024.json"
DEMO_PASSWORD = "trongtam-demo"
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _decimal(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


class DemoLoader:
    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.orgs: dict[str, Organisation] = {}
        self.people: dict[str, Person] = {}
        self.documents: dict[str, Document] = {}
        self.goals: dict[str, StrategicGoal] = {}
        self.areas: dict[str, WorkArea] = {}
        self.targets: dict[str, Target] = {}
        self.tasks: dict[str, Task] = {}
        self.accounts: list[tuple[str, str, str]] = []
        self.by: User | None = None
        self.province: province_demo.DemoProvince | None = None

    @property
    def principal(self) -> User:
        """The principal's account: it makes the demo's changes once the people exist."""
        assert self.by is not None, "the principal is known once the people are loaded"
        return self.by

    def _org(
        self, entry: dict[str, Any], parent: Organisation | None, **extra: Any
    ) -> Organisation:
        org = Organisation(
            name=entry["name"],
            short_name=entry.get("short_name", ""),
            abbreviation=entry.get("abbreviation", ""),
            code=entry.get("code", ""),
            kind=entry.get("kind", "school"),
            parent=parent,
            place=entry.get("place", ""),
            valid_from=_date(entry.get("valid_from")),
            valid_to=_date(entry.get("valid_to")),
            order=len(self.orgs),
            **extra,
        )
        org_services.save_organisation(org, by=self.by)
        self.orgs[entry["key"]] = org
        return org

    def load(self) -> Plan:
        data = self.data
        for entry in data["bodies"]:
            self._org(entry, self.orgs.get(entry["parent"]) if entry.get("parent") else None)
        school = self._org(data["school"], self.orgs.get(data["school"].get("parent") or ""))
        for entry in data["units"]:
            self._org(entry, self.orgs[entry["parent"]])
        self._people(school)
        self.by = get_user_model().objects.get(username=self._principal_username())
        successor = data.get("successor")
        if successor:
            new_school = self._org(successor, self.orgs.get(successor.get("parent") or ""))
            org_services.record_succession(
                school,
                new_school,
                kind=successor["succession"]["kind"],
                effective_on=_date(successor["succession"]["effective_on"]),  # type: ignore[arg-type]
                note=successor["succession"].get("note", ""),
                by=self.principal,
            )
            # The merger came after the demo year: the demo school keeps its end date from the data.
        self._province(school)
        self._documents(school)
        self._goals(school)
        plan = self._plan(school)
        self._admin_account()
        return plan

    def _admin_account(self) -> None:
        """The administrator (quản trị) of the demo installation: Django's admin site."""
        get_user_model().objects.create_superuser(
            username="quantri", password=DEMO_PASSWORD, email="quantri@localhost"
        )
        self.accounts.append(("admin", "quantri", "Quản trị hệ thống"))

    def _principal_username(self) -> str:
        for entry in self.data["people"]:
            if entry.get("account") == "leadership":
                return str(entry["username"])
        raise ValueError("The demo data names no leadership account.")

    def _people(self, school: Organisation) -> None:
        user_model = get_user_model()
        for order, entry in enumerate(self.data["people"]):
            user = None
            if entry.get("username"):
                user = user_model.objects.create_user(
                    username=entry["username"], password=DEMO_PASSWORD
                )
                self.accounts.append((entry["account"], entry["username"], entry["full_name"]))
            person = Person(
                full_name=entry["full_name"],
                honorific=entry.get("honorific", ""),
                school=school,
                user=user,
                is_sample=bool(entry.get("sample")),
            )
            org_services.save_person(person, by=None)
            self.people[entry["key"]] = person
            for index, position in enumerate(entry.get("positions", [])):
                org_services.add_position(
                    Position(
                        person=person,
                        organisation=self.orgs[position["unit"]],
                        title=position["title"],
                        role=position["role"],
                        valid_from=_date(position.get("valid_from")),
                        valid_to=_date(position.get("valid_to")),
                        order=order * 10 + index,
                    ),
                    by=None,
                )

    def _province(self, school: Organisation) -> None:
        """The Sở above the demo school: its officer, the sample schools it directs."""
        spec = self.data.get("province")
        if not spec:
            return
        self.province = province_demo.load_province(
            self.orgs[spec["body"]], school, password=DEMO_PASSWORD
        )
        self.accounts.extend(province_demo.ACCOUNTS)

    def _documents(self, school: Organisation) -> None:
        sync_document_types(DocumentType)  # a flushed test database has lost the migration's rows
        types = {t.code: t for t in DocumentType.objects.all()}
        for entry in self.data["documents"]:
            # A directive of the Sở is the Sở's document, sent down: the school does not type it.
            owner = self.orgs[entry["register"]] if entry.get("register") else school
            document = Document(
                school=owner,
                system=entry["system"],
                doc_type=types[entry["type"]],
                number=entry["number"],
                year=entry.get("year"),
                issuer_code=entry["issuer_code"],
                issued_on=_date(entry.get("issued_on")),
                issuer=self.orgs.get(entry.get("issuer") or ""),
                issuer_name=entry.get("issuer_name", ""),
                signer_title=entry.get("signer_title", ""),
                summary=entry["summary"],
            )
            if owner == school:
                self.documents[entry["key"]] = register_document(document, by=self.principal)
                continue
            assert self.province is not None, "a document of the Sở needs the data's province"
            issued_on = document.issued_on
            province_services.issue_directive(
                document,
                entry.get("sent_to", "all"),
                by=self.province.officer,
                # Sent on its day of issue, at the start of office hours.
                at=dt.datetime.combine(issued_on, dt.time(8), tzinfo=VIETNAM)
                if issued_on
                else None,
            )
            self.documents[entry["key"]] = document

    def _goals(self, school: Organisation) -> None:
        for entry in self.data.get("strategic_goals", []):
            goal = StrategicGoal(
                school=school,
                code=entry.get("code", ""),
                title=entry["title"],
                description=entry.get("description", ""),
                period_start=entry["period_start"],
                period_end=entry["period_end"],
                horizon_year=entry.get("horizon_year"),
                basis=self.documents.get(entry.get("basis") or ""),
            )
            self.goals[entry["key"]] = plan_services.save_strategic_goal(goal, by=self.principal)

    def _plan(self, school: Organisation) -> Plan:
        spec = self.data["plan"]
        plan = plan_services.create_plan(
            school=school,
            start_year=spec["start_year"],
            title=spec["title"],
            theme=spec.get("theme", ""),
            by=self.principal,
        )
        plan_services.set_plan_bases(
            plan, [self.documents[key] for key in spec["bases"]], by=self.principal
        )
        for order, entry in enumerate(spec["areas"]):
            area = WorkArea(plan=plan, code=entry.get("code", ""), name=entry["name"], order=order)
            self.areas[entry["key"]] = plan_services.save_plan_object(area, by=self.principal)
        for order, entry in enumerate(spec["targets"]):
            self._target(plan, entry, order)
        for order, entry in enumerate(spec["tasks"]):
            self._task(plan, entry, order, parent=None)
        for order, entry in enumerate(spec.get("unit_tasks", [])):
            self._task(plan, entry, order, parent=None, owner_unit=self.orgs[entry["unit"]])
        if spec.get("status") == "issued":
            plan_services.issue_plan(plan, by=self.principal, on=_date(spec.get("issued_on")))
        return plan

    def _target(self, plan: Plan, entry: dict[str, Any], order: int) -> None:
        target = Target(
            plan=plan,
            area=self.areas.get(entry.get("area") or ""),
            code=entry.get("code", ""),
            name=entry["name"],
            unit_of_measure=entry["unit_of_measure"],
            direction=entry.get("direction", "higher"),
            baseline=_decimal(entry.get("baseline")),
            target_value=_decimal(entry.get("target_value")),
            range_min=_decimal(entry.get("range_min")),
            range_max=_decimal(entry.get("range_max")),
            amber_threshold=_decimal(entry.get("amber_threshold")),
            red_threshold=_decimal(entry.get("red_threshold")),
            responsible_unit=self.orgs.get(entry.get("responsible_unit") or ""),
            strategic_goal=self.goals.get(entry.get("strategic_goal") or ""),
            is_recurring=entry.get("is_recurring", True),
            order=order,
            is_sample=bool(entry.get("sample")),
        )
        plan_services.save_plan_object(target, by=self.principal)
        self.targets[entry["key"]] = target
        for allocation in entry.get("allocations", []):
            plan_services.allocate_target(
                target,
                self.orgs[allocation["unit"]],
                Decimal(str(allocation["value"])),
                by=self.principal,
            )

    def _task(
        self,
        plan: Plan,
        entry: dict[str, Any],
        order: int,
        *,
        parent: Task | None,
        owner_unit: Organisation | None = None,
    ) -> Task:
        task = Task(
            plan=plan,
            parent=parent,
            kind=entry.get("kind", "task"),
            code=entry.get("code", ""),
            title=entry["title"],
            description=entry.get("description", ""),
            area=self.areas.get(entry.get("area") or "") or (parent.area if parent else None),
            lead_unit=self.orgs.get(entry.get("lead_unit") or ""),
            person_in_charge=self.people.get(entry.get("person_in_charge") or ""),
            start_date=_date(entry.get("start_date")),
            due_date=_date(entry.get("due_date")),
            weight=Decimal(str(entry.get("weight", 1))),
            target=self.targets.get(entry.get("target") or ""),
            owner_unit=owner_unit,
            serves=self.tasks.get(entry.get("serves") or ""),
            # Places in steps, as the task form keeps them (planning.models.ORDER_STEP).
            order=(order + 1) * ORDER_STEP,
        )
        plan_services.save_plan_object(task, by=self.principal)
        self.tasks[entry["key"]] = task
        plan_services.set_coordinations(
            task,
            [(self.orgs[c["unit"]], c.get("duty", "")) for c in entry.get("coordinating", [])],
            by=self.principal,
        )
        for basis in entry.get("bases", []):
            plan_services.link_basis(
                task,
                self.documents[basis["document"]],
                clause=basis.get("clause", ""),
                by=self.principal,
            )
        for child_order, child in enumerate(entry.get("children", [])):
            self._task(plan, child, child_order, parent=task, owner_unit=owner_unit)
        return task


def demo_school_code(data: dict[str, Any] | None = None) -> str:
    data = data or json.loads(DATA_FILE.read_text(encoding="utf-8"))
    return str(data["school"]["code"])


@unscoped
@transaction.atomic
def load_demo(path: Path = DATA_FILE) -> tuple[Plan | None, list[tuple[str, str, str]]]:
    """Load the demo school unless it is already there; return its plan and demo accounts."""
    data = json.loads(path.read_text(encoding="utf-8"))
    accounts = [
        (p["account"], p["username"], p["full_name"]) for p in data["people"] if p.get("username")
    ]
    if data.get("province"):
        accounts += province_demo.ACCOUNTS
    accounts.append(("admin", "quantri", "Quản trị hệ thống"))
    if Organisation.objects.filter(code=data["school"]["code"], kind="school").exists():
        return None, accounts
    loader = DemoLoader(data)
    plan = loader.load()
    for load_domain in domain_demos():
        load_domain(plan, loader)
    return plan, loader.accounts


def domain_demos() -> list[Any]:
    """Each domain app's `demo.load_demo(plan, loader)`, in the order of INSTALLED_APPS.

    A domain adds its part of the demo school by having a `demo` module with that function; the
    loader above builds what they all stand on (the school, its people, documents and plan).
    """
    loaders = []
    for app in apps.get_app_configs():
        if app.name == "demo" or importlib.util.find_spec(f"{app.name}.demo") is None:
            continue
        module = importlib.import_module(f"{app.name}.demo")
        if hasattr(module, "load_demo"):
            loaders.append(module.load_demo)
    return loaders
