"""Click-to-call: the ``Originator`` the API, the staff bot and the alerts' button share.

Always present: ``app[ORIGINATOR].available`` is False when no connector can place a call;
``can_call(app)`` asks the same of an app whose originator may not be built yet.
Started after the links to PBXs (an Asterisk line speaks through its AMI client). Which
connector can: every Asterisk (AMI ``Originate``), every Mango account (``commands/callback``),
a Zadarma account with ``api_key``, a Twilio account with ``account_sid``, ``caller_id`` and a
public URL for its callbacks. They are tried in the order of their names; the first is used.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

from aiohttp import web

from connectors.asterisk import AsteriskSettings
from connectors.asterisk.originate import AmiOriginate
from connectors.mango import MangoSettings
from connectors.mango.client import MangoCallback
from connectors.twilio import TwilioSettings
from connectors.twilio.client import TwilioCalls
from connectors.zadarma import ZadarmaSettings
from connectors.zadarma.client import ZadarmaCallback
from hub.bootstrap.core import NORMALIZER, SETTINGS
from hub.bootstrap.database import SESSIONS
from hub.bootstrap.http_client import HTTP_CLIENT
from hub.domain.originate import OriginateLine
from hub.services.originate import Originator

ORIGINATOR = web.AppKey("originator", Originator)


def lines(app: web.Application) -> list[OriginateLine]:
    """The connectors able to place a click-to-call, in the order of their names."""
    # Imported here: the pipeline, which pbx.py starts after, reads can_call from this module.
    from hub.bootstrap.pbx import AMI_CLIENTS

    settings, session = app[SETTINGS], app[HTTP_CLIENT]
    found: list[OriginateLine] = []
    for name, config in sorted(settings.connectors.items()):
        if isinstance(config, AsteriskSettings) and name in app[AMI_CLIENTS]:
            found.append(AmiOriginate(name, config, app[AMI_CLIENTS][name]))
        elif isinstance(config, ZadarmaSettings) and config.api_key:
            found.append(ZadarmaCallback(name, config, session))
        elif isinstance(config, MangoSettings):
            found.append(MangoCallback(name, config, session))
        elif isinstance(config, TwilioSettings) and config.account_sid and config.caller_id:
            public = config.public_url or settings.http.public_url
            if public:
                hooks = f"{public.rstrip('/')}/api/v1/hooks/{name}"
                found.append(TwilioCalls(name, config, session, hooks))
    return found


def can_call(app: web.Application) -> bool:
    """Is click-to-call available? For buttons built by parts started before this resource:
    False until the originator exists."""
    found = app.get(ORIGINATOR)
    return found is not None and found.available


async def originator(app: web.Application) -> AsyncIterator[None]:
    app[ORIGINATOR] = Originator(app[SESSIONS], app[NORMALIZER], lines(app))
    yield
