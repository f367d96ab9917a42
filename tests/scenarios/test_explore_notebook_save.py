"""Saving the explorer notebook in Jupyter does not change the tracked files (issue 12, point 9).

A save as JupyterLab makes it — outputs with the explorer's widget views, execution counts,
the widget state, the kernel's full ``language_info``, cell execution timings — goes through
the project's pre-save hook (``gnsanalysis.scenarios.notebook_save``). Checked with jupytext's
contents manager (as JupyterLab uses it, pairing the ``.py``) and end to end with a real
``jupyter server`` configured only by the project's ``jupyter-config/`` folder.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from gnsanalysis import paths
from gnsanalysis.scenarios import notebook_save

ROOT = Path(__file__).resolve().parents[2]
NAME = "it-serverdrift-utforska"
CONFIG = ROOT / "jupyter-config"


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A project with a copy (not a link) of the explorer notebook pair: saving never touches the real one."""
    root = tmp_path / "projekt"
    (root / "notebooks").mkdir(parents=True)
    for suffix in (".ipynb", ".py"):
        shutil.copy2(ROOT / "notebooks" / f"{NAME}{suffix}", root / "notebooks" / f"{NAME}{suffix}")
    monkeypatch.setattr(paths, "NOTEBOOKS_DIR", root / "notebooks")
    return root


def _as_used(nb: dict) -> dict:
    """The notebook as JupyterLab holds it after Run All: outputs, counts, widget state, kernel info."""
    view = {"application/vnd.jupyter.widget-view+json": {"model_id": "f00", "version_major": 2,
                                                         "version_minor": 0},
            "text/plain": "VBox(children=(HTML(value='<style>…'),))"}
    for n, cell in enumerate(c for c in nb["cells"] if c["cell_type"] == "code"):
        cell["execution_count"] = n + 1
        cell["outputs"] = [{"output_type": "display_data", "data": view, "metadata": {}}]
        cell["metadata"]["execution"] = {"iopub.execute_input": "2026-12-02T20:00:00.000Z"}
    nb["metadata"]["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}, "version_major": 2,
                                                                               "version_minor": 0}}
    nb["metadata"]["language_info"] = {"name": "python", "version": "3.11.7", "mimetype": "text/x-python",
                                       "codemirror_mode": {"name": "ipython", "version": 3},
                                       "file_extension": ".py", "pygments_lexer": "ipython3",
                                       "nbconvert_exporter": "python"}
    return nb


def _files(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((root / "notebooks").glob(f"{NAME}.*"))}


def test_clean_notebook_keeps_the_cells_and_drops_what_running_added(project):
    nb = json.loads((project / "notebooks" / f"{NAME}.ipynb").read_text(encoding="utf-8"))
    sources = [c["source"] for c in nb["cells"]]
    cleaned = notebook_save.clean_notebook(_as_used(nb))
    assert [c["source"] for c in cleaned["cells"]] == sources
    assert all(c["outputs"] == [] and c["execution_count"] is None
               for c in cleaned["cells"] if c["cell_type"] == "code")
    assert "widgets" not in cleaned["metadata"] and cleaned["metadata"]["language_info"] == {"name": "python"}
    assert cleaned["cells"][0]["metadata"] == {"tags": ["parameters"]}


def test_saving_through_jupytext_leaves_the_tracked_pair_unchanged(project):
    from jupytext import TextFileContentsManager

    before = _files(project)
    cm = TextFileContentsManager(root_dir=str(project))
    cm.register_pre_save_hook(notebook_save.strip_before_save)
    path = f"notebooks/{NAME}.ipynb"
    model = cm.get(path)
    cm.save({"type": "notebook", "content": _as_used(model["content"])}, path)
    assert _files(project) == before


def test_without_the_hook_the_same_save_would_dirty_the_file(project):
    """The check above can fail: the plain contents manager writes what running added."""
    from jupytext import TextFileContentsManager

    before = _files(project)
    cm = TextFileContentsManager(root_dir=str(project))
    path = f"notebooks/{NAME}.ipynb"
    cm.save({"type": "notebook", "content": _as_used(cm.get(path)["content"])}, path)
    assert _files(project)[f"{NAME}.ipynb"] != before[f"{NAME}.ipynb"]


def test_an_edit_to_a_cell_is_saved(project):
    from jupytext import TextFileContentsManager

    cm = TextFileContentsManager(root_dir=str(project))
    cm.register_pre_save_hook(notebook_save.strip_before_save)
    path = f"notebooks/{NAME}.ipynb"
    nb = _as_used(cm.get(path)["content"])
    nb["cells"][0]["source"] = "uncertainty: bool = False  # ändrat"
    cm.save({"type": "notebook", "content": nb}, path)
    assert "uncertainty: bool = False" in (project / "notebooks" / f"{NAME}.py").read_text(encoding="utf-8")
    saved = json.loads((project / "notebooks" / f"{NAME}.ipynb").read_text(encoding="utf-8"))
    assert saved["cells"][2]["outputs"] == []


def test_a_notebook_outside_the_project_notebooks_is_left_alone(project, tmp_path):
    other = tmp_path / "egen"
    other.mkdir()
    model = {"type": "notebook", "content": _as_used(json.loads(
        (project / "notebooks" / f"{NAME}.ipynb").read_text(encoding="utf-8")))}

    class Manager:
        root_dir = str(tmp_path)

    notebook_save.strip_before_save(model=model, path="egen/x.ipynb", contents_manager=Manager())
    assert model["content"]["metadata"]["widgets"]


@pytest.mark.notebook
def test_jupyter_server_with_the_project_config_saves_cleanly(project):
    """A real ``jupyter server``, configured only by ``jupyter-config/``, saving over its REST API."""
    pytest.importorskip("jupyter_server")
    from gnsanalysis.cli.explore import free_port

    before = _files(project)
    port, token = free_port(), "gns-test"
    env = dict(os.environ, GNS_PROJECT_ROOT=str(project), JUPYTER_CONFIG_PATH=str(CONFIG),
               JUPYTER_CONFIG_DIR=str(project / ".jupyter"), JUPYTER_RUNTIME_DIR=str(project / ".runtime"))
    proc = subprocess.Popen([sys.executable, "-m", "jupyter_server", "--no-browser", f"--port={port}",
                             "--ServerApp.ip=127.0.0.1", f"--IdentityProvider.token={token}",
                             f"--ServerApp.root_dir={project}", "--allow-root"],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}/api/contents/notebooks/{NAME}.ipynb"
    headers = {"Authorization": f"token {token}", "Content-Type": "application/json"}
    try:
        model = _get(url, headers, proc)
        body = json.dumps({"type": "notebook", "format": "json", "content": _as_used(model["content"])})
        req = urllib.request.Request(url, data=body.encode("utf-8"), headers=headers, method="PUT")
        urllib.request.urlopen(req, timeout=60).close()
    finally:
        os.kill(proc.pid, signal.SIGTERM)
        try:
            _, log = proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
            _, log = proc.communicate(timeout=10)
    assert "pre_save_hook" not in log  # no error importing or running the hook
    assert _files(project) == before, log[-2000:]


def _get(url: str, headers: dict, proc) -> dict:
    deadline = time.monotonic() + 90
    while True:
        try:
            with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=30) as r:
                return json.loads(r.read())
        except (urllib.error.URLError, ConnectionError):
            if time.monotonic() > deadline or proc.poll() is not None:
                raise AssertionError("jupyter server did not answer") from None
            time.sleep(0.5)


def test_the_environment_has_the_project_jupyter_config():
    """`pip install -e .` puts the config into the environment's etc/jupyter (pyproject data-files)."""
    shipped = CONFIG / "jupyter_server_config.d" / "gnsanalysis.json"
    installed = Path(sys.prefix) / "etc" / "jupyter" / "jupyter_server_config.d" / "gnsanalysis.json"
    if not installed.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{installed} is missing on CI: the install should have put it there")
        pytest.skip("the project's Jupyter config is not installed in this environment (make .venv/.installed)")
    assert json.loads(installed.read_text(encoding="utf-8")) == json.loads(shipped.read_text(encoding="utf-8"))
