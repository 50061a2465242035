"""Read the `command:` of a service from docker-compose.yml, so CI starts exactly what compose runs.

    python scripts/compose_commands.py web          # the command as written
    python scripts/compose_commands.py --argv web   # its words, NUL-separated, for bash `mapfile -d ''`

PyYAML is not a dependency, so this reads the small subset of YAML the compose file uses: a top-level
`services:` mapping, two-space indented service names, and a one-line `command:` string per service.
It refuses anything else rather than guess.
"""

import re
import shlex
import sys
from pathlib import Path

COMPOSE_FILE = Path(__file__).resolve().parent.parent / "docker-compose.yml"

SECOND_LEVEL_LINE = re.compile(r"^  ([A-Za-z0-9_.-]+):\s*(#.*)?$")
COMMAND_LINE = re.compile(r"^    command:\s*(?P<value>.+?)\s*$")
TOP_LEVEL_LINE = re.compile(r"^([A-Za-z0-9_.-]+):")


def _unquote(value: str) -> str:
    if value[0] in "\"'":
        if len(value) < 2 or value[-1] != value[0]:
            raise ValueError(f"Unterminated quoted command: {value}")
        inner = value[1:-1]
        if value[0] == '"' and "\\" in inner:
            raise ValueError(f"Escapes in a double-quoted command are not supported: {value}")
        return inner.replace("''", "'") if value[0] == "'" else inner
    if value.startswith(("[", "{", "|", ">", "&", "*")):
        raise ValueError(f"Only a one-line string command is supported, not: {value}")
    return value.split(" #", 1)[0].rstrip()


def read_compose(path: Path = COMPOSE_FILE) -> dict:
    """{"services": {name: command or None}, "volumes": [names], "top_level": [keys]} of the file."""
    services: dict[str, str | None] = {}
    volumes: list[str] = []
    top_level: list[str] = []
    section = None
    service = None
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        top = TOP_LEVEL_LINE.match(line)
        if top:
            section = top.group(1)
            top_level.append(section)
            service = None
            continue
        name = SECOND_LEVEL_LINE.match(line)
        if section == "volumes" and name:
            volumes.append(name.group(1))
            continue
        if section != "services":
            continue
        if name:
            service = name.group(1)
            services[service] = None
            continue
        command = COMMAND_LINE.match(line)
        if command and service:
            if services[service] is not None:
                raise ValueError(f"Service {service} has two commands.")
            services[service] = _unquote(command.group("value"))
    return {"services": services, "volumes": volumes, "top_level": top_level}


def command_of(service: str, path: Path = COMPOSE_FILE) -> str:
    services = read_compose(path)["services"]
    if services.get(service) is None:
        raise SystemExit(f"{path.name} has no one-line command for service {service!r}.")
    return services[service]


if __name__ == "__main__":
    args = sys.argv[1:]
    as_argv = bool(args) and args[0] == "--argv"
    if as_argv:
        args = args[1:]
    if len(args) != 1:
        raise SystemExit("usage: compose_commands.py [--argv] SERVICE")
    command = command_of(args[0])
    if as_argv:
        sys.stdout.write("".join(word + "\0" for word in shlex.split(command)))
    else:
        print(command)
