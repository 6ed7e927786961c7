"""Writes that never leave a half-written file: a temporary file beside the target, then a rename."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from consortium_solver.core.errors import InputError


def atomic_write_text(path: Path, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write a file completely or not at all: a temporary file beside it, then a rename."""
    path = Path(path)
    fd, tmp = _temporary_beside(path)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        # mkstemp makes the file private (0600); give it the mode a plain open() would.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise InputError(f"cannot write here: {exc.strerror}", source=str(path)) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def check_writable(path: Path) -> None:
    """An input error now, before any work, if ``path`` cannot be written later: its folder missing,
    the path a folder, or a place no file can be made in (``/proc``, a read-only disk) — found by
    making and removing a temporary file beside it, as the real write will."""
    path = Path(path)
    if path.is_dir():
        raise InputError("a folder, not a file to write", source=str(path))
    if path.exists() and not path.is_file():
        raise InputError("not a regular file to write (a pipe or a device)", source=str(path))
    fd, tmp = _temporary_beside(path)
    os.close(fd)
    Path(tmp).unlink(missing_ok=True)


def _temporary_beside(path: Path) -> tuple[int, str]:
    """A new temporary file in the target's folder (descriptor, name), or an input error."""
    if not path.parent.is_dir():
        raise InputError("no such folder for the output file", source=str(path))
    try:
        return tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise InputError(f"cannot write here: {exc.strerror}", source=str(path)) from None
