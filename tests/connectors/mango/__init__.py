"""Tests of the Mango Office connector, with its payloads beside them."""
