"""What the staff bots on Telegram and on MAX share about their webhooks, without aiogram: how
long an update claimed in the shared database holds, how long claims are kept, and the cap of
the backoff while (re)registering the webhook.

An update taken by an instance that has not finished it within ``CLAIM_STALE`` (it died) may be
taken by another; claims are kept ``CLAIMS_KEPT``, and dropped every ``FORGET_EVERY`` updates.
"""

from __future__ import annotations

from datetime import timedelta

# Seconds between two attempts to register the webhook at most (the delay doubles up to it).
RETRY_CAP = 60.0
CLAIM_STALE = timedelta(seconds=90)
CLAIMS_KEPT = timedelta(days=2)
FORGET_EVERY = 1000
