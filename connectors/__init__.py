"""Connectors translate vendor payloads into hub call updates; no database, no Telegram here."""
