"""Tests for connectors."""
