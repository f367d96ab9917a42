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

from gnsanalysis.parties.allocation import parse_key
from gnsanalysis.render import html
from gnsanalysis.scenarios import app
from gnsanalysis.scenarios import state as st
from gnsanalysis.scenarios.api import allocation_keys
from gnsanalysis.scenarios.assumptions import load_assumptions
from gnsanalysis.scenarios.explore import validate_state
from gnsanalysis.scenarios.feasibility import default_coalition
from gnsanalysis.swedish import format as fmt

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
/* a number field's own label names it for screen readers; the visible label is beside it */
.gns-explore .gns-number .widget-label { position: absolute !important; width: 1px !important;
  height: 1px !important; overflow: hidden; clip-path: inset(50%); white-space: nowrap; margin: 0; }
</style>"""


def _msg(text: str, kind: str = "error") -> str:
    if not text:
        return ""
    colour = {"error": "#9b1c1c", "ok": "#1d5e20", "warn": "#7a4b00"}[kind]
    return f'<p class="gns-msg gns-msg-{kind}" role="status" style="color:{colour};margin:0">{html.esc(text)}</p>'


def build_explorer(overrides: Mapping | None = None, *, folder=None, uncertainty: bool = True):
    """An ipywidgets VBox bound to the model (see module doc)."""
    return Explorer(overrides, folder=folder, uncertainty=uncertainty).box


class Explorer:
    """The explorer's widgets and what a change, a save, a load and a comparison do."""

    def __init__(self, overrides: Mapping | None, *, folder, uncertainty: bool):
        import ipywidgets as w  # imported when the explorer is built: the package works without a widget front end

        self.w, self.folder, self.uncertainty = w, folder, uncertainty
        self.base_state = validate_state(overrides)
        self.a = load_assumptions()
        self.ctl = st.controls()
        self.keys = allocation_keys()
        self.quiet = False  # set while the controls are filled from a loaded scenario
        self.loaded: tuple[str, str] | None = None  # (name, description) of the scenario last loaded
        self.preferred = self.base_state["per_party"]  # the scenario shown per party, when it is feasible
        current = self.a.with_overrides(self.base_state["assumptions"]).base_params()
        self.values = {n: self._stepped(c, current[n]) for n, c in self.ctl.items()}
        self.box = w.VBox()
        self.box.add_class("gns-explore")
        self._number_fields()
        self._choices()
        self._save_widgets()
        self._wire()
        self.refresh_saved()
        self.refresh()
        self._layout()

    @staticmethod
    def _stepped(c, value):
        return int(value) if c.integer else float(st.round_to_step(value, c.step))

    def _number_fields(self) -> None:
        w = self.w
        self.fields, self.messages, self.rows = {}, {}, []
        for name, c in self.ctl.items():
            field = w.Text(value=c.show(self.values[name]), continuous_update=False,
                           description=c.full_label, layout=w.Layout(width="9em"))
            field.add_class(f"gns-field-{name}")
            field.add_class("gns-number")
            self.fields[name] = field
            self.messages[name] = w.HTML()
            label = w.HTML(f'<label><strong>{html.esc(c.label)}</strong> ({html.esc(c.unit)})<br>'
                           f'<small>Tillåtet {html.esc(c.range_text)}. {html.esc(c.source_text)}.</small></label>',
                           layout=w.Layout(width="32em"))
            self.rows.append(w.VBox([w.HBox([label, field]), self.messages[name]]))

    def _choices(self) -> None:
        w = self.w
        chosen = set(self.base_state["coalition"] or [p.name for p in default_coalition(self.a)])
        self.parties = {}
        for d in self.a.demand:
            box = w.Checkbox(value=d.party.name in chosen, description=d.party.name, indent=False,
                             layout=w.Layout(width="auto"))
            box.add_class("gns-party")
            self.parties[d.party.name] = box
        key = self.base_state["allocation_key"]
        self.key = w.Dropdown(options=[(label, code) for code, label in self.keys.items()],
                              value=key if key in self.keys else "usage",
                              description="Fördelningsnyckel för gemensamma kostnader",
                              style={"description_width": "initial"}, layout=w.Layout(width="auto"))
        self.key.add_class("gns-key")
        self.scenario = w.Dropdown(options=[], description="Scenario som visas per part",
                                   style={"description_width": "initial"}, layout=w.Layout(width="auto"))
        self.numbers, self.charts, self.problem = w.HTML(), w.HTML(), w.HTML()
        self.numbers.add_class("gns-numbers")
        self.charts.add_class("gns-charts")

    def _save_widgets(self) -> None:
        w = self.w
        initial = {"description_width": "initial"}
        self.name = w.Text(description="Namn", placeholder="t.ex. Dyr el", style=initial)
        self.name.add_class("gns-save-name")
        self.description = w.Text(description="Kort beskrivning", style=initial, layout=w.Layout(width="40em"))
        self.overwrite = w.Checkbox(value=False, description="Skriv över ett befintligt scenario med samma namn",
                                    indent=False, layout=w.Layout(width="auto"))
        self.save_button = w.Button(description="Spara scenario", icon="save", layout=w.Layout(width="auto"))
        self.save_button.add_class("gns-save")
        self.save_status = w.HTML()
        self.save_status.add_class("gns-save-status")
        self.saved_note = w.HTML()  # files in the folder that cannot be used, and why
        self.saved_pick = w.Dropdown(options=[], description="Sparade scenarier", style=initial,
                                     layout=w.Layout(width="auto"))
        self.load_button = w.Button(description="Läs in i reglagen", icon="folder-open",
                                    layout=w.Layout(width="auto"))
        self.compare_pick = w.SelectMultiple(options=[], description="Jämför", rows=4, style=initial,
                                             layout=w.Layout(width="auto"))
        self.compare_button = w.Button(description="Jämför valda", layout=w.Layout(width="auto"))
        self.compare_out = w.HTML()
        self.compare_out.add_class("gns-compare")

    def _wire(self) -> None:
        for n in self.ctl:
            self.fields[n].observe(self._on_field(n), names="value")
        for b in self.parties.values():
            b.observe(self.refresh, names="value")
        self.key.observe(self.refresh, names="value")
        self.scenario.observe(self.refresh, names="value")
        self.save_button.on_click(self.save)
        self.load_button.on_click(self.load)
        self.compare_button.on_click(self.compare)
        self.name.observe(self._on_name, names="value")

    def _layout(self) -> None:
        w = self.w
        where = st.display_path(st.scenario_dir())
        self.box.children = [
            w.HTML(STYLE + '<p class="gns-ready">Utforskaren är klar: ändra ett värde och tryck Enter (eller '
                   "klicka utanför fältet), så räknas siffrorna och diagrammen om.</p>"),
            w.HTML("<h3>Parter</h3>"), w.HBox(list(self.parties.values()), layout=w.Layout(flex_flow="row wrap")),
            self.key, self.scenario, self.problem,
            w.HTML("<h3>Antaganden</h3>"), *self.rows,
            w.HTML("<h3>Resultat</h3>"), self.numbers, self.charts,
            w.HTML(f"<h3>Spara scenario</h3><p>Scenarier sparas i mappen {html.esc(where)}.</p>"),
            w.HBox([self.name, self.description]), self.overwrite, self.save_button, self.save_status,
            w.HTML("<h3>Sparade scenarier</h3>"), w.HBox([self.saved_pick, self.load_button]), self.saved_note,
            w.HBox([self.compare_pick, self.compare_button]), self.compare_out,
        ]

    # ------------------------------------------------------------------ changes

    def selection(self) -> dict:
        """The state the controls show (not yet checked)."""
        return st.selection_state(self.values, [n for n, b in self.parties.items() if b.value], self.key.value,
                                  base=self.base_state, per_party=self.scenario.value)

    def refresh_saved(self) -> None:
        """The saved scenarios in the load and compare menus."""
        problems: list[str] = []
        found = st.list_scenarios(self.folder, problems)
        self.saved_note.value = (_msg("Visas inte, eftersom filen inte kan användas: " + " ".join(problems), "warn")
                                 if problems else "")
        opts = [(f"{s.name} – {s.description} ({s.path.name})" if s.description else f"{s.name} ({s.path.name})",
                 str(s.path)) for s in found]
        self.saved_pick.options = opts
        self.compare_pick.options = opts
        if opts and self.saved_pick.value is None:
            self.saved_pick.value = opts[0][1]

    def _refuse(self, exc: Exception) -> None:
        self.problem.value = _msg(str(exc))
        self.save_button.disabled = True
        self.save_button.tooltip = f"Kan inte sparas: {exc}"
        self.save_status.value = _msg(f"Kan inte sparas: {exc}")
        self.numbers.value = _msg(f"Inga resultat att visa: {exc}")  # said here too, not only at the top
        self.charts.value = ""
        self.scenario.disabled = True  # its entries belong to the last selection that could be computed

    def _field_problem(self) -> str:
        """Why saving must wait for a number field: a value shown there that was not used ('' if none)."""
        bad = [self.ctl[n].label for n, m in self.messages.items() if m.value]
        return (f"rätta först {fmt.join_list(bad)}; värdet i fältet används inte och skulle inte sparas."
                if bad else "")

    def _allow_save(self) -> None:
        self.problem.value = ""
        field = self._field_problem()
        if field:
            self.save_button.disabled = True
            self.save_button.tooltip = f"Kan inte sparas: {field}"
            self.save_status.value = _msg(f"Kan inte sparas: {field}")
            return
        if "Kan inte sparas" in self.save_status.value:
            self.save_status.value = ""
        self.save_button.disabled = False
        self.save_button.tooltip = "Spara valen som ett namngivet scenario under parametrar/"

    def _update_scenarios(self, light) -> None:
        """The scenario menu offers the feasible joint scenarios (the choice kept when possible)."""
        feasible = [c for c in SCENARIOS_SHOWN if c in light.feasible]
        if [o[1] for o in self.scenario.options] == feasible:
            return
        titles = light.result["compare"].set_index("scenario")["title"]
        keep = next((c for c in (self.scenario.value, self.preferred) if c in feasible),
                    feasible[0] if feasible else None)
        self.scenario.unobserve(self.refresh, names="value")
        self.scenario.options = [(str(titles[c]), c) for c in feasible]
        self.scenario.value = keep
        self.scenario.observe(self.refresh, names="value")

    def refresh(self, *_) -> None:
        """Recompute for the controls' state: the numbers first, then the charts that changed."""
        try:
            checked = st.check_selection(self.selection())
        except Exception as exc:  # noqa: BLE001 - shown to the user in Swedish
            self._refuse(exc)
            return
        self._allow_save()
        self.scenario.disabled = False
        light = app.compute(checked, self.scenario.value or "S1", uncertainty=False)
        self._update_scenarios(light)
        if self.scenario.value and light.scenario != self.scenario.value:
            light = app.compute(checked, self.scenario.value, uncertainty=False, result=light.result)
        self.numbers.value = app.numbers_html(light)  # the numbers first, then the charts
        view = (app.compute(checked, light.scenario, uncertainty=True, result=light.result)
                if self.uncertainty else light)
        self.charts.value = app.charts_html(view)

    def _on_field(self, name):
        def handler(change):
            if self.quiet:
                return
            c = self.ctl[name]
            try:
                v = st.parse_input(change["new"], c)
            except st.InputError as exc:
                self.messages[name].value = _msg(str(exc))
                self._allow_save()  # refuses while a field shows a value that is not used
                return
            self.messages[name].value = ""
            shown = c.show(v)
            self.values[name] = v
            if self.fields[name].value != shown:
                self.fields[name].value = shown  # the readout in Swedish format (re-enters with the same v)
            self.refresh()
        return handler

    # ------------------------------------------------------------------ files

    def save(self, *_) -> None:
        """Save the selection as a named scenario and show the replay command."""
        if self._field_problem():
            self._allow_save()
            return
        try:
            path = st.save_scenario(self.name.value, self.description.value, self.selection(), folder=self.folder,
                                    overwrite=self.overwrite.value)
        except st.ScenarioExists as exc:
            self.save_status.value = _msg(str(exc), "warn")
            return
        except Exception as exc:  # noqa: BLE001
            self.save_status.value = _msg(f"Kunde inte spara: {exc}")
            return
        self.overwrite.value = False
        cmd = st.replay_command(path)
        self.save_status.value = (_msg(f"Sparat i {st.display_path(path)}.", "ok")
                                  + "<p>Nämndens rapport med samma val (klistra in i projektmappen):<br>"
                                  f'<code class="gns-replay">{html.esc(cmd)}</code></p>')
        self.refresh_saved()

    def load(self, *_) -> None:
        """Fill the controls from the chosen saved scenario."""
        if not self.saved_pick.value:
            self.save_status.value = _msg("Inget sparat scenario är valt.")
            return
        try:
            saved = st.load_scenario(self.saved_pick.value)
        except Exception as exc:  # noqa: BLE001
            self.save_status.value = _msg(str(exc))
            return
        self.apply_state(saved.state)
        self.name.value, self.description.value = saved.name, saved.description
        self.loaded = (saved.name, saved.description)
        self.save_status.value = _msg(f"Läste in {saved.name} ({st.display_path(saved.path)}).", "ok")
        self.save_status.value += self._off_step_note(saved.state["assumptions"])

    def _off_step_note(self, changed: Mapping) -> str:
        """A warning when the file holds a value between a field's steps: the page shows the field's
        value, the report built from the file uses the file's ('' when every value is on a step)."""
        off = []
        for name, c in self.ctl.items():
            value = changed.get(name)
            if isinstance(value, int | float) and self.values[name] != value:
                exact = fmt.number(value, fmt.decimals_needed(value, most=6))
                off.append(f"{c.label} {exact} (fältet visar {c.show(self.values[name])})")
        return _msg(f"Filen har {fmt.join_list(off)}. Sidan räknar med fältens värden, rapporten från filen "
                    "med filens. Spara scenariot för att använda fältens.", "warn") if off else ""

    def _on_name(self, change) -> None:
        """A new name after loading a scenario is a new scenario: the loaded one's description is not its own."""
        if self.loaded and change["new"] != self.loaded[0] and self.description.value == self.loaded[1]:
            self.description.value = ""
            self.loaded = None

    def apply_state(self, state) -> None:
        """Set every control to ``state`` without a recomputation per control, then recompute once."""
        new = self.a.with_overrides(state["assumptions"]).base_params()
        for n, c in self.ctl.items():
            self.values[n] = self._stepped(c, new[n])
            self.quiet = True
            try:
                self.fields[n].value = c.show(self.values[n])
            finally:
                self.quiet = False
            self.messages[n].value = ""
        members = set(state["coalition"] or [p.name for p in default_coalition(self.a)])
        for n, b in self.parties.items():
            b.unobserve(self.refresh, names="value")
            b.value = n in members
            b.observe(self.refresh, names="value")
        self.key.unobserve(self.refresh, names="value")
        if state["allocation_key"] not in self.keys:  # a mix written in the file: offered, not replaced
            self.keys[state["allocation_key"]] = parse_key(state["allocation_key"]).label
            self.key.options = [(label, code) for code, label in self.keys.items()]
        self.key.value = state["allocation_key"]
        self.key.observe(self.refresh, names="value")
        self.preferred = state["per_party"]
        if state["per_party"] in [o[1] for o in self.scenario.options]:
            self.scenario.unobserve(self.refresh, names="value")
            self.scenario.value = state["per_party"]
            self.scenario.observe(self.refresh, names="value")
        self.refresh()

    def compare(self, *_) -> None:
        """The chosen saved scenarios side by side."""
        try:
            chosen_files = [st.load_scenario(p) for p in self.compare_pick.value]
            self.compare_out.value = app.compare_html(chosen_files)
        except Exception as exc:  # noqa: BLE001
            self.compare_out.value = _msg(str(exc))


__all__ = ["Explorer", "build_explorer"]
