"""Tests of the app's assembly: resources, keys and the handler map."""
