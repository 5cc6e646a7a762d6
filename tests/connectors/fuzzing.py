"""What the connectors' fuzz tests share: the budget, and mutating one field set at a time."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

FUZZ = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


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
