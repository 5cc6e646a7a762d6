"""Tests of the worker loop, task stopping and the schedule."""
