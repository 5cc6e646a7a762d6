"""Tests of the Asterisk connector, with its recordings and payloads beside them."""
