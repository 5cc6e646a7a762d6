"""Tests that follow docs/deploy.md on this machine: its nginx site in front of `dozvon serve`."""
