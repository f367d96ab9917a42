"""Warm kernels for ``gns build``: each report gets a fresh kernel process of its own, forked
from a "zygote" that has already done the imports every report kernel does (:data:`PRELOAD`).

The zygote (``python -m gnsanalysis.publish.kernels``, one per build worker) saves 1.5–2.5 s of
CPU per report; its child runs ipykernel exactly as ``python -m ipykernel_launcher`` would, with a
clean namespace (tests/publish/test_runner.py checks the report is byte-identical to a plain
kernel's). The zygote dies with its worker and each kernel with the zygote (``PR_SET_PDEATHSIG``).
"""

from __future__ import annotations

import atexit
import importlib
import json
import os
import select
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

from gnsanalysis import paths

# what a report kernel imports anyway: ipykernel, the libraries, and the gnsanalysis modules the
# board notebooks import. Of gnsanalysis only paths.py reads the environment at import
# (GNS_PROJECT_ROOT, GNS_PROCESSED_DIR): the zygote is started with the values the kernels get,
# and refuses a kernel whose values differ (ENV_AT_IMPORT; that report gets a plain kernel).
PRELOAD = ("ipykernel.kernelapp", "ipykernel.ipkernel", "ipykernel.debugger", "IPython.core.oinspect",
           "psutil", "sqlite3", "numpy", "pandas", "matplotlib", "matplotlib.pyplot",
           "fractions", "yaml", "babel.dates", "babel.numbers",
           "gnsanalysis.render.html", "gnsanalysis.render.charts", "gnsanalysis.rr.table",
           "gnsanalysis.reports.yearend", "gnsanalysis.reports.interim",
           "gnsanalysis.reports.interim_views", "gnsanalysis.scenarios.views")
ENV_AT_IMPORT = ("GNS_PROJECT_ROOT", "GNS_PROCESSED_DIR")
PR_SET_PDEATHSIG = 1

_zygote: subprocess.Popen | None = None


def die_with_parent() -> None:
    """Have the kernel send this process SIGKILL when its parent dies (Linux ``prctl``)."""
    try:
        import ctypes  # lazy: Linux only, and only in the kernel process

        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # pragma: no cover - not Linux
        pass


def start() -> None:
    """Start this process's zygote (the build worker calls this once, at start)."""
    global _zygote
    if _zygote is None or _zygote.poll() is not None:
        # the kernels run with MPLBACKEND=Agg (publish.runner): so does the zygote's matplotlib
        # import; and, as jupyter_client starts kernels, without debugpy's frozen-modules warning
        env = {**os.environ, "MPLBACKEND": "Agg", "PYDEVD_DISABLE_FILE_VALIDATION": "1"}
        env.update(paths_env())
        _zygote = subprocess.Popen([sys.executable, "-m", "gnsanalysis.publish.kernels"], env=env,
                                   stdin=subprocess.PIPE, stdout=subprocess.PIPE, close_fds=True,
                                   preexec_fn=die_with_parent)


def paths_env(processed_dir: Path | None = None) -> dict:
    """GNS_PROJECT_ROOT and GNS_PROCESSED_DIR as a report's kernel gets them (publish.runner)."""
    env = {"GNS_PROJECT_ROOT": str(paths.PROJECT_ROOT)}
    if processed_dir is not None:
        env["GNS_PROCESSED_DIR"] = str(Path(processed_dir).resolve())
    elif paths.PROCESSED_DIR != paths.DATA_DIR / "processed":
        env["GNS_PROCESSED_DIR"] = str(paths.PROCESSED_DIR)
    return env


def running() -> bool:
    """True when this process's zygote is alive."""
    return _zygote is not None and _zygote.poll() is None


def zygote_pid() -> int | None:
    """The zygote's process id, or None."""
    return _zygote.pid if running() and _zygote is not None else None


def stop() -> None:
    """End this process's zygote (its kernels end with it); later reports use plain kernels."""
    global _zygote
    if _zygote is not None:
        _zygote.kill()
        _zygote.wait()
        _zygote = None


def fork_kernel(cmd: list[str], env: dict, cwd: str) -> int:
    """Ask the zygote for a kernel; returns its pid (not our child: see :class:`ForeignProcess`)."""
    assert _zygote is not None and _zygote.stdin is not None and _zygote.stdout is not None
    request = {"args": cmd[3:], "env": env, "cwd": str(cwd)}
    _zygote.stdin.write((json.dumps(request) + "\n").encode("utf-8"))
    _zygote.stdin.flush()
    answer = _zygote.stdout.readline()
    if not answer:
        raise OSError("the kernel zygote ended")
    pid = json.loads(answer)["pid"]
    if pid is None:
        raise ValueError("the kernel's environment differs from the zygote's")
    return int(pid)


def forkable(cmd: list[str]) -> bool:
    """A plain ipykernel command of this interpreter (anything else is launched as usual)."""
    return (running() and len(cmd) >= 3 and cmd[1:3] == ["-m", "ipykernel_launcher"]
            and os.path.realpath(cmd[0]) == os.path.realpath(sys.executable))


class ForeignProcess:
    """The ``Popen`` face jupyter_client needs for a kernel that is the zygote's child."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int):
        self.pid = pid
        try:
            self._fd: int | None = os.pidfd_open(pid)
        except (OSError, AttributeError):  # pragma: no cover - the kernel is gone already, or old Linux
            self._fd = None

    def poll(self) -> int | None:
        """The kernel's exit code, or None while it runs."""
        if self._fd is not None:
            if not select.select([self._fd], [], [], 0)[0]:
                return None
            os.close(self._fd)
            self._fd = None
            return 0
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return 0
        return None

    def wait(self) -> int:
        """Wait for the kernel to end (jupyter_client calls this once poll() says it has); its exit code."""
        while self.poll() is None:
            time.sleep(0.02)
        return 0

    def send_signal(self, signum: int) -> None:
        """Send ``signum`` to the kernel."""
        if self.poll() is None:
            os.kill(self.pid, signum)

    def kill(self) -> None:
        """Kill the kernel (SIGKILL)."""
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        """Ask the kernel to end (SIGTERM)."""
        self.send_signal(signal.SIGTERM)


def manager_class():
    """The kernel manager class for papermill: forking when this process has a zygote, else None."""
    if not running():
        return None
    from jupyter_client.manager import AsyncKernelManager  # lazy: only when a notebook runs
    from jupyter_client.provisioning import LocalProvisioner

    class ForkProvisioner(LocalProvisioner):
        async def launch_kernel(self, cmd, **kwargs):
            if not forkable(cmd):
                return await super().launch_kernel(cmd, **kwargs)
            cwd = kwargs.get("cwd") or os.getcwd()
            try:
                pid = fork_kernel(cmd, dict(kwargs.get("env") or os.environ), cwd)
            except OSError:  # the zygote is gone: a plain kernel, as without one
                stop()
                return await super().launch_kernel(cmd, **kwargs)
            except ValueError:  # imported for other paths (e.g. a processed folder of its own)
                return await super().launch_kernel(cmd, **kwargs)
            self.process = ForeignProcess(pid)  # type: ignore[assignment]
            self.pid = self.pgid = pid  # the kernel leads a session of its own
            self.cwd = cwd
            return self.connection_info

    class ForkingKernelManager(AsyncKernelManager):
        async def _async_pre_start_kernel(self, **kw):
            if self.provisioner is None:
                self.kernel_id = self.kernel_id or kw.pop("kernel_id", str(uuid.uuid4()))
                self.provisioner = ForkProvisioner(kernel_id=self.kernel_id, kernel_spec=self.kernel_spec,
                                                   parent=self)
            return await super()._async_pre_start_kernel(**kw)

    return ForkingKernelManager


# --------------------------------------------------------------------------- the zygote

def _become_kernel(request: dict, zygote_pid: int) -> None:
    """In the forked child: turn into ``python -m ipykernel_launcher ARGS`` and never return."""
    code = 1
    try:
        os.setsid()
        die_with_parent()
        if os.getppid() != zygote_pid:
            os._exit(1)
        # the signal dispositions of a fresh interpreter (serve() changed these two)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        null = os.open(os.devnull, os.O_RDWR)
        os.dup2(null, 0)  # the request pipes are the zygote's, not the kernel's
        os.dup2(null, 1)
        os.close(null)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        sys.path[0] = os.getcwd()  # as `python -m` puts the working folder first
        import ipykernel_launcher  # lazy: only in the kernel process, as the next import

        sys.argv = [ipykernel_launcher.__file__, *request["args"]]
        from ipykernel import kernelapp

        kernelapp.launch_new_instance()
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    finally:
        try:
            atexit._run_exitfuncs()
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)


def _resolved(value: str | None) -> str | None:
    return os.path.realpath(value) if value else None


def serve() -> None:
    """The zygote: import, then fork one kernel per request line on stdin (pid on stdout)."""
    die_with_parent()
    for name in PRELOAD:
        importlib.import_module(name)
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # kernels are reaped automatically
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the build stops us itself
    me = os.getpid()
    mine = {k: _resolved(os.environ.get(k)) for k in ENV_AT_IMPORT}
    for line in sys.stdin.buffer:
        request = json.loads(line)
        if {k: _resolved(request["env"].get(k)) for k in ENV_AT_IMPORT} != mine:
            pid = None
        else:
            pid = os.fork()
            if pid == 0:
                _become_kernel(request, me)
        sys.stdout.write(json.dumps({"pid": pid}) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    serve()
