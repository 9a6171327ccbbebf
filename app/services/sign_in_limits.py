"""How many wrong passwords an account takes before it must wait: a back-off, not a lock.

Failed sign-ins are counted per e-mail address typed (whether or not it has an account, so the
answer never tells), whatever network address they come from, on top of the per-IP limits of the
sign-in routes. ``ACCOUNT_SIGN_IN_LIMITS`` lists the steps (``5 per 5 minutes;10 per hour;…``):
past one, the address waits until that window has room again, so each step waits longer.

The counts live in the rate limiter's storage (Redis with ``RATELIMIT_STORAGE_URI``, shared by
every worker). A browser the person already signed in with on that account counts its failures
separately: someone guessing from elsewhere never locks the owner out of their own account, and
choosing a new password through the mailed link clears the counts.
"""

import hashlib
import math
import time
from dataclasses import dataclass

from flask import current_app
from flask_babel import lazy_gettext as _l
from limits import RateLimitItem, parse_many
from limits.strategies import MovingWindowRateLimiter

from app.extensions import limiter
from app.services.errors import DomainError


class TooManyFailures(DomainError):
    """Too many wrong passwords for this account lately: try again after ``retry_after`` s."""

    code = "rate_limited"

    def __init__(self, retry_after: int) -> None:
        minutes = max(1, math.ceil(retry_after / 60))
        super().__init__(
            _l(
                "Too many wrong passwords for this account. Try again in %(minutes)d minutes, "
                "or choose a new password with “Forgot password?”.",
                minutes=minutes,
            ),
            {"retry_after": retry_after},
        )
        self.retry_after = retry_after


@dataclass(frozen=True)
class Counter:
    """Where the failures of one account (from one trusted browser, or from anywhere) count."""

    key: str

    @classmethod
    def of(cls, email: str, device: str | None = None) -> "Counter":
        """The counter of ``email``'s failures; of ``device``'s only, for a known browser."""
        digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]
        return cls(f"account:{digest}" + (f":device:{device[:64]}" if device else ""))


def _limits() -> list[RateLimitItem]:
    return list(parse_many(str(current_app.config["ACCOUNT_SIGN_IN_LIMITS"])))


def _strategy() -> MovingWindowRateLimiter | None:
    if not limiter.enabled or not current_app.config.get("RATELIMIT_ENABLED", True):
        return None
    return MovingWindowRateLimiter(limiter.storage)


def check(counter: Counter) -> None:
    """Raise ``TooManyFailures`` while the account has to wait."""
    strategy = _strategy()
    if strategy is None:
        return
    waits = []
    for item in _limits():
        if not strategy.test(item, counter.key):
            reset_at, _remaining = strategy.get_window_stats(item, counter.key)
            waits.append(max(1, math.ceil(reset_at - time.time())))
    if waits:
        raise TooManyFailures(max(waits))


def failed(counter: Counter) -> None:
    """Count one wrong password."""
    strategy = _strategy()
    if strategy is not None:
        for item in _limits():
            strategy.hit(item, counter.key)


def clear(counter: Counter) -> None:
    """Forget the failures (the password was right, or a new one was chosen)."""
    strategy = _strategy()
    if strategy is not None:
        for item in _limits():
            strategy.clear(item, counter.key)
