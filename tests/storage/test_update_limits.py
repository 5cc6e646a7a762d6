"""The lengths an update's text fields may have (hub/domain/calls.py: MAX_LENGTHS) are what the
``call_events`` columns keep: a longer value is refused at the edge, never cut or failed later."""

from __future__ import annotations

from sqlalchemy import String

from hub.domain.calls import MAX_LENGTHS
from storage.models import CallEvent

# The update's field, by its column where the names differ.
COLUMNS = {"call_id": "vendor_call_id"}


def test_each_limit_is_its_column_s_length() -> None:
    table = CallEvent.__table__
    for field, limit in MAX_LENGTHS.items():
        column_type = table.c[COLUMNS.get(field, field)].type
        assert isinstance(column_type, String)
        assert column_type.length == limit, field


def test_the_longest_identity_fits_its_key() -> None:
    """call_id|state|extension|leg: the longest state is 'answered'."""
    longest = sum(MAX_LENGTHS[f] for f in ("call_id", "extension", "leg")) + len("answered") + 3
    column_type = CallEvent.__table__.c.state_key.type
    assert isinstance(column_type, String) and column_type.length is not None
    assert longest <= column_type.length
