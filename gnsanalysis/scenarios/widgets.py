"""Interactive explorer for JupyterLab: sliders for the main assumptions, a coalition
selector, an allocation-key menu and a "Spara parametrar" button.

The notebook calls one function::

    from gnsanalysis.scenarios.widgets import build_explorer
    build_explorer()

Every change re-runs :func:`gnsanalysis.scenarios.explore` (the light part: scenario
comparison and per-party split, milliseconds) and redraws the tables. The button writes the
current state with :func:`save_params_yaml`; ``gns report it-serverdrift -f FILE.yaml`` replays
it into the board HTML.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from gnsanalysis.swedish.format import number, tkr
from gnsanalysis.scenarios.api import allocation_keys
from gnsanalysis.scenarios.assumptions import load_assumptions
from gnsanalysis.scenarios.explore import DEFAULT_STATE, explore, save_params_yaml, validate_state
from gnsanalysis.scenarios.feasibility import default_coalition


def _slider(widgets, p, value):
    step = (p.high - p.low) / 100 or 0.01
    cls = widgets.IntSlider if p.integer else widgets.FloatSlider
    kwargs = dict(value=value, min=p.low, max=p.high, description=p.label[:40],
                  tooltip=f"{p.label} ({p.unit}). Källa: {p.source}",
                  style={"description_width": "initial"},
                  layout=widgets.Layout(width="95%"), continuous_update=False)
    if not p.integer:
        kwargs["step"] = step
        kwargs["readout_format"] = ".3g"
    else:
        kwargs.update(value=int(value), min=int(p.low), max=int(p.high))
    return cls(**kwargs)


def _state_from(controls: dict) -> dict:
    coalition = [c for c, box in controls["parties"].items() if box.value]
    return {
        "coalition": coalition,
        "allocation_key": controls["key"].value,
        "assumptions": {name: float(s.value) for name, s in controls["sliders"].items()},
        "n_draws": DEFAULT_STATE["n_draws"], "seed": DEFAULT_STATE["seed"], "hosts": {},
    }


def _render(result: dict) -> str:
    """Small HTML summary (escaped through gnsanalysis.render.html when available)."""
    import html as _html

    cmp = result["compare"]
    rows = []
    for r in cmp.itertuples():
        if r.feasible:
            rows.append(f"<tr><td>{_html.escape(r.title)}</td><td>{tkr(r.npv / 1000)}</td>"
                        f"<td>{tkr(r.npv_vs_s0 / 1000, signed=True)}</td></tr>")
        else:
            rows.append(f"<tr><td>{_html.escape(r.title)}</td><td colspan='2'>Går inte: "
                        f"{_html.escape(r.explanation)}</td></tr>")
    out = ("<table><thead><tr><th>Scenario</th><th>Nuvärde 5 år</th><th>Mot nuläget</th>"
           "</tr></thead><tbody>" + "".join(rows) + "</tbody></table>")
    key = result["state"]["allocation_key"]
    for code, df in result["party_costs"].items():
        sub = df[df["key"] == df["key"].iloc[0]] if key not in set(df["key"]) else df[df["key"] == key]
        cells = "".join(
            f"<tr><td>{_html.escape(r.short)}</td><td>{tkr(r.total / 1000)}</td>"
            f"<td>{tkr(r.difference / 1000, signed=True)}</td></tr>" for r in sub.itertuples())
        out += (f"<h4>{_html.escape(code)} per part ({_html.escape(sub['key_label'].iloc[0])})</h4>"
                "<table><thead><tr><th>Part</th><th>Nuvärde</th><th>Mot ensam i nuläget</th></tr>"
                f"</thead><tbody>{cells}</tbody></table>")
    flagged = result["standalone"]
    if len(flagged):
        out += "<p><strong>Betalar mer än ensam:</strong> " + _html.escape(
            "; ".join(flagged["message"].head(6))) + "</p>"
    out += f"<p>{_html.escape(result['guesses']['text'])}</p>"
    return out


def build_explorer(overrides: Mapping | None = None, *,
                   save_path: str | Path = "parametrar/it-serverdrift.yaml"):
    """An ipywidgets VBox bound to the model (see module doc).

    A relative ``save_path`` is resolved against the project folder, not the notebook's.
    """
    import ipywidgets as widgets

    from gnsanalysis import paths

    save_path = Path(save_path)
    if not save_path.is_absolute():
        save_path = paths.PROJECT_ROOT / save_path

    state = validate_state(overrides)
    a = load_assumptions()
    values = a.with_overrides(state["assumptions"]).base_params()
    sliders = {name: _slider(widgets, p, values[name])
               for name, p in a.parameters.items() if p.main}
    chosen = set(state["coalition"] or [p.name for p in default_coalition(a)])
    parties = {d.party.name: widgets.Checkbox(value=d.party.name in chosen,
                                              description=d.party.short, indent=False)
               for d in a.demand}
    keys = allocation_keys()
    key = widgets.Dropdown(options=[(label, code) for code, label in keys.items()],
                           value=state["allocation_key"] if state["allocation_key"] in keys else "usage",
                           description="Fördelningsnyckel", style={"description_width": "initial"})
    output = widgets.HTML()
    path = widgets.Text(value=str(save_path), description="Fil",
                        layout=widgets.Layout(width="60%"))
    button = widgets.Button(description="Spara parametrar", icon="save",
                            tooltip="Skriv valda värden till en YAML-fil för rapporten")
    status = widgets.HTML()
    controls = {"sliders": sliders, "parties": parties, "key": key}

    def refresh(*_):
        try:
            output.value = _render(explore(_state_from(controls), full=False))
        except Exception as exc:  # shown to the user, in Swedish where it is ours
            output.value = f"<p><strong>Fel:</strong> {exc}</p>"

    def save(*_):
        try:
            written = save_params_yaml(path.value, _state_from(controls))
            status.value = f"<p>Sparat i {written}. Återskapa: gns report it-serverdrift -f {written.name}</p>"
        except Exception as exc:
            status.value = f"<p><strong>Kunde inte spara:</strong> {exc}</p>"

    for w in [*sliders.values(), *parties.values(), key]:
        w.observe(refresh, names="value")
    button.on_click(save)
    refresh()
    box = widgets.VBox([
        widgets.HTML("<h3>Antaganden</h3>"), *sliders.values(),
        widgets.HTML("<h3>Parter</h3>"), widgets.HBox(list(parties.values())), key,
        widgets.HBox([path, button]), status, output,
    ])
    box.controls = controls
    box.refresh = refresh
    box.save = save
    box.output = output
    box.path = path
    box.status = status
    return box


__all__ = ["build_explorer", "number"]
