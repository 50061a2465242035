"""Which objects print as official documents: each app registers, in its AppConfig.ready(), a kind
("plan", "report") with its model, the function that describes an object as a document and the function
that names what it lacks to be printed. The printing engine, the render job and the download page work
from this registry, so the engine knows nothing of the apps above it."""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import models

from cchc.printing.document import OfficialDocument


@dataclass(frozen=True)
class Printable:
    model: type[models.Model]
    build: Callable[[models.Model], OfficialDocument]
    problems: Callable[[models.Model], list[str]]


_KINDS: dict[str, Printable] = {}


def register(kind: str, model, build, problems) -> None:
    _KINDS[kind] = Printable(model, build, problems)


def get(kind: str) -> Printable:
    return _KINDS[kind]


def build(kind: str, pk: int) -> OfficialDocument:
    """The document of the object `pk` of `kind` as it stands now."""
    printable = _KINDS[kind]
    return printable.build(printable.model.objects.select_related("agency").get(pk=pk))
