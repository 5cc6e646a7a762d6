"""Tests of the Twilio connector, with its payloads beside them."""
