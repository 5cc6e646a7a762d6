"""MixMonitor's files, found for a person: read from ``recordings_dir`` or linked by a template.

A recording is stored as ``asterisk:file:<name>`` (``parse``), the name as Asterisk gave it in
``MIXMONITOR_FILENAME``: usually an absolute path on the PBX, below its monitor directory
(``pbx_recordings_dir``; FreePBX adds ``YYYY/MM/DD/``). Its part below that directory is what
names the file here: in ``recordings_dir`` (that directory mounted or copied to this machine),
served as a file, else in ``recording_url_template`` (``{name}``), a link the person is sent to.
A name that leaves the directory (``..``, another absolute path) is refused, never read.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath
from urllib.parse import quote

from connectors.asterisk.parse import RECORDING
from connectors.asterisk.settings import AsteriskSettings
from hub.domain.recordings import (
    RecordingFile,
    RecordingLink,
    RecordingMissing,
    RecordingUnavailable,
    reference_id,
)


def relative_name(name: str, pbx_dir: str) -> PurePosixPath:
    """The part of ``name`` below the PBX's monitor directory (a relative name is already
    that); RecordingMissing when it is elsewhere or climbs out with ``..``."""
    path = PurePosixPath(name)
    if path.is_absolute():
        base = PurePosixPath(pbx_dir)
        if not path.is_relative_to(base):
            raise RecordingMissing(f"the recording {name!r} is not below {pbx_dir}")
        path = path.relative_to(base)
    if not path.parts or ".." in path.parts or path.is_absolute():
        raise RecordingMissing(f"the recording {name!r} is not a file name below {pbx_dir}")
    return path


def inside(directory: Path, relative: PurePosixPath) -> Path:
    """``directory / relative``, resolved (links included) and checked to stay inside."""
    root = directory.resolve()
    path = root.joinpath(*relative.parts).resolve()
    if not path.is_relative_to(root):
        raise RecordingMissing(f"the recording {str(relative)!r} leads out of recordings_dir")
    return path


class AsteriskRecordings:
    """MixMonitor's recordings of one Asterisk PBX."""

    def __init__(self, name: str, config: AsteriskSettings) -> None:
        self._name = name
        self._config = config

    async def open(self, reference: str) -> RecordingFile | RecordingLink:
        config = self._config
        relative = relative_name(reference_id(reference, RECORDING), config.pbx_recordings_dir)
        if config.recordings_dir is not None:
            path = inside(config.recordings_dir, relative)
            if path.is_file():
                return RecordingFile(path)
            if config.recording_url_template is None:
                if not config.recordings_dir.is_dir():
                    raise RecordingUnavailable(
                        f"{self._name}: recordings_dir {config.recordings_dir} cannot be read"
                    )
                raise RecordingMissing(
                    f"{self._name}: the recording {relative} is not in recordings_dir"
                )
        if config.recording_url_template is not None:
            return RecordingLink(config.recording_url_template.format(name=quote(str(relative))))
        raise RecordingUnavailable(
            f"{self._name}: set recordings_dir or recording_url_template to play recordings"
        )
