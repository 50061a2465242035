"""The parts of a text a result shows, with the places the query's terms occur marked: the template
(search/_marked.html) wraps the marked parts in <mark>."""

import unicodedata

EXCERPT = 240  # characters of a task's content a result shows
BEFORE = 60  # of which, at most, before the first match


def _fold_char(char: str) -> str:
    """One character folded as cchc.text.fold folds it, always one character long, so that a place in
    the folded text is the same place in the original."""
    if char in "đĐ":
        return "d"
    base = "".join(c for c in unicodedata.normalize("NFD", char) if unicodedata.category(c) != "Mn").lower()
    if len(base) != 1:
        return char
    return " " if base.isspace() else base


def marked(text: str, terms: list[str], *, length: int | None = None) -> list[tuple[str, bool]]:
    """`text` (or an excerpt of about `length` characters around its first match) as (part, is_match)
    pairs. A term matches across any run of white space, as the folded search text does."""
    folded = "".join(_fold_char(char) for char in text)
    spans = []
    for term in terms:
        words = term.split()
        start = 0
        while (found := _find(folded, words, start)) is not None:
            spans.append(found)
            start = found[1]
    spans = _merged(spans, folded)
    begin, end = 0, len(text)
    if length is not None and len(text) > length:
        first = spans[0][0] if spans else 0
        begin = max(0, first - BEFORE) if first + len(terms[0] if terms else "") > length - BEFORE else 0
        if begin:
            space = text.find(" ", begin)
            begin = space + 1 if 0 <= space < first else begin
        end = min(len(text), begin + length)
        if end < len(text):
            space = text.rfind(" ", begin, end)
            end = space if space > begin else end
    parts: list[tuple[str, bool]] = []
    if begin:
        parts.append(("…", False))
    position = begin
    for start, stop in spans:
        start, stop = max(start, begin), min(stop, end)
        if start >= stop:
            continue
        if start > position:
            parts.append((text[position:start], False))
        parts.append((text[start:stop], True))
        position = stop
    if position < end:
        parts.append((text[position:end], False))
    if end < len(text):
        parts.append(("…", False))
    return parts


def _find(folded: str, words: list[str], start: int) -> tuple[int, int] | None:
    """The first place at or after `start` where the words follow one another, separated by white space."""
    while True:
        at = folded.find(words[0], start)
        if at < 0:
            return None
        position = at + len(words[0])
        for word in words[1:]:
            gap = position
            while gap < len(folded) and folded[gap] == " ":
                gap += 1
            if gap == position or not folded.startswith(word, gap):
                break
            position = gap + len(word)
        else:
            return at, position
        start = at + 1


def _merged(spans: list[tuple[int, int]], folded: str) -> list[tuple[int, int]]:
    """Overlapping spans, and spans only white space apart ("cải" "cách" → "cải cách"), as one."""
    merged: list[tuple[int, int]] = []
    for start, stop in sorted(spans):
        if merged and (start <= merged[-1][1] or not folded[merged[-1][1] : start].strip()):
            merged[-1] = (merged[-1][0], max(merged[-1][1], stop))
        else:
            merged.append((start, stop))
    return merged
