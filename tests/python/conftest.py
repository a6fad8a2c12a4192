"""Shared by the dataset checks: the xxgk binary, and one run of it on the sample."""

import os
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
BIN = Path(os.environ.get("XXGK_BIN", REPO / "target" / "debug" / "xxgk"))


@pytest.fixture(scope="session")
def out(tmp_path_factory):
    """The dataset of `xxgk run` on data/, with the repository's pipeline.toml."""
    out = tmp_path_factory.mktemp("dataset") / "out"
    subprocess.run(
        [str(BIN), "run", "--config", str(REPO / "pipeline.toml"), "--output", str(out)],
        check=True,
        capture_output=True,
    )
    return out
