"""Tests for config."""
