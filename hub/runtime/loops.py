"""The event loop a process of the service runs on, and the garbage collector kept off its path."""

from __future__ import annotations

import asyncio
import gc
import logging
import sys

log = logging.getLogger("dozvon")

# The young generation's size: Python's default (700) makes a collection every few hundred
# requests, each scanning the objects then in flight; bigger, there are fewer of them.
YOUNG_GENERATION = 10_000
# Full passes ten times rarer than Python's default (10 passes of the middle generation each).
OLD_GENERATION = 100


def event_loop(fast: bool) -> asyncio.AbstractEventLoop:
    """uvloop's loop when ``fast`` and it is installed (the 'fast' extra), else asyncio's own."""
    if fast:
        try:
            import uvloop
        except ImportError:
            log.info("uvloop is not installed (the 'fast' extra): running on asyncio's own loop")
        else:
            return uvloop.new_event_loop()
    return asyncio.new_event_loop()


# How long the loop's thread may keep the interpreter while another thread waits for it. SQLite's
# driver runs each connection in a thread of its own, which needs the interpreter for a moment at
# every statement; with Python's default (5 ms) a busy loop adds up to that much to each one, and
# a write transaction of twenty statements holds SQLite's one write lock 100 ms longer.
SWITCH_INTERVAL = 0.0002


def share_interpreter() -> None:
    """Let the driver's threads have the interpreter within SWITCH_INTERVAL of asking."""
    sys.setswitchinterval(SWITCH_INTERVAL)


def keep_collector_away() -> None:
    """Once everything long-lived is loaded (the directory, the caches, the templates): freeze it
    out of the garbage collector's passes, which would otherwise scan it again and again and stall
    the loop for tens of milliseconds, and make the passes rarer. Called again, it freezes what
    was made since (a command's rows, once read) and leaves the thresholds as they are."""
    gc.collect()
    gc.freeze()
    _, middle, _ = gc.get_threshold()
    gc.set_threshold(YOUNG_GENERATION, middle, OLD_GENERATION)
