"""An OfficialDocument as JSON and back: what an issued document said when it was signed, stored with it
(Plan.issued_snapshot) so that a reprint is the signed document whatever changes in the live data.

`dump` gives plain JSON (dicts, lists, strings, numbers); `load` rebuilds the same frozen dataclasses, so
`load(dump(document)) == document` and the PDF and the DOCX of both are the same."""

import dataclasses
import datetime

from cchc.printing.document import (
    Appendix,
    Column,
    GroupRow,
    Heading,
    Margins,
    OfficialDocument,
    Paragraph,
    Signature,
    Table,
)

VERSION = 1
_BLOCKS = {"heading": Heading, "paragraph": Paragraph, "table": Table}
_BLOCK_NAMES = {cls: name for name, cls in _BLOCKS.items()}


def _fields(obj) -> dict:
    return {field.name: getattr(obj, field.name) for field in dataclasses.fields(obj)}


def _dump_row(row) -> dict | list:
    if isinstance(row, GroupRow):
        return {"group": _fields(row)}
    return list(row)


def _dump_block(block) -> dict:
    data = {"kind": _BLOCK_NAMES[type(block)]}
    if isinstance(block, Table):
        data["columns"] = [_fields(column) for column in block.columns]
        data["rows"] = [_dump_row(row) for row in block.rows]
    else:
        data.update(_fields(block))
    return data


def _load_block(data: dict):
    data = dict(data)
    kind = _BLOCKS[data.pop("kind")]
    if kind is Table:
        rows = tuple(
            GroupRow(**row["group"]) if isinstance(row, dict) else tuple(row) for row in data["rows"]
        )
        return Table(columns=tuple(Column(**column) for column in data["columns"]), rows=rows)
    return kind(**data)


def dump(document: OfficialDocument) -> dict:
    data = _fields(document)
    data["version"] = VERSION
    data["date"] = document.date.isoformat() if document.date else None
    data["body"] = [_dump_block(block) for block in document.body]
    data["signature"] = _fields(document.signature)
    data["margins"] = _fields(document.margins)
    data["appendices"] = [
        {**_fields(appendix), "blocks": [_dump_block(block) for block in appendix.blocks]}
        for appendix in document.appendices
    ]
    for name in ("legal_bases", "recipients", "addressees"):
        data[name] = list(data[name])
    return data


def load(data: dict) -> OfficialDocument:
    data = dict(data)
    data.pop("version", None)
    known = {field.name for field in dataclasses.fields(OfficialDocument)}
    data = {name: value for name, value in data.items() if name in known}
    data["date"] = datetime.date.fromisoformat(data["date"]) if data.get("date") else None
    data["body"] = tuple(_load_block(block) for block in data["body"])
    data["signature"] = Signature(**data["signature"])
    data["margins"] = Margins(**data["margins"]) if data.get("margins") else Margins.configured()
    data["appendices"] = tuple(
        Appendix(**{**appendix, "blocks": tuple(_load_block(block) for block in appendix["blocks"])})
        for appendix in data.get("appendices", ())
    )
    for name in ("legal_bases", "recipients", "addressees"):
        data[name] = tuple(data.get(name, ()))
    return OfficialDocument(**data)


def table_rows(data: dict) -> int:
    """How many task rows (not group rows) the snapshot's appendices hold: 0 when the annex was not yet
    entered when the snapshot was taken."""
    return sum(
        1
        for appendix in data.get("appendices", ())
        for block in appendix["blocks"]
        if block.get("kind") == "table"
        for row in block["rows"]
        if not isinstance(row, dict)
    )
