"""gnsanalysis: reports for GNS, the joint committee of Region Jämtland Härjedalen and the
county's eight municipalities (Gemensam nämnd för samverkan inom drift och service,
utveckling samt specialistfunktioner)."""


def __getattr__(name: str) -> str:
    """``__version__``, looked up when first asked for: ``importlib.metadata`` costs every
    ``gns`` command (``--help`` included) tens of milliseconds, and only ``--version`` and the
    report footer need it."""
    if name != "__version__":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        value = version("gnsanalysis")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
        value = "0+unknown"
    globals()["__version__"] = value
    return value
