"""``dozvon sign``: the generic hook's signature for a body, to test a PBX's requests by hand."""

from __future__ import annotations

import argparse
import sys
import time

from config import Settings
from hub.cli.common import Commands


def add(commands: Commands) -> None:
    sign = commands.add_parser("sign", help="print X-Dozvon-Signature for a body read from stdin")
    sign.add_argument("--secret", help="hook secret (default: hooks.generic_secret)")
    sign.set_defaults(run=run)


def run(settings: Settings, args: argparse.Namespace) -> int:
    from connectors.generic import sign

    secret = args.secret or (
        settings.hooks.generic_secret.get_secret_value() if settings.hooks.generic_secret else None
    )
    if not secret:
        print(
            "dozvon: no secret: pass --secret or set DOZVON_HOOKS__GENERIC_SECRET", file=sys.stderr
        )
        return 2
    print(sign(secret, sys.stdin.buffer.read(), int(time.time())))
    return 0
