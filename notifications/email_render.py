"""What a mail to a person says: its subject, and its body as plain text and as HTML.

The outbox's texts are plain text written for a chat (already in the person's language), with
rows of buttons under them. In a mail the first line is the subject; the text stays the body,
its line breaks kept; a button that opens a link becomes «Label: URL» in the plain part and a
link drawn as a button in the HTML part. A button that answers the bot (``callback_data``) can do
nothing in a mail and is left out. Everything from the text is escaped in the HTML: a name with
``<`` in it is shown, never run.
"""

from __future__ import annotations

import html
import mimetypes
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

# Longer subjects are cut (at a word where one is near) and end with «…»: mail clients show
# about this much in a list, and the whole text is in the body.
SUBJECT_LIMIT = 120
# The subject of a mail whose text is empty (a picture without a caption).
FALLBACK_SUBJECT = "Дозвон"
# Links a mail can open; anything else (a bot's deep link, a script) is not drawn.
LINK_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
# Report files by name; other names as the standard library guesses them.
FILE_TYPES = {
    ".csv": "text/csv",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".png": "image/png",
    ".pdf": "application/pdf",
}

_BODY_STYLE = (
    "margin:0;padding:16px;font-family:-apple-system,'Segoe UI',Roboto,Arial,sans-serif;"
    "font-size:15px;line-height:1.45;color:#1a1a1a;background:#ffffff"
)
_BUTTON_STYLE = (
    "display:inline-block;margin:0 8px 8px 0;padding:9px 16px;border-radius:6px;"
    "background:#2481cc;color:#ffffff;font-weight:600;text-decoration:none"
)


def subject(text: str) -> str:
    """The text's first line (emoji and all), cut to :data:`SUBJECT_LIMIT` characters."""
    line = next((line.strip() for line in text.splitlines() if line.strip()), "")
    if not line:
        return FALLBACK_SUBJECT
    if len(line) <= SUBJECT_LIMIT:
        return line
    cut = line[: SUBJECT_LIMIT - 1]
    space = cut.rfind(" ")
    if space > SUBJECT_LIMIT // 2:
        cut = cut[:space]
    return cut.rstrip(" ,.;:—-") + "…"


def links(buttons: Any) -> list[list[tuple[str, str]]]:
    """The buttons that open a link, row by row, as (label, URL); rows left empty dropped."""
    rows: list[list[tuple[str, str]]] = []
    for row in buttons or []:
        found = [
            (str(button.get("text", "")), str(button["url"]))
            for button in row
            if isinstance(button, Mapping) and button.get("url") and _openable(str(button["url"]))
        ]
        if found:
            rows.append(found)
    return rows


def plain_body(text: str, buttons: Any) -> str:
    """The text, then each link button on its own line as «Label: URL»."""
    lines = [f"{label}: {url}" if label else url for row in links(buttons) for label, url in row]
    return "\n\n".join(part for part in (text.rstrip(), "\n".join(lines)) if part) + "\n"


def html_body(text: str, buttons: Any, *, image_cid: str | None = None) -> str:
    """An HTML page of the text (escaped, line breaks kept) with the link buttons under it and,
    given ``image_cid``, the picture of that Content-ID above it."""
    parts = []
    if image_cid is not None:
        alt = html.escape(subject(text))
        parts.append(
            f'<p style="margin:0 0 12px"><img src="cid:{html.escape(image_cid)}" alt="{alt}" '
            'style="display:block;max-width:100%;height:auto;border:0"></p>'
        )
    if text.strip():
        escaped = "<br>".join(html.escape(line) for line in text.rstrip().splitlines())
        parts.append(f'<div style="white-space:pre-wrap">{escaped}</div>')
    rows = links(buttons)
    if rows:
        drawn = "".join(
            '<div style="margin:0">'
            + "".join(
                f'<a href="{html.escape(url)}" style="{_BUTTON_STYLE}">'
                f"{html.escape(label or url)}</a>"
                for label, url in row
            )
            + "</div>"
            for row in rows
        )
        parts.append(f'<div style="margin-top:16px">{drawn}</div>')
    return (
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1"></head>\n'
        f'<body style="{_BODY_STYLE}">\n' + "\n".join(parts) + "\n</body></html>\n"
    )


def file_type(filename: str) -> tuple[str, str]:
    """The MIME type of an attached file, as (maintype, subtype)."""
    suffix = filename[filename.rfind(".") :].lower() if "." in filename else ""
    guessed = FILE_TYPES.get(suffix) or mimetypes.guess_type(filename)[0]
    maintype, _, subtype = (guessed or "application/octet-stream").partition("/")
    return maintype, subtype


def _openable(url: str) -> bool:
    return urlsplit(url.strip()).scheme.lower() in LINK_SCHEMES
