"""The guide's nginx site (docs/deploy/nginx.conf) run on this machine, as the current user.

The site file is used as written but for what only a real server has: its ports (80, 443 and
IPv6), its certificate and the service's port become a temporary self-signed certificate and
free loopback ports. It is included in a minimal main config whose pid file, logs and
temporary files are in a directory of the test's (``nginx -p DIR -c FILE``).
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.support.service import READY_WITHIN, free_ports, stop

SITE = Path(__file__).parents[2] / "docs" / "deploy" / "nginx.conf"
SERVER_NAME = "dozvon.example.com"
MAIN = """\
{user}worker_processes 1;
pid {dir}/nginx.pid;
error_log {dir}/error.log;
events {{
    worker_connections 64;
}}
http {{
    access_log {dir}/access.log;
    client_body_temp_path {dir}/client_body;
    proxy_temp_path {dir}/proxy;
    fastcgi_temp_path {dir}/fastcgi;
    uwsgi_temp_path {dir}/uwsgi;
    scgi_temp_path {dir}/scgi;
    include {site};
}}
"""


def nginx_binary() -> str:
    found = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/sbin")
    if found is None:
        raise RuntimeError("nginx not found; `make test` installs the Debian package 'nginx'")
    return found


@dataclass(frozen=True, slots=True)
class Proxy:
    http_port: int
    https_port: int
    certificate: Path  # the self-signed certificate, to trust it


def self_signed(directory: Path) -> tuple[Path, Path]:
    """A certificate for SERVER_NAME and 127.0.0.1, and its key."""
    cert, key = directory / "fullchain.pem", directory / "privkey.pem"
    subprocess.run(
        [
            *["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "30"],
            *("-keyout", str(key), "-out", str(cert), "-subj", f"/CN={SERVER_NAME}"),
            *("-addext", f"subjectAltName=DNS:{SERVER_NAME},IP:127.0.0.1"),
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


def site_for(text: str, *, service_port: int, proxy: Proxy, key: Path) -> str:
    """The site as this machine can run it; every line replaced must be in the guide's file."""
    live = f"/etc/letsencrypt/live/{SERVER_NAME}"
    changes = {
        "    server 127.0.0.1:8080;": f"    server 127.0.0.1:{service_port};",
        "    listen 80;": f"    listen 127.0.0.1:{proxy.http_port};",
        "    listen 443 ssl;": f"    listen 127.0.0.1:{proxy.https_port} ssl;",
        "    listen [::]:80;\n": "",
        "    listen [::]:443 ssl;\n": "",
        f"{live}/fullchain.pem": str(proxy.certificate),
        f"{live}/privkey.pem": str(key),
    }
    for old, new in changes.items():
        assert text.count(old) == 1, f"{SITE} no longer has {old!r} once"
        text = text.replace(old, new)
    return text


def _accepting(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


@contextmanager
def nginx_in_front(directory: Path, service_port: int) -> Iterator[Proxy]:
    """The guide's site in front of the service on ``service_port``, until the block ends."""
    directory.mkdir()
    cert, key = self_signed(directory)
    http_port, https_port = free_ports(2)
    proxy = Proxy(http_port=http_port, https_port=https_port, certificate=cert)
    site = directory / "dozvon.conf"
    site.write_text(site_for(SITE.read_text(), service_port=service_port, proxy=proxy, key=key))
    # As root the master would hand its workers to "nobody", who may not use this directory.
    user = f"user {pwd.getpwuid(os.geteuid()).pw_name};\n" if os.geteuid() == 0 else ""
    main = directory / "nginx.conf"
    main.write_text(MAIN.format(user=user, dir=directory, site=site))
    command = [nginx_binary(), "-p", str(directory), "-c", str(main), "-e", "stderr"]
    checked = subprocess.run([*command, "-t"], capture_output=True, text=True, check=False)
    assert checked.returncode == 0, checked.stderr
    with (directory / "nginx.out").open("wb") as out:
        process = subprocess.Popen([*command, "-g", "daemon off;"], stdout=out, stderr=out)
    try:
        deadline = time.monotonic() + READY_WITHIN
        while not (_accepting(proxy.http_port) and _accepting(proxy.https_port)):
            assert process.poll() is None, (directory / "nginx.out").read_text()
            assert time.monotonic() < deadline, "nginx did not listen in time"
            time.sleep(0.05)
        yield proxy
    finally:
        stop(process)
        # Captured by pytest, shown only when the test fails.
        for log in ("nginx.out", "error.log"):
            path = directory / log
            text = path.read_text(errors="replace") if path.exists() else ""
            sys.stderr.write(f"--- nginx {log} ---\n{text}")
