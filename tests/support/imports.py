"""Which libraries a piece of the project loads: its modules imported in a fresh interpreter."""

from __future__ import annotations

import json
import subprocess
import sys


def loaded(statements: str, libraries: tuple[str, ...]) -> list[str]:
    """The modules of ``libraries`` (top-level names) in ``sys.modules`` after running
    ``statements`` in a fresh interpreter."""
    probe = (
        f"import json, sys; {statements}; "
        f"print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in {libraries!r})))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=120
    )
    found: list[str] = json.loads(done.stdout)
    return found
