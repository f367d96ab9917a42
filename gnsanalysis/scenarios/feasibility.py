"""Who can take part and who can host: the stakeholder matrix (GNS/3/2019) as constraints.

Rules (issue 6):

* Only a site whose host offers space in the matrix can host a hall: Ragunda, Krokom and Berg
  (parties), and Räddningstjänstförbundet (Trygghetens hus, not a party: an external host).
  The Region's datacenter can be named, but the Region did not offer space; it is only
  accepted with ``allow_unoffered_hosts=True`` and the result says so.
* A host party must itself be in the coalition.
* The host's capacity (racks) must cover the coalition's demand (S2: each hall holds half of
  the servers plus the duplicated share, at the most likely ``replication_share``).
* The default coalition is the parties that seek or offer space in the matrix. Parties without
  marks (Åre, the Region) and parties missing from the matrix (Strömsund) are out unless the
  caller names them; they then take part and the result notes it.

Infeasible combinations give a :class:`Feasibility` with Swedish reasons, never an exception.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cache

from gnsanalysis.inputs import stakeholder_matrix
from gnsanalysis.parties.registry import Party
from gnsanalysis.parties.stakeholders import Matrix, parse_matrix
from gnsanalysis.scenarios.assumptions import Assumptions, Site
from gnsanalysis.swedish.format import join_list, number


@dataclass
class Feasibility:
    """Whether a scenario is feasible, with the Swedish reasons why not and notes."""
    ok: bool
    reasons: list[str] = field(default_factory=list)  # why not (Swedish), empty when ok
    notes: list[str] = field(default_factory=list)  # information (Swedish)


# said after the sites that are too small (the halls' capacities in it_assumptions.yaml are example data)
EXAMPLE_CAPACITY = "Kapaciteten är exempeldata."


@cache
def _matrix(path: str) -> Matrix:
    return parse_matrix(path)


def load_matrix(path=None) -> Matrix:
    """The stakeholder matrix of GNS/3/2019 (``data/raw/intressentanalys-2019.txt``)."""
    if path is None:
        # the one input of kind stakeholder_matrix in data/raw/ (two candidates are refused)
        path = stakeholder_matrix().path
    return _matrix(str(path))


@dataclass(frozen=True)
class Stance:
    """A stakeholder's stance in the matrix: whether it seeks or offers space, and its comment."""
    seeks: bool
    offers: bool
    comment: str
    in_matrix: bool

    @property
    def positive(self) -> bool:
        """True when the stakeholder seeks or offers space."""
        return self.seeks or self.offers


NO_STANCE = Stance(False, False, "", False)


def stances(matrix: Matrix | None = None) -> dict[str, Stance]:
    """Stance per registry code (parties and actors found in the matrix)."""
    matrix = matrix or load_matrix()
    return {row.entry.code: Stance(row.seeks, row.offers, row.comment, True)
            for row in matrix.rows if row.entry is not None}


def stance_of(code: str, matrix: Matrix | None = None) -> Stance:
    """The stance of registry ``code`` (neither seeking nor offering when not in the matrix)."""
    return stances(matrix).get(code, NO_STANCE)


def default_coalition(assumptions: Assumptions, matrix: Matrix | None = None) -> list[Party]:
    """Parties that seek or offer space in the matrix, in registry order."""
    st = stances(matrix)
    return [d.party for d in assumptions.demand if st.get(d.party.code, NO_STANCE).positive]


def offered_sites(assumptions: Assumptions, matrix: Matrix | None = None) -> list[Site]:
    """Sites whose host offers space in the matrix."""
    st = stances(matrix)
    return [s for s in assumptions.sites.values() if st.get(s.host.code, NO_STANCE).offers]


def membership_notes(coalition: list[Party], matrix: Matrix | None = None) -> list[str]:
    """Notes for parties included explicitly although the matrix does not count them in."""
    notes = []
    for party in coalition:
        s = stance_of(party.code, matrix)
        if not s.in_matrix:
            notes.append(f"{party.name} finns inte med i intressentanalysen men ingår här uttryckligen.")
        elif not s.positive:
            text = (f"{party.name} markerade varken 'söker plats' eller 'erbjuder plats' i "
                    "intressentanalysen men ingår här uttryckligen.")
            if s.comment:
                text += f" Partens kommentar: ”{s.comment}”"
            notes.append(text)
    return notes


def left_out_sentence(coalition: list[Party], parties: list[Party], matrix: Matrix | None = None) -> str:
    """Which of the committee's ``parties`` are not in ``coalition`` and why (from the matrix, or not chosen)."""
    st = stances(matrix)
    codes = {p.code for p in coalition}
    out = [p for p in parties if p.code not in codes]
    if not out:
        return f"Alla nämndens {number(len(parties))} parter ingår i jämförelsen."
    groups = [
        ([p for p in out if p.code in st and not st[p.code].positive],
         "som varken söker eller erbjuder plats enligt intressentanalysen"),
        ([p for p in out if p.code not in st], "som inte finns med i intressentanalysen"),
        ([p for p in out if p.code in st and st[p.code].positive], "som inte valts bland de deltagande parterna"),
    ]
    reasons = [f"{join_list([p.name for p in group])}, {why}" for group, why in groups if group]
    return (f"Av nämndens {number(len(parties))} parter ingår {number(len(out))} inte i jämförelsen: "
            + "; ".join(reasons) + ".")


def racks_needed(servers: float, per_rack: float) -> int:
    """Racks needed for ``servers`` at ``per_rack`` servers per rack, rounded up."""
    return int(math.ceil(servers / per_rack - 1e-9))


def check(code: str, coalition: list[Party], sites: list[Site], assumptions: Assumptions,
          *, allow_unoffered_hosts: bool = False, matrix: Matrix | None = None) -> Feasibility:
    """Can ``coalition`` carry out scenario ``code`` at ``sites``? Reasons in Swedish."""
    reasons: list[str] = []
    matrix = matrix or load_matrix()  # looked up once, not once per party and site
    notes = membership_notes(coalition, matrix)
    if not coalition:
        return Feasibility(False, ["Ingen part ingår i samverkan; välj minst en part."], notes)
    if code in ("S0", "S3", "S4"):
        if sites:
            notes.append("Scenariot använder ingen gemensam hall; angivna platser används inte.")
        return Feasibility(True, [], notes)
    need = 1 if code == "S1" else 2
    if len(sites) != need:
        what = "en plats" if need == 1 else "två olika platser"
        return Feasibility(False, [f"Scenario {code} kräver {what}; angivet: "
                                   f"{join_list([s.label for s in sites]) or 'ingen'}."], notes)
    if len({s.id for s in sites}) != len(sites):
        return Feasibility(False, ["Två hallar måste ligga på två olika platser."], notes)
    codes = {p.code for p in coalition}
    servers = sum(d.servers for d in assumptions.demand if d.party.code in codes)
    per_rack = float(assumptions.settings["servers_per_rack"])
    per_hall = servers * (1 + assumptions.parameters["replication_share"].mode) / 2 if code == "S2" else servers
    need_racks = racks_needed(per_hall, per_rack)
    too_small = False
    for site in sites:
        s = stance_of(site.host.code, matrix)
        if not s.offers:
            if allow_unoffered_hosts:
                notes.append(f"{site.host.name} erbjöd inte plats i intressentanalysen; "
                             f"{site.label} används ändå som värd eftersom det valts uttryckligen.")
            else:
                reasons.append(f"{site.label} kan inte vara värd: {site.host.name} erbjöd inte "
                               "plats i intressentanalysen.")
        if site.host.party and site.host.code not in codes:
            reasons.append(f"{site.label} kan bara vara värd om {site.host.name} själv ingår i samverkan.")
        if need_racks > site.capacity_racks:
            extra = " (hälften av servrarna plus dubblerad andel)" if code == "S2" else ""
            reasons.append(
                f"{site.label} har plats för {number(site.capacity_racks)} rack men samverkan "
                f"behöver {need_racks} rack{extra} för {number(per_hall)} servrar "
                f"({number(per_rack)} per rack)."
            )
            too_small = True
        if not site.host.party:
            notes.append(f"{site.host.name} är inte part i nämnden och räknas som extern värd (rackhyra).")
    if too_small:  # said once, after every site that is too small
        reasons.append(EXAMPLE_CAPACITY)
    return Feasibility(not reasons, reasons, notes)
