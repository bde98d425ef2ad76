"""API tokens: created (the secret shown once), checked by hash, revoked (never deleted)."""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.models import User
from django.db import OperationalError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from api.models import ApiToken
from core.audit import stamp
from core.database_busy import is_busy
from core.errors import DomainError
from organisations.membership import activate_membership, memberships_of

TOKEN_PREFIX = "tt_"
MAX_ACTIVE_TOKENS = 10


class TokenError(DomainError):
    pass


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def create_token(
    user: User, *, name: str, organisation_id: int | None = None
) -> tuple[ApiToken, str]:
    """A new token for `user` acting in `organisation_id` (their membership there); the secret
    is returned once and only its hash is kept."""
    name = (name or "").strip()
    if not name:
        raise TokenError(_("Cần đặt tên gợi nhớ cho khóa."))
    if ApiToken.objects.filter(user=user, revoked_at__isnull=True).count() >= MAX_ACTIVE_TOKENS:
        raise TokenError(
            _("Mỗi người dùng tối đa %(n)s khóa đang hiệu lực.") % {"n": MAX_ACTIVE_TOKENS}
        )
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user=user,
        organisation_id=organisation_id,
        name=name[:100],
        prefix=secret[:10],
        key_hash=hash_token(secret),
    )
    stamp(token, user)
    token.save()
    return token, secret


@transaction.atomic
def revoke_token(token: ApiToken, *, by: User) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        stamp(token, by, _("Thu hồi khóa"))
        token.save(update_fields=["revoked_at"])
    return token


def user_for_token(secret: str) -> User | None:
    """The active user a token belongs to, or None; their membership in the token's organisation
    is the one the request's rules read (organisations.membership)."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 100:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=hash_token(secret), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        try:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        except OperationalError as error:
            # A best-effort stamp: a reading request is not refused because SQLite's write lock
            # stayed taken past the busy wait (core.database_busy); the next request stamps it.
            if not is_busy(error):
                raise
    if token.organisation_id is not None and token.organisation_id not in {
        person.school_id for person in memberships_of(token.user)
    }:
        # Made in an organisation the user has since left: it acts nowhere else.
        return None
    activate_membership(token.user, token.organisation_id)
    return token.user
