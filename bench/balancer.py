"""nginx (Debian's package) in front of several ``dozvon serve`` instances, for a benchmark.

One upstream with every instance, keepalive connections to them, HTTP/1.1 with the
``Connection`` header cleared (as docs/deploy/nginx.conf has it), plain HTTP on a loopback port:
TLS is left out, so that the figures are the instances' and not the handshakes'. nginx runs as
the current user from a directory of the caller's (``nginx -p DIR -c FILE``), its pid file,
logs and temporary files in there; access logging is off.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from bench.common import free_port, stop

HERE = Path(__file__).parent
CONF = """\
{user}worker_processes {workers};
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
events {{
    worker_connections 4096;
}}
http {{
    access_log off;
    client_body_temp_path {dir}/client_body;
    proxy_temp_path {dir}/proxy;
    fastcgi_temp_path {dir}/fastcgi;
    uwsgi_temp_path {dir}/uwsgi;
    scgi_temp_path {dir}/scgi;

    upstream dozvon {{
{servers}
        keepalive {keepalive};
    }}

    server {{
        listen 127.0.0.1:{port};
        client_max_body_size 64k;

        proxy_http_version 1.1;
        proxy_set_header Connection "";
        proxy_set_header Host $host;
        proxy_set_header X-Forwarded-Host $host;
        proxy_set_header X-Forwarded-Proto $scheme;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Real-IP $remote_addr;
        proxy_connect_timeout 5s;
        proxy_read_timeout 60s;

        location / {{
            proxy_pass http://dozvon;
        }}
    }}
}}
"""


def nginx_binary() -> str:
    """nginx, installed from Debian's package first when it is missing."""
    found = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/sbin")
    if found is None:
        subprocess.run(["bash", str(HERE.parent / "scripts" / "ensure-nginx.sh")], check=True)
        found = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/sbin")
    if found is None:
        raise SystemExit("nginx is not installed and scripts/ensure-nginx.sh did not install it")
    return found


def config(
    directory: Path, port: int, upstreams: Sequence[int], *, workers: int, keepalive: int
) -> str:
    # As root the master would hand its workers to "nobody", who may not use this directory.
    user = f"user {pwd.getpwuid(os.geteuid()).pw_name};\n" if os.geteuid() == 0 else ""
    servers = "\n".join(f"        server 127.0.0.1:{p};" for p in upstreams)
    return CONF.format(
        user=user,
        workers=workers,
        dir=directory,
        servers=servers,
        keepalive=keepalive,
        port=port,
    )


def _accepting(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


@contextmanager
def balancer(
    directory: Path, upstreams: Sequence[int], *, workers: int = 1, keepalive: int = 32
) -> Iterator[int]:
    """nginx balancing over the instances on ``upstreams``; yields the port it listens on."""
    directory.mkdir(parents=True, exist_ok=True)
    port = free_port()
    conf = directory / "nginx.conf"
    conf.write_text(config(directory, port, upstreams, workers=workers, keepalive=keepalive))
    command = [nginx_binary(), "-p", str(directory), "-c", str(conf), "-e", "stderr"]
    checked = subprocess.run([*command, "-t"], capture_output=True, text=True, check=False)
    if checked.returncode != 0:
        raise SystemExit(f"nginx refused its configuration:\n{checked.stderr}")
    out = directory / "nginx.out"
    with out.open("wb") as sink:
        process = subprocess.Popen([*command, "-g", "daemon off;"], stdout=sink, stderr=sink)
    try:
        deadline = time.monotonic() + 10
        while not _accepting(port):
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"nginx did not start:\n{out.read_text(errors='replace')}")
            time.sleep(0.05)
        yield port
    finally:
        stop(process, 10)
