"""What the conference leaves behind: conclusions as tasks, photos, and the news article."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from conferences import texts
from conferences.images import NotAnImage, sniff_image
from conferences.models import Conclusion, Conference, Photo
from conferences.services.common import ConferenceError, ensure_open
from conferences.services.opinions import NewTask, create_task
from core.audit import stamp
from organisations.models import Organisation
from planning.models import Task


@transaction.atomic
def record_conclusion(
    conference: Conference,
    *,
    text: str,
    is_directive: bool = True,
    lead_unit: Organisation | None = None,
    due_date: Any = None,
    by: User,
    is_sample: bool = False,
) -> Conclusion:
    """Record one item of the chair's conclusions, in the order spoken."""
    ensure_open(conference)
    if not text.strip():
        raise ConferenceError(_("Cần ghi nội dung kết luận."))
    if lead_unit is not None and lead_unit.school_id != conference.school_id:
        raise ConferenceError(_("Đơn vị chủ trì phải thuộc trường."))
    conclusion = Conclusion(
        conference=conference,
        text=text.strip(),
        is_directive=is_directive,
        lead_unit=lead_unit,
        due_date=due_date,
        order=conference.conclusions.count() + 1,
        is_sample=is_sample,
    )
    stamp(conclusion, by)
    conclusion.save()
    return conclusion


@transaction.atomic
def conclusion_to_task(
    conclusion: Conclusion,
    *,
    by: User,
    existing_task: Task | None = None,
    parent: Task | None = None,
    title: str = "",
) -> Conclusion:
    """A directive becomes a task: the plan's existing task that carries it, or a new one.

    A new task takes the conclusion's lead unit and deadline; under an issued plan it is
    created inside an amendment naming the conference (services.common.change_plan).
    """
    conference = conclusion.conference
    ensure_open(conference)
    if not conclusion.is_directive:
        raise ConferenceError(_("Nội dung này không phải là nội dung giao việc."))
    if conclusion.task_id:
        raise ConferenceError(_("Kết luận đã gắn với một nhiệm vụ."))
    if existing_task is not None:
        if existing_task.plan_id != conference.plan_id:
            raise ConferenceError(_("Nhiệm vụ phải thuộc kế hoạch được bàn tại hội nghị."))
        conclusion.task = existing_task
        conclusion.task_created = False
    else:
        if conclusion.lead_unit is None or conclusion.due_date is None:
            raise ConferenceError(_("Nội dung giao việc cần đơn vị chủ trì và hạn hoàn thành."))
        origin = _("Thực hiện kết luận của chủ tọa tại %(title)s") % {"title": conference.title}
        conclusion.task = create_task(
            conference,
            NewTask(
                title=title or conclusion.text,
                lead_unit=conclusion.lead_unit,
                due_date=conclusion.due_date,
                parent=parent,
                description=conclusion.text,
            ),
            origin=origin,
            by=by,
            start=conference.held_on,
        )
        conclusion.task_created = True
    stamp(conclusion, by, _("Giao nhiệm vụ theo kết luận"))
    conclusion.save()
    return conclusion


@transaction.atomic
def add_photo(
    conference: Conference,
    *,
    content: bytes,
    caption: str,
    by: User,
    is_sample: bool = False,
) -> Photo:
    """Attach a photo; its type and size are read from its bytes, and its name is ours."""
    ensure_open(conference)
    if not caption.strip():
        raise ConferenceError(_("Cần ghi chú thích ảnh."))
    try:
        info = sniff_image(content)
    except NotAnImage as error:
        raise ConferenceError(
            _("Tệp không phải ảnh PNG, JPEG hoặc WebP hợp lệ (tối đa 10 MB).")
        ) from error
    photo = Photo(
        conference=conference,
        caption=" ".join(caption.split()),
        content_type=info.content_type,
        width=info.width,
        height=info.height,
        size=len(content),
        order=conference.photos.count() + 1,
        is_sample=is_sample,
    )
    photo.image.save(f"{uuid.uuid4().hex}.{info.extension}", ContentFile(content), save=False)
    stamp(photo, by)
    photo.save()
    return photo


@transaction.atomic
def save_article(conference: Conference, *, text: str, by: User) -> Conference:
    """Keep the secretary's edit of the news article (until regenerated from the data)."""
    ensure_open(conference)
    if not text.strip():
        raise ConferenceError(_("Bài tin không được để trống."))
    conference.article_text = text.strip()
    stamp(conference, by, _("Biên tập bài tin"))
    conference.save(update_fields=["article_text", "search_text"])
    return conference


@transaction.atomic
def regenerate_article(conference: Conference, *, by: User) -> Conference:
    """Write the article again from the recorded data, replacing any edit (kept in history)."""
    ensure_open(conference)
    conference.article_text = texts.article(conference)
    stamp(conference, by, _("Viết lại bài tin từ dữ liệu hội nghị"))
    conference.save(update_fields=["article_text", "search_text"])
    return conference


@transaction.atomic
def publish_article(conference: Conference, *, by: User) -> Conference:
    ensure_open(conference)
    if not conference.article_text:
        conference.article_text = texts.article(conference)
    conference.article_published_at = timezone.now()
    stamp(conference, by, _("Duyệt đăng bài tin"))
    conference.save(update_fields=["article_text", "article_published_at", "search_text"])
    return conference
