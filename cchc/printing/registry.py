"""Which objects print as official documents: each app registers, in its AppConfig.ready(), a kind
("plan", "report") with its model, the function that describes an object as a document and the function
that names what it lacks to be printed. The printing engine, the render job and the download page work
from this registry, so the engine knows nothing of the apps above it.

A print may carry a scope: a few keyword parameters (ids, short strings) that both functions receive
after the object, e.g. the department of a round's summary (`department=<id>`). The download page passes
it to the render job, so a file the job renders is the one the page asked for."""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist
from django.db import models

from cchc.printing.document import OfficialDocument


@dataclass(frozen=True)
class Printable:
    model: type[models.Model]
    build: Callable[..., OfficialDocument]  # (obj, **scope)
    problems: Callable[..., list[str]]  # (obj, **scope)


_KINDS: dict[str, Printable] = {}


def register(kind: str, model, build, problems) -> None:
    _KINDS[kind] = Printable(model, build, problems)


def get(kind: str) -> Printable:
    return _KINDS[kind]


def _has_agency(model: type[models.Model]) -> bool:
    try:
        field = model._meta.get_field("agency")
    except FieldDoesNotExist:
        return False
    return field.many_to_one or field.one_to_one


def load(kind: str, pk: int) -> models.Model:
    """The object `pk` of `kind`, with its agency when the model has one."""
    model = _KINDS[kind].model
    objects = model.objects.select_related("agency") if _has_agency(model) else model.objects.all()
    return objects.get(pk=pk)


def build(kind: str, pk: int, **scope) -> OfficialDocument:
    """The document of the object `pk` of `kind` as it stands now, within `scope` if the print has one."""
    return _KINDS[kind].build(load(kind, pk), **scope)
