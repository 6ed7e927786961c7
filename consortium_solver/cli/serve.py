"""``consortium serve``: the organisers' web app on this machine (:mod:`consortium_solver.web`)."""

from __future__ import annotations

import os
import sys
import threading
import webbrowser
from pathlib import Path
from typing import Annotated

import typer

from consortium_solver.cli.app import app, guarded
from consortium_solver.core.errors import InputError

LOCAL = ("127.0.0.1", "localhost", "::1")


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
    hosts = ["127.0.0.1", "localhost", "::1", "[::1]"] if local else ["*"]
    web = create_app(folder, token=token, hosts=hosts, max_runs=max_runs)
    shown = f"[{host}]" if ":" in host else host
    address = f"http://{shown}:{port}/" + (f"?token={token}" if token else "")
    sys.stdout.write(f"consortium-solver serving {address}  (data in {folder}; Ctrl-C stops)\n")
    sys.stdout.flush()
    if open_browser:
        threading.Timer(1.0, webbrowser.open, args=(address,)).start()
    uvicorn.run(web, host=host, port=port, log_level="warning")
