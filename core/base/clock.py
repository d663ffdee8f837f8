"""The current time, in one place, so jobs and tests can run at a given moment (--now)."""
from __future__ import annotations

import os
from datetime import datetime


def now() -> datetime:
    """Local wall-clock time, naive, to the second.

    ``COCKPIT_NOW`` (ISO date-time) freezes the clock: for training sessions on a fixed demo day
    and for tests.
    """
    frozen = os.environ.get("COCKPIT_NOW")
    if frozen:
        return parse(frozen)
    return datetime.now().replace(microsecond=0)


def parse(value: str) -> datetime:
    """Parse an ISO date or date-time given on the command line or in a URL."""
    try:
        return datetime.fromisoformat(value.strip())
    except ValueError:
        raise ValueError(f"not a date or time: {value!r} (use e.g. 2026-11-23 or 2026-11-23T08:30)") from None


def wall() -> datetime:
    """The real wall-clock time, never frozen: login cookies, lockouts and revocations are stamped
    with it, because the browser's cookie expiry is."""
    return datetime.now().replace(microsecond=0)
