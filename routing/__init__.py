"""Routing: who should take this call now — a pure decision over a directory and a clock."""
