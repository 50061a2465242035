"""Bodies for the matrix's POSTs: the page's own form as a browser would send it, filled in.

`filled("clerk", reason="…")` reads the form of the URL as the clerk sees it (its hidden fields, the
formsets' management forms, the current values of an edit page), applies the overrides and returns the
body. Sent by someone the URL refuses, the same valid body would write if the refusal were missing; the
matrix checks that it writes nothing.
"""

from html.parser import HTMLParser

from tests.conftest import client_for

FIXTURES = {"admin": "admin_user"}  # persona → its fixture where the names differ
SKIPPED_INPUTS = {"submit", "button", "file", "reset", "image"}


class _Forms(HTMLParser):
    """The POST forms of a page: their action and their fields' values."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._form = None
        self._select = None
        self._select_values: list[str] = []
        self._first_option = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            if (attrs.get("method") or "get").lower() == "post":
                self._form = {"action": attrs.get("action") or "", "fields": []}
                self.forms.append(self._form)
            return
        if self._form is None or "disabled" in attrs:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = (attrs.get("type") or "text").lower()
            if kind in SKIPPED_INPUTS or (kind in ("checkbox", "radio") and "checked" not in attrs):
                return
            self._form["fields"].append((name, attrs.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "select" and name:
            self._select, self._select_values, self._first_option = name, [], None
        elif tag == "option" and self._select:
            value = attrs.get("value", "")
            if self._first_option is None:
                self._first_option = value
            if "selected" in attrs:
                self._select_values.append(value)
        elif tag == "textarea" and name:
            self._textarea = [name, ""]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select:
            values = self._select_values or ([self._first_option] if self._first_option is not None else [])
            self._form["fields"].extend((self._select, value) for value in values)
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self._form["fields"].append((self._textarea[0], self._textarea[1].removeprefix("\n")))
            self._textarea = None


def form_fields(html: str, path: str) -> dict:
    """The fields of the page's POST form that posts to `path` (or to the page itself), as a body: one
    value per name, a list where a name repeats."""
    parser = _Forms()
    parser.feed(html)
    forms = [form for form in parser.forms if form["action"] in ("", path)]
    assert forms, f"no POST form for {path} on the page"
    form = max(forms, key=lambda form: len(form["fields"]))
    body: dict = {}
    for name, value in form["fields"]:
        if name in body:
            body[name] = [*body[name], value] if isinstance(body[name], list) else [body[name], value]
        else:
            body[name] = value
    return body


def filled(persona: str, fields: dict | None = None, *, page=None, **overrides):
    """A body callable: the form of the URL (or of `page`, a callable of the request and the URL giving
    the page that holds the form) as `persona` sees it, with `fields` and `overrides` (a value may be a
    callable of the request; None drops a field)."""
    overrides = {**(fields or {}), **overrides}

    def body(request, url):
        client = client_for(request.getfixturevalue(FIXTURES.get(persona, persona)))
        where = page(request, url) if page else url
        response = client.get(where)
        assert response.status_code == 200, f"{persona} GET {where}: {response.status_code}"
        values = form_fields(response.content.decode(), url.split("?")[0])
        for name, value in overrides.items():
            value = value(request) if callable(value) else value
            if value is None:
                values.pop(name, None)
            else:
                values[name] = value
        return values

    return body
