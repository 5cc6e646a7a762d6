"""Typed settings for Dozvon: loaded once from an optional TOML file and the environment."""

from config.errors import ConfigError
from config.loader import load_settings
from config.settings import Settings

__all__ = ["ConfigError", "Settings", "load_settings"]
