"""The settings tree: one frozen model per section, every key documented in dozvon.example.toml."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator, Mapping
from datetime import date, time, timedelta
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import phonenumbers
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    SecretStr,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url

from config.duration import Duration
from hub.domain.digits import plain_digits


def _known_zone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"{value!r} is not an IANA time zone (e.g. Europe/Moscow)") from exc
    return value


Zone = Annotated[str, AfterValidator(_known_zone)]


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _time_of_day(value: object) -> time:
    if isinstance(value, time):
        return value
    hours, _, minutes = str(value).partition(":")
    if not (
        plain_digits(hours) and plain_digits(minutes) and int(hours) < 24 and int(minutes) < 60
    ):
        raise ValueError(f"{value!r} is not a time of day like '09:00'")
    return time(int(hours), int(minutes))


# A time of day written "HH:MM" (in company.timezone wherever it is used).
TimeOfDay = Annotated[time, BeforeValidator(_time_of_day)]


def is_loopback(host: str) -> bool:
    """Does listening on ``host`` keep the service on this machine (127.0.0.0/8, ::1,
    ``localhost``)? Any other name or address may be reached from the network."""
    if host.lower() == "localhost":
        return True
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    mapped = getattr(address, "ipv4_mapped", None)
    return bool(address.is_loopback or (mapped is not None and mapped.is_loopback))


class HttpSettings(_Section):
    """Where the HTTP server listens and what it accepts."""

    host: str = "127.0.0.1"
    port: int = Field(default=8080, ge=1, le=65535)
    max_body_bytes: int = Field(default=64 * 1024, ge=1024)
    public_url: str | None = None
    # Links in messages and reports (a call's recording) open without a token, signed with this
    # key until link_ttl has passed; without a key the service makes one, kept in the database.
    link_secret: SecretStr | None = None
    link_ttl: Duration = timedelta(days=30)
    # The event loop: uvloop when it is installed (`pip install 'dozvon[fast]'`, which `make run`
    # does), else asyncio's own; false keeps asyncio's own.
    uvloop: bool = True

    @property
    def exposed_by(self) -> str | None:
        """What makes the service reachable from other machines, in words; None when it listens
        on loopback and no proxy forwards to it (no ``public_url``)."""
        if not is_loopback(self.host):
            return f"http.host ({self.host!r}) is not a loopback address"
        if self.public_url is not None:
            return "http.public_url is set (a proxy forwards requests from the network)"
        return None


DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///./var/dozvon.db"
# database.pool_recycle at least this: the ingest writer's own connection goes back to the pool
# after storage/intake.py's HELD_IDLE (10 s) without a batch, and should meet the recycling.
MIN_POOL_RECYCLE = timedelta(seconds=30)


class DatabaseSettings(_Section):
    """Which database to use; SQLite is the embedded default, PostgreSQL the scale-out store."""

    url: str = DEFAULT_DATABASE_URL
    echo: bool = False
    pool_size: int = Field(default=10, ge=1, le=200)
    # PostgreSQL: a pooled connection older than this is replaced when next taken. A connection
    # that closes is noticed at once; one dropped without a word (a NAT or a firewall forgetting
    # an idle connection, often after 5–60 minutes) is not, and would fail its next statement.
    pool_recycle: Duration = timedelta(minutes=5)
    sqlite_busy_timeout: Duration = timedelta(seconds=10)
    sqlite_synchronous: Literal["NORMAL", "FULL"] = "NORMAL"

    @field_validator("pool_recycle")
    @classmethod
    def _recycle_not_too_often(cls, value: timedelta) -> timedelta:
        if value < MIN_POOL_RECYCLE:
            raise ValueError(
                f"must be at least {MIN_POOL_RECYCLE.total_seconds():g}s (each connection is "
                "opened again that often)"
            )
        return value

    @field_validator("url")
    @classmethod
    def _known_driver(cls, value: str) -> str:
        if value.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
            return value
        scheme, found, rest = value.partition("://")
        if found and scheme.split("+")[0] in ("postgres", "postgresql"):
            safe = rest.split("@", 1)[1] if "@" in rest else rest
            user = rest.split("@", 1)[0].split(":")[0] + ":…@" if "@" in rest else ""
            raise ValueError(f"write it postgresql+asyncpg://{user}{safe}")
        if found and scheme.split("+")[0] == "sqlite":
            raise ValueError(f"write it sqlite+aiosqlite://{rest}")
        raise ValueError("must start with 'sqlite+aiosqlite://' or 'postgresql+asyncpg://'")

    @property
    def is_sqlite(self) -> bool:
        return self.url.startswith("sqlite")

    @property
    def is_default(self) -> bool:
        """The embedded default (``./var/dozvon.db``), whose directory is made on first use."""
        return self.url == DEFAULT_DATABASE_URL

    @property
    def sqlite_file(self) -> Path | None:
        """The SQLite database's file; None for an in-memory database, a ``file:`` URI or
        PostgreSQL."""
        if not self.is_sqlite:
            return None
        database = make_url(self.url).database
        if not database or database == ":memory:" or database.startswith("file:"):
            return None
        return Path(database).expanduser()

    def beside(self, suffix: str) -> Path | None:
        """A file next to the SQLite database (``dozvon.db`` → ``dozvon<suffix>``), if any."""
        path = self.sqlite_file
        return path.with_name(path.stem + suffix) if path is not None else None


class PhoneSettings(_Section):
    """How phone numbers are read: the region assumed for numbers written without a country code."""

    default_region: str = "RU"
    internal_max_digits: int = Field(default=5, ge=1, le=8)

    @field_validator("default_region")
    @classmethod
    def _known_region(cls, value: str) -> str:
        region = value.upper()
        if region not in phonenumbers.SUPPORTED_REGIONS:
            raise ValueError(f"{value!r} is not a region code phonenumbers knows (e.g. RU, KZ, US)")
        return region


class AdminSettings(_Section):
    """The bootstrap administrator token; further tokens are created through the API."""

    token: SecretStr | None = None


class HooksSettings(_Section):
    """Secrets and limits of the inbound call hooks."""

    generic_secret: SecretStr | None = None
    signature_window: Duration = timedelta(seconds=300)
    # The generic hook refuses an update whose ``at`` is further ahead of the app's clock than
    # this, or older than ``max_age``.
    max_clock_skew: Duration = timedelta(minutes=5)
    max_age: Duration = timedelta(days=7)


class RoutingSettings(_Section):
    """How calls are routed and how fresh the in-memory directory snapshot is kept."""

    sticky_window: Duration = timedelta(days=30)
    refresh_interval: Duration = timedelta(seconds=2)
    full_reload_interval: Duration = timedelta(minutes=10)
    # Decisions asked for without a call id stored a second at most; those beyond are counted
    # (hub/services/decision_budget.py). One asked for with a call id is always stored.
    record_per_second: int = Field(default=200, ge=1, le=1_000_000)


class IngestSettings(_Section):
    """The single writer that commits call updates in batches, and where they are folded."""

    batch_max: int = Field(default=500, ge=1, le=10_000)
    # Where ``dozvon serve`` folds stored updates into calls, cases and alerts: "process", in a
    # process of its own beside the service, so that folding never delays a routing answer;
    # "loop", on the service's own loop; "auto" (the default): apart with PostgreSQL, on the
    # loop with SQLite (whose one write lock two processes would take in turns, each waiting
    # in sleeps for the other).
    fold: Literal["auto", "process", "loop"] = "auto"
    # Where updates already answered for wait while the database cannot take them, so that a
    # restart meanwhile loses none. Default: next to the SQLite file; with PostgreSQL, set it
    # (else they wait in memory only).
    backlog_file: Path | None = None

    def fold_apart(self, database: DatabaseSettings) -> bool:
        """Whether updates are folded in a process of their own with ``database``."""
        return self.fold == "process" or (self.fold == "auto" and not database.is_sqlite)


class LogSettings(_Section):
    """Logging output."""

    level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    format: Literal["text", "json"] = "text"
    # One line per HTTP request (method, path without its query, status, time): did the PBX
    # reach the service?
    access: bool = False


class CompanySettings(_Section):
    """Facts about the company itself."""

    timezone: Zone = "Europe/Moscow"
    # The company calendar (besides what PUT /api/v1/calendar and `dozvon calendar import`
    # keep in the database, which wins for a date named in both): public holidays and days off
    # moved onto weekdays, shortened days (an hour shorter), weekends worked by a transfer.
    holidays: list[date] = []
    short_days: list[date] = []
    working_days: list[date] = []


class TelegramSettings(_Section):
    """The staff bot. Without a token, messages go to the log instead (the console channel)."""

    token: SecretStr | None = None
    api_base: str | None = None
    proxy: str | None = None
    language: Literal["ru", "en"] = "ru"
    admin_chat_id: int | None = None
    mode: Literal["polling", "webhook"] = "polling"
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    polling_timeout: Duration = timedelta(seconds=30)
    invite_ttl: Duration = timedelta(days=7)

    @field_validator("webhook_secret")
    @classmethod
    def _secret_token(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not re.fullmatch(
            r"[A-Za-z0-9_-]{1,256}", value.get_secret_value()
        ):
            raise ValueError("1-256 characters of A-Z, a-z, 0-9, '_' and '-' (Telegram's rule)")
        return value

    @model_validator(mode="after")
    def _webhook_complete(self) -> TelegramSettings:
        if self.mode == "webhook" and (self.webhook_url is None or self.webhook_secret is None):
            raise ValueError("mode 'webhook' needs webhook_url and webhook_secret")
        return self


class CallbackSettings(_Section):
    """Which missed calls open a callback case."""

    min_ring_time: Duration = timedelta(0)


class EscalationSettings(_Section):
    """When an open callback case goes to the supervisor and the director."""

    after: Duration = timedelta(hours=24)
    sweep_interval: Duration = timedelta(seconds=30)
    working_hours_only: bool = False
    working_hours: str = "09:00-18:00"

    @field_validator("working_hours")
    @classmethod
    def _range(cls, value: str) -> str:
        from hub.domain.hours import HoursError, parse_hours

        try:
            parse_hours({"mon": value}, "UTC")
        except HoursError as exc:
            raise ValueError(str(exc).removeprefix("mon: ")) from exc
        return value


class DigestSettings(_Section):
    """When the supervisors' daily and the director's weekly digests go out."""

    time: TimeOfDay = time(9, 0)
    enabled: bool = True


class CasesSettings(_Section):
    """Who answers for a missed call that rang nobody (a queue or IVR abandon, no manager known):
    manager ids or role names (``supervisor``, ``director``); every supervisor by default."""

    duty: list[int | Literal["supervisor", "director", "admin", "manager"]] = ["supervisor"]


class ClientStatusSettings(_Section):
    """Thresholds of the client statuses, computed daily from sales.

    One purchase within ``new_for`` is ``new``, older ``lapsed``; two or more purchases are
    ``regular`` while the last is within ``churned_after``, then ``churned``; none: ``potential``.
    """

    new_for: Duration = timedelta(days=180)
    churned_after: Duration = timedelta(days=180)
    recompute_at: TimeOfDay = time(3, 0)


class ClientsSettings(_Section):
    """Clients: when one counts as forgotten, and the thresholds of the statuses."""

    forgotten_after: Duration = timedelta(days=90)
    status: ClientStatusSettings = ClientStatusSettings()


class ReportsSettings(_Section):
    """The month-end report of numbers still unregistered: the day (``last-working``: the last
    working day of the month; or a day of the month, 1-28) and time in ``company.timezone``; and
    whether the reports sent on their own (it and the Monday forgotten-clients lists) go out."""

    enabled: bool = True
    unregistered_day: Literal["last-working"] | Annotated[int, Field(ge=1, le=28)] = "last-working"
    unregistered_time: TimeOfDay = time(10, 0)


class OutboxSettings(_Section):
    """Delivery of messages to people."""

    per_chat_interval: Duration = timedelta(seconds=1)
    global_rate: float = Field(default=25.0, gt=0, le=1000)
    max_backoff: Duration = timedelta(minutes=5)
    dead_after: Duration = timedelta(hours=24)
    poll_interval: Duration = timedelta(seconds=1)


class MessagesSettings(_Section):
    """Clients' messages: how soon a reply is due before an unanswered message opens a case
    (counted in working hours when ``escalation.working_hours_only`` is on), and the largest
    file relayed between a client and his manager."""

    reply_within: Duration = timedelta(minutes=15)
    max_file_size: int = Field(default=20 * 1024 * 1024, gt=0)


class MaxSettings(_Section):
    """The staff bot on MAX: alerts, buttons and invites as on Telegram, for people without
    Telegram. Without a token nobody is reached on MAX."""

    token: SecretStr | None = None
    api_base: str = "https://platform-api2.max.ru"
    # The staff bot's own updates (invites, commands, buttons, replies to clients): MAX posts
    # them here with the secret in X-Max-Bot-Api-Secret (POST /api/v1/max/webhook).
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None

    @field_validator("webhook_secret")
    @classmethod
    def _secret_as_max_takes_it(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not re.fullmatch(
            r"[A-Za-z0-9_-]{5,256}", value.get_secret_value()
        ):
            raise ValueError("5 to 256 characters of A-Z, a-z, 0-9, '_' and '-' (MAX's rule)")
        return value

    @model_validator(mode="after")
    def _webhook_complete(self) -> MaxSettings:
        if self.webhook_url is not None and self.webhook_secret is None:
            raise ValueError("webhook_url needs webhook_secret: MAX's posts are checked by it")
        return self


class EmailSettings(_Section):
    """Mail to people (SMTP): alerts and digests as text and HTML, reports with their files.
    Without a host nobody is reached by e-mail."""

    host: str | None = None
    port: int = Field(default=587, ge=1, le=65535)
    username: str | None = None
    password: SecretStr | None = None
    sender: str = "dozvon@localhost"
    security: Literal["starttls", "tls", "none"] = "starttls"
    timeout: Duration = timedelta(seconds=20)


class ConnectorSection(BaseModel):
    """One ``[connectors.NAME]`` section: a ``type`` and that vendor's keys.

    The configuration sits below the connectors and does not know them: each vendor's model
    (``connectors/<vendor>/settings.py``) subclasses this one and forbids unknown keys, and
    ``load_settings`` is told by its caller which model reads which ``type``. Read without that,
    a section keeps its keys as written.
    """

    model_config = ConfigDict(extra="allow", frozen=True)

    type: str

    def required_beyond_loopback(self) -> Mapping[str, str]:
        """Keys this section must set when ``http.host`` is reachable from the network, each
        with the reason; ``load_settings`` refuses to start without them."""
        return {}

    def __repr_args__(self) -> Iterator[tuple[str | None, Any]]:
        # Keys kept as written are not known to be safe to show: one may be a secret.
        for key, value in super().__repr_args__():
            if key in type(self).model_fields:
                yield key, value


RESERVED_NAMES = frozenset({"generic", "rejected"})


class Settings(BaseSettings):
    """All settings. Environment variables ``DOZVON_<SECTION>__<KEY>`` override the file."""

    model_config = SettingsConfigDict(
        env_prefix="DOZVON_",
        env_nested_delimiter="__",
        extra="ignore",
        frozen=True,
    )

    http: HttpSettings = HttpSettings()
    database: DatabaseSettings = DatabaseSettings()
    phone: PhoneSettings = PhoneSettings()
    admin: AdminSettings = AdminSettings()
    hooks: HooksSettings = HooksSettings()
    routing: RoutingSettings = RoutingSettings()
    ingest: IngestSettings = IngestSettings()
    log: LogSettings = LogSettings()
    company: CompanySettings = CompanySettings()
    telegram: TelegramSettings = TelegramSettings()
    callbacks: CallbackSettings = CallbackSettings()
    escalation: EscalationSettings = EscalationSettings()
    outbox: OutboxSettings = OutboxSettings()
    digest: DigestSettings = DigestSettings()
    cases: CasesSettings = CasesSettings()
    clients: ClientsSettings = ClientsSettings()
    reports: ReportsSettings = ReportsSettings()
    messages: MessagesSettings = MessagesSettings()
    max: MaxSettings = MaxSettings()
    email: EmailSettings = EmailSettings()
    connectors: dict[str, ConnectorSection] = {}
    messengers: dict[str, ConnectorSection] = {}

    @field_validator("connectors", "messengers")
    @classmethod
    def _names(cls, value: dict[str, ConnectorSection]) -> dict[str, ConnectorSection]:
        for name in value:
            if not re.fullmatch(r"[a-z0-9][a-z0-9_-]{0,39}", name) or name in RESERVED_NAMES:
                raise ValueError(
                    f"connector name {name!r}: use 1-40 of a-z, 0-9, '_', '-' "
                    f"(not {', '.join(sorted(RESERVED_NAMES))})"
                )
        return value


SECTIONS = frozenset(Settings.model_fields)
