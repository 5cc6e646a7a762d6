"""What the fuzz tests share: the budget, and mutating a few fields at a time.

``make test`` runs them derandomized (the same examples every run: the check is repeatable and
cannot turn red by luck); ``make fuzz`` runs them with fresh random examples and
``FUZZ_SCALE`` times the budget, to look for what the fixed examples do not reach.
"""

from __future__ import annotations

import os
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

SCALE = max(1, int(os.environ.get("FUZZ_SCALE", "1")))


def fuzz(examples: int) -> settings:
    """Settings for a fuzz test of ``examples`` cases (times ``FUZZ_SCALE``)."""
    return settings(
        max_examples=examples * SCALE,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


FUZZ = fuzz(150)


def mutate(
    data: st.DataObject, fields: dict[str, Any], values: st.SearchStrategy[Any]
) -> dict[str, Any]:
    """Up to three fields dropped or replaced by a drawn value."""
    mutated = dict(fields)
    for name in data.draw(st.lists(st.sampled_from(sorted(fields)), max_size=3)):
        if data.draw(st.booleans()):
            mutated.pop(name, None)
        else:
            mutated[name] = data.draw(values)
    return mutated
