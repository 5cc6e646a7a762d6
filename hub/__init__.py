"""The hub: domain types, the call pipeline, the HTTP application and the command line."""
