"""The cryptography of a secret ballot, without the database.

Each vote has its own key pair. Ballots are sealed with the public key at casting (libsodium
sealed boxes: anonymous sender, a fresh ephemeral key per ballot, so two equal choices give
unrelated ciphertexts). The private key is kept only encrypted with a key derived from the
passphrase the chair sets when opening the vote (argon2id), so neither the administrator nor
anyone reading the database or its backups can open a ballot without the chair.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from nacl import pwhash, utils
from nacl.exceptions import CryptoError
from nacl.public import PrivateKey, PublicKey, SealedBox
from nacl.secret import SecretBox

# Every plaintext is padded to this length: the ciphertext's length must not tell "no" from
# "abstain".
BALLOT_BYTES = 16
MIN_PASSPHRASE = 10


class WrongPassphrase(Exception):
    pass


class UnreadableBallot(Exception):
    pass


@dataclass(frozen=True)
class BoxKeys:
    public_key: bytes
    sealed_private_key: bytes
    salt: bytes
    opslimit: int
    memlimit: int


def kdf_limits() -> tuple[int, int]:
    """argon2id's cost; the test settings lower it, production may raise it."""
    return (
        getattr(settings, "BALLOT_KDF_OPSLIMIT", pwhash.argon2id.OPSLIMIT_INTERACTIVE),
        getattr(settings, "BALLOT_KDF_MEMLIMIT", pwhash.argon2id.MEMLIMIT_INTERACTIVE),
    )


def _passphrase_key(passphrase: str, salt: bytes, opslimit: int, memlimit: int) -> bytes:
    return pwhash.argon2id.kdf(
        SecretBox.KEY_SIZE,
        passphrase.encode("utf-8"),
        salt,
        opslimit=opslimit,
        memlimit=memlimit,
    )


def make_keys(passphrase: str) -> BoxKeys:
    """A new key pair whose private half only `passphrase` unlocks."""
    opslimit, memlimit = kdf_limits()
    salt = utils.random(pwhash.argon2id.SALTBYTES)
    private = PrivateKey.generate()
    sealed = SecretBox(_passphrase_key(passphrase, salt, opslimit, memlimit)).encrypt(
        bytes(private)
    )
    return BoxKeys(bytes(private.public_key), bytes(sealed), salt, opslimit, memlimit)


def unlock(passphrase: str, keys: BoxKeys) -> PrivateKey:
    try:
        raw = SecretBox(
            _passphrase_key(passphrase, keys.salt, keys.opslimit, keys.memlimit)
        ).decrypt(keys.sealed_private_key)
    except CryptoError as error:
        raise WrongPassphrase from error
    return PrivateKey(raw)


def seal(public_key: bytes, choice: str) -> bytes:
    plain = choice.encode("ascii")
    if len(plain) >= BALLOT_BYTES:
        raise ValueError(choice)
    return bytes(SealedBox(PublicKey(public_key)).encrypt(plain.ljust(BALLOT_BYTES, b"\0")))


def open_ballot(private: PrivateKey, sealed: bytes) -> str:
    try:
        plain = SealedBox(private).decrypt(sealed)
    except CryptoError as error:
        raise UnreadableBallot from error
    return plain.rstrip(b"\0").decode("ascii", errors="replace")
