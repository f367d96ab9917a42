"""The five-year cost model of the IT-serverdrift scenarios S0–S4.

One function per scenario (``SCENARIO_FUNCTIONS``) prices it for a coalition; :func:`compute`
adds the hardware renewal and the coalition mask. It is written with numpy
broadcasting only, so every parameter may be a scalar (one evaluation) or a 1-D array of
length B (B Monte Carlo draws, B tornado variations); the coalition mask may also be a (B, P)
array (B coalitions, used for the Shapley value). Results are arrays of shape
``(..., P, T)`` for costs that stay with a party ("direct") and ``(..., T)`` for costs of the
shared facility or contract ("joint"), where P is the number of parties (registry order) and T
the horizon in years.

Scenarios
---------
S0  today: each party runs its own server rooms; Åre buys operations through the Region's
    contract (``s0_mode: contract``).
S1  one shared hall at a site that is offered (a party offering space in the stakeholder
    matrix, or Räddningstjänstförbundet's hall in Trygghetens hus as an external host).
S2  two geographically separate halls; a share of the servers is duplicated for redundancy.
S3  a common operations partner (price per server; the party keeps part of the system work).
S4  a stepwise move to cloud services (linear ramp to the final share in year T); what is
    left on premises runs as in S0.

Cost conventions (stated in the report)
---------------------------------------
* Hardware is renewed on a rolling basis: an owner buys 1/L of its fleet each year (L =
  depreciation years, rounded to whole years); depreciation is straight-line over L years,
  including the purchases made before the horizon (sunk), so a scenario that stops buying
  hardware still carries the remaining depreciation (stranded assets). A party that owned no
  hardware before (Åre) buys its whole fleet in year 1.
* Accounting cost per year = depreciation + running costs + one-off costs; the five-year
  total is their sum. Cash flow = the same with investments instead of depreciation, minus the
  book value of in-horizon investments left at the end (residual value); the net present
  value discounts the cash flows at the end of each year with ``discount_rate``.
* Migration happens in year 1; the old rooms keep running for ``parallel_months`` of year 1
  (parallel running) while the new arrangement runs the whole year.
* Expected outage cost (hours per year × cost per inhabitant and hour × population) is its own
  line, included in totals when ``settings.include_outage_risk`` is true.
* Connectivity covers links to a hall or partner only; internet access is the same in every
  scenario and left out.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

SCENARIO_CODES = ("S0", "S1", "S2", "S3", "S4")

SCENARIO_LABELS = {
    "S0": "Nuläge: egna serverrum (Åre via regionens avtal)",
    "S1": "En gemensam serverhall",
    "S2": "Två geografiskt skilda hallar",
    "S3": "Gemensam driftpartner",
    "S4": "Stegvis flytt till molntjänster",
}
SCENARIO_SHORT = {
    "S0": "Nuläge", "S1": "Gemensam hall", "S2": "Två hallar", "S3": "Driftpartner",
    "S4": "Moln stegvis",
}

#: Accounting cost components, in display order, with Swedish labels.
COMPONENT_LABELS = {
    "hardware_depreciation": "Avskrivning servrar och lagring",
    "hardware_support": "Support och underhåll av hårdvara",
    "licences": "Licenser",
    "power": "El (inkl. PUE)",
    "staff": "Personal",
    "facility": "Lokal: hyra och drift",
    "facility_depreciation": "Avskrivning hallinvestering",
    "connectivity": "Förbindelser",
    "partner_fees": "Driftpartner",
    "cloud_fees": "Molntjänster",
    "migration": "Flytt (engång)",
    "parallel_running": "Parallelldrift (engång)",
    "procurement": "Upphandling (engång)",
    "outage_risk": "Förväntad avbrottskostnad (risk)",
}
COMPONENTS = tuple(COMPONENT_LABELS)
BUDGET_COMPONENTS = tuple(c for c in COMPONENTS if c != "outage_risk")
DEPRECIATION_COMPONENTS = ("hardware_depreciation", "facility_depreciation")


@dataclass(frozen=True)
class Context:
    """Static per-party data in registry order (numpy vectors of length P)."""

    codes: tuple[str, ...]
    names: tuple[str, ...]
    servers: np.ndarray
    rooms: np.ndarray
    population: np.ndarray
    contract: np.ndarray  # bool: S0 through an operations contract (Åre)
    horizon: int
    hours_per_year: float
    servers_per_rack: float
    facility_years: float
    max_dep_years: int
    include_risk: bool

    @property
    def n_parties(self) -> int:
        """Number of parties in the context."""
        return len(self.codes)

    def index(self, code: str) -> int:
        """Position of party ``code`` in the context's order."""
        return self.codes.index(code)

    def subset(self, codes) -> Context:
        """The same context restricted to ``codes`` (registry order kept)."""
        keep = [i for i, c in enumerate(self.codes) if c in set(codes)]
        return replace(
            self, codes=tuple(self.codes[i] for i in keep),
            names=tuple(self.names[i] for i in keep), servers=self.servers[keep],
            rooms=self.rooms[keep], population=self.population[keep],
            contract=self.contract[keep],
        )


@dataclass(frozen=True)
class Hall:
    """One hall used by S1/S2: the host party's index (None for an external host)."""

    site: str
    host_index: int | None
    external: bool


def batch_shape(params: dict, mask: np.ndarray) -> tuple[int, ...]:
    """The batch shape ``(...)`` that the parameters and the coalition mask broadcast to."""
    return np.broadcast_shapes(*(np.shape(v) for v in params.values()), np.shape(mask)[:-1])


@dataclass(frozen=True)
class _Terms:
    """The quantities every scenario is priced from, broadcast for one :func:`compute` call.

    ``b(name)`` gives a parameter shaped ``(..., 1, 1)`` against ``(P, T)``, ``bj(name)`` one
    shaped ``(..., 1)`` against ``(T,)``; the remaining fields are the per-party and per-year
    terms shared by the scenario functions.
    """

    params: dict
    ctx: Context
    halls: tuple[Hall, ...]
    bshape: tuple[int, ...]
    t: np.ndarray  # years 1..T
    first: np.ndarray  # 1.0 in year 1
    n: np.ndarray  # servers per party (P, 1)
    own: np.ndarray  # runs its own rooms today (P, 1)
    contract: np.ndarray  # buys operations through a contract today (P, 1)
    members: np.ndarray  # number of coalition members (...)
    N: np.ndarray  # servers of the coalition (..., 1)
    wage: np.ndarray
    wage_j: np.ndarray
    kwh_price_j: np.ndarray
    admin: np.ndarray  # FTE of system administration per party
    risk_unit: np.ndarray  # outage cost per hour per party
    room_facility: np.ndarray  # what today's rooms cost per year (own parties)
    room_staff: np.ndarray
    room_power: np.ndarray

    def b(self, name: str) -> np.ndarray:
        return np.asarray(self.params[name], dtype=float)[..., None, None]

    def bj(self, name: str) -> np.ndarray:
        return np.asarray(self.params[name], dtype=float)[..., None]

    @property
    def full_pt(self) -> tuple[int, ...]:
        return self.bshape + (self.ctx.n_parties, self.ctx.horizon)

    @property
    def full_t(self) -> tuple[int, ...]:
        return self.bshape + (self.ctx.horizon,)

    def parallel_running(self) -> np.ndarray:
        """Today's rooms (or contract) kept running for ``parallel_months`` of year 1."""
        own_part = self.room_facility + self.room_staff + self.room_power
        contract_part = self.n * self.b("partner_price_per_server")
        return np.where(self.own, own_part, contract_part) * (self.b("parallel_months") / 12) * self.first


def _terms(params: dict, ctx: Context, mask: np.ndarray, halls: tuple[Hall, ...]) -> _Terms:
    b = lambda name: np.asarray(params[name], dtype=float)[..., None, None]  # noqa: E731
    bj = lambda name: np.asarray(params[name], dtype=float)[..., None]  # noqa: E731
    T = ctx.horizon
    t = np.arange(1, T + 1, dtype=float)
    n = ctx.servers[:, None]
    rooms = ctx.rooms[:, None]
    contract = ctx.contract[:, None]
    wage = b("salary_month") * 12 * (1 + b("po_rate"))
    kwh_price = ctx.hours_per_year * b("server_power_kw") * b("electricity_price")
    return _Terms(
        params=params, ctx=ctx, halls=halls, bshape=batch_shape(params, mask), t=t,
        first=(t == 1).astype(float), n=n, own=~contract, contract=contract,
        members=mask.sum(axis=-1), N=(mask * ctx.servers).sum(axis=-1)[..., None],
        wage=wage, wage_j=bj("salary_month") * 12 * (1 + bj("po_rate")),
        kwh_price_j=ctx.hours_per_year * bj("server_power_kw") * bj("electricity_price"),
        admin=n / b("servers_per_admin"),
        risk_unit=b("outage_cost_per_capita_hour") * ctx.population[:, None],
        room_facility=rooms * (b("room_upkeep") + b("room_rent")),
        room_staff=rooms * b("room_fte") * wage,
        room_power=n * kwh_price * b("pue_room"),
    )


@dataclass
class _Priced:
    """What a scenario function returns: components, the owned fleet and the hall investment."""

    direct: dict[str, np.ndarray]
    joint: dict[str, np.ndarray]
    fleet: np.ndarray  # servers owned per party and year (..., P, T)
    facility_capex: np.ndarray | float = 0.0  # hall investment (..., T), S1/S2 only
    facility_residual: np.ndarray | float = 0.0  # its book value at the end (...,)


def _zeros(q: _Terms) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    return ({c: np.zeros(q.full_pt) for c in COMPONENTS}, {c: np.zeros(q.full_t) for c in COMPONENTS})


def _status_quo(q: _Terms) -> _Priced:
    """S0: every party keeps its rooms; a contract party keeps its partner."""
    direct, joint = _zeros(q)
    b, own, contract, zero_t = q.b, q.own, q.contract, 0 * q.t
    fleet = np.where(own, q.n, 0.0) + zero_t
    direct["hardware_support"] = fleet * b("server_capex") * b("hw_support_rate")
    direct["licences"] = q.n * b("licence_per_server") + zero_t
    direct["power"] = np.where(own, q.room_power, 0.0) + zero_t
    direct["staff"] = np.where(own, q.admin * q.wage + q.room_staff,
                               b("partner_retained_admin_share") * q.admin * q.wage) + zero_t
    direct["facility"] = np.where(own, q.room_facility, 0.0) + zero_t
    direct["partner_fees"] = np.where(contract, q.n * b("partner_price_per_server"), 0.0) + zero_t
    direct["connectivity"] = np.where(contract, b("link_cost"), 0.0) + zero_t
    direct["outage_risk"] = np.where(own, b("outage_hours_room"), b("outage_hours_partner")) * q.risk_unit + zero_t
    return _Priced(direct, joint, fleet)


def _halls_scenario(q: _Terms, two: bool) -> _Priced:
    """S1 (one shared hall) and S2 (two halls, a share of the servers duplicated)."""
    direct, joint = _zeros(q)
    b, bj, zero_t, ctx = q.b, q.bj, 0 * q.t, q.ctx
    r = b("replication_share") if two else 0.0
    r_j = bj("replication_share") if two else 0.0
    fleet = q.n * (1 + r) + zero_t
    direct["hardware_support"] = fleet * b("server_capex") * b("hw_support_rate")
    direct["licences"] = q.n * (1 + r) * b("licence_per_server") + zero_t
    direct["staff"] = q.admin * q.wage + zero_t
    hosts = np.isin(np.arange(ctx.n_parties), [h.host_index for h in q.halls if h.host_index is not None])
    direct["connectivity"] = np.where(hosts[:, None], 0.0, (2.0 if two else 1.0) * b("link_cost")) + zero_t
    direct["parallel_running"] = q.parallel_running()
    direct["outage_risk"] = b("outage_hours_two_halls" if two else "outage_hours_hall") * q.risk_unit + zero_t
    hall_servers = q.N * (1 + r_j)  # (..., 1)
    joint["power"] = hall_servers * q.kwh_price_j * bj("pue_hall") + zero_t
    joint["staff"] = len(q.halls) * bj("hall_fte") * q.wage_j + zero_t
    per_hall = hall_servers / max(len(q.halls), 1)
    racks = np.ceil(per_hall / ctx.servers_per_rack - 1e-9)
    external = sum(h.external for h in q.halls)  # rack rent at an external host, upkeep and investment otherwise
    own_halls = len(q.halls) - external
    joint["facility"] = external * racks * bj("external_rack_price") + own_halls * bj("hall_upkeep") + zero_t
    hall_capex = own_halls * bj("hall_capex") + np.zeros(q.bshape + (1,))
    if two:
        joint["connectivity"] = bj("interhall_link") + zero_t
    joint["migration"] = q.N * bj("migration_per_server") * q.first
    joint["facility_depreciation"] = hall_capex / ctx.facility_years * (q.t <= ctx.facility_years)
    residual = hall_capex[..., 0] * max(0.0, 1 - ctx.horizon / ctx.facility_years)
    return _Priced(direct, joint, fleet, hall_capex * q.first, residual)


def _partner(q: _Terms) -> _Priced:
    """S3: a common operations partner; the parties keep part of the system work."""
    direct, joint = _zeros(q)
    b, bj, zero_t = q.b, q.bj, 0 * q.t
    fleet = np.zeros((q.ctx.n_parties, q.ctx.horizon))
    direct["licences"] = q.n * b("licence_per_server") + zero_t
    direct["staff"] = b("partner_retained_admin_share") * q.admin * q.wage + zero_t
    direct["partner_fees"] = q.n * b("partner_price_per_server") + zero_t
    direct["connectivity"] = b("link_cost") + zero_t
    direct["parallel_running"] = q.parallel_running()
    direct["outage_risk"] = b("outage_hours_partner") * q.risk_unit + zero_t
    joint["migration"] = q.N * bj("migration_per_server") * q.first
    joint["procurement"] = bj("procurement_cost") * q.first
    return _Priced(direct, joint, fleet)


def _cloud(q: _Terms) -> _Priced:
    """S4: a linear move to cloud services; what is left on premises runs as in S0."""
    direct, joint = _zeros(q)
    b, bj, own, contract, t, T = q.b, q.bj, q.own, q.contract, q.t, q.ctx.horizon
    share = b("cloud_share_final") * t / T  # (..., 1, T)
    prev = b("cloud_share_final") * (t - 1) / T
    onprem = 1 - share
    fleet = np.where(own, q.n * onprem, 0.0)
    direct["hardware_support"] = fleet * b("server_capex") * b("hw_support_rate")
    direct["licences"] = q.n * onprem * b("licence_per_server")
    direct["power"] = np.where(own, q.room_power * onprem, 0.0)
    retained = np.where(own, 1.0, b("partner_retained_admin_share"))
    direct["staff"] = (q.admin * q.wage * (retained * onprem + b("cloud_admin_factor") * share)
                       + np.where(own, q.room_staff, 0.0))
    direct["facility"] = np.where(own, q.room_facility, 0.0) + 0 * t
    direct["partner_fees"] = np.where(contract, q.n * onprem * b("partner_price_per_server"), 0.0)
    direct["connectivity"] = np.where(contract, b("link_cost"), 0.0) + 0 * t
    discount = np.where(q.members >= 2, np.asarray(q.params["joint_cloud_discount"], float), 0.0)
    direct["cloud_fees"] = q.n * share * b("cloud_price_per_server") * (1 - discount[..., None, None])
    direct["migration"] = q.n * (share - prev) * b("cloud_migration_per_server")
    base_hours = np.where(own, b("outage_hours_room"), b("outage_hours_partner"))
    direct["outage_risk"] = (base_hours * onprem + b("outage_hours_cloud") * share) * q.risk_unit
    joint["procurement"] = bj("procurement_cost") * q.first
    return _Priced(direct, joint, fleet)


#: One pricing function per scenario.
SCENARIO_FUNCTIONS = {
    "S0": _status_quo,
    "S1": lambda q: _halls_scenario(q, two=False),
    "S2": lambda q: _halls_scenario(q, two=True),
    "S3": _partner,
    "S4": _cloud,
}


def _hardware(q: _Terms, fleet: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Rolling renewal of the owned fleet (module doc): ``(depreciation, capex, residual value)``."""
    ctx, T = q.ctx, q.ctx.horizon
    L = np.clip(np.rint(q.b("depreciation_years")), 1, ctx.max_dep_years)
    price = q.b("server_capex")
    fleet = np.broadcast_to(fleet, np.broadcast_shapes(np.shape(fleet), np.shape(L)))
    new_owner_buys = (np.mod(q.t - 1, L) == 0).astype(float)
    capex = np.where(q.own, fleet * price / L, fleet * price * new_owner_buys)
    history = np.where(q.own, q.n * price / L, 0.0)  # purchases per year before the horizon
    K = int(min(ctx.max_dep_years, np.max(L)))  # older purchases are fully depreciated
    hist_block = np.broadcast_to(history, np.broadcast_shapes(np.shape(history), capex.shape[:-1] + (1,)))
    hist_block = np.broadcast_to(hist_block, capex.shape[:-1] + (K - 1,))
    ext = np.concatenate([hist_block, capex], axis=-1)
    dep = np.zeros(capex.shape)
    residual = np.zeros(capex.shape[:-1])
    for k in range(K):
        live = k < L  # (..., 1, 1)
        dep = dep + np.where(live, ext[..., K - 1 - k: K - 1 - k + T], 0.0) / L
        if k < T:
            residual = residual + np.where(live[..., 0], capex[..., T - 1 - k] * (L[..., 0] - 1 - k) / L[..., 0], 0.0)
    return dep, capex, residual


def compute(code: str, params: dict, ctx: Context, mask, halls: tuple[Hall, ...] = ()
            ) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Price scenario ``code`` for the coalition ``mask`` (0/1 per party, or (B, P)).

    Returns ``(direct, joint, cash)``: accounting components per party ``(..., P, T)``,
    accounting components of the shared part ``(..., T)``, and the cash-only items
    ``hardware_capex`` (..., P, T), ``hardware_residual`` (..., P), ``facility_capex``
    (..., T) and ``facility_residual`` (...,). Parties outside the coalition are zero.
    """
    if code not in SCENARIO_CODES:
        raise ValueError(code)
    mask = np.asarray(mask, dtype=float)
    q = _terms(params, ctx, mask, halls)
    priced = SCENARIO_FUNCTIONS[code](q)
    dep, capex, residual = _hardware(q, priced.fleet)
    direct, joint = priced.direct, priced.joint
    direct["hardware_depreciation"] = dep
    m = mask[..., :, None]
    everyone = mask.ndim == 1 and bool(np.all(mask == 1))  # the usual case: members only
    for c in COMPONENTS:
        if everyone:  # read-only views, no copies
            direct[c] = np.broadcast_to(direct[c], q.full_pt)
            joint[c] = np.broadcast_to(joint[c], q.full_t)
        else:
            direct[c] = np.broadcast_to(direct[c], q.full_pt) * m
            joint[c] = np.broadcast_to(joint[c], q.full_t) * (q.members[..., None] > 0)
    cash = {
        "hardware_capex": np.broadcast_to(capex, q.full_pt) * m,
        "hardware_residual": np.broadcast_to(np.maximum(residual, 0.0), q.bshape + (ctx.n_parties,)) * mask,
        "facility_capex": np.broadcast_to(priced.facility_capex, q.full_t),
        "facility_residual": np.broadcast_to(priced.facility_residual, q.bshape),
    }
    return direct, joint, cash


def totals(direct: dict, joint: dict, cash: dict, params: dict, ctx: Context) -> dict:
    """Coalition totals per year and over the horizon.

    Returns arrays: ``yearly_cost`` (..., T) accounting incl. risk if configured,
    ``yearly_budget`` (..., T) accounting excl. risk, ``yearly_risk``, ``yearly_cash`` (..., T),
    and scalars per batch: ``cost``, ``budget``, ``risk``, ``npv``.
    """
    budget = sum(direct[c].sum(axis=-2) + joint[c] for c in BUDGET_COMPONENTS)
    risk = direct["outage_risk"].sum(axis=-2) + joint["outage_risk"]
    cost = budget + risk if ctx.include_risk else budget
    deps = sum(direct[c].sum(axis=-2) + joint[c] for c in DEPRECIATION_COMPONENTS)
    cash_flow = cost - deps + cash["hardware_capex"].sum(axis=-2) + cash["facility_capex"]
    cash_flow = cash_flow.copy()
    cash_flow[..., -1] -= cash["hardware_residual"].sum(axis=-1) + cash["facility_residual"]
    npv = discount(cash_flow, params["discount_rate"])
    return {
        "yearly_cost": cost, "yearly_budget": budget, "yearly_risk": risk,
        "yearly_cash": cash_flow, "cost": cost.sum(axis=-1), "budget": budget.sum(axis=-1),
        "risk": risk.sum(axis=-1), "npv": npv,
    }


def discount(flows: np.ndarray, rate) -> np.ndarray:
    """Present value of end-of-year flows (..., T) at ``rate`` (scalar or (...,))."""
    T = flows.shape[-1]
    t = np.arange(1, T + 1, dtype=float)
    factors = (1 + np.asarray(rate, dtype=float)[..., None]) ** -t
    return (flows * factors).sum(axis=-1)


def _accumulate(arrays, shape) -> np.ndarray:
    """Sum of broadcastable arrays into one new array (in place, no temporaries)."""
    out = np.zeros(shape)
    for a in arrays:
        np.add(out, a, out=out)
    return out


def _cash_flows(parts: dict, cash: dict, ctx: Context, asset: str) -> np.ndarray:
    """Accounting costs without ``{asset}_depreciation``, plus ``{asset}_capex``, less the residual value at the end."""
    comps = BUDGET_COMPONENTS + (("outage_risk",) if ctx.include_risk else ())
    capex = cash[f"{asset}_capex"]
    flows = _accumulate([parts[c] for c in comps if c != f"{asset}_depreciation"] + [capex], capex.shape)
    flows[..., -1] -= cash[f"{asset}_residual"]
    return flows


def party_cash(direct: dict, cash: dict, ctx: Context) -> np.ndarray:
    """Direct cash flows per party (..., P, T): accounting minus depreciation plus capex, less residual value."""
    return _cash_flows(direct, cash, ctx, "hardware")


def joint_cash(joint: dict, cash: dict, ctx: Context) -> np.ndarray:
    """Yearly cash flows of the joint costs, including facility investment less residual value."""
    return _cash_flows(joint, cash, ctx, "facility")
