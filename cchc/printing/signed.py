"""What every official document an agency signs carries (Nghị định 30/2020, Phụ lục I): the abstract
model of its signature and recipients, and the two header and signature elements plans and reports print
alike."""

import dataclasses
import datetime

from django.db import models

from cchc import formatting
from cchc.printing.document import BLANK, Signature


class SignedDocument(models.Model):
    """What every official document the agency signs carries (Phụ lục I of Nghị định 30/2020): the
    place in the date line, the signing authority and signer, and the recipients."""

    class Authority(models.TextChoices):
        NONE = "", "Ký trực tiếp"
        KT = "KT.", "KT. (ký thay)"
        TM = "TM.", "TM. (thay mặt)"
        TL = "TL.", "TL. (thừa lệnh)"
        Q = "Q.", "Q. (quyền)"

    place_name = models.CharField("địa danh", max_length=100)
    signing_authority = models.CharField(
        "thẩm quyền ký", max_length=4, choices=Authority.choices, blank=True, default=""
    )
    authority_title = models.CharField(
        "chức vụ người đứng đầu", max_length=100, blank=True, help_text="Ví dụ GIÁM ĐỐC, sau KT."
    )
    signer_position = models.CharField("chức vụ người ký", max_length=100, blank=True)
    signer_name = models.CharField("họ tên người ký", max_length=150, blank=True)
    recipients = models.TextField(
        "nơi nhận", blank=True, help_text="Mỗi dòng một nơi nhận; dòng cuối: Lưu: VT, …"
    )
    addressees = models.TextField(
        "kính gửi",
        blank=True,
        help_text="Văn bản gửi cấp trên (UBND tỉnh, Sở Nội vụ…): mỗi dòng một nơi; để trống nếu không có.",
    )

    class Meta:
        abstract = True

    def recipient_list(self) -> list[str]:
        return [line.strip() for line in self.recipients.splitlines() if line.strip()]

    def addressee_list(self) -> list[str]:
        """The "Kính gửi:" lines as typed, without the dashes or the end punctuation the print adds."""
        lines = (line.strip().lstrip("-–+• ").rstrip(";.,").strip() for line in self.addressees.splitlines())
        return [line for line in lines if line]

    def signing_errors(self) -> dict[str, str]:
        """The rules of the signature block and the recipients, by field, for clean()."""
        errors = {}
        recipients = self.recipient_list()
        if recipients and not recipients[-1].lstrip("-– ").lower().startswith("lưu"):
            errors["recipients"] = "Dòng cuối của nơi nhận phải là nơi lưu văn bản, ví dụ “Lưu: VT, VP.”."
        if self.signing_authority and not self.authority_title:
            errors["authority_title"] = (
                "Ký thay, thay mặt, thừa lệnh hoặc quyền cần chức vụ người đứng đầu (ví dụ GIÁM ĐỐC)."
            )
        return errors

    def missing_elements(self, *, number: str, date: str) -> list[str]:
        """What the document lacks to be issued or printed as issued, one sentence per item;
        `number` and `date` name the first two in the document's own words."""
        checks = (
            (self.number, number),
            (self.issued_on, date),
            (self.signer_name, "Chưa có họ tên người ký."),
            (self.signer_position, "Chưa có chức vụ người ký."),
            (self.recipient_list(), "Chưa có nơi nhận."),
        )
        return [message for value, message in checks if not value]


def parent_body(agency) -> str:
    """The line above the agency's name: the parent as the agency writes it ("UBND tỉnh Vĩnh Phúc",
    abbreviated as NĐ 30 allows), else the parent's name in the agency tree (printed upper case)."""
    if agency.parent_body:
        return agency.parent_body
    return agency.parent.short_name if agency.parent_id else ""


def signature(document: SignedDocument) -> Signature:
    """The signature block of a plan or a report: "KT. GIÁM ĐỐC" / "PHÓ GIÁM ĐỐC" / the name."""
    authority = ""
    if document.signing_authority:
        authority = f"{document.signing_authority} {formatting.upper(document.authority_title)}".strip()
    return Signature(
        authority=authority, position=formatting.upper(document.signer_position), name=document.signer_name
    )


# What the documents built from people (not from a SignedDocument) print alike: scoring and ratings.


def user_signature(user, fallback_position: str) -> Signature:
    """The signer as NĐ 30 prints them: a deputy signs for the head ("KT. GIÁM ĐỐC" above "PHÓ GIÁM
    ĐỐC"); the position as the user's profile writes it, else `fallback_position`."""
    position = ((user.position if user else "") or fallback_position).strip()
    authority = ""
    head, _, rest = position.partition(" ")
    if head.casefold() == "phó" and rest:
        authority = f"KT. {formatting.upper(rest)}"
    return Signature(
        authority=authority, position=formatting.upper(position), name=user.full_name if user else ""
    )


def signer_problems(user) -> list[str]:
    if user is None:
        return ["Chưa xác định người ký."]
    if not user.position.strip():
        return [f"Chưa có chức vụ của người ký ({user.full_name}) trong hồ sơ người dùng."]
    return []


def listed(lines: list[str]) -> list[str]:
    """'- …;' per line and '- ….' for the last, as a document lists items."""
    return [f"- {line}{'.' if index == len(lines) - 1 else ';'}" for index, line in enumerate(lines)]


def close_text(blocks: list) -> None:
    """The text of an administrative document ends with "./." (Phụ lục III, Mẫu 1.4)."""
    last = blocks[-1]
    blocks[-1] = dataclasses.replace(last, text=last.text.rstrip().rstrip(".;,") + "./.")


def attached_line(
    type_name: str, number_line: str, date: datetime.date | None, year: int, issuer: str
) -> str:
    """'(Kèm theo Thông báo số 05/TB-SKHĐT ngày 15 tháng 01 năm 2020 của …)', the date in full as the
    header writes it; an unnumbered, undated draft keeps the clerk's blanks."""
    number = number_line.removeprefix("Số:")
    number = number if number.startswith(BLANK) else f" {number.strip()}"
    return (
        f"(Kèm theo {type_name} số{number} {formatting.text_date(date, year=year, blank=BLANK)} của {issuer})"
    )
