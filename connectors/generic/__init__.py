"""The generic JSON call hook: HMAC-SHA256 signed call updates in Dozvon's own format."""

from connectors.generic.parse import parse
from connectors.generic.verify import sign, verify

__all__ = ["parse", "sign", "verify"]
