"""The database a benchmark runs on: SQLite in a temporary folder, or a throwaway PostgreSQL."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def bench_database(kind: str) -> Iterator[tuple[str, Path]]:
    """Yields (database URL, a scratch folder); everything is removed afterwards."""
    work = Path(tempfile.mkdtemp(prefix="dozvon-bench-"))
    cluster = None
    try:
        if kind == "postgresql":
            from tests.support.pg_cluster import start_cluster

            cluster = start_cluster()
            subprocess.run(
                [
                    *cluster.as_user,
                    str(cluster.bin_dir / "createdb"),
                    "-h",
                    "127.0.0.1",
                    "-p",
                    str(cluster.port),
                    "-U",
                    "postgres",
                    "bench",
                ],
                check=True,
            )
            url = cluster.url("bench")
        else:
            url = f"sqlite+aiosqlite:///{work / 'bench.db'}"
        yield url, work
    finally:
        if cluster is not None:
            cluster.stop()
        shutil.rmtree(work, ignore_errors=True)
