"""The reminders' settings: ``DONDOC_REMINDERS = {...}`` in Django's settings, each key optional.

    BEFORE_DAYS        (7, 1)   reminders this many days before the deadline
    DAYS               "working"  how BEFORE_DAYS count: "working" (Vietnamese working days: weekends, public
                                holidays incl. Tết and the Government's swap days skipped, ``extract.workdays``)
                                or "calendar"
    ON_DUE_DAY         True     a reminder on the deadline itself
    OVERDUE_FIRST      1        the first overdue reminder this many calendar days after the deadline
    OVERDUE_REPEAT     7        then every this many calendar days while the task stays open (0: only once)
    ESCALATE_AFTER     7        overdue this many calendar days: the assigning office is told (None: never)
    ESCALATE_REPEAT    30       and again every this many days (0: only once)
    STALE_DAYS         30       no progress report for this many days (None: no such reminder)
    NO_DEADLINE_DAYS   30       a task without a deadline: a nudge every this many days (None: never)
    SKIP_NON_WORKING_DAYS False  when True, a pass on a weekend or holiday queues nothing (deliveries go on)
    MAX_ATTEMPTS       8        deliveries tried this often before a notification is marked failed
    BACKOFF_SECONDS    60       wait before the 2nd attempt, doubled each time ...
    BACKOFF_MAX_SECONDS 21600   ... up to this
    CLAIM_TIMEOUT_SECONDS 600   a notification left "sending" this long (its worker died) is tried again
    EMAIL_TIMEOUT      None     seconds; default: settings.EMAIL_TIMEOUT, else 30
    FROM_EMAIL         None     default: settings.DEFAULT_FROM_EMAIL
    WEBHOOK_TIMEOUT    10       seconds
    WEBHOOK_BATCH      500      reminders per POST
    DIGEST_MAX_ITEMS   50       tasks listed in detail per section of an e-mail (the rest are counted)
    BASE_URL           ""       e.g. "https://dondoc.example.gov.vn": links to /api/tasks/<id>/ in messages
    RECURRENCE_LOOKBACK_DAYS 366  recurring tasks finished (or whose period ended) this recently get a next one
    MAX_OCCURRENCES_PER_PASS 25   next occurrences created per pass at most (the rest in the next passes)
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from django.conf import settings


@dataclass(frozen=True)
class Config:
    BEFORE_DAYS: tuple[int, ...] = (7, 1)
    DAYS: str = "working"
    ON_DUE_DAY: bool = True
    OVERDUE_FIRST: int = 1
    OVERDUE_REPEAT: int = 7
    ESCALATE_AFTER: int | None = 7
    ESCALATE_REPEAT: int = 30
    STALE_DAYS: int | None = 30
    NO_DEADLINE_DAYS: int | None = 30
    SKIP_NON_WORKING_DAYS: bool = False
    MAX_ATTEMPTS: int = 8
    BACKOFF_SECONDS: float = 60
    BACKOFF_MAX_SECONDS: float = 6 * 3600
    CLAIM_TIMEOUT_SECONDS: float = 600
    EMAIL_TIMEOUT: float | None = None
    FROM_EMAIL: str | None = None
    WEBHOOK_TIMEOUT: float = 10
    WEBHOOK_BATCH: int = 500
    DIGEST_MAX_ITEMS: int = 50
    BASE_URL: str = ""
    RECURRENCE_LOOKBACK_DAYS: int = 366
    MAX_OCCURRENCES_PER_PASS: int = 25

    @property
    def working_days(self) -> bool:
        return self.DAYS == "working"

    @property
    def from_email(self) -> str:
        return self.FROM_EMAIL or settings.DEFAULT_FROM_EMAIL

    @property
    def email_timeout(self) -> float:
        # the reminders' own setting first: the site-wide one also bounds other mail (password resets...)
        if self.EMAIL_TIMEOUT is not None:
            return self.EMAIL_TIMEOUT
        return getattr(settings, "EMAIL_TIMEOUT", None) or 30


class ConfigError(ValueError):
    pass


def get_config(**overrides: Any) -> Config:
    """The settings in force (read on every call, so tests' ``settings`` fixture applies at once)."""
    return make_config({**getattr(settings, "DONDOC_REMINDERS", {}), **overrides})


def make_config(given: dict[str, Any]) -> Config:
    """A checked ``Config`` from settings keys (the defaults for those not given)."""
    given = dict(given)
    known = {f.name for f in fields(Config)}
    unknown = set(given) - known
    if unknown:
        raise ConfigError(f"DONDOC_REMINDERS: khóa không biết / unknown keys: {', '.join(sorted(unknown))}")
    if "BEFORE_DAYS" in given:
        given["BEFORE_DAYS"] = tuple(sorted({int(n) for n in given["BEFORE_DAYS"]}, reverse=True))
    config = Config(**given)
    if config.DAYS not in ("working", "calendar"):
        raise ConfigError('DONDOC_REMINDERS["DAYS"] phải là "working" hoặc "calendar" / must be "working" or '
                          '"calendar"')
    if any(n <= 0 for n in config.BEFORE_DAYS):
        raise ConfigError('DONDOC_REMINDERS["BEFORE_DAYS"]: số ngày phải dương / days must be positive')
    if config.OVERDUE_FIRST < 1:
        raise ConfigError('DONDOC_REMINDERS["OVERDUE_FIRST"] phải từ 1 / must be 1 or more')
    for name in ("OVERDUE_REPEAT", "ESCALATE_REPEAT", "MAX_ATTEMPTS"):
        if getattr(config, name) < 0:
            raise ConfigError(f'DONDOC_REMINDERS["{name}"] không được âm / cannot be negative')
    for name in ("STALE_DAYS", "NO_DEADLINE_DAYS", "ESCALATE_AFTER"):
        value = getattr(config, name)
        if value is not None and value < (0 if name == "ESCALATE_AFTER" else 1):
            raise ConfigError(f'DONDOC_REMINDERS["{name}"] không hợp lệ / is invalid: {value}')
    return config
