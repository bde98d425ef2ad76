"""The conference's texts — minutes (biên bản), resolution (nghị quyết), news article — written
from the recorded data through text templates, never typed free-hand.

`paper_context` reads that data once; the Word papers (`conferences.papers`) are written from it
too.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import timezone

from conferences.models import (
    AgendaItem,
    AgendaKind,
    AnswerKind,
    Conclusion,
    Conference,
    EmulationLaunch,
    EmulationPledge,
    Invitation,
    InviteeGroup,
    Opinion,
    VoteItem,
    VoteStatus,
)
from conferences.quorum import QuorumState, quorum
from planning.models import PlanBasis, Task

_BLANK_LINES = re.compile(r"\n{3,}")
# Decisions, letters and the like read "về việc …"; directives and resolutions "về …".
_ABOUT_THE_MATTER = {"QĐ", "CV", "TB", "TTr", "GM", "KH", "HD"}


def count_label(number: int) -> str:
    """Small counts as papers write them: "07 ý kiến", "08 nhiệm vụ"."""
    return f"{number:02d}" if 0 <= number < 10 else str(number)


def join_vi(parts: list[str]) -> str:
    """ "a, b và c" """
    parts = [p for p in parts if p]
    if len(parts) <= 1:
        return "".join(parts)
    return f"{', '.join(parts[:-1])} và {parts[-1]}"


def lcfirst(text: str) -> str:
    return text[:1].lower() + text[1:] if text else ""


def news_date(value: dt.date) -> str:
    """A date as the school's news articles write it: "23/8/2023", "05/9/2023"."""
    return f"{value.day:02d}/{value.month}/{value.year}"


def basis_phrase(link: PlanBasis) -> str:
    """ "Quyết định số 2457/QĐ-BGDĐT, ngày 23/8/2023 của Bộ trưởng … về việc ban hành …" """
    document = link.document
    type_name = document.doc_type.name if document.doc_type else ""
    parts = [f"{type_name} số {document.symbol}".strip()]
    if document.issued_on:
        parts.append(f", ngày {news_date(document.issued_on)}")
    if document.issuer_name:
        parts.append(f" của {document.issuer_name}")
    summary = document.summary.strip().rstrip(".")
    if summary:
        # The register keeps the summary without its leading "về việc" / "về".
        code = document.doc_type.code if document.doc_type else ""
        lead = "về việc" if code in _ABOUT_THE_MATTER else "về"
        parts.append(f" {lead} {lcfirst(summary)}")
    return "".join(parts)


def _local_name(name: str, place: str) -> str:
    """ "Sở Giáo dục và Đào tạo Lạng Sơn" → "Sở Giáo dục và Đào tạo" for a school in Lạng Sơn:
    the school's own website names its province's bodies without the province."""
    if place and name.endswith(f" {place}"):
        return name[: -len(place) - 1]
    return name


def article_bases(links: list[PlanBasis], place: str, cited_elsewhere: str) -> str:
    """The "Căn cứ …" of the news article, summarised as the source article does.

    Decisions, directives and letters are named with their number; guidance (Hướng dẫn) is
    summarised as "các văn bản hướng dẫn của" the bodies it comes from, with the authority each
    of them answers to (a Sở's guidance carries out its province's), without numbers: a news
    article does not list every letter the school followed. A document the article cites
    elsewhere (in a presenter's summary) is not cited twice.
    """
    named: list[str] = []
    bodies: list[str] = []
    for link in links:
        document = link.document
        if document.symbol and document.symbol in cited_elsewhere:
            continue
        if document.doc_type and document.doc_type.code == "HD":
            chain: list[str] = []
            issuer = document.issuer
            while issuer is not None:
                chain.insert(0, issuer.name)
                issuer = issuer.parent
            for name in chain or [document.issuer_name]:
                local = _local_name(name, place)
                if local and local not in bodies:
                    bodies.append(local)
            continue
        named.append(basis_phrase(link))
    if bodies:
        guidance = f"các văn bản hướng dẫn của {join_vi(bodies)}"
        named.append(f"căn cứ {guidance}" if named else guidance)
    return "; ".join(named)


@dataclass
class Speaker:
    name: str
    title: str

    @property
    def label(self) -> str:
        """ "đồng chí Nguyễn Thế Dương – Phó Bí thư Đảng ủy, Phó Hiệu trưởng" """
        if not self.name:
            return self.title
        return f"đồng chí {self.name} – {self.title}" if self.title else f"đồng chí {self.name}"


def speaker(item: AgendaItem) -> Speaker:
    if item.presenter_id:
        return Speaker(item.presenter_name, item.presenter_title)
    return Speaker("", item.presenter_label)


def paper_context(conference: Conference) -> dict[str, Any]:
    """Everything the papers say, read in a fixed number of queries."""
    conference = (
        Conference.objects.select_related("school", "kind", "plan", "secretary")
        .prefetch_related(
            Prefetch("chairs", queryset=conference.chairs.active().select_related("person")),
        )
        .get(pk=conference.pk)
    )
    plan = conference.plan
    bases = (
        list(
            plan.basis_links.select_related(
                "document__doc_type", "document__issuer__parent__parent"
            ).order_by("order", "pk")
        )
        if plan
        else []
    )
    main_tasks: list[Task] = (
        list(plan.tasks.active().school_level().filter(parent=None).order_by("order", "pk"))
        if plan
        else []
    )
    groups = list(
        InviteeGroup.objects.active().filter(conference=conference).order_by("order", "pk")
    )
    absent = list(
        Invitation.objects.active()
        .filter(conference=conference, attendance="absent")
        .select_related("person")
    )
    agenda = list(
        AgendaItem.objects.active().filter(conference=conference).select_related("presenter")
    )
    opinions = list(
        Opinion.objects.active()
        .filter(conference=conference)
        .select_related("author", "forwarded_to", "resulting_task", "merged_into")
        .prefetch_related("duplicates")
    )
    main_opinions = [o for o in opinions if not o.merged_into_id]
    topics: list[str] = []
    for opinion in opinions:
        if opinion.topic not in topics:
            topics.append(opinion.topic)
    conclusions = list(
        Conclusion.objects.active()
        .filter(conference=conference)
        .select_related("lead_unit", "task")
    )
    directives = [c for c in conclusions if c.is_directive]
    votes = list(VoteItem.objects.active().filter(conference=conference))
    launch = (
        EmulationLaunch.objects.filter(conference=conference).select_related("launched_by").first()
    )
    pledges = list(
        EmulationPledge.objects.active()
        .filter(conference=conference)
        .select_related("head", "union", "union_rep")
    )
    photos = list(conference.photos.active())
    state: QuorumState = quorum(conference)
    # The article is written on the day: it tells of the answers given at the conference, not of
    # those given in the weeks after (they are in the minutes and the opinions' page).
    answered = [
        o
        for o in main_opinions
        if o.answer_kind
        and o.answered_at is not None
        and timezone.localdate(o.answered_at) == conference.held_on
    ]
    conclusion_item = next((i for i in agenda if i.kind == AgendaKind.CONCLUSION), None)
    launch_item = next((i for i in agenda if i.kind == AgendaKind.EMULATION), None)
    resolution_vote = next(
        (v for v in votes if v.is_resolution and v.status == VoteStatus.CLOSED), None
    )
    return {
        "conference": conference,
        "school": conference.school,
        "place": conference.school.place or conference.place,
        "held_on": news_date(conference.held_on),
        "plan": plan,
        "bases": article_bases(
            bases,
            conference.school.place,
            " ".join(f"{item.title} {item.summary}" for item in agenda),
        ),
        "main_tasks": main_tasks,
        "main_task_count": count_label(len(main_tasks)),
        "groups": groups,
        "group_names": join_vi([g.name for g in groups]),
        "quorum": state,
        "absent": absent,
        "chairs": list(conference.chairs.all()),
        "agenda": [(item, speaker(item)) for item in agenda],
        "reports": [(i, speaker(i)) for i in agenda if i.kind == AgendaKind.REPORT],
        "speeches": [
            (i, speaker(i)) for i in agenda if i.kind in (AgendaKind.SPEECH, AgendaKind.DISCUSSION)
        ],
        "opinions": opinions,
        "main_opinions": main_opinions,
        "opinion_count": count_label(len(opinions)),
        "topics": "; ".join(lcfirst(t) if i == 0 else t for i, t in enumerate(topics)),
        "answered_count": len(answered),
        "accepted_count": sum(1 for o in answered if o.answer_kind == AnswerKind.ACCEPTED),
        "explained_count": sum(1 for o in answered if o.answer_kind == AnswerKind.EXPLAINED),
        "forwarded_count": sum(1 for o in answered if o.answer_kind == AnswerKind.FORWARDED),
        "launch": launch,
        "launch_speaker": speaker(launch_item) if launch_item else None,
        "pledges": pledges,
        "conclusion_speaker": speaker(conclusion_item) if conclusion_item else None,
        "conclusion_action": lcfirst(conclusion_item.title) if conclusion_item else "",
        "directives": directives,
        "directive_text": "; ".join(
            c.text if i == 0 else lcfirst(c.text) for i, c in enumerate(directives)
        ),
        "other_conclusions": [c for c in conclusions if not c.is_directive],
        "conclusions": conclusions,
        "votes": [v for v in votes if v.status == VoteStatus.CLOSED],
        "resolution_vote": resolution_vote,
        "photos": photos,
    }


def _render(template: str, conference: Conference) -> str:
    text = render_to_string(template, paper_context(conference))
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip() + "\n"


def article(conference: Conference) -> str:
    """The news article for the school's website, in the manner of the source report."""
    return _render("conferences/papers/article.txt", conference)


def minutes(conference: Conference) -> str:
    return _render("conferences/papers/minutes.txt", conference)


def resolution(conference: Conference) -> str:
    return _render("conferences/papers/resolution.txt", conference)


def article_blocks(text: str, photos: list[Any]) -> list[tuple[str, Any]]:
    """The article as the website shows it: ("p", paragraph) and ("photo", photo) blocks, a
    line that is a photo's caption standing for the photo with its caption under it."""
    by_caption = {" ".join(p.caption.split()): p for p in photos if p.caption.strip()}
    blocks: list[tuple[str, Any]] = []
    lines: list[str] = []

    def flush() -> None:
        if lines:
            blocks.append(("p", "\n".join(lines)))
            lines.clear()

    for raw in (text or "").splitlines():
        line = " ".join(raw.split())
        photo = by_caption.get(line)
        if photo is not None and ("photo", photo) not in blocks:
            flush()
            blocks.append(("photo", photo))
        elif line:
            lines.append(line)
        else:
            flush()
    flush()
    return blocks
