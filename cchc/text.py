"""Vietnamese text helpers shared by search, import matching and parsing."""

import unicodedata


def fold(text: str) -> str:
    """Lower case without diacritics: 'Cải cách Đầu tư' → 'cai cach dau tu' (đ becomes d)."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(char for char in decomposed if unicodedata.category(char) != "Mn")
    return " ".join(stripped.lower().split())
