"""`gns explore`'s command line: loopback only, no code, a free port, Swedish errors."""

from __future__ import annotations

import socket
from pathlib import Path

from gnsanalysis import paths
from gnsanalysis.cli import main
from gnsanalysis.cli.explore import NOTEBOOK, free_port, voila_command


def test_voila_serves_the_explorer_on_loopback_without_code():
    cmd = voila_command(8123, paths.NOTEBOOKS_DIR / NOTEBOOK)
    assert "--Voila.ip=127.0.0.1" in cmd and "--port=8123" in cmd
    assert "--strip_sources=True" in cmd and "--no-browser" in cmd
    assert "--Voila.port_retries=0" in cmd  # the port printed is the one served
    assert "--MappingKernelManager.cull_idle_timeout=600" in cmd  # closed tabs' kernels end
    assert not [a for a in cmd if "=[" in a]  # no list-valued option in the form traitlets deprecates
    assert cmd[1:3] == ["-m", "voila"] and cmd[3].endswith("it-serverdrift-utforska.ipynb")


def test_free_port_is_free():
    port = free_port()
    with socket.socket() as s:
        s.bind(("127.0.0.1", port))


def test_bad_port_exits_2_in_swedish(capsys):
    assert main(["explore", "--port", "70000"]) == 2
    assert "Porten 70000 är ogiltig" in capsys.readouterr().err


def test_busy_port_is_refused_not_moved(capsys):
    """A port in use exits 2 naming it; Voilà must not move to the next port behind the printed URL."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        busy = s.getsockname()[1]
        assert main(["explore", "--port", str(busy)]) == 2
    err = capsys.readouterr().err
    assert f"Porten {busy} på 127.0.0.1 används redan" in err and "Traceback" not in err


def test_the_swedish_loading_screen_differs_from_voilas_only_in_its_text():
    """The two overridden Voilà macros are Voilà's own with Swedish words; an upgrade that changes
    them upstream fails here instead of silently serving an outdated copy."""
    import voila.paths

    from gnsanalysis.cli.explore import VOILA_OVERRIDES

    english = {"Startar {{nb_title}} …": "Running {{nb_title}}...",
               "`Räknar, steg ${cell_index} av ${cell_count}`": "`Executing ${cell_index} of ${cell_count}`",
               "`Läser, steg ${cell_index} av ${cell_count}`": "`Reading ${cell_index} of ${cell_count}`"}
    ours = sorted((VOILA_OVERRIDES / "voila" / "templates" / "base").glob("*.j2"))
    assert [p.name for p in ours] == ["spinner.macro.html.j2", "voila_setup.macro.html.j2"]
    upstream_dirs = [Path(p) for p in voila.paths.collect_template_paths(["voila"], "base", prune=True)]
    for path in ours:
        text = path.read_text(encoding="utf-8")
        assert not any(e in text for e in english.values())
        for swedish, eng in english.items():
            text = text.replace(swedish, eng)
        upstream = next(d / path.name for d in upstream_dirs if (d / path.name).is_file() and d != path.parent)
        assert text == upstream.read_text(encoding="utf-8"), path.name
