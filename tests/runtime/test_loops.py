"""The process-wide settings the service's loop runs with."""

from __future__ import annotations

import gc
import sys

import pytest

from hub.runtime.loops import (
    OLD_GENERATION,
    SWITCH_INTERVAL,
    YOUNG_GENERATION,
    event_loop,
    keep_collector_away,
    share_interpreter,
)


def test_the_driver_threads_get_the_interpreter_soon() -> None:
    before = sys.getswitchinterval()
    try:
        share_interpreter()
        assert sys.getswitchinterval() == pytest.approx(SWITCH_INTERVAL)
        assert before > SWITCH_INTERVAL  # shorter than Python's 5 ms
    finally:
        sys.setswitchinterval(before)


def test_what_is_loaded_is_frozen_out_of_the_collectors_passes() -> None:
    before = gc.get_threshold()
    try:
        keep_collector_away()
        assert gc.get_freeze_count() > 0
        thresholds = gc.get_threshold()
        assert thresholds == (YOUNG_GENERATION, before[1], OLD_GENERATION)
        # Again (a command, once it has read its rows): what was made since is frozen too, and
        # the passes are no rarer than the first time made them.
        frozen = gc.get_freeze_count()
        made_since = [[n] for n in range(1000)]
        keep_collector_away()
        assert gc.get_freeze_count() >= frozen + len(made_since)
        assert gc.get_threshold() == thresholds
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)


def test_asyncio_s_own_loop_when_the_fast_one_is_not_wanted() -> None:
    loop = event_loop(False)
    try:
        assert type(loop).__module__.startswith("asyncio")
    finally:
        loop.close()
