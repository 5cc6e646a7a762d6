"""Tests of the use cases over real databases."""
