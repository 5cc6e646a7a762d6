"""The one error the configuration layer raises: a message fit to print as one line per problem."""


class ConfigError(Exception):
    """The configuration cannot be used; ``str(error)`` names the key and the problem."""
