"""The baseline: a bare aiohttp application answering a small JSON body, GET and POST.

It runs on the same event loop the service runs on by default (uvloop when it is installed), so
that a ratio to it measures the service's own work, not the loop's."""

from __future__ import annotations

import argparse
import asyncio

from aiohttp import web


async def get(request: web.Request) -> web.Response:
    return web.json_response({"target": {"type": "default"}, "reason": "baseline"})


async def post(request: web.Request) -> web.Response:
    await request.read()
    return web.json_response({"accepted": 1, "duplicates": 0})


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    app = web.Application()
    app.router.add_get("/bare", get)
    app.router.add_post("/bare", post)
    try:
        import uvloop
    except ImportError:
        loop = asyncio.new_event_loop()
    else:
        loop = uvloop.new_event_loop()
    web.run_app(app, host="127.0.0.1", port=args.port, print=None, access_log=None, loop=loop)


if __name__ == "__main__":
    main()
