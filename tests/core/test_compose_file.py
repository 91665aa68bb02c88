"""Issue 9, point 3: deploy/compose.yaml describes a working scale-out (checked in CI without Docker).

What is checked is what breaks a real deployment: every Heed process shares one secret key, database, broker
and cache; each command is a real ``heed`` command with arguments it accepts; exactly one scheduler; the
workers leave beat to it; the web nodes are probed on /health/; every HEED_* variable is one the settings read.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
import yaml
from django.core.management import get_commands, load_command_class

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "deploy" / "compose.yaml"
SETTINGS = ROOT / "src" / "heed" / "settings.py"


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text())


def _heed_services(compose: dict) -> dict[str, dict]:
    return {name: s for name, s in compose["services"].items() if s.get("command", [""])[0] == "heed"}


def test_the_file_has_the_database_broker_web_nodes_workers_and_one_scheduler(compose):
    services = compose["services"]
    assert services["postgres"]["image"].startswith("postgres:")
    assert services["redis"]["image"].startswith("redis:")
    commands = {name: s["command"][:2] for name, s in _heed_services(compose).items()}
    assert sorted(n for n, c in commands.items() if c == ["heed", "serve"]) == ["web", "web2"]
    assert [n for n, c in commands.items() if c == ["heed", "scheduler"]] == ["scheduler"]
    assert services["worker"]["deploy"]["replicas"] >= 2


def test_every_heed_process_shares_one_secret_key_database_broker_and_cache(compose):
    environments = [s["environment"] for s in _heed_services(compose).values()]
    for key in ("HEED_SECRET_KEY", "HEED_DATABASE_URL", "HEED_BROKER_URL", "HEED_CACHE_URL"):
        assert len({env[key] for env in environments}) == 1, key
    env = environments[0]
    assert env["HEED_SECRET_KEY"].startswith("${HEED_SECRET_KEY:?")  # no default: compose refuses to start without
    assert env["HEED_DATABASE_URL"].startswith("postgresql://")
    assert env["HEED_BROKER_URL"].startswith("redis://")


def test_each_command_is_a_heed_command_with_arguments_it_accepts(compose):
    commands = get_commands()
    for name, service in _heed_services(compose).items():
        _heed, command, *args = service["command"]
        assert command in commands, f"{name}: no command {command!r}"
        parser = load_command_class(commands[command], command).create_parser("heed", command)
        parser.parse_args(args)  # exits (SystemExit) on an unknown argument


def test_workers_leave_the_schedule_to_the_one_scheduler_and_web_nodes_run_no_worker(compose):
    services = _heed_services(compose)
    assert "--no-beat" in services["worker"]["command"]
    for name in ("web", "web2"):
        command = services[name]["command"]
        assert command[command.index("--worker") + 1] == "no"
        assert "/health/" in shlex.join(services[name]["healthcheck"]["test"])


def test_every_heed_variable_is_read_by_the_settings(compose):
    read = set(re.findall(r"HEED_[A-Z_]+", SETTINGS.read_text()))
    for service in _heed_services(compose).values():
        assert set(service["environment"]) <= read


def test_the_image_installs_heed_and_serves_it():
    dockerfile = (ROOT / "deploy" / "Dockerfile").read_text()
    assert "FROM python:3.11" in dockerfile
    assert "pip install" in dockerfile and '"heed", "serve"' in dockerfile
