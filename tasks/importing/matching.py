"""Matching what the annex names to the plan: section titles to reform areas, department names
to the agency's departments."""

import difflib
import re
from collections import defaultdict

from tasks.importing.reading import plain

STRONG_SEPARATORS = re.compile(r"[;\n]+")
WEAK_SEPARATORS = re.compile(r"(\s*,\s*|\s+và\s+|\s*\+\s*)", re.IGNORECASE)
ABBREVIATIONS = {
    "cchc": "cai cach hanh chinh",
    "tthc": "thu tuc hanh chinh",
    "cbccvc": "can bo cong chuc vien chuc",
    "cb ccvc": "can bo cong chuc vien chuc",
    "ccvc": "cong chuc vien chuc",
    "hcnn": "hanh chinh nha nuoc",
    "cphđt": "chinh phu dien tu",
    "cpdt": "chinh phu dien tu",
}
STOP_WORDS = {"va", "cac", "cua", "ve", "trong", "nha", "nuoc"}
GENERIC_PREFIXES = ("phong ", "don vi ", "co quan ", "bo phan ")
# Words that start the name of a unit: after a comma or "và" they begin a new name, anything else
# continues the one before ("Sở Văn hóa, Thể thao và Du lịch" is one name).
UNIT_WORDS = (
    "phong",
    "van phong",
    "thanh tra",
    "trung tam",
    "ban",
    "so",
    "ubnd",
    "uy ban",
    "chi cuc",
    "cuc",
    "don vi",
    "cac",
    "bo phan",
    "to",
    "co quan",
    "cong an",
    "hoi",
    "bo",
    "kho bac",
    "bao hiem",
    "lanh dao",
    "cong doan",
    "doan",
    "chi bo",
    "dang uy",
    "tat ca",
    "vp",
    "ttr",
)
GENERIC_SUFFIXES = (" thuoc so", " so")
# A cell part that names many bodies at once is one name, commas included: "Các bộ, cơ quan ngang bộ,
# cơ quan thuộc Chính phủ", "Các phòng, đơn vị thuộc Sở".
COLLECTIVE = ("cac ", "tat ca ", "toan the ")
# Names of bodies outside any agency's departments: never suggested as one of them.
OUTSIDE_PREFIXES = (
    "bo ",
    "cac bo",
    "chinh phu",
    "thu tuong",
    "van phong chinh phu",
    "ubnd",
    "uy ban nhan dan",
    "cac dia phuong",
    "dia phuong",
    "tinh uy",
    "hdnd",
    "hoi dong nhan dan",
    "cac so",
    "cac tinh",
    "cong an",
    "bao hiem xa hoi",
    "kho bac",
    "toa an",
    "vien kiem sat",
    "mat tran",
)


def _expanded(text: str) -> str:
    words = plain(text)
    for short, long in ABBREVIATIONS.items():
        words = re.sub(rf"\b{re.escape(plain(short))}\b", long, words)
    return words


def _tokens(text: str) -> set[str]:
    return set(_expanded(text).split()) - STOP_WORDS


def match_area(title: str, areas) -> object | None:
    """The reform area a section title names: exact, then containment, then the best word overlap."""
    wanted = _expanded(title)
    if not wanted:
        return None
    names = [(area, _expanded(area.name)) for area in areas]
    for area, name in names:
        if name == wanted:
            return area
    contained = [area for area, name in names if f" {name} " in f" {wanted} " or f" {wanted} " in f" {name} "]
    if len(contained) == 1:
        return contained[0]
    tokens = _tokens(title)
    scored = sorted(
        (
            (len(tokens & _tokens(area.name)) / len(tokens | _tokens(area.name)), area)
            for area in areas
            if tokens
        ),
        key=lambda pair: pair[0],
        reverse=True,
    )
    if scored and scored[0][0] >= 0.5 and (len(scored) == 1 or scored[0][0] > scored[1][0]):
        return scored[0][1]
    return None


def department_key(name: str) -> str:
    """The words that tell a department apart: 'Phòng Đăng ký kinh doanh' → 'dang ky kinh doanh',
    'Văn phòng Sở' → 'van phong', 'Thanh tra Sở' → 'thanh tra'."""
    text = plain(name)
    for prefix in GENERIC_PREFIXES:
        if text.startswith(prefix) and len(text) > len(prefix):
            text = text[len(prefix) :]
            break
    for suffix in GENERIC_SUFFIXES:
        if text.endswith(suffix) and len(text) > len(suffix):
            text = text[: -len(suffix)]
            break
    return text


class DepartmentMatcher:
    """Finds the agency's department a name in the annex means: exactly as written, then ignoring
    case and diacritics, then ignoring generic words ("Phòng", "Đơn vị", a trailing "Sở") or as the
    department's code; for the rest, the closest name as a suggestion."""

    def __init__(self, departments):
        self.departments = list(departments)
        self.exact = {department.name.strip(): department for department in self.departments}
        self.folded = {plain(department.name): department for department in self.departments}
        keys: dict[str, list] = defaultdict(list)
        for department in self.departments:
            keys[department_key(department.name)].append(department)
            keys[plain(department.code).replace(" ", "")].append(department)
        self.keys = {key: found[0] for key, found in keys.items() if len({d.pk for d in found}) == 1}

    def match(self, name: str) -> tuple[object | None, str]:
        name = " ".join(name.split())
        if name in self.exact:
            return self.exact[name], "exact"
        if plain(name) in self.folded:
            return self.folded[plain(name)], "folded"
        key = department_key(name)
        for candidate in (key, key.replace(" ", "")):  # "Phòng TH-QH" as the code THQH
            if candidate in self.keys:
                return self.keys[candidate], "key"
        return None, ""

    def suggest(self, name: str) -> object | None:
        """The department a name not matched exactly probably means, only when it is really close:
        its initials ("TH-QH" for "Phòng Tổng hợp, Quy hoạch"), its words all found in one department's
        name ("Phòng Tổng hợp"), or a spelling a letter or two away. A name with words of its own
        ("Văn phòng Chính phủ" beside "Văn phòng Sở") is no department's."""
        wanted = department_key(name)
        if not wanted or plain(name).startswith(OUTSIDE_PREFIXES):
            return None
        found = []
        for department in self.departments:
            candidate = department_key(department.name)
            if wanted.replace(" ", "") == "".join(word[0] for word in candidate.split()):
                found.append((1.0, department))  # "TH-QH" for "Phòng Tổng hợp, Quy hoạch"
            elif _abbreviates(wanted.split(), candidate.split()):
                found.append((0.9, department))  # "Phòng Tổng hợp", "Phòng Đăng ký KD"
            else:
                ratio = difflib.SequenceMatcher(None, wanted, candidate).ratio()
                if ratio >= 0.9:
                    found.append((ratio, department))
        if not found:
            return None
        found.sort(key=lambda pair: pair[0], reverse=True)
        if len(found) > 1 and found[0][0] == found[1][0]:
            return None  # two departments as close: no suggestion rather than a guess
        return found[0][1]

    def split(self, text: str) -> list[str]:
        """The department names in a cell: separated by new lines or ';' and, within those, by ',',
        'và' or '+', unless the pieces together form a known department name ("Phòng Tổng hợp, Quy
        hoạch") or the next piece starts in lower case (it continues the name)."""
        names = []
        for part in STRONG_SEPARATORS.split(text or ""):
            part = " ".join(part.split()).strip(" .,-–•")
            if not part:
                continue
            if plain(part).startswith(COLLECTIVE) or self.match(part)[0]:
                names.append(part)
                continue
            pieces = WEAK_SEPARATORS.split(part)  # name, separator, name, …
            words, separators = pieces[0::2], pieces[1::2]
            index = 0
            while index < len(words):
                end = index
                for stop in range(len(words) - 1, index, -1):
                    joined = _join(words, separators, index, stop)
                    if self.match(joined)[0]:
                        end = stop
                        break
                else:
                    while end + 1 < len(words) and not self._starts_a_name(words[end + 1]):
                        end += 1
                name = _join(words, separators, index, end).strip(" .,-–•")
                if name:
                    names.append(name)
                index = end + 1
        return list(dict.fromkeys(names))

    def _starts_a_name(self, piece: str) -> bool:
        words = plain(piece)
        return bool(self.match(piece)[0]) or any(
            words == unit or words.startswith(f"{unit} ") for unit in UNIT_WORDS
        )


def _abbreviates(wanted: list[str], candidate: list[str]) -> bool:
    """Every word of `wanted` is a word of `candidate` or the initials of a run of its words, in order:
    'dang ky kd' abbreviates 'dang ky kinh doanh', 'tong hop' abbreviates 'tong hop quy hoach'."""
    position = 0
    for word in wanted:
        while position < len(candidate):
            if candidate[position] == word:
                position += 1
                break
            run = candidate[position : position + len(word)]
            if len(word) > 1 and len(run) == len(word) and "".join(part[0] for part in run) == word:
                position += len(word)
                break
            position += 1
        else:
            return False
    return True


def _join(words: list[str], separators: list[str], start: int, stop: int) -> str:
    text = words[start]
    for index in range(start, stop):
        text += separators[index] + words[index + 1]
    return text
