"""A secret ballot seen by someone who reads the whole database, and by the chair."""

from __future__ import annotations

from typing import Any
from unittest import mock

import pytest
from django.db import connection, transaction
from django.urls import reverse

from conferences import ballots, services
from conferences.models import Ballot, BallotBox, BallotCast, Conference, VoteItem, VoteMethod
from conferences.tests.conftest import PASSPHRASE, present
from conftest import World


def _vote_tables() -> list[str]:
    """Every table of the vote: the item and its history, the box, who voted, the ballots."""
    return sorted(
        name
        for name in connection.introspection.table_names()
        if name.startswith("conferences_") and ("vote" in name or "ballot" in name)
    )


def _plain(value: Any) -> Any:
    return bytes(value) if isinstance(value, memoryview) else value


def _rows(table: str) -> list[tuple[Any, ...]]:
    """The rows as stored, in the database's own order (no ORDER BY)."""
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT * FROM "{table}"')
        return [tuple(_plain(v) for v in row) for row in cursor.fetchall()]


def _snapshot() -> dict[str, set[tuple[Any, ...]]]:
    return {table: set(_rows(table)) for table in _vote_tables()}


def _columns(model: Any) -> set[str]:
    with connection.cursor() as cursor:
        description = connection.introspection.get_table_description(cursor, model._meta.db_table)
    return {column.name for column in description}


def _secret_item(conference: Conference, title: str = "Bầu Ban Thanh tra") -> VoteItem:
    item = services.add_vote_item(conference, title=title, method=VoteMethod.SECRET_BALLOT, by=None)
    return services.open_vote(item, by=None, passphrase=PASSPHRASE)


def _private_key(item: VoteItem) -> Any:
    box = BallotBox.objects.get(vote_item=item)
    return ballots.unlock(
        PASSPHRASE,
        ballots.BoxKeys(
            bytes(box.public_key),
            bytes(box.sealed_private_key),
            bytes(box.key_salt),
            box.kdf_opslimit,
            box.kdf_memlimit,
        ),
    )


def test_casting_changes_nothing_but_who_voted_and_the_sealed_ballots(
    world: World, conference: Conference
) -> None:
    present(conference, world.people["leadership"], world.people["unit_head"])
    item = _secret_item(conference)
    for person, choice in (("staff", "yes"), ("leadership", "no"), ("unit_head", "abstain")):
        before = _snapshot()
        services.cast_ballot(item, person=world.people[person], choice=choice)
        after = _snapshot()
        for table in _vote_tables():
            if table == Ballot._meta.db_table:
                continue  # rewritten on every cast; checked below
            removed = before[table] - after[table]
            added = after[table] - before[table]
            assert not removed, f"{table}: a row changed when a ballot was cast"
            if table == BallotCast._meta.db_table:
                assert len(added) == 1
            else:
                assert not added, f"{table}: a row was added when a ballot was cast"
        # Every ballot row was replaced: the new one cannot be told by its id.
        old_ids = {row[0] for row in before[Ballot._meta.db_table]}
        assert not old_ids & {row[0] for row in after[Ballot._meta.db_table]}
    assert VoteItem.objects.get(pk=item.pk).yes_count is None
    # A ballot row says nothing but its ciphertext: no voter, no time, no readable choice, and
    # all ciphertexts have the same length whatever was chosen.
    assert _columns(Ballot) == {"id", "box_id", "sealed"}
    assert _columns(BallotCast) == {"id", "vote_item_id", "person_id"}
    sealed = [bytes(b) for b in Ballot.objects.values_list("sealed", flat=True)]
    assert len(sealed) == 3 and len({len(s) for s in sealed}) == 1
    assert not any(word in s for s in sealed for word in (b"yes", b"no", b"abstain"))
    history_tables = [t for t in connection.introspection.table_names() if "historical" in t]
    assert not [t for t in history_tables if "ballot" in t]


def test_neither_ids_nor_row_order_follow_the_order_of_casting(
    world: World, conference: Conference
) -> None:
    present(conference, world.people["leadership"])
    first_by_id, first_in_table = set(), set()
    for trial in range(24):
        item = _secret_item(conference, f"Nội dung {trial}")
        services.cast_ballot(item, person=world.people["staff"], choice="yes")
        services.cast_ballot(item, person=world.people["leadership"], choice="no")
        private = _private_key(item)
        box_id = item.box.pk
        by_id = Ballot.objects.filter(box_id=box_id).order_by("pk")
        first_by_id.add(ballots.open_ballot(private, bytes(by_id[0].sealed)))
        stored = [row for row in _rows(Ballot._meta.db_table) if box_id in row]
        sealed = next(v for v in stored[0] if isinstance(v, bytes) and len(v) > 16)
        first_in_table.add(ballots.open_ballot(private, sealed))
    # Over 24 trials the first vote's ballot is sometimes first, sometimes not (2**-23 to fail).
    assert first_by_id == {"yes", "no"}
    assert first_in_table == {"yes", "no"}


def test_wrong_passphrase_counts_nothing_and_the_right_one_counts_and_discards(
    world: World, conference: Conference
) -> None:
    present(conference, world.people["leadership"], world.people["unit_head"])
    draft = services.add_vote_item(
        conference, title="Ngắn", method=VoteMethod.SECRET_BALLOT, by=None
    )
    with pytest.raises(services.ConferenceError, match="ít nhất"):
        services.open_vote(draft, by=None, passphrase="123")
    item = _secret_item(conference)
    for person, choice in (("staff", "yes"), ("leadership", "yes"), ("unit_head", "no")):
        services.cast_ballot(item, person=world.people[person], choice=choice)
    with pytest.raises(services.ConferenceError, match="không đúng"):
        services.close_vote(item, by=None, passphrase="sai mật khẩu rồi")
    item.refresh_from_db()
    assert item.status == "open" and item.yes_count is None
    assert Ballot.objects.filter(box__vote_item=item).count() == 3
    services.close_vote(item, by=None, passphrase=PASSPHRASE)
    item.refresh_from_db()
    assert (item.yes_count, item.no_count, item.abstain_count) == (2, 1, 0)
    assert item.passed is True and item.status == "closed"
    # The ciphertexts are discarded and the private key with them.
    assert not Ballot.objects.filter(box__vote_item=item).exists()
    assert bytes(BallotBox.objects.get(vote_item=item).sealed_private_key) == b""


def test_a_ballot_that_cannot_be_stored_gives_the_vote_back(
    world: World, conference: Conference
) -> None:
    item = _secret_item(conference)
    with (
        mock.patch.object(ballots, "seal", side_effect=RuntimeError("disk full")),
        pytest.raises(RuntimeError),
    ):
        services.cast_ballot(item, person=world.people["staff"], choice="yes")
    assert not BallotCast.objects.filter(vote_item=item).exists()
    services.cast_ballot(item, person=world.people["staff"], choice="yes")
    assert Ballot.objects.filter(box__vote_item=item).count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_cast_ballot_is_committed_before_the_voter_is_told(
    world: World, conference: Conference
) -> None:
    """Casting runs in its own committed transactions: it refuses to run inside a transaction
    that a later failure (of the request, of the process) could roll back."""
    item = _secret_item(conference)
    with pytest.raises(RuntimeError, match="durable"), transaction.atomic():
        services.cast_ballot(item, person=world.people["staff"], choice="yes")
    services.cast_ballot(item, person=world.people["staff"], choice="no")
    assert not connection.in_atomic_block
    with pytest.raises(RuntimeError), transaction.atomic():
        # Anything failing after the cast (here inside a new transaction) keeps the ballot.
        assert Ballot.objects.filter(box__vote_item=item).count() == 1
        raise RuntimeError("crash")
    assert Ballot.objects.filter(box__vote_item=item).count() == 1
    assert BallotCast.objects.filter(vote_item=item).count() == 1


def test_the_chair_opens_and_closes_with_the_passphrase_on_the_page(
    world: World, conference: Conference
) -> None:
    item = services.add_vote_item(
        conference, title="Thông qua nghị quyết", method=VoteMethod.SECRET_BALLOT, by=None
    )
    chair = world.client("leadership")
    open_url = reverse("conferences:vote_open", args=[item.pk])
    page = chair.post(
        open_url, {"passphrase": PASSPHRASE, "passphrase_again": "khác hẳn"}, follow=True
    )
    assert "không khớp" in page.content.decode()
    assert VoteItem.objects.get(pk=item.pk).status == "draft"
    chair.post(open_url, {"passphrase": PASSPHRASE, "passphrase_again": PASSPHRASE})
    assert VoteItem.objects.get(pk=item.pk).status == "open"
    world.client("staff").post(reverse("conferences:ballot", args=[item.pk]), {"choice": "yes"})
    close_url = reverse("conferences:vote_close", args=[item.pk])
    page = chair.post(close_url, {"passphrase": "không phải mật khẩu"}, follow=True)
    assert "Mật khẩu hòm phiếu không đúng" in page.content.decode()
    assert VoteItem.objects.get(pk=item.pk).status == "open"
    page = chair.post(close_url, {"passphrase": PASSPHRASE}, follow=True)
    assert "Tán thành 1" in page.content.decode()
