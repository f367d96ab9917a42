"""The build lock ``reports/.build.lock``: one build at a time, taken over from a dead owner.

The lock is an ``flock`` on the file, and the file records the owner's pid. A second build
waits while the owner lives. When the owner is gone but the lock is still held (a process that
inherited it lives on), the file is replaced by a new one, so the next build never waits for
ever on a build that was killed.
"""

from __future__ import annotations

import fcntl
import os
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from gnsanalysis.errors import ConfigError

LOCK_NAME = ".build.lock"
POLL_SECONDS = 0.5


def pid_alive(pid: int) -> bool:
    """True when a process with this id exists."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a zombie (killed, not yet reaped) is gone for our purposes
        with open(f"/proc/{pid}/stat", "rb") as fh:
            return fh.read().split(b") ", 1)[1][:1] != b"Z"
    except (OSError, IndexError):
        return True


def _owner(path: Path) -> int:
    try:
        return int(path.read_text(encoding="ascii").split()[0])
    except (OSError, ValueError, IndexError):
        return 0


def check_reports_dir(reports_dir: Path) -> None:
    """``reports/`` must be a folder (or not exist yet): a file there is a clear exit 2."""
    for p in [reports_dir, *reports_dir.parents]:
        if p.exists() and not p.is_dir():
            raise ConfigError(f"{p} är en fil, inte en mapp. Rapporterna skrivs till mappen {reports_dir}. "
                              f"Åtgärd: flytta eller byt namn på filen {p} och kör igen.")
        if p.exists():
            break


@contextmanager
def build_lock(reports_dir: Path):
    """Hold the build lock of ``reports_dir`` for the duration of the block."""
    reports_dir = Path(reports_dir)
    check_reports_dir(reports_dir)
    try:
        reports_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(f"Mappen {reports_dir} kan inte skapas ({exc.strerror}).") from None
    path = reports_dir / LOCK_NAME
    told = False
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            owner, same = _owner(path), _same_file(fd, path)
            os.close(fd)
            if same and owner and not pid_alive(owner):
                # the owner is gone; whoever still holds the lock inherited it: start afresh
                path.unlink(missing_ok=True)
                print(f"Tar över byggläset från en avbruten byggnad (process {owner} finns inte längre).",
                      file=sys.stderr, flush=True)
                continue
            if not told:
                print(f"Väntar på en annan pågående rapportbyggnad (process {owner or 'okänd'}) …",
                      file=sys.stderr, flush=True)
                told = True
            time.sleep(POLL_SECONDS)
            continue
        if not _same_file(fd, path):  # replaced between open and flock: try again
            os.close(fd)
            continue
        break
    try:
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
        yield path
    finally:
        try:
            if _same_file(fd, path):
                os.ftruncate(fd, 0)
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)


def _same_file(fd: int, path: Path) -> bool:
    try:
        a, b = os.fstat(fd), os.stat(path)
    except FileNotFoundError:
        return False
    return (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino)
