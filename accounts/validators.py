"""Password rules of our own, beside Django's (AUTH_PASSWORD_VALIDATORS)."""

import unicodedata

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError

SHORTEST_CHECKED_USERNAME = 3


def _letters_and_digits(text: str) -> str:
    """The text without diacritics, punctuation or case: "Cv.TTr" and "cv-ttr" both give "cvttr"."""
    decomposed = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(
        char for char in decomposed if char.isalnum() and not unicodedata.combining(char)
    ).casefold()


class UsernameInPasswordValidator:
    """Refuses a password that holds the username's letters and digits, whatever punctuation separates
    them: "cvttr2026" for cv.ttr, which Django's similarity check lets pass (the ratio is 0.67)."""

    def validate(self, password, user=None):
        username = _letters_and_digits(getattr(user, "username", "") or "")
        if len(username) >= SHORTEST_CHECKED_USERNAME and username in _letters_and_digits(password):
            raise ValidationError(
                "Mật khẩu không được chứa tên đăng nhập.", code="password_contains_username"
            )

    def get_help_text(self):
        return "Mật khẩu không được chứa tên đăng nhập."


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's length rule with its message in Vietnamese (Django 5.2 changed the English message and
    its Vietnamese translation no longer matches it)."""

    def get_error_message(self):
        return f"Mật khẩu quá ngắn: cần ít nhất {self.min_length} ký tự."
