"""The demo school's emulation (demo/loader.py calls every domain's `load_demo`): the national
rule sets and bonus data, and the 2023–2024 campaign launched at the conference of 26/9/2023 by
Vi Hồng Thắm, told to the principal's decision.

From `data/demo_2023_2024.json` (all sample data but the launch): the council, everyone's
registration and the units' lists (October 2023), the initiatives and research recognised in
the year and before, the titles of the two years before (imported from Excel), months worked and
a discipline case with their reasons, and in May 2024 each person's self-assessment and the
reviews of the subject groups, the units and the leadership, with the units' meeting minutes.
The evidence of the year is not written here: the pages compute it from the demo plan's tasks
and check-ins. That is the week before the council (`BEFORE_COUNCIL`), where two steps are open:

- Lăng Thị Huyền (Tổ Toán – Tin, an account: `langthihuyen`) has not self-assessed yet, so
  Khoa Tự nhiên (head Chu Văn Khánh, `chuvankhanh`) has not sent its reviews;
- in Khoa Tự nhiên, three lecturers are proposed HTXS where the quota allows one (20% of the
  eight at HTT or above): the preview warns, and the leadership's ranking says who falls.

Then (`DECIDED`, what `make run` loads), through the services, each step on its day: she
self-assesses HTXS on 17/5/2024 and her head proposes HTXS on 20/5 (four candidates now for a
quota of one) and sends the faculty's reviews on 21/5; the council meets on 31/5 (six of seven
present), makes its list of cases from the classification, opens the secret ballot with the
chair's passphrase, each member present casts the paper the data file gives them (never their
own case: Nguyễn Thị Phương Loan is a CSTĐCS candidate), the chair counts and publishes the
results with appeals taken until 7/6; none comes, and on 10/6 the principal's Quyết định công
nhận is numbered from the school's QĐ series with its lists (levels, LĐTT, CSTĐCS, the units'
TTLĐTT — the working units only, neither the school nor the Đảng ủy —, bonuses), and on 12/6 the
tờ trình proposes CSTĐ cấp tỉnh, the Minister's Bằng khen, two units' TTLĐXS and the school's
own TTLĐTT to the level above.

The first part writes each person's steps as the services write them, dated on the day of each
step (most of the demo's people have no account to act as); the later part calls the services
under the story's clock (`_clock`), and the ballots with `cast_sample_ballot`, the ballot
service's writes inside the loader's one transaction. Deterministic: everything follows the data
file and the order of people's names, not row ids.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.db import models
from django.utils import timezone

from conferences.models import EmulationLaunch, VoteChoice
from core.audit import stamp
from emulation import demo_upward
from emulation.engine import Level
from emulation.models import (
    BaseSalary,
    BonusScale,
    Campaign,
    CampaignUnit,
    CouncilMember,
    CouncilVote,
    Evaluation,
    Initiative,
    Registration,
    RegistrationStatus,
    ReviewStep,
    RuleSet,
    Stage,
    TitleHistory,
    TitleSource,
)
from emulation.seed import sync_bonuses, sync_rule_sets
from emulation.services import campaigns as campaign_services
from emulation.services import council as council_services
from emulation.services import decisions as decision_services
from emulation.services import evaluations as evaluation_services
from emulation.services import records as record_services
from emulation.services.common import Placement, normalise_titles, placements
from organisations.models import Organisation, Person, Position, Role
from planning.models import Plan, Target

DATA_FILE = Path(__file__).resolve().parent / "data" / "demo_2023_2024.json"

# How far the story goes. `make run` tells it to the principal's decision; the browser scenario
# and the tests of the open steps load it to the week before the council (set `UNTIL`, or pass
# `until` to `load_emulation_demo`).
BEFORE_COUNCIL = "before_council"
DECIDED = "decided"
UNTIL = DECIDED


def _day(value: str) -> dt.date:
    return dt.date.fromisoformat(value)


def _moment(day: dt.date, minutes: int = 0) -> dt.datetime:
    """A working hour of the day in the school's time zone (8:00, then `minutes` later)."""
    naive = dt.datetime.combine(day, dt.time(8, 0)) + dt.timedelta(minutes=minutes % 540)
    return timezone.make_aware(naive)


@contextmanager
def _clock(at: dt.datetime) -> Iterator[None]:
    """The school's clock at `at` while the services take a step: they read the day and the time
    from django.utils.timezone (core.clock), as the tests set them, so what they write (times,
    history, notices, the papers' dates) is dated on the story's day. Only for the loader, which
    runs alone (a command, a test's setup), never in a serving process."""
    saved = timezone.now
    setattr(timezone, "now", lambda: at)  # noqa: B010  # a module function, not an attribute
    try:
        yield
    finally:
        setattr(timezone, "now", saved)  # noqa: B010


def _save(obj: models.Model, by: User | None, reason: str, at: dt.datetime) -> None:
    """Save as a service would, its history record dated when the step happened."""
    stamp(obj, by, reason)
    obj._history_date = at  # type: ignore[attr-defined]  # read by simple_history on save
    obj.save()


def _minutes(unit: Organisation, day: dt.date, n: int) -> str:
    return (
        f"Ngày {day:%d/%m/%Y}, {unit.name} họp xét thi đua, đánh giá, xếp loại viên chức năm học "
        f"2023–2024; có mặt {n}/{n} viên chức. Từng người trình bày tự đánh giá, đơn vị đối chiếu "
        "minh chứng trên hệ thống và biểu quyết mức đề nghị; kết quả như danh sách, nhất trí "
        "100%. (dữ liệu mẫu)"
    )


class _Demo:
    def __init__(self, plan: Plan, loader: Any, data: dict[str, Any]) -> None:
        self.plan = plan
        self.school = plan.school
        self.data = data
        self.by: User = loader.by
        self.orgs: dict[str, Organisation] = loader.orgs
        self.people = {
            person.full_name: person
            for person in Person.objects.filter(school=self.school).select_related("user")
        }
        assert len(self.people) == Person.objects.filter(school=self.school).count(), (
            "the demo names people by their full name: two people share one"
        )
        self.heads: dict[int, Person] = {}  # unit → its head
        for position in Position.objects.filter(
            organisation__school=self.school, role=Role.HEAD
        ).select_related("person__user"):
            self.heads.setdefault(position.organisation_id, position.person)
        self.principal = self.people["Phùng Quý Sơn"]
        # The Sở above the school (demo/loader.py's province), when the data has one.
        self.province = getattr(loader, "province", None)
        self.deputy_principal = self.people["Nguyễn Thế Dương"]

    def user_of(self, person: Person | None) -> User | None:
        return person.user if person is not None else None

    # The campaign ----------------------------------------------------------------------------

    def campaign(self) -> Campaign:
        spec = self.data["campaign"]
        launch = EmulationLaunch.objects.get(conference__plan=self.plan)
        campaign = campaign_services.new_campaign(self.school, launch=launch)
        for name in ("name", "slogan", "criteria", "council_decision"):
            setattr(campaign, name, spec[name])
        for name in (
            "period_start", "period_end", "registration_opens", "registration_closes",
            "self_assessment_opens", "self_assessment_closes", "group_review_by",
            "unit_review_by", "council_meets_on",
        ):  # fmt: skip
            setattr(campaign, name, _day(spec[name]))
        campaign.is_sample = True
        launched = _moment(launch.conference.held_on, 150)
        campaign._history_date = launched  # type: ignore[attr-defined]  # simple_history
        # The plan's student targets the criteria name (item 10: students through the plan).
        targets = {target.code: target for target in Target.objects.filter(plan=self.plan)}
        campaign_services.save_campaign(
            campaign, by=self.by, targets=[targets[code] for code in spec["criteria_targets"]]
        )
        campaign_services.launch_campaign(campaign, by=self.by, on=launch.conference.held_on)
        formed = _day("2023-10-05")
        for order, entry in enumerate(spec["council"], start=1):
            member = CouncilMember(
                campaign=campaign,
                person=self.people[entry["person"]],
                role=entry["role"],
                title=entry["title"],
                order=order,
            )
            member._history_date = _moment(formed, order)  # type: ignore[attr-defined]
            campaign_services.save_council_member(member, by=self.by)
        return campaign

    # Registration ----------------------------------------------------------------------------

    def registrations(self, campaign: Campaign, where: dict[int, Placement]) -> None:
        spec = self.data["registrations"]
        start = _day(spec["from"])
        allowed = campaign.individual_titles
        for index, person in enumerate(self.in_order(where)):
            own = spec["people"].get(person.full_name, {})
            registration = Registration(
                campaign=campaign,
                person=person,
                unit_id=where[person.pk].unit_id,
                titles=normalise_titles(own.get("titles", spec["titles"]), allowed),
                commitments=own.get("commitments", spec["commitments"]),
                registered_by=person.user or self.by,
                is_sample=True,
            )
            day = start + dt.timedelta(days=index % 12)
            _save(registration, person.user, "Đăng ký thi đua", _moment(day, index * 7))
        for order, entry in enumerate(self.data["unit_registrations"]):
            unit = self.orgs[entry["unit"]]
            head = self.heads.get(unit.pk)
            registration = Registration(
                campaign=campaign,
                unit=unit,
                titles=normalise_titles(entry["titles"], campaign.collective_titles),
                commitments=entry["commitments"],
                registered_by=self.user_of(head) or self.by,
                is_sample=True,
            )
            _save(
                registration,
                self.user_of(head),
                "Đăng ký danh hiệu tập thể",
                _moment(start + dt.timedelta(days=order), 400),
            )
        # Every unit sends its list on the last day of the window.
        sent = _day(self.data["lists_submitted_on"])
        units = sorted({placement.unit_id for placement in where.values()} - {self.school.pk})
        for order, unit_id in enumerate(units):
            head = self.heads.get(unit_id)
            at = _moment(sent, 60 + order * 5)
            for registration in Registration.objects.filter(campaign=campaign, unit_id=unit_id):
                registration.status = RegistrationStatus.CONFIRMED
                _save(registration, self.user_of(head), "Đơn vị tổng hợp, gửi Ban giám hiệu", at)
            part = CampaignUnit(
                campaign=campaign,
                unit_id=unit_id,
                registrations_submitted_at=at,
                registrations_submitted_by=self.user_of(head) or self.by,
            )
            _save(part, self.user_of(head), "Gửi danh sách đăng ký thi đua", at)

    # Records ---------------------------------------------------------------------------------

    def records(self) -> None:
        for entry in self.data["initiatives"]:
            recognised = entry["recognised_on"]
            initiative = Initiative(
                school=self.school,
                kind=entry["kind"],
                title=entry["title"],
                summary=entry["summary"],
                scope=entry["scope"],
                start_year=entry["year"],
                recognised_on=_day(recognised) if recognised else None,
                recognised_by=entry["recognised_by"],
                decision=entry["decision"],
                is_sample=True,
            )
            day = _day(recognised) if recognised else _day(f"{entry['year']}-10-16")
            initiative._history_date = _moment(day, 30)  # type: ignore[attr-defined]
            record_services.save_initiative(
                initiative, authors=[self.people[name] for name in entry["authors"]], by=self.by
            )
        imported = _moment(_day("2023-10-10"), 90)
        for entry in self.data["past_titles"]:
            row = TitleHistory(
                school=self.school,
                start_year=entry["year"],
                person=self.people[entry["person"]] if entry.get("person") else None,
                unit=self.orgs[entry["unit"]],
                titles=entry["titles"],
                level=entry.get("level"),
                decision=entry["decision"],
                source=TitleSource.IMPORTED,
                is_sample=True,
            )
            row._history_date = imported  # type: ignore[attr-defined]
            record_services.save_title_history(
                row, by=self.by, reason="Nhập danh hiệu các năm trước từ Excel"
            )

    # The year-end review ---------------------------------------------------------------------

    def in_order(self, where: dict[int, Placement]) -> list[Person]:
        """The people placed, in the order of their names (the same order every load)."""
        placed = [person for person in self.people.values() if person.pk in where]
        return sorted(placed, key=lambda person: (person.sort_key, person.full_name))

    def evaluations(self, campaign: Campaign, where: dict[int, Placement]) -> list[Evaluation]:
        made = _moment(_day(self.data["evaluations_on"]), 60)
        evaluations = []
        for person in self.in_order(where):
            placement = where[person.pk]
            evaluation = Evaluation(
                campaign=campaign,
                person=person,
                unit_id=placement.unit_id,
                subunit_id=placement.subunit_id,
                task_group=placement.task_group,
                is_manager=placement.is_manager,
                is_sample=True,
            )
            _save(evaluation, self.by, "Lập danh sách đánh giá, xếp loại", made)
            evaluations.append(evaluation)
        for entry in self.data["facts"]:
            evaluation = next(e for e in evaluations if e.person.full_name == entry["person"])
            if "months_worked" in entry:
                evaluation.months_worked = Decimal(entry["months_worked"])
            if "discipline" in entry:
                evaluation.discipline = entry["discipline"]
            _save(evaluation, self.by, entry["reason"], _moment(_day(entry["on"]), 30))
        return evaluations

    def review(self, evaluations: list[Evaluation]) -> None:
        days = self.data["days"]
        levels: dict[str, dict[str, str]] = self.data["levels"]
        pending = set(self.data["pending"])
        for index, evaluation in enumerate(evaluations):
            name = evaluation.person.full_name
            if name in pending:
                continue
            mine = levels.get(name, {})
            self_day = _day(days["self_assessed"][index % len(days["self_assessed"])])
            self._self_assess(evaluation, mine, _moment(self_day, index * 11))
            if evaluation.subunit_id is not None:
                reviewer = self.heads.get(evaluation.subunit_id)
                self._step(evaluation, "group", mine, reviewer, _day(days["group_reviewed"]), index)
            if evaluation.unit_id != self.school.pk:
                reviewer = self.heads.get(evaluation.unit_id)
                self._step(evaluation, "unit", mine, reviewer, _day(days["unit_reviewed"]), index)
            if evaluation.is_manager:
                reviewer = self.principal
                if evaluation.person_id == self.principal.pk:
                    reviewer = self.deputy_principal
                day = _day(days["leadership_reviewed"])
                self._step(evaluation, "leadership", mine, reviewer, day, index)

    def _self_assess(self, evaluation: Evaluation, mine: dict[str, str], at: dt.datetime) -> None:
        level = Level(mine.get("self", "HTT"))
        evaluation.self_level = level.value
        evaluation.self_comment = mine.get(
            "self_comment", self.data["comments"]["self"][level.value]
        )
        evaluation.self_assessed_at = at
        evaluation.stage = Stage.SELF_ASSESSED
        _save(evaluation, evaluation.person.user, f"Tự đánh giá: {level.value}", at)

    def _step(
        self,
        evaluation: Evaluation,
        step: str,
        mine: dict[str, str],
        reviewer: Person | None,
        day: dt.date,
        index: int,
    ) -> None:
        """A review at `step` (group, unit, leadership) as emulation.services.evaluations.review
        records it; nobody reviews their own evaluation."""
        if reviewer is None or reviewer.pk == evaluation.person_id:
            return
        level = Level(mine.get(step, "HTT"))
        comment = mine.get(f"{step}_comment", self.data["comments"]["review"][level.value])
        at = _moment(day, index * 9)
        setattr(evaluation, f"{step}_level", level.value)
        setattr(evaluation, f"{step}_comment", comment)
        setattr(evaluation, f"{step}_reviewed_by", reviewer)
        setattr(evaluation, f"{step}_reviewed_at", at)
        evaluation.stage = {
            "group": Stage.GROUP_REVIEWED,
            "unit": Stage.UNIT_REVIEWED,
            "leadership": Stage.LEADERSHIP_REVIEWED,
        }[step]
        if step != "group":
            evaluation.proposed_level = level.value
        label = {"group": "Tổ, bộ môn", "unit": "Đơn vị", "leadership": "Ban giám hiệu"}[step]
        reason = f"{label} đề nghị {level.value}: {comment[:200]}"
        _save(evaluation, self.user_of(reviewer), reason, at)

    def unit_meetings(self, campaign: Campaign, evaluations: list[Evaluation]) -> None:
        """Each unit's review meeting and its reviews sent on, but the units still waiting."""
        day = _day(self.data["days"]["unit_meeting"])
        waiting = {self.orgs[key].pk for key in self.data["reviews_not_sent"]}
        counts: dict[int, int] = {}
        for evaluation in evaluations:
            counts[evaluation.unit_id] = counts.get(evaluation.unit_id, 0) + 1
        parts = CampaignUnit.objects.filter(campaign=campaign).select_related("unit")
        for order, part in enumerate(parts.order_by("unit__order", "unit__name")):
            if part.unit_id in waiting:
                continue
            head = self.heads.get(part.unit_id)
            at = _moment(day, 90 + order * 20)
            part.review_meeting_on = day
            part.review_minutes = _minutes(part.unit, day, counts.get(part.unit_id, 0))
            _save(part, self.user_of(head), "Ghi biên bản họp xét của đơn vị", at)
            part.reviews_submitted_at = at + dt.timedelta(minutes=30)
            part.reviews_submitted_by = self.user_of(head) or self.by
            _save(part, self.user_of(head), "Gửi kết quả xét của đơn vị", part.reviews_submitted_at)

    def council_ranks(self, evaluations: list[Evaluation]) -> None:
        at = _moment(_day(self.data["days"]["ranked"]), 300)
        ranks: dict[str, int] = self.data["council_ranks"]
        for evaluation in evaluations:
            rank = ranks.get(evaluation.person.full_name)
            if rank is not None:
                evaluation.council_rank = rank
                _save(evaluation, self.by, f"Hội đồng xếp thứ hạng: {rank}", at)

    # After the week before the council: the services take each step ------------------------

    def user(self, name: str) -> User:
        user = self.people[name].user
        assert user is not None, f"the demo's step needs an account for {name}"
        return user

    def evaluation_of(self, campaign: Campaign, name: str) -> Evaluation:
        return Evaluation.objects.select_related("campaign").get(
            campaign=campaign, person=self.people[name]
        )

    def open_steps(self, campaign: Campaign) -> None:
        """What the week before the council left open (the browser scenario's first steps): the
        lecturer's self-assessment, her faculty's review, its meeting and its reviews sent."""
        spec = self.data["open_steps"]
        own = spec["self_assessment"]
        with _clock(_moment(_day(own["on"]), 330)):
            evaluation_services.self_assess(
                self.evaluation_of(campaign, own["person"]),
                level=own["level"],
                comment=own["comment"],
                by=self.user(own["person"]),
            )
        step = spec["unit_review"]
        unit = self.orgs[step["unit"]]
        head = self.user(self.heads[unit.pk].full_name)
        day = _day(step["on"])
        with _clock(_moment(day, 60)):
            evaluation_services.review(
                self.evaluation_of(campaign, step["person"]),
                ReviewStep.UNIT,
                level=step["level"],
                comment=step["comment"],
                by=head,
            )
        part = CampaignUnit.objects.get(campaign=campaign, unit=unit)
        people = Evaluation.objects.filter(campaign=campaign, unit=unit).count()
        with _clock(_moment(day, 180)):
            evaluation_services.save_unit_minutes(
                part, meeting_on=day, minutes=_minutes(unit, day, people), by=head
            )
        with _clock(_moment(_day(step["sent_on"]), 30)):
            evaluation_services.submit_unit_reviews(campaign, unit, by=head)

    def case_key(self, item: Any) -> str:
        """A case of the ballot as the data file names it: "htxs: Lăng Thị Huyền", "ttldxs: p-khtc"."""
        if item.evaluation is not None:
            return f"{item.kind}: {item.evaluation.person.full_name}"
        keys = {unit.pk: key for key, unit in self.orgs.items()}
        return f"{item.kind}: {keys[item.unit_id]}"

    def council(self, campaign: Campaign) -> CouncilVote:
        """The council's session: the list of cases from the classification, the members present,
        the secret ballot opened with the chair's passphrase, each member's paper (never their
        own case), the count, and the results published to staff with the appeal window."""
        spec = self.data["council_session"]
        held = _day(spec["held_on"])
        chair = self.user(
            next(m["person"] for m in self.data["campaign"]["council"] if m["role"] == "chair")
        )
        with _clock(_moment(held, 0)):
            vote = council_services.prepare_vote(campaign, held_on=held, by=chair)
        members = council_services.members(campaign)
        present = [m for m in members if m.person.full_name not in spec["absent"]]
        with _clock(_moment(held, 30)):
            vote = council_services.open_vote(
                vote, present=[m.pk for m in present], passphrase=spec["passphrase"], by=chair
            )
        items = list(vote.items.select_related("evaluation__person"))
        named = {self.case_key(item) for item in items}
        choices: dict[str, dict[str, str]] = spec["choices"]
        assert set(choices) == {m.person.full_name for m in present}, "a paper per member present"
        for order, member in enumerate(present):
            mine = choices[member.person.full_name]
            assert set(mine) <= named, f"not on the ballot: {sorted(set(mine) - named)}"
            paper = {
                item.pk: mine.get(self.case_key(item), VoteChoice.YES)
                for item in council_services.ballot_items(vote, member.person)
            }
            with _clock(_moment(held, 40 + order * 2)):
                council_services.cast_sample_ballot(vote, person=member.person, choices=paper)
        with _clock(_moment(held, 75)):
            vote = council_services.count_vote(vote, passphrase=spec["passphrase"], by=chair)
        with _clock(_moment(_day(spec["published_on"]), 240)):
            return council_services.publish_results(
                vote, appeals_close=_day(spec["appeals_close"]), by=chair
            )

    def decide(self, campaign: Campaign) -> None:
        """After the appeal window: the principal's Quyết định công nhận, numbered from the
        school's series with its lists, then the tờ trình to the level above."""
        spec = self.data["decision"]
        on = _day(spec["on"])
        signer = self.people[spec["signer"]]
        issuer = self.user(spec["issued_by"])
        with _clock(_moment(on, 90)):
            position = next(
                p
                for p in decision_services.signer_choices(campaign, on)
                if p.person_id == signer.pk
            )
            decision_services.issue_decision(campaign, on=on, signer=position, by=issuer)
        proposal_on = _day(spec["proposal_on"])
        with _clock(_moment(proposal_on, 90)):
            decision_services.issue_proposal(
                Campaign.objects.get(pk=campaign.pk), on=proposal_on, by=issuer
            )

    def upward(self, campaign: Campaign, step: str) -> None:
        """The Sở's campaign the school answers, or the dossier sent up after the tờ trình
        (emulation/demo_upward.py)."""
        spec = self.data.get("province")
        if not spec or self.province is None:
            return
        steps = {
            "campaign": demo_upward.load_province_campaign,
            "dossier": demo_upward.load_dossier,
        }
        steps[step](
            Campaign.objects.get(pk=campaign.pk),
            spec[step],
            officer=self.province.officer,
            principal=self.user(spec["dossier"]["by"]),
            clock=_clock,
            moment=_moment,
        )

    def run(self, until: str) -> Campaign:
        campaign = self.campaign()
        self.upward(campaign, "campaign")
        where = placements(self.school.pk, on=_day(self.data["evaluations_on"]))
        self.registrations(campaign, where)
        self.records()
        evaluations = self.evaluations(campaign, where)
        self.review(evaluations)
        self.unit_meetings(campaign, evaluations)
        self.council_ranks(evaluations)
        if until == BEFORE_COUNCIL:
            return campaign
        self.open_steps(campaign)
        self.council(campaign)
        self.decide(campaign)
        self.upward(campaign, "dossier")
        return Campaign.objects.get(pk=campaign.pk)


def load_emulation_demo(
    plan: Plan, loader: Any, path: Path = DATA_FILE, until: str | None = None
) -> Campaign | None:
    """The demo school's 2023–2024 campaign (nothing when it is there already), told to the
    principal's decision, or to the week before the council (`until=BEFORE_COUNCIL`); `UNTIL`
    when not given."""
    if Campaign.objects.filter(school=plan.school, start_year=plan.start_year).exists():
        return None
    stage = until or UNTIL
    if stage not in (BEFORE_COUNCIL, DECIDED):
        raise ValueError(f"until: {BEFORE_COUNCIL} or {DECIDED}, not {stage!r}")
    data = json.loads(path.read_text(encoding="utf-8"))
    return _Demo(plan, loader, data).run(stage)


def load_demo(plan: Plan, loader: Any) -> None:
    # A flushed test database has lost the migrations' rows.
    sync_rule_sets(RuleSet)
    sync_bonuses(BaseSalary, BonusScale)
    load_emulation_demo(plan, loader)
