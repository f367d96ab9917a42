"""gnsanalysis: reports for GNS, the joint committee of Region Jämtland Härjedalen and the
county's eight municipalities (Gemensam nämnd för samverkan inom drift och service,
utveckling samt specialistfunktioner)."""

from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as _version

try:
    __version__ = _version("gnsanalysis")
except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
    __version__ = "0+unknown"
