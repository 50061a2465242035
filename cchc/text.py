"""Vietnamese text helpers shared by search, import matching and parsing."""

import unicodedata


def fold(text: str) -> str:
    """Lower case without diacritics: 'Cải cách Đầu tư' → 'cai cach dau tu' (đ becomes d)."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(char for char in decomposed if unicodedata.category(char) != "Mn")
    return " ".join(stripped.lower().split())


def nfc(text: str) -> str:
    """The composed Unicode form every stored text is kept in: a file saved as NFD ('a' + combining
    marks) reads the same as one typed on a keyboard."""
    return unicodedata.normalize("NFC", text or "")


def name_key(text: str) -> str:
    """Two names of a body are the same name when they differ only in case, spacing, punctuation or
    Unicode form: 'Bộ Khoa học và công nghệ' and 'Bộ Khoa học và Công nghệ.' give the same key.
    Diacritics count ('Bộ' is not 'Bồ')."""
    composed = unicodedata.normalize("NFC", text or "").casefold()
    return " ".join("".join(char if char.isalnum() else " " for char in composed).split())
