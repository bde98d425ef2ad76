"""Plan targets fed by students figures: the leadership chooses on a target which figure
measures it (students.measures); each time the figures change (a count recorded, an import
committed, a change of status) every fed target of the school gets a reading through tracking's
service, dated by the count, so the dashboards, red/amber/green, the reports, the history and
the plan's figures version follow. A typed value on a fed target is refused by tracking, which
asks `sources` (registered in `students.apps`) where it comes from.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal

from django.contrib.auth.models import User
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from core.audit import stamp
from core.clock import today
from core.errors import DomainError
from planning.models import Target
from students import measures, versions
from students.models import Programme, TargetFeed
from tracking.services import record_target_value
from tracking.sources import Source


class FeedError(DomainError):
    pass


_batch: contextvars.ContextVar[set[int] | None] = contextvars.ContextVar(
    "students_feed_batch", default=None
)


@contextmanager
def batch(*, by: User | None = None) -> Iterator[None]:
    """Refresh each school's fed targets once at the end of the block (an import), not after
    every row."""
    if _batch.get() is not None:
        yield
        return
    schools: set[int] = set()
    token = _batch.set(schools)
    try:
        yield
    finally:
        _batch.reset(token)
    # Only after the block succeeded (an exception above skips this).
    for school_id in sorted(schools):
        refresh(school_id, by=by)


def label_of(feed: TargetFeed) -> str:
    measure = measures.get(feed.measure)
    parts = [_("Người học"), str(measure.label) if measure else feed.measure]
    if feed.programme_id is not None:
        parts.append(feed.programme.name if feed.programme else "")
    if feed.year is not None:
        parts.append(str(feed.year))
    return " – ".join(p for p in parts if p)


def _fed(school_id: int) -> list[TargetFeed]:
    return list(
        TargetFeed.objects.active()
        .filter(
            target__plan__school_id=school_id,
            target__archived_at__isnull=True,
            target__plan__archived_at__isnull=True,
        )
        .select_related("target", "programme")
    )


def refresh(school_id: int, *, by: User | None = None) -> int:
    """Give every fed target of the school a reading when its figure changed; how many changed.
    Inside `batch()`, only note the school. The school's cached students figures are renewed
    after the commit either way (students.versions)."""
    versions.changed(school_id)
    pending = _batch.get()
    if pending is not None:
        pending.add(school_id)
        return 0
    return sum(1 for feed in _fed(school_id) if write(feed, by=by))


@transaction.atomic
def write(feed: TargetFeed, *, by: User | None, force: bool = False) -> bool:
    """The figure's reading on the target, when it differs from the target's value (or
    `force`); the fed figure becomes the target's actual value, whatever was typed before."""
    measure = measures.get(feed.measure)
    if measure is None:
        return False
    target = Target.objects.select_for_update().get(pk=feed.target_id)
    found = measure.compute(target.plan.school_id, feed.programme, feed.year, today())
    if found is None:
        return False
    value = found.value.quantize(Decimal("0.01"))
    if not force and target.actual_value == value:
        return False
    record_target_value(target, value, on=found.day, by=by, is_sample=target.is_sample)
    if target.actual_value != value or target.actual_on != found.day:
        target.actual_value, target.actual_on = value, found.day
        stamp(target, by, _("Số liệu tự động từ người học"))
        target.save(update_fields=["actual_value", "actual_on"])
    feed.target = target
    return True


@transaction.atomic
def set_feed(
    target: Target,
    *,
    measure: str,
    programme: Programme | None = None,
    year: int | None = None,
    by: User,
) -> TargetFeed | None:
    """Measure the target by a students figure (an empty `measure` stops it: the target takes
    typed values again); its first reading is written at once."""
    current = TargetFeed.objects.active().filter(target=target).first()
    if not measure:
        if current is not None:
            stamp(current, by, _("Thôi lấy số liệu tự động"))
            current.archive()
        return None
    chosen = measures.get(measure)
    if chosen is None:
        raise FeedError(_("Không có số liệu “%(key)s”.") % {"key": measure})
    if target.plan.is_archived or target.is_archived:
        raise FeedError(_("Chỉ tiêu hoặc kế hoạch đã lưu trữ."))
    if programme is not None:
        if not chosen.uses_programme:
            raise FeedError(_("Số liệu này không tính theo ngành/nghề."))
        if programme.school_id != target.plan.school_id:
            raise FeedError(_("Ngành/nghề không thuộc trường này."))
    if chosen.year and year is None:
        raise FeedError(_("Cần chọn %(what)s.") % {"what": chosen.year})
    if not chosen.year:
        year = None
    if year is not None and not 1990 <= year <= 2100:
        raise FeedError(_("Năm không hợp lệ."))
    feed = current or TargetFeed(target=target)
    feed.measure, feed.programme, feed.year = measure, programme, year
    stamp(feed, by)
    feed.save()
    write(feed, by=by, force=True)
    return feed


def sources(target_ids: list[int]) -> dict[int, Source]:
    """tracking.sources provider: the fed targets among these (the caller has read them in its
    own scope, so the rows are read by id)."""
    feeds = TargetFeed._base_manager.filter(
        target_id__in=target_ids, archived_at__isnull=True
    ).select_related("programme")
    found: dict[int, Source] = {}
    for feed in feeds:
        measure = measures.get(feed.measure)
        url = reverse(measure.page) if measure else reverse("students:targets")
        found[feed.target_id] = Source(label_of(feed), url)
    return found
