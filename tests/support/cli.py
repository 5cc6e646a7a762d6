"""Running the real ``dozvon`` command in a test, as an admin would in a shell."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def dozvon(directory: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """Run ``dozvon ARGS`` in ``directory`` with only the given ``DOZVON_*`` variables."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DOZVON_")}
    return subprocess.run(
        [sys.executable, "-m", "hub.cli", *args],
        cwd=directory,
        env=clean | env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
