"""Links to a call's recording for messages and reports: ``GET /api/v1/calls/{id}/recording``.

A message is read outside the service, so its link is absolute: the service's public address
(``http.public_url``) followed by the endpoint's path (``hub/domain/recordings.py``). Without a
public address there is no link to give (None), as for a call without a recording. Telegram's URL
buttons take only ``http(s)`` links, which this always is.
"""

from __future__ import annotations

from hub.domain.recordings import recording_path


def recording_link(public_url: str | None, call_id: int | None) -> str | None:
    """The absolute link that plays stored call ``call_id``'s recording; None without a call
    (pass None for a call that has no recording) or without a public address."""
    path = recording_path(call_id)
    if path is None or not public_url or not public_url.startswith(("http://", "https://")):
        return None
    return public_url.rstrip("/") + path
