"""Tests for notifications."""
