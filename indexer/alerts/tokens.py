"""The signed links of the e-mails: a confirmation link that carries the whole request
(address, search, label, frequency) so nothing is stored before consent, valid for a week;
and an unsubscribe link per subscription that never expires (one click, no login).
Signed with the UI's secret key (``secret_key`` setting, else the key in the data directory).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from itsdangerous import BadSignature, URLSafeTimedSerializer

CONFIRM_SALT = "bronzoeker-alert-confirm"
UNSUBSCRIBE_SALT = "bronzoeker-alert-unsubscribe"
CONFIRM_DAYS = 7


@dataclass(frozen=True)
class Request:
    """A subscription asked for but not yet confirmed (only ever inside a signed link)."""

    email: str
    params: str
    label: str
    frequency: str


def confirm_token(secret: str, request: Request) -> str:
    return URLSafeTimedSerializer(secret, salt=CONFIRM_SALT).dumps(asdict(request))


def read_confirm_token(secret: str, token: str) -> Request | None:
    """The request of a valid, unexpired link; None for anything else."""
    try:
        data: Any = URLSafeTimedSerializer(secret, salt=CONFIRM_SALT).loads(token, max_age=CONFIRM_DAYS * 86400)
        return Request(**{key: str(data[key]) for key in ("email", "params", "label", "frequency")})
    except (BadSignature, KeyError, TypeError):
        return None


def unsubscribe_token(secret: str, subscription_id: int) -> str:
    return URLSafeTimedSerializer(secret, salt=UNSUBSCRIBE_SALT).dumps(subscription_id)


def read_unsubscribe_token(secret: str, token: str) -> int | None:
    try:
        value = URLSafeTimedSerializer(secret, salt=UNSUBSCRIBE_SALT).loads(token)
    except BadSignature:
        return None
    return value if isinstance(value, int) else None
