"""Shared helpers of the tests: the app client, stand-in servers, settings, clocks."""
