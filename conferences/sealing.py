"""How a secret ballot is stored and counted, for any box built on `conferences.models.sealing`
(the conference's votes, the emulation council's ballots): one way, written once.

- Casting is two committed transactions: first "has voted" (`claim`), then the sealed ballot
  (`drop`), so the two rows never share a transaction id; if the ballot cannot be stored, the
  "has voted" mark is withdrawn so the voter may vote again. `transaction.atomic(durable=True)`
  refuses to run inside a transaction a later failure could roll back.
- Dropping a ballot rewrites every ballot of the box with new random ids in a random order
  (`reshuffle`): the newest is neither the last row nor recognisable by its id, and on
  PostgreSQL every live row then carries the same transaction id.
- Counting opens the ballots in a random order with the chair's passphrase (`open_all`); the
  caller then deletes them and wipes the private key (`discard`).

The threat model is in docs/SECURITY.md, section 7.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

from django.db import models, transaction

from conferences import ballots
from conferences.models.sealing import SealedKeys

T = TypeVar("T")

# Shuffling and opening order come from the operating system's generator, not a seeded one.
shuffle = random.SystemRandom().shuffle


def cast_in_two_steps(
    *, claim: Callable[[], object], drop: Callable[[], object], withdraw: Callable[[], object]
) -> None:
    """Record that the voter has voted, then store their sealed ballot, each committed in its
    own transaction before this returns; `withdraw` undoes the claim if the drop fails."""
    with transaction.atomic(durable=True):
        claim()
    try:
        with transaction.atomic(durable=True):
            drop()
    except Exception:
        with transaction.atomic(durable=True):
            withdraw()
        raise


def _plain(value: Any) -> Any:
    return bytes(value) if isinstance(value, memoryview) else value


def reshuffle(box_ballots: models.QuerySet[Any], added: Iterable[Mapping[str, Any]]) -> None:
    """Put `added` ballots (field values, without an id) into the box whose ballots are
    `box_ballots`: every ballot of the box is deleted and inserted again with a new random id,
    all in a random order. Call inside the drop's transaction, with the box locked."""
    model = box_ballots.model
    fields = [
        field.attname
        for field in model._meta.concrete_fields
        if not field.primary_key  # a new random id for each
    ]
    rows = [
        {name: _plain(value) for name, value in row.items()} for row in box_ballots.values(*fields)
    ]
    rows.extend(dict(row) for row in added)
    shuffle(rows)
    box_ballots.delete()
    model._base_manager.bulk_create([model(**row) for row in rows])


def open_all(box: SealedKeys, passphrase: str, sealed: Iterable[bytes | memoryview]) -> list[str]:
    """Every ballot's choice, opened in a random order with the chair's passphrase.

    ballots.WrongPassphrase when the passphrase is wrong (nothing is opened),
    ballots.UnreadableBallot when a ballot does not open with the box's key.
    """
    return [choice for _tag, choice in open_tagged(box, passphrase, ((None, s) for s in sealed))]


def open_tagged(
    box: SealedKeys, passphrase: str, sealed: Iterable[tuple[T, bytes | memoryview]]
) -> list[tuple[T, str]]:
    """As `open_all`, for a box whose ballots answer several questions: each ballot comes with
    the question it answers (`tag`, stored in the clear beside it) and goes back with its
    choice, in a random order."""
    private = ballots.unlock(passphrase, box.keys)
    pending = [(tag, bytes(item)) for tag, item in sealed]
    shuffle(pending)
    return [(tag, ballots.open_ballot(private, item)) for tag, item in pending]


def discard(box: SealedKeys, box_ballots: models.QuerySet[Any]) -> None:
    """After the count: the ballots are deleted (a ballot must not outlive its count) and the
    sealed private key is wiped."""
    box_ballots.delete()
    box.sealed_private_key = b""
    box.save(update_fields=["sealed_private_key"])
