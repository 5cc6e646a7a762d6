"""The one place that builds every resource of the app, in order, and closes them in reverse.

Each module owns one resource (an aiohttp ``cleanup_ctx``) and declares the ``AppKey`` of what
it makes beside it; ``wiring.py`` holds the handler map from facts to reactions. ``RESOURCES``
is the start order: the one outbound HTTP session, the database, the key of signed links, the
routing directory, the outbox, the clients' messengers, the call pipeline, the messengers' long
polls, the staff bot and the schedule, the staff bot on MAX, the API token verifier, the
console's login guard, the links to PBXs, click-to-call.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

from aiohttp import web

from hub.bootstrap.auth import verifier
from hub.bootstrap.console import console
from hub.bootstrap.database import database
from hub.bootstrap.directory import directory
from hub.bootstrap.http_client import http_client
from hub.bootstrap.links import links
from hub.bootstrap.max_staff import max_staff
from hub.bootstrap.messengers import messengers
from hub.bootstrap.originate import originator
from hub.bootstrap.outbox import outbox
from hub.bootstrap.pbx import pbx_links
from hub.bootstrap.people import people
from hub.bootstrap.pipeline import pipeline
from hub.bootstrap.polls import polls

Resource = Callable[[web.Application], AsyncIterator[None]]

RESOURCES: list[Resource] = [
    http_client,
    database,
    links,
    directory,
    outbox,
    messengers,
    pipeline,
    polls,
    people,
    max_staff,
    verifier,
    console,
    pbx_links,
    originator,
]
