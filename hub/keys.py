"""Typed keys for what the application shares between handlers; one module, no singletons."""

from __future__ import annotations

import asyncio

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncEngine

from config.settings import Settings
from connectors.asterisk.client import AmiClient
from hub.auth import Principal, TokenVerifier
from hub.backlog import Backlog
from hub.folder import Folder
from hub.metrics import Metrics
from hub.phone import Normalizer
from hub.writer import IngestWriter
from notifications.alerts import Alerts
from notifications.bot.runner import StaffBot
from notifications.escalation import EscalationSweep
from notifications.sender import OutboxSender
from routing.loader import DirectoryCache
from storage.db import SessionFactory

SETTINGS = web.AppKey("settings", Settings)
METRICS = web.AppKey("metrics", Metrics)
NORMALIZER = web.AppKey("normalizer", Normalizer)
ENGINE = web.AppKey("engine", AsyncEngine)
SESSIONS = web.AppKey("sessions", SessionFactory)
DIRECTORY = web.AppKey("directory", DirectoryCache)
WRITER = web.AppKey("writer", IngestWriter)
BACKLOG = web.AppKey("backlog", Backlog)
# Background stores of first events (see hub/api/pbx/common.py), awaited at shutdown.
STORING = web.AppKey("storing", set[asyncio.Task[None]])
FOLDER = web.AppKey("folder", Folder)
ALERTS = web.AppKey("alerts", Alerts)
SENDER = web.AppKey("sender", OutboxSender)
SWEEP = web.AppKey("sweep", EscalationSweep)
STAFF_BOT = web.AppKey("staff_bot", StaffBot)
VERIFIER = web.AppKey("verifier", TokenVerifier)
AMI_CLIENTS = web.AppKey("ami_clients", dict[str, AmiClient])
PRINCIPAL = web.RequestKey("principal", Principal)
