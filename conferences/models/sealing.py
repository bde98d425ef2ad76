"""What every secret ballot box stores, whatever it is a box for: abstract models.

The conference's votes (`BallotBox`, `Ballot`) and the emulation council's ballots build on these,
so that a box is always the same thing (docs/SECURITY.md §7): the keys of the vote, the private
one only sealed under the chair's passphrase, and ballots that hold their ciphertext and nothing
else — no voter, no time, a random id, no history. `conferences.sealing` is how they are written
and counted.
"""

from __future__ import annotations

import uuid

from django.db import models

from conferences import ballots


class SealedKeys(models.Model):
    """The keys of one secret ballot: the public key seals each ballot at casting; the private
    key is stored only encrypted under the chair's passphrase and wiped when the count is done.
    Nothing here changes while people vote, so no row version can be matched with a voter."""

    public_key = models.BinaryField(max_length=32, default=b"", editable=False)
    sealed_private_key = models.BinaryField(max_length=128, default=b"", editable=False)
    key_salt = models.BinaryField(max_length=32, default=b"", editable=False)
    kdf_opslimit = models.PositiveIntegerField(default=0, editable=False)
    kdf_memlimit = models.PositiveBigIntegerField(default=0, editable=False)

    class Meta:
        abstract = True

    def lock_with(self, passphrase: str) -> None:
        """A new key pair whose private half only `passphrase` opens (not saved here)."""
        keys = ballots.make_keys(passphrase)
        self.public_key = keys.public_key
        self.sealed_private_key = keys.sealed_private_key
        self.key_salt = keys.salt
        self.kdf_opslimit = keys.opslimit
        self.kdf_memlimit = keys.memlimit

    @property
    def keys(self) -> ballots.BoxKeys:
        return ballots.BoxKeys(
            bytes(self.public_key),
            bytes(self.sealed_private_key),
            bytes(self.key_salt),
            self.kdf_opslimit,
            self.kdf_memlimit,
        )

    @property
    def has_key(self) -> bool:
        return bool(self.public_key)


class SealedBallot(models.Model):
    """One sealed ballot: a random id and the ciphertext. A concrete box adds its foreign key
    (and, for a ballot paper of several questions, the question it answers)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    sealed = models.BinaryField(max_length=128, editable=False)

    class Meta:
        abstract = True
