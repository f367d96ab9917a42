"""``gns explore``: the e-strategist's explorer as an app (Voilà on 127.0.0.1, no code shown)."""

from __future__ import annotations

import os
import socket
import sys
from pathlib import Path

from gnsanalysis import paths
from gnsanalysis.errors import ParameterError

NOTEBOOK = "it-serverdrift-utforska.ipynb"
# Voilà's own loading-screen macros with the Swedish text, found before Voilà's through JUPYTER_PATH
# (tests/cli/test_explore_cli.py checks that they differ from the installed ones only in that text)
VOILA_OVERRIDES = paths.TEMPLATES_DIR / "voila"


def register(sub) -> None:
    """Add `gns explore` to the parser."""
    p = sub.add_parser("explore", help="öppna utforskaren för IT-serverdrift i webbläsaren (Voilà)")
    p.add_argument("--port", type=int, default=0,
                   help="port på 127.0.0.1 (standard: en ledig port väljs)")
    p.add_argument("--oppna", action="store_true",
                   help="öppna webbläsaren automatiskt (annars skrivs adressen ut)")
    p.add_argument("--mapp", type=Path, default=None,
                   help="mapp där scenarier sparas (standard: parametrar/ i projektmappen)")
    p.set_defaults(func=cmd_explore)


def port_in_use(port: int) -> bool:
    """True when something already listens on 127.0.0.1:``port``."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return True
    return False


def free_port() -> int:
    """A free TCP port on 127.0.0.1 for the explorer."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def voila_command(port: int, notebook: Path, open_browser: bool = False) -> list[str]:
    """The Voilà command line that serves the explorer notebook on ``port`` (no code shown)."""
    # port_retries=0: the port printed is the port served (Voilà would silently move to the next one)
    return [sys.executable, "-m", "voila", str(notebook), f"--port={port}", "--Voila.port_retries=0",
            "--Voila.ip=127.0.0.1",
            "--strip_sources=True", "--theme=light", "--show_tracebacks=False",
            # the JupyterLab jupytext extension has no host in Voilà (a console error on every load)
            "--VoilaConfiguration.extension_denylist", "jupyterlab-jupytext",
            # a kernel whose tab was closed ends after 10 idle minutes (an open tab's kernel is kept)
            "--MappingKernelManager.cull_interval=60", "--MappingKernelManager.cull_idle_timeout=600",
            *([] if open_browser else ["--no-browser"])]


def cmd_explore(args) -> int:
    """Serve the explorer until Ctrl-C; prints the URL."""
    notebook = paths.NOTEBOOKS_DIR / NOTEBOOK
    if not notebook.is_file():
        raise ParameterError(f"Utforskarens notebook {notebook} finns inte.")
    try:
        import voila  # noqa: F401
    except ImportError:
        raise ParameterError("Voilà är inte installerat. Kör `make .venv/.installed` (eller "
                             "`pip install -e .`) i projektmappen.") from None
    port = args.port or free_port()
    if not 0 < port < 65536:
        raise ParameterError(f"Porten {port} är ogiltig; ange 1–65535 eller utelämna --port.")
    if port_in_use(port):
        raise ParameterError(f"Porten {port} på 127.0.0.1 används redan (kanske av en utforskare som redan "
                             "körs). Ange en annan port eller utelämna --port så väljs en ledig.")
    env = dict(os.environ, GNS_PROJECT_ROOT=str(paths.PROJECT_ROOT), MPLBACKEND="Agg",
               # first on Jupyter's data path: Voilà's loading screen in Swedish (render/templates/voila)
               JUPYTER_PATH=os.pathsep.join(filter(None, [str(VOILA_OVERRIDES), os.environ.get("JUPYTER_PATH")])))
    if args.mapp:
        env["GNS_EXPLORE_DIR"] = str(args.mapp.resolve())
    print(f"Utforskaren: http://127.0.0.1:{port}/ (sidan svarar om några sekunder; avsluta med Ctrl+C)", flush=True)
    cmd = voila_command(port, notebook, args.oppna)
    os.chdir(paths.PROJECT_ROOT)
    # replace this process by the server: its process id is the one printed by `gns explore`'s caller
    os.execve(cmd[0], cmd, env)
    return 0  # not reached
