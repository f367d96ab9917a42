"""Report parameter validation (papermill only warns on unknown names and guesses types).

Types come from the notebook's parameters cell; the validators are named in ``resources/reports.yaml``.
"""

from __future__ import annotations

import datetime as dt

from gnsanalysis.errors import ParameterError
from gnsanalysis.parties.registry import load_registry
from gnsanalysis.publish.privacy import find_personal_data
from gnsanalysis.reports.periods import count_text as _count
from gnsanalysis.reports.periods import interim_period, period, shown, yearend_period

# A text parameter is a name, a diarienummer or a sentence on the front page; anything longer
# is a mistake (or an attack) and would only make the build slow.
MAX_TEXT_LENGTH = 500
BOOL_WORDS = {"true": True, "ja": True, "1": True, "yes": True, "false": False, "nej": False, "0": False, "no": False}


def check_text(name: str, value, *, personal: bool = True) -> None:
    """Bounded length and no personal data, through lists and mappings too (ParameterError if not)."""
    stack = [value]
    seen = 0
    while stack:
        item = stack.pop()
        seen += 1
        if seen > 10_000:
            raise ParameterError(f"Parametern {name!r} har fler än 10 000 delar; förväntade en kort "
                                 "lista eller tabell.")
        if isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
            continue
        if isinstance(item, (list, tuple)):
            stack.extend(item)
            continue
        if isinstance(item, int) and abs(item) >= 10**MAX_TEXT_LENGTH:
            raise ParameterError(f"Parametern {name!r} är ett tal med fler än {MAX_TEXT_LENGTH} siffror. "
                                 "Åtgärd: ange ett rimligt värde.")
        if isinstance(item, str) and len(item) > MAX_TEXT_LENGTH:
            raise ParameterError(
                f"Parametern {name!r} är {_count(len(item))} tecken lång, men får vara högst "
                f"{MAX_TEXT_LENGTH} tecken. Hittade: {shown(item)}. Åtgärd: korta värdet.")
        if personal and isinstance(item, str):
            hits = find_personal_data(item)
            if hits:
                listed = ", ".join(f"{kind} {found!r}" for kind, found in hits[:3])
                raise ParameterError(
                    f"Parametern {name!r} innehåller personuppgifter ({listed}). Rapporterna publiceras "
                    "och får inte innehålla telefonnummer, e-postadresser eller personnummer. Åtgärd: "
                    "ange en funktion eller enhet i stället, t.ex. 'Sekretariatet, Region Jämtland "
                    "Härjedalen'.")


def status(value: str, name: str = "status") -> str:
    """``utkast`` or ``fastställd``."""
    if value not in ("utkast", "fastställd"):
        raise ParameterError(f"Parametern {name!r} har värdet {shown(value)}; tillåtna värden är "
                             "'utkast' och 'fastställd'.")
    return value


def iso_date_or_empty(value: str, name: str = "datum") -> str:
    """An ISO date ``ÅÅÅÅ-MM-DD`` or empty."""
    if value == "":
        return value
    try:
        dt.date.fromisoformat(str(value))
    except ValueError:
        raise ParameterError(f"Parametern {name!r} har värdet {shown(value)}, men ska vara ett datum "
                             "ÅÅÅÅ-MM-DD (t.ex. 2019-01-31) eller tomt.") from None
    return str(value)


def non_negative(value, name: str = "värde"):
    """A number zero or greater."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise ParameterError(f"Parametern {name!r} har värdet {shown(value)}, men ska vara ett tal som är noll "
                             "eller större.")
    return value


VALIDATORS = {
    "non_negative": non_negative,
    "period": period,
    "yearend_period": yearend_period,
    "interim_period": interim_period,
    "status": status,
    "iso_date_or_empty": iso_date_or_empty,
}


def coerce(name: str, value, type_name: str):
    """Convert a CLI/YAML value to the declared type, checked by :func:`check_text` before and after.

    Personal data is looked for after conversion (so ``-p seed 1212121212`` is a number).
    """
    check_text(name, value, personal=False)
    converted = _coerce(name, value, type_name)
    check_text(name, converted)
    return converted


def _coerce(name: str, value, type_name: str):
    if value is None and type_name in ("list", "dict"):
        return [] if type_name == "list" else {}
    if type_name in ("str", "None", "") or value is None:
        return value if isinstance(value, str) or type_name != "str" else str(value)
    try:
        if type_name == "int":
            if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
                raise ValueError
            return int(str(value).strip())
        if type_name == "float":
            return float(str(value).replace(",", ".").replace("\u2212", "-"))
        if type_name == "bool":
            return value if isinstance(value, bool) else BOOL_WORDS[str(value).strip().lower()]
    except (ValueError, KeyError):
        swedish = {"int": "ett heltal", "float": "ett tal", "bool": "sant/falskt (true/false)"}
        raise ParameterError(f"Parametern {name!r} har värdet {shown(value)}, men ska vara "
                             f"{swedish.get(type_name, type_name)}.") from None
    if type_name in ("list", "dict") and not isinstance(value, (list, dict)):
        raise ParameterError(f"Parametern {name!r} ska vara en {'lista' if type_name == 'list' else 'mappning'} "
                             "(ange den i en YAML-fil med -f).")
    return value


def it_serverdrift_state(params: dict) -> dict:
    """Check the IT report's parameters as one explorer state (parties, sites, assumptions, key)."""
    from gnsanalysis.scenarios.explore import STATE_KEYS, validate_state  # lazy: the scenario model takes 0,7 s

    state = {k: params[k] for k in STATE_KEYS if k in params}
    if state.get("coalition") == []:  # the parameters cell's default: the parties that marked an interest
        state["coalition"] = None
    validate_state(state)
    return params


def dso_state(params: dict) -> dict:
    """The DSO report's participants must be parties in the registry."""
    participants = params.get("participants") or []
    if participants:
        load_registry().resolve_many(list(participants), parties_only=True)
    return params


STATE_VALIDATORS = {
    "it_serverdrift_state": it_serverdrift_state,
    "dso_state": dso_state,
}
