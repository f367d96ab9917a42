"""gnsanalysis.io: the packaged resources and the text decoder."""

import pytest
import yaml

from gnsanalysis import paths
from gnsanalysis.io import decode_text, load_resource

RESOURCES = sorted(p.name for p in paths.RESOURCES_DIR.glob("*.yaml"))


@pytest.mark.parametrize("name", RESOURCES)
def test_resources_read_as_the_pure_python_safe_loader_reads_them(name):
    text = (paths.RESOURCES_DIR / name).read_text(encoding="utf-8")
    assert load_resource(name) == (yaml.load(text, Loader=yaml.SafeLoader) or {})
