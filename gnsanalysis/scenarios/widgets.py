"""The e-strategist's explorer as ipywidgets (served as an app by ``gns explore``, also runs in JupyterLab).

The notebook calls one function::

    from gnsanalysis.scenarios.widgets import build_explorer
    build_explorer()

Number fields are Text inputs parsed by :func:`gnsanalysis.scenarios.state.parse_input`
(``1,5``, ``1 200``, ``1.5``), with the full label, unit and source beside each field and a
visible Swedish message for a value that cannot be used. Every change recomputes with
:func:`gnsanalysis.scenarios.app.compute` and redraws the numbers and the board report's charts.
Scenarios are saved, loaded and compared through :mod:`gnsanalysis.scenarios.state`.
"""

from __future__ import annotations

from collections.abc import Mapping

from gnsanalysis.render import html
from gnsanalysis.scenarios import app
from gnsanalysis.scenarios import state as st

SCENARIOS_SHOWN = ("S1", "S2", "S3", "S4")
STYLE = """<style>
.gns-explore table { border-collapse: collapse; margin: 0.5em 0 1em; }
.gns-explore caption { text-align: left; font-weight: bold; padding-bottom: 0.3em; white-space: nowrap; }
.gns-explore th, .gns-explore td { padding: 0.15em 0.8em; border-bottom: 1px solid #ddd; }
.gns-explore th[scope=row] { text-align: left; font-weight: normal; }
.gns-explore td { text-align: right; font-variant-numeric: tabular-nums; }
.gns-explore tr.total th, .gns-explore tr.total td { font-weight: bold; border-top: 2px solid #333; }
.gns-explore small { line-height: 1.3; display: inline-block; }
.gns-explore figure { margin: 1em 0; } .gns-explore img { max-width: 100%; }
</style>"""


def _msg(text: str, kind: str = "error") -> str:
    if not text:
        return ""
    colour = {"error": "#9b1c1c", "ok": "#1d5e20", "warn": "#7a4b00"}[kind]
    return f'<p class="gns-msg gns-msg-{kind}" role="status" style="color:{colour};margin:0">{html.esc(text)}</p>'


def build_explorer(overrides: Mapping | None = None, *, folder=None, uncertainty: bool = True):
    """An ipywidgets VBox bound to the model (see module doc)."""
    import ipywidgets as w

    from gnsanalysis.scenarios.api import allocation_keys
    from gnsanalysis.scenarios.assumptions import load_assumptions
    from gnsanalysis.scenarios.explore import validate_state
    from gnsanalysis.scenarios.feasibility import default_coalition

    base_state = validate_state(overrides)
    a = load_assumptions()
    ctl = st.controls()
    current = a.with_overrides(base_state["assumptions"]).base_params()
    values = {n: (int(current[n]) if c.integer else float(st.round_to_step(current[n], c.step)))
              for n, c in ctl.items()}
    fields, messages, rows = {}, {}, []
    for name, c in ctl.items():
        fields[name] = w.Text(value=c.show(values[name]), continuous_update=False,
                              layout=w.Layout(width="9em"))
        fields[name].add_class(f"gns-field-{name}")
        messages[name] = w.HTML()
        label = w.HTML(f'<label><strong>{html.esc(c.label)}</strong> ({html.esc(c.unit)})<br>'
                       f'<small>Tillåtet {html.esc(c.range_text)}. {html.esc(c.source_text)}.</small></label>',
                       layout=w.Layout(width="32em"))
        rows.append(w.VBox([w.HBox([label, fields[name]]), messages[name]]))

    chosen = set(base_state["coalition"] or [p.name for p in default_coalition(a)])
    parties = {}
    for d in a.demand:
        box = w.Checkbox(value=d.party.name in chosen, description=d.party.name, indent=False,
                         layout=w.Layout(width="auto"))
        box.add_class("gns-party")
        parties[d.party.name] = box
    keys = allocation_keys()
    key = w.Dropdown(options=[(label, code) for code, label in keys.items()],
                     value=base_state["allocation_key"] if base_state["allocation_key"] in keys else "usage",
                     description="Fördelningsnyckel för gemensamma kostnader",
                     style={"description_width": "initial"}, layout=w.Layout(width="auto"))
    key.add_class("gns-key")
    scenario = w.Dropdown(options=[], description="Scenario som visas per part",
                          style={"description_width": "initial"}, layout=w.Layout(width="auto"))
    numbers, charts_out, problem = w.HTML(), w.HTML(), w.HTML()
    numbers.add_class("gns-numbers")
    charts_out.add_class("gns-charts")

    name = w.Text(description="Namn", placeholder="t.ex. Dyr el", style={"description_width": "initial"})
    name.add_class("gns-save-name")
    description = w.Text(description="Kort beskrivning", style={"description_width": "initial"},
                         layout=w.Layout(width="40em"))
    overwrite = w.Checkbox(value=False, description="Skriv över ett befintligt scenario med samma namn",
                           indent=False, layout=w.Layout(width="auto"))
    save_button = w.Button(description="Spara scenario", icon="save", layout=w.Layout(width="auto"))
    save_button.add_class("gns-save")
    save_status = w.HTML()
    save_status.add_class("gns-save-status")
    saved_pick = w.Dropdown(options=[], description="Sparade scenarier", style={"description_width": "initial"},
                            layout=w.Layout(width="auto"))
    load_button = w.Button(description="Läs in i reglagen", icon="folder-open", layout=w.Layout(width="auto"))
    compare_pick = w.SelectMultiple(options=[], description="Jämför", rows=4,
                                    style={"description_width": "initial"}, layout=w.Layout(width="auto"))
    compare_button = w.Button(description="Jämför valda", layout=w.Layout(width="auto"))
    compare_out = w.HTML()
    compare_out.add_class("gns-compare")

    box = w.VBox()
    box.add_class("gns-explore")
    box.values = values
    box.last_view = None

    def selection() -> dict:
        return st.selection_state(values, [n for n, b in parties.items() if b.value], key.value,
                                  base=base_state)

    def refresh_saved():
        found = st.list_scenarios(folder)
        opts = [(f"{s.name} – {s.description}" if s.description else s.name, str(s.path)) for s in found]
        saved_pick.options = opts
        compare_pick.options = opts
        if opts and saved_pick.value is None:
            saved_pick.value = opts[0][1]

    def refresh(*_):
        state = selection()
        try:
            checked = st.check_selection(state)
        except Exception as exc:  # noqa: BLE001 - shown to the user in Swedish
            problem.value = _msg(str(exc))
            save_button.disabled = True
            save_button.tooltip = f"Kan inte sparas: {exc}"
            save_status.value = _msg(f"Kan inte sparas: {exc}")
            numbers.value = charts_out.value = ""
            return
        problem.value = ""
        if "Kan inte sparas" in save_status.value:
            save_status.value = ""
        save_button.disabled = False
        save_button.tooltip = "Spara valen som ett namngivet scenario under parametrar/"
        light = app.compute(checked, scenario.value or "S1", uncertainty=False)
        feasible = [c for c in SCENARIOS_SHOWN if c in light.feasible]
        titles = light.result["compare"].set_index("scenario")["title"]
        opts = [(str(titles[c]), c) for c in feasible]
        if [o[1] for o in scenario.options] != feasible:
            keep = scenario.value if scenario.value in feasible else (feasible[0] if feasible else None)
            scenario.unobserve(refresh, names="value")
            scenario.options = opts
            scenario.value = keep
            scenario.observe(refresh, names="value")
        if scenario.value and light.scenario != scenario.value:
            light = app.compute(checked, scenario.value, uncertainty=False, result=light.result)
        numbers.value = app.numbers_html(light)  # the numbers first, then the charts
        view = (app.compute(checked, light.scenario, uncertainty=True, result=light.result)
                if uncertainty else light)
        box.last_view = view
        charts_out.value = app.charts_html(view)

    quiet = [False]  # set while the controls are filled from a loaded scenario

    def on_field(name):
        def handler(change):
            if quiet[0]:
                return
            c = ctl[name]
            try:
                v = st.parse_input(change["new"], c)
            except st.InputError as exc:
                messages[name].value = _msg(str(exc))
                return
            messages[name].value = ""
            shown = c.show(v)
            values[name] = v
            if fields[name].value != shown:
                fields[name].value = shown  # the readout in Swedish format (re-enters with the same v)
            refresh()
        return handler

    def save(*_):
        try:
            path = st.save_scenario(name.value, description.value, selection(), folder=folder,
                                    overwrite=overwrite.value)
        except st.ScenarioExists as exc:
            save_status.value = _msg(str(exc), "warn")
            return
        except Exception as exc:  # noqa: BLE001
            save_status.value = _msg(f"Kunde inte spara: {exc}")
            return
        overwrite.value = False
        cmd = st.replay_command(path)
        save_status.value = (_msg(f"Sparat i {st.display_path(path)}.", "ok")
                             + "<p>Nämndens rapport med samma val (klistra in i projektmappen):<br>"
                             f'<code class="gns-replay">{html.esc(cmd)}</code></p>')
        box.saved_path = path
        refresh_saved()

    def load(*_):
        if not saved_pick.value:
            save_status.value = _msg("Inget sparat scenario är valt.")
            return
        try:
            saved = st.load_scenario(saved_pick.value)
        except Exception as exc:  # noqa: BLE001
            save_status.value = _msg(str(exc))
            return
        apply_state(saved.state)
        name.value, description.value = saved.name, saved.description
        save_status.value = _msg(f"Läste in {saved.name} ({st.display_path(saved.path)}).", "ok")

    def apply_state(state):
        new = a.with_overrides(state["assumptions"]).base_params()
        for n, c in ctl.items():
            values[n] = int(new[n]) if c.integer else float(st.round_to_step(new[n], c.step))
            quiet[0] = True
            try:
                fields[n].value = c.show(values[n])
            finally:
                quiet[0] = False
            messages[n].value = ""
        members = set(state["coalition"] or [p.name for p in default_coalition(a)])
        for n, b in parties.items():
            b.unobserve(refresh, names="value")
            b.value = n in members
            b.observe(refresh, names="value")
        key.unobserve(refresh, names="value")
        key.value = state["allocation_key"] if state["allocation_key"] in keys else "usage"
        key.observe(refresh, names="value")
        refresh()

    def compare(*_):
        try:
            chosen_files = [st.load_scenario(p) for p in compare_pick.value]
            compare_out.value = app.compare_html(chosen_files)
        except Exception as exc:  # noqa: BLE001
            compare_out.value = _msg(str(exc))

    for n in ctl:
        fields[n].observe(on_field(n), names="value")
    for b in parties.values():
        b.observe(refresh, names="value")
    key.observe(refresh, names="value")
    scenario.observe(refresh, names="value")
    save_button.on_click(save)
    load_button.on_click(load)
    compare_button.on_click(compare)
    refresh_saved()
    refresh()
    where = st.display_path(st.scenario_dir())
    box.children = [
        w.HTML(STYLE + '<p class="gns-ready">Utforskaren är klar: ändra ett värde och tryck Enter (eller klicka '
               "utanför fältet), så räknas siffrorna och diagrammen om.</p>"),
        w.HTML("<h3>Parter</h3>"), w.HBox(list(parties.values()), layout=w.Layout(flex_flow="row wrap")),
        key, scenario, problem,
        w.HTML("<h3>Antaganden</h3>"), *rows,
        w.HTML("<h3>Resultat</h3>"), numbers, charts_out,
        w.HTML(f"<h3>Spara scenario</h3><p>Scenarier sparas i mappen {html.esc(where)}.</p>"),
        w.HBox([name, description]), overwrite, save_button, save_status,
        w.HTML("<h3>Sparade scenarier</h3>"), w.HBox([saved_pick, load_button]),
        w.HBox([compare_pick, compare_button]), compare_out,
    ]
    box.controls = {"fields": fields, "messages": messages, "parties": parties, "key": key,
                    "scenario": scenario}
    box.refresh, box.save, box.load, box.compare = refresh, save, load, compare
    box.numbers, box.charts, box.problem = numbers, charts_out, problem
    box.name, box.description, box.overwrite, box.save_button = name, description, overwrite, save_button
    box.save_status, box.saved_pick, box.compare_pick, box.compare_out = (save_status, saved_pick,
                                                                          compare_pick, compare_out)
    return box


__all__ = ["build_explorer"]
