"""Tests for hub."""
