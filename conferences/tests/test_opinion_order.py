"""An anonymous opinion cannot be placed in time among named ones (item 8 of docs/SECURITY.md)."""

from __future__ import annotations

import datetime as dt

from conferences import services
from conferences.models import Conference, Opinion
from conftest import World

TOPICS = ["Nhà xe", "Bồi dưỡng", "Chuyển đổi số", "Thư viện", "Ký túc xá", "An toàn", "Học phí"]


def _submit_alternating(world: World, conference: Conference, count: int) -> list[Opinion]:
    """Named, anonymous, named, anonymous… in this order of time."""
    submitted = []
    for index in range(count):
        anonymous = index % 2 == 1
        submitted.append(
            services.submit_opinion(
                conference,
                author=None if anonymous else world.people["staff"],
                anonymous=anonymous,
                topic=TOPICS[index % len(TOPICS)],
                content=f"Nội dung {index}",
            )
        )
    return submitted


def _in_order(values: list[int]) -> bool:
    return values == sorted(values)


def test_nothing_stored_orders_an_anonymous_opinion_among_named_ones(
    world: World, conference: Conference
) -> None:
    submitted = _submit_alternating(world, conference, 12)
    # No number is given at submission: numbers would be the order of arrival.
    assert all(Opinion.objects.get(pk=o.pk).number is None for o in submitted)
    # Ids are random: in the order of submission they are not increasing (1 in 12! to fail).
    assert not _in_order([o.pk for o in submitted])
    # Nor are the ids of their history records.
    history_ids = [Opinion.history.filter(id=o.pk).get().history_id for o in submitted]
    assert not _in_order(history_ids)
    # An anonymous opinion's history keeps no user and no time finer than the day.
    for opinion in submitted[1::2]:
        record = Opinion.history.filter(id=opinion.pk).get()
        assert record.history_user_id is None
        local = record.history_date.astimezone(dt.timezone(dt.timedelta(hours=7)))
        assert (local.hour, local.minute, local.second, local.microsecond) == (0, 0, 0, 0)


def test_numbers_are_given_when_the_secretary_groups_the_opinions(
    world: World, conference: Conference
) -> None:
    submitted = _submit_alternating(world, conference, 7)
    services.number_opinions(conference, by=world.users["clerk"])
    numbers = {o.topic: Opinion.objects.get(pk=o.pk).number for o in submitted}
    # Numbered by topic, not by time of arrival.
    assert [numbers[t] for t in sorted(TOPICS, key=lambda t: t.casefold())] == sorted(
        numbers.values()
    )
    assert sorted(numbers.values()) == list(range(1, 8))
    # Later opinions are numbered after these, in a batch of their own.
    late = services.submit_opinion(
        conference, author=None, anonymous=True, topic="Âm nhạc", content="Thêm"
    )
    services.merge_opinion(late, into=submitted[0], by=world.users["clerk"])
    assert Opinion.objects.get(pk=late.pk).number == 8
