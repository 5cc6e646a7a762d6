"""Every text of the console's pages, in Russian (the default) and English (``telegram.language``
chooses, as for the staff's messages in ``notifications/catalogue.py``). Templates read them
with ``t("key", name=...)``; the values filled in are escaped like everything a page shows.

Each section keeps its texts in its own module here; a key is named after its section
(``clients_search``), so no two modules share one (checked when the package is loaded)."""

from __future__ import annotations

from hub.console.texts import audit, clients, common, imports, reports, team, tokens, unknown
from notifications.catalogue import Language


def _merged() -> dict[str, dict[Language, str]]:
    merged: dict[str, dict[Language, str]] = {}
    for module in (common, unknown, clients, team, reports, imports, audit, tokens):
        for key, value in module.TEXTS.items():
            if key in merged:
                raise RuntimeError(f"console text {key!r} is defined twice ({module.__name__})")
            merged[key] = value
    return merged


TEXTS = _merged()


def text(key: str, language: Language, **values: object) -> str:
    """The text ``key`` in ``language`` with ``values`` put in."""
    template = TEXTS[key][language]
    return template.format(**values) if values else template
