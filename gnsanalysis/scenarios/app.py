"""What the explorer shows for a state: numbers (HTML) and charts drawn by the board report's functions.

:func:`compute` evaluates a state (the light model run plus a small Monte Carlo and the
tornado for the chosen scenario); :func:`numbers_html` and :func:`charts_html` turn that into
HTML fragments. The charts are the board report's: :mod:`gnsanalysis.scenarios.views`
``cost_chart``, ``band_chart`` and ``tornado_chart`` for the five-year cost, the P10–P90 band and
the tornado (with the explorer's captions), and :func:`gnsanalysis.render.charts.bars` for cost per party.
"""

from __future__ import annotations

from dataclasses import dataclass

from gnsanalysis.inputs import one_reading
from gnsanalysis.parties.allocation import parse_key
from gnsanalysis.render import charts, html
from gnsanalysis.scenarios import state as st
from gnsanalysis.scenarios import views
from gnsanalysis.scenarios.explore import explore, key_code, party_rows, pays_more_text
from gnsanalysis.scenarios.montecarlo import run_montecarlo
from gnsanalysis.scenarios.sensitivity import tornado
from gnsanalysis.scenarios.views import mnkr
from gnsanalysis.swedish import format as fmt


@dataclass
class View:
    """What the explorer shows for one state: the chosen scenario and its results."""
    state: dict
    scenario: str
    result: dict
    mc_summary: object | None
    tornado: object | None
    n_draws: int

    @property
    def feasible(self) -> list[str]:
        """The scenarios the state allows, in order."""
        cmp = self.result["compare"]
        return list(cmp[cmp["feasible"]]["scenario"])

    @property
    def title(self) -> str:
        """The chosen scenario's Swedish title."""
        cmp = self.result["compare"].set_index("scenario")
        return str(cmp.loc[self.scenario, "title"]) if self.scenario in cmp.index else self.scenario


def compute(state: dict, scenario: str = "S1", *, n_draws: int = st.EXPLORE_DRAWS,
            uncertainty: bool = True, result: dict | None = None) -> View:
    """Every figure the explorer shows for ``state`` (a checked selection) and ``scenario``.

    ``result`` reuses a light :func:`explore` run for the same state (numbers first, then the
    uncertainty for the charts).
    """
    with one_reading():  # one look at data/raw/ for the whole computation, not one per lookup
        return _compute(state, scenario, n_draws, uncertainty, result)


def _compute(state: dict, scenario: str, n_draws: int, uncertainty: bool, result: dict | None) -> View:
    result = result if result is not None else explore(state, full=False)
    res = result["compare"].attrs["results"].get(scenario)
    mc = tor = None
    if uncertainty and res is not None and res.feasible:
        a = result["assumptions"]
        sites = [s.id for s in res.sites] if scenario in ("S1", "S2") else None
        hosts = {scenario: sites} if sites else {}
        codes = ["S0"] + ([scenario] if scenario != "S0" else [])
        mc = run_montecarlo(n_draws, state["seed"], state["coalition"], scenarios=codes, hosts=hosts,
                            key=state["allocation_key"], assumptions=a).summary()
        if scenario != "S0":
            tor = tornado(scenario, "S0", state["coalition"], hosts=sites, assumptions=a)
    return View(state, scenario, result, mc, tor, n_draws)


def numbers_html(view: View) -> str:
    """Key figures per scenario, cost per party for the chosen key, the stand-alone sentence."""
    cmp = view.result["compare"]
    rows = []
    for r in cmp.itertuples():
        if r.feasible:
            rows.append(f'<tr data-scenario="{html.esc(r.scenario)}"><th scope="row">{html.esc(r.title)}</th>'
                        f'<td class="gns-npv">{html.esc(mnkr(r.npv))}</td>'
                        f"<td>{html.esc(mnkr(r.npv_vs_s0, signed=True))}</td></tr>")
        else:
            rows.append(f'<tr data-scenario="{html.esc(r.scenario)}"><th scope="row">{html.esc(r.title)}</th>'
                        f'<td colspan="2">Går inte: {html.esc(r.explanation)}</td></tr>')
    out = ['<table class="gns-explore-scenarios"><caption>Nuvärde av kostnaderna under fem år per scenario'
           '</caption><thead><tr><th>Scenario</th><th>Nuvärde 5 år</th><th>Mot nuläget</th></tr></thead><tbody>'
           + "".join(rows) + "</tbody></table>"]
    key = view.state["allocation_key"]
    parties = party_rows(view.result, view.scenario, key)
    if parties:
        per = view.result["party_costs"][view.scenario]
        label = per[per["key"] == key_code(per, key)]["key_label"].iloc[0]
        cells = "".join(f'<tr data-party="{html.esc(s)}"><th scope="row">{html.esc(s)}</th>'
                        f'<td class="gns-party-total">{html.esc(fmt.number(t))}</td>'
                        f"<td>{html.esc(fmt.number(a))}</td></tr>" for s, t, a in parties)
        total = sum(t for _, t, _ in parties)
        alone = sum(a for _, _, a in parties)
        out.append(f'<table class="gns-explore-parties"><caption>{html.esc(view.title)}: per part, 5 år (tkr), '
                   f"nyckel {html.esc(label)}</caption><thead><tr><th>Part</th><th>Nuvärde</th>"
                   f"<th>Ensam i nuläget</th></tr></thead><tbody>{cells}"
                   f'<tr class="total"><th scope="row">Summa</th><td>{html.esc(fmt.number(total))}</td>'
                   f"<td>{html.esc(fmt.number(alone))}</td></tr></tbody></table>"
                   f"<p><small>Nuvärde över fem år med fördelningsnyckeln {html.esc(label)}. Beloppen är "
                   "avrundade som i nämndens rapport, så att kolumnerna går jämnt upp med raden Summa."
                   "</small></p>")
        out.append(f'<p class="gns-pays-more">{html.esc(pays_more_text(view.result, view.scenario, key))}</p>')
    else:
        out.append(f"<p>{html.esc(view.title)} går inte att genomföra med valda parter; ingen fördelning per part.</p>")
    out.append(f"<p>{html.esc(view.result['guesses']['text'])}</p>")
    return "".join(out)


_CHARTS: dict = {}  # the last charts drawn, by their input data: unchanged charts are not redrawn


def _chart(kind: str, data, draw):
    key = (kind, repr(data))
    if key not in _CHARTS:
        if len(_CHARTS) > 64:
            _CHARTS.clear()
        with charts.preview():  # the board's chart functions on a light SVG surface for the live view
            _CHARTS[key] = draw()
    return _CHARTS[key]


def _cost_chart(view: View):
    cmp = view.result["compare"]
    return _chart("cost", cmp[["title", "feasible", "budget", "risk"]].to_numpy().tolist(),
                  lambda: views.cost_chart(views.ItReport(view.result)))


def _party_chart(view: View, rows):
    alt = (f"Liggande stapeldiagram över nuvärde per part i {view.title}: "
           + "; ".join(f"{s}: {fmt.number(t)} tkr" for s, t, _ in rows) + ".")
    return _chart("parties", (view.title, rows), lambda: charts.bars(
        [s for s, _, _ in rows], [t for _, t, _ in rows], alt=alt, unit="tkr",
        caption=f"{view.title}: kostnad per part över fem år (tkr, nuvärde) med vald fördelningsnyckel."))


def _band_chart(view: View, s):
    caption = (f"Osäkerhet, P10–P90 och median, i {fmt.number(view.n_draws)} simuleringar (färre än i "
               "rapporten medan du utforskar; den sparade rapporten använder hela körningen).")
    data = s[["title", "p10", "p50", "p90"]].to_numpy().tolist()
    return _chart("band", (data, caption), lambda: views.band_chart(s, caption))


def _tornado_chart(view: View, t):
    t = t.head(8)
    data = (t[["label", "guess", "value_low", "value_high"]].to_numpy().tolist(), t.attrs["base_value"])
    return _chart("tornado", (data, view.title), lambda: views.tornado_chart(
        t, view.title, unit=f"mnkr, {view.scenario} minus nuläget",
        caption=f"Känslighet: {view.title} minus nuläget när ett antagande i taget sätts till lågt och "
                "högt värde. * = uppskattning utan källa."))


def charts_html(view: View) -> str:
    """The four live charts, drawn by the board report's chart functions (only those whose data changed)."""
    parts = [_cost_chart(view)]
    rows = party_rows(view.result, view.scenario, view.state["allocation_key"])
    if rows:
        parts.append(_party_chart(view, rows))
    if view.mc_summary is not None:
        parts.append(_band_chart(view, view.mc_summary))
    if view.tornado is not None:
        parts.append(_tornado_chart(view, view.tornado))
    return html.join(*parts)


def compare_html(saved) -> str:
    """Saved scenarios side by side (key figures in mnkr, per-party cost in tkr)."""
    fig, per = st.compare_saved(saved)

    def cell(v, decimals):
        return "–" if fmt.is_missing(v) else fmt.number(v, decimals)

    head = "".join(f"<th>{html.esc(c)}</th>" for c in fig.columns)
    body = "".join(f'<tr><th scope="row">{html.esc(i)}</th>'
                   + "".join(f"<td>{cell(v, 1)}</td>" for v in row) + "</tr>" for i, row in fig.iterrows())
    pbody = "".join(f'<tr><th scope="row">{html.esc(i)}</th>'
                    + "".join(f"<td>{cell(v, 0)}</td>" for v in row) + "</tr>" for i, row in per.iterrows())
    pbody += ('<tr class="total"><th scope="row">Summa</th>'
              + "".join(f"<td>{cell(v, 0)}</td>" for v in per.sum(min_count=1)) + "</tr>")
    desc = "".join(f"<li><strong>{html.esc(s.name)}</strong>: {html.esc(s.description or 'ingen beskrivning')}; "
                   f"nyckel {html.esc(parse_key(s.state['allocation_key']).label)} "
                   f"({html.esc(st.display_path(s.path))})</li>" for s in saved)
    return (f"<ul>{desc}</ul>"
            f'<table class="gns-explore-compare"><caption>Nuvärde 5 år per scenario (mnkr)</caption>'
            f"<thead><tr><th>Scenario</th>{head}</tr></thead><tbody>{body}</tbody></table>"
            f'<table class="gns-explore-compare-parties"><caption>Nuvärde per part i S1 (tkr) med varje sparat '
            f"scenarios fördelningsnyckel</caption><thead><tr><th>Part</th>{head}</tr></thead><tbody>{pbody}"
            "</tbody></table>")
