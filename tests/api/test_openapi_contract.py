"""The API keeps its OpenAPI contract: a bounded, seeded schemathesis run over every operation.

schemathesis (pinned in pyproject.toml, configured in ``schemathesis.toml`` beside this file: fixed
seed, a bounded number of examples per operation) reads /api/openapi.json from a live server and
iterates over the whole schema, so endpoints added later are covered without listing them. It acts
once as an analyst and once as a unit manager (scoped to one store) with the checks that matter:
no 5xx, only documented statuses, content types and bodies (every error body is the documented
``{"detail", "code"}`` shape, since ``ErrorOut`` requires both), schema-violating input refused and
schema-valid input accepted (for reads; a write needs answers that fit a real survey).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from heed.accounts.services import api_token_create

CONFIG = Path(__file__).with_name("schemathesis.toml")
ST = Path(sys.executable).with_name("st")


def _run_schemathesis(live_server, user, tmp_path, options: list[str]) -> subprocess.CompletedProcess:
    _token, key = api_token_create(user=user, name="contract")
    return subprocess.run(
        [
            str(ST), "--config-file", str(CONFIG), "run", f"{live_server.url}/api/openapi.json",
            "--header", f"Authorization: Bearer {key}", *options, "--no-color", "--report", "junit",
            "--report-junit-path", str(tmp_path / "junit.xml"),
        ],
        capture_output=True, text=True, timeout=600, env={**os.environ, "SCHEMATHESIS_HOOKS": ""},
        cwd=tmp_path,  # schemathesis keeps a cache folder in its working directory
    )  # fmt: skip


# The coverage phase (each parameter's boundaries and near-misses) does not depend on who asks, so it runs
# once, as the analyst; the unit manager's run spends its time on more generated requests (fuzzing,
# stateful) through its scope.
ROLES = [
    ("analyst", ["--phases", "examples,coverage,fuzzing,stateful"]),
    ("manager_a", ["--phases", "examples,fuzzing,stateful", "--max-examples", "40"]),
]


@pytest.mark.parametrize(("role", "options"), ROLES)
def test_every_operation_keeps_the_openapi_contract(role, options, world, live_server, tmp_path):
    result = _run_schemathesis(live_server, getattr(world, role), tmp_path, options)
    assert result.returncode == 0, result.stdout[-20000:] + result.stderr[-5000:]
    assert "No issues found" in result.stdout or "passed" in result.stdout, result.stdout[-5000:]
