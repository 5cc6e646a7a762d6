"""The one error the configuration layer raises: a message fit to print as one line per problem."""

from hub.domain.errors import DozvonError


class ConfigError(DozvonError):
    """The configuration cannot be used; ``str(error)`` names the key and the problem."""
