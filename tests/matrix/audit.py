"""Rows for the agency's change log: its leaders and its administrator read it; everyone else, the
overseer and another agency's people included, is refused."""

from tests.matrix import signed_in

READERS = signed_in(403, leader=200, admin=200)

ROWS = {
    "audit:log": ("get", None, READERS, "post"),
    "audit:export": ("get", None, READERS, "post"),
}
