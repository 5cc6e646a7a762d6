"""An Asterisk call's recording: MixMonitor's ``MIXMONITOR_FILENAME`` arrives as an AMI
``VarSet`` (added here to a real recorded call, in the shape of the ``VarSet`` events beside it);
``GET /api/v1/calls/{id}/recording`` serves the file from ``recordings_dir`` — the bytes as
written — or sends the person to ``recording_url_template``; names leaving the directory are
refused."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Mapping
from pathlib import Path
from typing import Any

import pytest

from connectors.asterisk.recording import AsteriskRecordings
from hub.bootstrap.pbx import AMI_CLIENTS
from hub.bootstrap.pipeline import FOLDER
from hub.domain.recordings import RecordingFile, RecordingLink, RecordingMissing
from tests.connectors.asterisk.payloads import SECRET, Stream, account, recorded, renamed, start
from tests.support.api import Api
from tests.support.fake_ami import FakeAmi
from tests.support.recordings import only_call, play, token
from tests.support.telegram_stub import until

MONITOR = "/var/spool/asterisk/monitor"
NAME = "2026/11/23/in-1795439550.0.wav"
AUDIO = b"RIFF" + bytes(range(256)) * 200


def with_recording(stream: Stream, name: str) -> Stream:
    """``stream`` with MixMonitor started on its first channel as the dialplan begins."""
    first = next(e for e in stream if e.get("Linkedid") and e.get("Uniqueid") == e["Linkedid"])
    varset: Mapping[str, str] = {
        **{k: v for k, v in first.items() if k not in ("Event", "Privilege")},
        "Event": "VarSet",
        "Privilege": "dialplan,all",
        "Variable": "MIXMONITOR_FILENAME",
        "Value": name,
    }
    at = stream.index(first) + 1
    return [*stream[:at], varset, *stream[at:]]


@pytest.fixture
def monitor(tmp_path: Path) -> Path:
    path = tmp_path / "monitor" / NAME
    path.parent.mkdir(parents=True)
    path.write_bytes(AUDIO)
    (tmp_path / "secret.txt").write_text("not a recording")
    return tmp_path / "monitor"


@pytest.fixture
async def fake_ami() -> AsyncIterator[FakeAmi]:
    answered = with_recording(recorded("a1_answered_plus7"), f"{MONITOR}/{NAME}")
    climbing = with_recording(
        renamed(recorded("b_missed_noanswer"), "+79990000103", "r"), "../secret.txt"
    )
    missed = renamed(recorded("b_missed_noanswer"), "+79990000104", "m")
    server = FakeAmi(script=answered + climbing + missed, secret=SECRET)
    await server.start()
    yield server
    await server.close()


@pytest.fixture
async def api(fake_ami: FakeAmi, monitor: Path, aiohttp_client: Any, db_url: str) -> Api:
    return await start(aiohttp_client, db_url, account(fake_ami.port, recordings_dir=monitor))


async def _stored(api: Api, fake_ami: FakeAmi) -> None:
    client = api.app[AMI_CLIENTS]["ast"]
    fake_ami.go.set()
    await until(lambda: client.events >= len(fake_ami.script), seconds=20)
    await asyncio.wait_for(client.drained(), 10)
    await asyncio.wait_for(api.app[FOLDER].settle(), 10)


async def test_the_file_mixmonitor_wrote_is_served(api: Api, fake_ami: FakeAmi) -> None:
    await _stored(api, fake_ami)
    call = await only_call(api, "ast", "1795439550.0")
    assert (call["outcome"], call["extension"]) == ("answered", "101")
    assert call["recording_url"] == f"asterisk:file:{MONITOR}/{NAME}"
    assert call["recording"] == f"/api/v1/calls/{call['id']}/recording"

    played = await play(api, call["id"], token=await token(api, "viewer"))
    assert played.status == 200, played
    assert played.body == AUDIO
    assert played.content_type.startswith("audio/")
    assert (await play(api, call["id"], token=await token(api, "pbx"))).status == 403

    # The triage queue links the number's latest recorded call.
    queue = (await api.get("/api/v1/unknown-numbers"))["items"]
    links = {entry["number"]: entry["recording"] for entry in queue}
    assert links["+79171234567"] == call["recording"]
    assert links["+79990000104"] is None


async def test_no_recording_or_a_name_leaving_the_directory_is_404(
    api: Api, fake_ami: FakeAmi
) -> None:
    await _stored(api, fake_ami)
    missed = await only_call(api, "ast", "m1795439574.6")
    assert missed["recording"] is None
    assert (await play(api, missed["id"])).status == 404

    climbing = await only_call(api, "ast", "r1795439574.6")
    assert climbing["recording_url"] == "asterisk:file:../secret.txt"
    refused = await play(api, climbing["id"])
    assert refused.status == 404
    assert "not a file name below" in refused.error()


async def test_names_resolve_inside_the_directory_or_to_the_template(
    monitor: Path, tmp_path: Path
) -> None:
    config = account(5038, recordings_dir=monitor)
    source = AsteriskRecordings("ast", config)
    assert await source.open(f"asterisk:file:{MONITOR}/{NAME}") == RecordingFile(
        (monitor / NAME).resolve()
    )
    assert await source.open(f"asterisk:file:{NAME}") == RecordingFile((monitor / NAME).resolve())
    (monitor / "link.wav").symlink_to(tmp_path / "secret.txt")
    for name in ("/etc/passwd", f"{MONITOR}/../../../etc/passwd", "link.wav", "2026/none.wav"):
        with pytest.raises(RecordingMissing):
            await source.open(f"asterisk:file:{name}")

    template = "https://pbx.example.com/monitor/{name}"
    linked = AsteriskRecordings("ast", account(5038, recording_url_template=template))
    assert await linked.open(f"asterisk:file:{MONITOR}/2026/11/23/in 1.wav") == RecordingLink(
        "https://pbx.example.com/monitor/2026/11/23/in%201.wav"
    )
