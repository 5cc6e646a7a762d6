"""Benchmarks: routing and ingestion measured against a bare aiohttp handler in the same run."""
