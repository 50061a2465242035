"""docker-compose.yml and CI start the same processes: CI reads the commands from the compose file."""

import importlib.util
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
COMPOSE_FILE = ROOT / "docker-compose.yml"
CI_SCRIPT = ROOT / ".ci" / "run"
HELPER = ROOT / "scripts" / "compose_commands.py"
PROCESSES = ["web", "worker", "beat"]


def load_helper():
    spec = importlib.util.spec_from_file_location("compose_commands", HELPER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def commands_written_in_compose() -> dict[str, str]:
    """An independent reading: the `command:` line that follows each `  <service>:` line."""
    commands = {}
    service = None
    for line in COMPOSE_FILE.read_text(encoding="utf-8").splitlines():
        if match := re.match(r"^  (\w+):\s*$", line):
            service = match.group(1)
        elif (match := re.match(r'^    command: "(.*)"\s*$', line)) and service:
            commands[service] = match.group(1)
    return commands


def test_compose_has_the_application_processes_their_services_and_volumes():
    compose = load_helper().read_compose(COMPOSE_FILE)
    assert {"web", "worker", "beat", "db", "redis"} <= set(compose["services"])
    assert {"pgdata", "uploads"} <= set(compose["volumes"])
    text = COMPOSE_FILE.read_text(encoding="utf-8")
    assert "pgdata:/var/lib/postgresql/data" in text
    assert "uploads:/data" in text
    assert "MEDIA_ROOT: /data/media" in text
    assert "PRIVATE_STORAGE_ROOT: /data/private" in text


@pytest.mark.parametrize("service", PROCESSES)
def test_the_helper_reads_each_command_exactly_as_the_compose_file_writes_it(service):
    written = commands_written_in_compose()[service]
    assert load_helper().command_of(service, COMPOSE_FILE) == written
    printed = subprocess.run(
        [sys.executable, str(HELPER), service], capture_output=True, text=True, check=True
    ).stdout
    assert printed == written + "\n"
    words = subprocess.run(
        [sys.executable, str(HELPER), "--argv", service], capture_output=True, check=True
    ).stdout
    assert words.decode().split("\0")[:-1] == shlex.split(written)


def test_ci_starts_each_process_with_the_command_the_helper_reads_from_compose():
    script = CI_SCRIPT.read_text(encoding="utf-8")
    started = re.findall(r"^start_service (\w+)\s*$", script, flags=re.MULTILINE)
    assert started == PROCESSES
    body = re.search(r"^start_service\(\) \{\n(.*?)^\}", script, flags=re.MULTILINE | re.DOTALL).group(1)
    assert 'scripts/compose_commands.py --argv "$service"' in body
    assert '"${argv[@]}"' in body


def test_the_processes_are_the_documented_production_ones():
    commands = commands_written_in_compose()
    assert commands["web"].startswith("gunicorn cchc.wsgi:application --bind 0.0.0.0:8000")
    assert commands["worker"].startswith("celery -A cchc worker")
    assert commands["beat"].startswith("celery -A cchc beat")
    assert commands["migrate"] == "python manage.py migrate --noinput"


def test_the_helper_refuses_a_service_without_a_command(tmp_path):
    compose = tmp_path / "docker-compose.yml"
    compose.write_text("services:\n  web:\n    image: cchc\n", encoding="utf-8")
    with pytest.raises(SystemExit, match="no one-line command for service 'web'"):
        load_helper().command_of("web", compose)


def test_the_helper_refuses_a_list_command_rather_than_guess(tmp_path):
    compose = tmp_path / "docker-compose.yml"
    compose.write_text('services:\n  web:\n    command: ["gunicorn", "x"]\n', encoding="utf-8")
    with pytest.raises(ValueError, match="one-line string"):
        load_helper().command_of("web", compose)


def compose_yaml() -> dict:
    import yaml  # a test dependency (moto's), not the application's

    return yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))


def test_the_object_store_and_its_bucket_come_only_with_the_s3_profile():
    services = compose_yaml()["services"]
    assert services["objectstore"]["profiles"] == ["s3"]
    assert services["bucket"]["profiles"] == ["s3"]
    assert services["bucket"]["depends_on"] == {"objectstore": {"condition": "service_healthy"}}
    assert "ports" not in services["objectstore"]  # reached by the application only, never published
    assert "anonymous set none" in services["bucket"]["entrypoint"][-1]  # the bucket stays private
    assert all(
        "profiles" not in services[name] for name in ["migrate", "web", "worker", "beat", "db", "redis"]
    )


def test_the_application_reads_every_storage_setting_compose_passes_and_the_reverse():
    read_in_settings = set(
        re.findall(r'read(?:_int)?\("(STORAGE_S3_\w+)"', (ROOT / "cchc" / "settings.py").read_text())
    )
    passed = {
        name for name in compose_yaml()["services"]["web"]["environment"] if name.startswith("STORAGE_S3_")
    }
    assert read_in_settings and passed == read_in_settings


def test_the_scale_profile_runs_a_second_web_replica_behind_the_proxy_and_still_one_beat():
    services = compose_yaml()["services"]
    assert services["web2"]["profiles"] == services["proxy"]["profiles"] == ["scale"]
    assert services["web2"]["command"] == services["web"]["command"]
    assert services["web2"]["environment"] == services["web"]["environment"]
    mount = "./deploy/nginx.conf:/etc/nginx/conf.d/default.conf:ro"
    assert mount in services["proxy"]["volumes"]
    nginx = (ROOT / "deploy" / "nginx.conf").read_text(encoding="utf-8")
    assert re.findall(r"^\s*server (\w+):8000\b", nginx, flags=re.MULTILINE) == ["web", "web2"]
    assert "proxy_set_header X-Forwarded-Proto" in nginx
    beats = [
        name for name, service in services.items() if "celery -A cchc beat" in (service.get("command") or "")
    ]
    assert beats == ["beat"]
