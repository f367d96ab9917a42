"""Saving a project notebook in JupyterLab leaves the tracked file as it was: a Jupyter server extension.

The e-strategist opens ``notebooks/it-serverdrift-utforska.ipynb`` in JupyterLab, runs it and
saves. Jupyter would write the outputs (the explorer's widget views and charts), execution
counts, the widget state and the kernel's full ``language_info`` into the tracked notebook,
which then shows as changed in git. The notebooks' source of truth is their jupytext ``.py``
and the ``.ipynb`` is kept without outputs (``make notebooks``), so this pre-save hook saves a
notebook under ``notebooks/`` in that form; edits to the cells are kept.

Enabled by ``jupyter-config/jupyter_server_config.d/gnsanalysis.json`` (installed into the
environment's ``etc/jupyter``), which loads this module as a server extension. JupyterLab,
Jupyter Notebook and Voilà all run on jupyter_server.
"""

from __future__ import annotations

from pathlib import Path

from gnsanalysis import paths

# cell metadata Jupyter writes while a notebook is used (tags and jupytext's own keys are kept)
RUNTIME_CELL_METADATA = ("execution", "collapsed", "scrolled", "jupyter", "trusted")


def clean_notebook(nb: dict) -> dict:
    """``nb`` (a notebook as a JSON dict) without outputs, execution counts and runtime metadata."""
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
        meta = cell.get("metadata", {})
        for key in RUNTIME_CELL_METADATA:
            meta.pop(key, None)
    meta = nb.get("metadata", {})
    meta.pop("widgets", None)
    if isinstance(meta.get("language_info"), dict):  # the kernel's version, lexer, mimetype ...
        meta["language_info"] = {"name": meta["language_info"].get("name", "python")}
    return nb


def is_project_notebook(os_path: Path) -> bool:
    """True for a notebook in the project's ``notebooks/`` folder (the tracked ones)."""
    folder = paths.NOTEBOOKS_DIR.resolve()
    return Path(os_path).resolve().parent == folder


def strip_before_save(model: dict, path: str, contents_manager, **_kwargs) -> None:
    """Jupyter pre-save hook: a project notebook is saved without outputs and runtime metadata."""
    if model.get("type") != "notebook" or not isinstance(model.get("content"), dict):
        return
    os_path = Path(contents_manager.root_dir) / path.strip("/")
    if is_project_notebook(os_path):
        clean_notebook(model["content"])


HOOK = "gnsanalysis.scenarios.notebook_save.strip_before_save"


def _jupyter_server_extension_points() -> list[dict]:
    return [{"module": "gnsanalysis.scenarios.notebook_save"}]


def _load_jupyter_server_extension(serverapp) -> None:
    serverapp.contents_manager.register_pre_save_hook(strip_before_save)
    # jupytext's extension, loaded after this one, replaces the contents manager by one built
    # from the server's configuration: the hook goes there too (unless one is configured already)
    if "pre_save_hook" not in serverapp.config.ContentsManager:
        serverapp.config.ContentsManager.pre_save_hook = HOOK
    serverapp.log.info("gnsanalysis: projektets notebooks sparas utan utdata och körningsmetadata")
