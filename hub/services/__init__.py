"""The use cases, over a unit of work and the domain; for the API, the CLI and the bot alike."""
