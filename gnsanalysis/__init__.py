"""gnsanalysis: reports for GNS, the joint committee of Region Jämtland Härjedalen and the
county's eight municipalities (Gemensam nämnd för samverkan inom drift och service,
utveckling samt specialistfunktioner)."""

import os as _os
import sys as _sys


def _started_as_command() -> bool:
    """``gns …`` or ``python -m gnsanalysis.cli …`` (not a test or a notebook importing us)."""
    orig = list(getattr(_sys, "orig_argv", []))
    by_module = "-m" in orig[:-1] and orig[orig.index("-m") + 1] == "gnsanalysis.cli"
    return _os.path.basename(_sys.argv[0] if _sys.argv else "") == "gns" or by_module


def _interrupted(signum, frame) -> None:
    """Ctrl-C before ``gns`` runs its command (imports) or after it (shutdown): one line, 130."""
    try:
        # a build worker starting up (multiprocessing re-runs `gns` there) ends silently: the
        # build itself says that it was interrupted
        if "--multiprocessing-fork" not in getattr(_sys, "orig_argv", []):
            _os.write(2, "gns: avbrutet (Ctrl-C)\n".encode("utf-8"))  # = gnsanalysis.cli.INTERRUPTED
    finally:
        _os._exit(130)


if _started_as_command():
    # here, at the first line of the package, so that a Ctrl-C during the imports of the `gns`
    # command prints no traceback; gnsanalysis.cli.main restores Python's handler while a
    # command runs (a build stops its workers on KeyboardInterrupt) and this one afterwards
    import signal as _signal

    _signal.signal(_signal.SIGINT, _interrupted)


def __getattr__(name: str) -> str:
    """``__version__``, looked up when first asked for (``importlib.metadata`` would slow every command)."""
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version  # lazy: see the docstring

        try:
            value = version("gnsanalysis")
        except PackageNotFoundError:  # pragma: no cover - a source tree without install
            value = "0+unknown"
        globals()["__version__"] = value
        return value
    raise AttributeError(f"module 'gnsanalysis' has no attribute {name!r}")
