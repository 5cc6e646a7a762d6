"""Tests of the Zadarma / Novofon connector, with its payloads beside them."""
