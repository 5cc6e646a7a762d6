"""Twilio over HTTP: the voice webhook answers TwiML, the Dial's action, status callbacks.

Twilio waits for the TwiML while the caller hears ringing: the decision comes from memory, and
storing the update never stands in the way of the answer. A click-to-call's Dial action and
status callback carry its mark in the query (``dz``), which the parse reads. With ``record`` on,
the ``<Dial>`` records the conversation and Twilio reports the recording to ``recording``.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from aiohttp import web

from connectors import twilio
from connectors.twilio import TwilioSettings
from hub.api.endpoints import Endpoint, Handler
from hub.api.pbx.common import (
    decide,
    hook_endpoint,
    read_form,
    refusing,
    settings_of,
    store,
    store_or_keep,
    store_soon,
)
from hub.bootstrap.core import CLOCK, NORMALIZER
from hub.bootstrap.directory import DIRECTORY
from hub.domain.calls import CallUpdate, Direction
from routing.decision import RouteDecision


def _xml(body: str) -> web.Response:
    return web.Response(text=body, content_type="text/xml")


def endpoints(name: str, config: TwilioSettings) -> list[Endpoint]:
    token = config.auth_token.get_secret_value()
    base = f"/api/v1/hooks/{name}"

    def dial_action(**query: str) -> str:
        return f"{base}/dial-result?{urlencode(query)}"

    # Where Twilio reports a finished recording (relative, as the Dial's action is).
    recording_hook = f"{base}/recording" if config.record else None

    async def checked(request: web.Request) -> dict[str, str]:
        params = await read_form(request, name)
        configured = config.public_url or settings_of(request).http.public_url
        url = twilio.public_url(request.url, request.headers, configured)
        with refusing(request, name):
            twilio.verify(token, url, params, request.headers.get("X-Twilio-Signature"))
        return params

    def person(request: web.Request, decision: RouteDecision) -> str | None:
        """The decision's manager as Twilio can dial him: a SIP address, else his mobile."""
        extension = decision.target.extension
        if extension and config.sip_domain:
            return f"sip:{extension}@{config.sip_domain}"
        manager = request.app[DIRECTORY].snapshot.managers.get(decision.target.manager_id or 0)
        return manager.mobile if manager is not None else None

    async def voice(request: web.Request) -> web.Response:
        params = await checked(request)
        with refusing(request, name):
            leg, updates = twilio.voice(
                params,
                connector=name,
                normalize=request.app[NORMALIZER],
                now=request.app[CLOCK].now(),
            )
        if leg.direction is Direction.OUTBOUND:
            answer = twilio.dial(
                leg.callee_raw,
                timeout=config.dial_timeout,
                action=dial_action(ext=leg.extension or ""),
                caller_id=config.caller_id,
                recording=recording_hook,
            )
        else:
            decision = decide(request, leg.caller_raw, leg.callee_raw, leg.call_id)
            target = person(request, decision)
            answer = twilio.route_twiml(
                decision,
                person=target,
                timeout=config.dial_timeout,
                action=dial_action(ext=decision.target.extension or "")
                if target
                else dial_action(final="1"),
                fallback=config.fallback,
                recording=recording_hook,
            )
        store_soon(request, name, updates)  # the Dial result and status repeat what it says
        return _xml(answer)

    async def dial_result(request: web.Request) -> web.Response:
        params = await checked(request)
        final = request.query.get("final") == "1" or config.fallback is None
        with refusing(request, name):
            answered, updates = twilio.dial_result(
                params,
                extension=request.query.get("ext") or None,
                final=final,
                connector=name,
                normalize=request.app[NORMALIZER],
                now=request.app[CLOCK].now(),
                mark=request.query.get("dz"),
            )
        # Answered even if storage is away: the caller is on the line and Twilio does not retry.
        await store_or_keep(request, name, updates)
        if answered or final or config.fallback is None:
            return _xml(twilio.hang_up())
        return _xml(
            twilio.dial(
                config.fallback,
                timeout=config.dial_timeout,
                action=dial_action(final="1"),
                recording=recording_hook,
            )
        )

    async def callback(request: web.Request, parse: Callable[..., list[CallUpdate]]) -> None:
        """A callback that only reports (a call's status, a recording): parsed and stored."""
        params = await checked(request)
        with refusing(request, name):
            updates = parse(
                params,
                connector=name,
                normalize=request.app[NORMALIZER],
                now=request.app[CLOCK].now(),
                mark=request.query.get("dz"),
            )
        await store(request, name, updates)

    async def status(request: web.Request) -> web.Response:
        await callback(request, twilio.status)
        return _xml("<Response/>")

    async def recording(request: web.Request) -> web.Response:
        await callback(request, twilio.recording_status)
        return _xml("<Response/>")

    def endpoint(path: str, handler: Handler, summary: str) -> Endpoint:
        return hook_endpoint(name, path, handler, f"{summary} ({name})", auth="twilio")

    return [
        endpoint("voice", voice, "Twilio voice webhook: answers TwiML <Dial> to the manager"),
        endpoint("dial-result", dial_result, "Twilio <Dial> action: the fallback or the end"),
        endpoint("status", status, "Twilio status callback"),
        endpoint("recording", recording, "Twilio recording status callback: where it is"),
    ]
