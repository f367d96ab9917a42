"""Distances between candidate host sites, next to the distance references (information only).

Great-circle (haversine) distance on a sphere of radius 6 371,0 km between the coordinates in
``it_assumptions.yaml`` (approximate town-centre coordinates, not the buildings). The BSI
figures (≈ 200 km, never < 100 km) are a German recommendation; MSB gives no distance. The
table is shown as information for the board, not as a pass/fail verdict.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd

from gnsanalysis.scenarios.assumptions import Assumptions, load_assumptions
from gnsanalysis.swedish.format import number

EARTH_RADIUS_KM = 6371.0

DISTANCE_LABELS = {
    "site_a": "Plats A", "site_b": "Plats B", "label_a": "Plats A", "label_b": "Plats B",
    "distance_km": "Avstånd (km, fågelväg)", "share_of_recommended": "Andel av 200 km",
    "under_minimum": "Under 100 km", "comment": "Kommentar",
}


def haversine_km(lat1, lon1, lat2, lon2):
    """Great-circle distance in km (vectorised)."""
    lat1, lon1, lat2, lon2 = (np.radians(np.asarray(x, dtype=float)) for x in (lat1, lon1, lat2, lon2))
    a = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(a))


def site_distances(assumptions: Assumptions | None = None) -> pd.DataFrame:
    """One row per pair of candidate sites: distance, its relation to the references and a Swedish comment."""
    assumptions = assumptions or load_assumptions()
    refs = {r["id"]: r for r in assumptions.distance_references}
    recommended = float(refs.get("bsi_recommended", {}).get("km", 200))
    minimum = float(refs.get("bsi_minimum", {}).get("km", 100))
    rows = []
    for a, b in itertools.combinations(assumptions.sites.values(), 2):
        d = float(haversine_km(a.lat, a.lon, b.lat, b.lon))
        if d < 1:
            comment = ("Samma ort med de ungefärliga koordinaterna; ger redundans mot fel i en "
                       "byggnad men inte mot händelser som drabbar orten.")
        elif d < minimum:
            comment = (f"Kortare än BSI:s {number(minimum)} km; troligen samma regionala elnät och "
                       "väderexponering. Information, inte ett krav.")
        elif d < recommended:
            comment = f"Mellan {number(minimum)} och {number(recommended)} km."
        else:
            comment = f"Minst {number(recommended)} km."
        rows.append({
            "site_a": a.id, "site_b": b.id, "label_a": a.label, "label_b": b.label,
            "distance_km": d, "share_of_recommended": d / recommended,
            "under_minimum": d < minimum, "comment": comment,
        })
    df = pd.DataFrame(rows).sort_values("distance_km", ascending=False, kind="stable").reset_index(drop=True)
    df.attrs.update(
        labels=DISTANCE_LABELS,
        references=list(assumptions.distance_references),
        msb_note=assumptions.meta.get("msb_note", ""),
        text=("Avstånden är fågelvägen mellan ungefärliga ortskoordinater. BSI (Tyskland) "
              f"rekommenderar ≈ {number(recommended)} km mellan georedundanta datacenter och "
              f"aldrig under {number(minimum)} km utan skriftlig riskanalys; MSB anger inget "
              "avstånd. Jämförelsen är information till nämnden, inte ett omdöme."),
    )
    return df
