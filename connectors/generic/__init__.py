"""The generic JSON call hook: HMAC-SHA256 signed call updates in Dozvon's own format.

``verify`` checks ``X-Dozvon-Signature`` (with its time window), ``parse`` validates the JSON
into call updates. Not a connector type of the registry: there is one generic hook, configured by
``hooks.generic_secret``, and it neither routes calls nor is called back.
"""

from connectors.generic.parse import parse
from connectors.generic.verify import sign, verify

__all__ = ["parse", "sign", "verify"]
