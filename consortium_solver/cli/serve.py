"""``consortium serve``: the organisers' web app on this machine (:mod:`consortium_solver.web`)."""

from __future__ import annotations

import os
import socket
import sys
import threading
import webbrowser
from pathlib import Path
from typing import Annotated

import typer

from consortium_solver.cli.app import app, guarded
from consortium_solver.core.errors import InputError

LOCAL = ("127.0.0.1", "localhost", "::1")
WILDCARD = ("0.0.0.0", "::", "")


def reachable(host: str) -> list[str]:
    """The addresses others can open when the server listens on ``host``: for a wildcard
    (0.0.0.0, ::) this machine's own addresses (its name's, and the one its traffic leaves by —
    found by pointing a UDP socket at a public address, which sends nothing), loopback last;
    else ``host`` itself."""
    if host not in WILDCARD:
        return [host]
    found: list[str] = []
    try:
        for info in socket.getaddrinfo(socket.gethostname(), None):
            found.append(str(info[4][0]))
    except OSError:
        pass
    for family, target in ((socket.AF_INET, "192.0.2.1"), (socket.AF_INET6, "2001:db8::1")):
        try:
            with socket.socket(family, socket.SOCK_DGRAM) as probe:
                probe.connect((target, 9))
                found.append(str(probe.getsockname()[0]))
        except OSError:
            continue
    own = [a for a in dict.fromkeys(found) if a not in LOCAL and not a.startswith(("127.", "fe80"))]
    return [*own, "127.0.0.1"]


def url(host: str, port: int, token: str | None) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/" + (f"?token={token}" if token else "")


def default_data_folder() -> Path:
    """The per-user data folder of this platform (XDG on Linux, Application Support on macOS,
    LOCALAPPDATA on Windows)."""
    home = Path.home()
    if sys.platform == "win32":
        return (
            Path(os.environ.get("LOCALAPPDATA", home / "AppData" / "Local")) / "consortium-solver"
        )
    if sys.platform == "darwin":
        return home / "Library" / "Application Support" / "consortium-solver"
    return Path(os.environ.get("XDG_DATA_HOME") or home / ".local" / "share") / "consortium-solver"


@app.command("serve")
@guarded
def serve_command(
    host: Annotated[
        str, typer.Option("--host", help="address to listen on (others need the access token)")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="port")] = 8000,
    data: Annotated[
        Path | None,
        typer.Option("--data", help="folder of the app's database (default: your data folder)"),
    ] = None,
    open_browser: Annotated[
        bool, typer.Option("--open", help="open the app in the web browser")
    ] = False,
    token: Annotated[
        str | None,
        typer.Option("--token", help="access token (made and printed when listening beyond here)"),
    ] = None,
    max_runs: Annotated[int, typer.Option("--max-runs", min=1, help="runs at once")] = 2,
    allow_host: Annotated[
        list[str] | None,
        typer.Option(
            "--allow-host",
            help="a name browsers may reach this server by (a proxy's, a DNS name; repeatable)",
        ),
    ] = None,
) -> None:
    """Serve the organisers' web app (upload a sheet, make and adjust groups, print the plan)."""
    import uvicorn

    from consortium_solver.web import create_app, new_token

    folder = data if data is not None else default_data_folder()
    if folder.exists() and not folder.is_dir():
        raise InputError("not a folder", source=str(folder))
    local = host in LOCAL
    if not local and token is None:
        token = new_token()
    addresses = reachable(host)
    # The Host header must name this server, with a token too (no DNS rebinding): its addresses,
    # its name, loopback, and the names given with --allow-host (a proxy's, a DNS name).
    hosts = ["127.0.0.1", "localhost", "::1", "[::1]"]
    if not local:
        hosts += [f"[{a}]" if ":" in a else a for a in addresses]
        hosts += [socket.gethostname(), socket.getfqdn(), *(allow_host or [])]
    web = create_app(
        folder, token=token, hosts=list(dict.fromkeys(hosts)), max_runs=max_runs, warm=True
    )
    address = url(addresses[0], port, token)
    sys.stdout.write(f"consortium-solver serving {address}  (data in {folder}; Ctrl-C stops)\n")
    for other in addresses[1:]:
        sys.stdout.write(f"  also at {url(other, port, token)}\n")
    sys.stdout.flush()
    if open_browser:
        threading.Timer(1.0, webbrowser.open, args=(address,)).start()
    uvicorn.run(web, host=host, port=port, log_level="warning")
