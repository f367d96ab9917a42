"""The report runner: parameter checks before papermill, failures without loss."""


import nbformat
import pytest

from gnsanalysis import paths
from gnsanalysis.errors import ParameterError, ReportError
from gnsanalysis.publish import runner
from gnsanalysis.schemas import ReportSpecModel


@pytest.mark.parametrize("params,message", [
    ({"period": "2018-13"}, "ska vara en period på formen ÅÅÅÅ-MM"),
    ({"period": "18-12"}, "ska vara en period på formen ÅÅÅÅ-MM"),
    ({"period": "2018-08"}, "ska anges som ÅÅÅÅ-12"),
    ({"yeer": "2018"}, "har ingen parameter 'yeer'"),
    ({"status": "klar"}, "tillåtna värden är 'utkast' och 'fastställd'"),
    ({"datum": "31/1 2019"}, "ska vara ett datum"),
])
def test_bad_parameters_stop_before_papermill(params, message):
    with pytest.raises(ParameterError, match=message):
        runner.resolve_parameters("arsbokslut", params)


def test_unknown_report():
    with pytest.raises(ParameterError, match="Okänd rapport 'arsbokslutt'"):
        runner.resolve_parameters("arsbokslutt", {})


def test_defaults_filled_from_parameters_cell():
    resolved = runner.resolve_parameters("arsbokslut", {})
    assert resolved["period"] == "2018-12"
    assert resolved["status"] == "utkast"


def test_output_names():
    assert runner.output_stem("arsbokslut", {"period": "2018-12"}) == "arsbokslut-2018"


def test_content_hash_is_stable_and_self_consistent():
    html = '<p>x</p><span class="gns-content-hash">@@GNS-CONTENT-HASH@@</span>'
    stamped, digest = runner.stamp_hash(html)
    assert digest in stamped
    assert runner.content_hash(stamped) == digest
    assert runner.content_hash(stamped.replace("<p>x</p>", "<p>y</p>")) != digest


@pytest.fixture
def broken_report(tmp_path, monkeypatch):
    """A registry entry whose notebook fails in its second cell."""
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell('period: str = "2018-12"  # Period')
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, nbformat.v4.new_code_cell("raise RuntimeError('avsiktligt fel')")]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    (tmp_path / "broken.ipynb").write_text(nbformat.writes(nb), encoding="utf-8")
    monkeypatch.setattr(paths, "NOTEBOOKS_DIR", tmp_path)
    reg = {"broken": ReportSpecModel(notebook="broken.ipynb", title="Trasig", output="broken-{year}")}
    monkeypatch.setattr(runner, "registry", lambda: reg)
    return tmp_path


@pytest.mark.notebook
def test_failing_cell_keeps_notebook_and_previous_report(broken_report, tmp_path):
    reports = tmp_path / "reports"
    reports.mkdir()
    previous = reports / "broken-2018.html"
    previous.write_text("tidigare version", encoding="utf-8")
    with pytest.raises(ReportError, match=r"misslyckades i cell 2 .*RuntimeError: avsiktligt fel") as exc:
        runner.run_report("broken", {}, reports_dir=reports)
    assert "Den tidigare rapporten broken-2018.html är orörd" in str(exc.value)
    assert previous.read_text(encoding="utf-8") == "tidigare version"
    kept = nbformat.read(reports / "broken-2018.ipynb", as_version=4)
    assert any(o.get("ename") == "RuntimeError" for c in kept.cells for o in c.get("outputs", []))
    assert not list(reports.glob(".*.tmp"))


def test_parameters_file(tmp_path):
    f = tmp_path / "p.yaml"
    f.write_text("period: '2018-12'\nstatus: fastställd\n", encoding="utf-8")
    assert runner.load_parameters_file(f) == {"period": "2018-12", "status": "fastställd"}
    f.write_text("- bara\n- en lista\n", encoding="utf-8")
    with pytest.raises(ParameterError, match="nyckel: värde"):
        runner.load_parameters_file(f)


def test_interim_flag_limit_must_be_non_negative():
    with pytest.raises(ParameterError, match="noll eller större"):
        runner.resolve_parameters("delarsrapport", {"flaggrans": -5})
    with pytest.raises(ParameterError, match="ska vara ett heltal"):
        runner.resolve_parameters("delarsrapport", {"flaggrans": "femtio"})


def test_missing_input_is_bad_input_before_the_kernel_starts():
    from gnsanalysis.errors import DataNotFoundError

    with pytest.raises(DataNotFoundError, match=r"Ingen RR-tabell \(resultaträkning\) för perioden 2017-12"):
        runner.resolve_parameters("arsbokslut", {"period": "2017-12"})
    assert DataNotFoundError.exit_code == 2


def test_cli_missing_input_exits_2(capsys):
    from gnsanalysis.cli import main

    assert main(["report", "delarsrapport", "-p", "period", "2017-08"]) == 2
    assert "Perioder som finns" in capsys.readouterr().err


def _string_formats(node) -> set:
    if isinstance(node, dict):
        found = {node["format"]} if isinstance(node.get("format"), str) else set()
        return found.union(*(_string_formats(v) for v in node.values()))
    if isinstance(node, list):
        return set().union(*(_string_formats(v) for v in node))
    return set()


def test_notebook_schemas_use_no_iri_format():
    """runner.skip_slow_iri_checker drops jsonschema's IRI format checks: safe only while no
    notebook schema asks for them."""
    import json
    from pathlib import Path

    schemas = sorted(Path(nbformat.__file__).parent.glob("v*/*.schema.json"))
    assert schemas
    formats = set().union(*(_string_formats(json.loads(p.read_text(encoding="utf-8"))) for p in schemas))
    assert not formats & {"iri", "iri-reference"}


def test_skipping_the_iri_checker_keeps_notebook_validation(tmp_path):
    import subprocess
    import sys

    code = ("import sys; from gnsanalysis.publish import runner; runner.skip_slow_iri_checker(); "
            "import nbformat; nb = nbformat.v4.new_notebook(); nbformat.validate(nb); "
            "nb.cells.append({'cell_type': 'nonsense'}); "
            "bad = False\ntry:\n    nbformat.validate(nb)\nexcept nbformat.ValidationError:\n    bad = True\n"
            "print(sys.modules['rfc3987_syntax'] is None, bad)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["True", "True"]
