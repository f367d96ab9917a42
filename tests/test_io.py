"""gnsanalysis.io: the packaged resources and the text decoder."""

import pytest
import yaml

from gnsanalysis import paths
from gnsanalysis.errors import ConfigError, ParseError
from gnsanalysis.io import decode_text, load_resource, load_yaml, parse_yaml

RESOURCES = sorted(p.name for p in paths.RESOURCES_DIR.glob("*.yaml"))


@pytest.mark.parametrize("name", RESOURCES)
def test_resources_read_as_the_pure_python_safe_loader_reads_them(name):
    text = (paths.RESOURCES_DIR / name).read_text(encoding="utf-8")
    assert load_resource(name) == (yaml.load(text, Loader=yaml.SafeLoader) or {})


def _control_count(text: str) -> int:
    """The plain count decode_text's rule is about: control characters and U+FFFD in the text."""
    return sum(1 for c in text if (ord(c) < 32 and c not in "\t\n\f\r") or c == "\ufffd")


@pytest.mark.parametrize("data", [
    "Rad;1 169\n".encode() * 50 + b"\x01\x02\x1b",            # a few controls: text
    "Rad;1 169\n".encode() * 5 + b"\x01\x02\x1b\x07",           # too many for its length
    "Intäkter;\ufffd;−3\n".encode() * 40,                        # U+FFFD written as UTF-8
    b"Int\xe4kter;\x81\x8d;-3\n" * 40,                           # cp1252 with undefined bytes
    b"Int\xe4kter;12\n" * 30 + b"\x1f",
])
def test_binary_rule_counts_what_the_text_holds(data):
    text = (data.decode("utf-8") if data.isascii() or b"\xe2" in data or b"\xef" in data
            else data.decode("cp1252", errors="replace"))
    binary = _control_count(text) > max(2, int(len(text) / 200))
    if binary:
        with pytest.raises(ParseError, match="binär"):
            decode_text(data)
    else:
        assert decode_text(data).text == text


PERSON_YAML = sorted(p for p in paths.PROJECT_ROOT.glob("**/*.yaml")
                     if "resources" not in p.parts and ".venv" not in p.parts and "node_modules" not in p.parts)


@pytest.mark.parametrize("path", PERSON_YAML, ids=lambda p: str(p.relative_to(paths.PROJECT_ROOT)))
def test_person_files_read_as_the_pure_python_loader_reads_them(path):
    data, decoded = load_yaml(path)
    assert data == yaml.load(decoded.text, Loader=yaml.SafeLoader)  # noqa: S506 - the safe loader


@pytest.mark.parametrize("libyaml", [True, False])
@pytest.mark.parametrize("text,line,alias", [
    ("a: &x [1]\nb: *x\n", 2, True),
    ("period: 2018-12\n  status: [utkast\n", 2, False),
    ("a: 1\nb: [\n", 3, False),
])
def test_person_yaml_errors_name_the_line_with_and_without_libyaml(monkeypatch, libyaml, text, line, alias):
    if not libyaml:
        monkeypatch.delattr(yaml, "CSafeLoader", raising=False)
    with pytest.raises(ConfigError, match=f"f.yaml, rad {line} är inte giltig YAML") as info:
        parse_yaml(text, "f.yaml")
    assert ("alias (*namn) är inte tillåtna" in str(info.value)) == alias
