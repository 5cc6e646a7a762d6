"""Tests of the Telegram client bot connector, against the stand-in Bot API."""
