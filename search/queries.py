"""What the search box finds: the tasks, plans and legal documents a user may read that hold the
query, ignoring case and diacritics ("cai cach" finds "Cải cách", "dang ky" finds "Đăng ký").

The query is first looked for as a phrase, its words together in their order, as Vietnamese is
written (a word is often two syllables: "thủ tục", "đăng ký"); when nothing holds the phrase, every
word anywhere (search_terms) is looked for instead, and the page says so.

Read access is the plans' rule (plans.access.readable_plans_q): the user's own agency's plans of
every year, and for the province's overseers the issued and closed plans of every agency; another
agency's draft, and any plan of an agency the user may not read, never appears. A legal document
shows when one of those plans cites or implements it, and only from the lists of the agencies the
user reads: each agency has its own record of a document (plans.models.LegalDocument), so another
agency's issuer and summary of the same number never show.

Every filter is a LIKE '%term%' over the expressions the trigram indexes of
search/migrations/0001_trigram_indexes hold (Task.search_text as stored; cchc_unaccent(title)…), so
that on PostgreSQL a rare term is read from the index. A common one matches thousands of tasks: the
tasks are then listed newest plan first (by the plan's id, which grows as plans are created, so that
the database walks the tasks' plan index and stops at the page) and counted up to COUNT_CAP.
"""

from dataclasses import dataclass, field
from functools import reduce
from operator import and_, or_

from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Prefetch, Q

from accounts.access import readable_agency_ids
from cchc.text import fold
from plans.access import readable_plans, readable_plans_q
from plans.models import LegalDocument, Plan
from search.expressions import Unaccent
from search.highlight import EXCERPT, marked
from tasks.models import Task

MIN_TERM = 3  # a trigram index can serve a term of three characters or more
MAX_QUERY = 200
TASKS_PER_PAGE = 30
COUNT_CAP = 1000  # the tasks counted, at most: beyond it the page says "more than 1,000"
PLANS_SHOWN = 20
DOCUMENTS_SHOWN = 20


def search_terms(query: str) -> list[str]:
    """The terms every result must hold, folded: each word of three characters or more, and each
    shorter word with the word before it (the one after it when it comes first): Vietnamese syllables
    are often two letters, and "Đăng ký" is one word of two ("dang ky kinh doanh" → ["dang ky",
    "kinh", "doanh"]). A term inside another is dropped; a term shorter than MIN_TERM is no term."""
    words = fold(query[:MAX_QUERY]).split()
    terms: list[str] = []
    for index, word in enumerate(words):
        if len(word) >= MIN_TERM or len(words) == 1:
            term = word
        elif index > 0:
            term = f"{words[index - 1]} {word}"
        else:
            term = f"{word} {words[index + 1]}"
        if len(term) >= MIN_TERM and term not in terms:
            terms.append(term)
    return [term for term in terms if not any(term != other and term in other for other in terms)]


def search_phrase(query: str) -> list[str]:
    """The query folded, as one term (a phrase), or none when shorter than MIN_TERM."""
    phrase = fold(query[:MAX_QUERY])
    return [phrase] if len(phrase) >= MIN_TERM else []


def _all_in(expression_names: list[str], terms: list[str]) -> Q:
    """Every term in one of the aliased expressions."""
    return reduce(
        and_, (reduce(or_, (Q(**{f"{name}__contains": term}) for name in expression_names)) for term in terms)
    )


def task_text_q(terms: list[str]) -> Q:
    """Tasks whose folded text (Task.search_text, trigram-indexed) holds every term."""
    return reduce(and_, (Q(search_text__contains=term) for term in terms))


def matching_tasks(user, terms: list[str]):
    """The readable tasks holding every term: the newest plan first (see the module's note), each
    plan's in its written order."""
    return (
        Task.objects.filter(readable_plans_q(user, "plan__"), task_text_q(terms))
        .select_related("plan__agency", "section")
        .order_by("-plan_id", "sort_key")
    )


class Capped:
    """The matching tasks as the paginator reads them: counted up to COUNT_CAP (a count that stops
    scanning there), sliced as the queryset."""

    ordered = True

    def __init__(self, tasks, cap: int | None = None):
        self.tasks, self.cap = tasks, COUNT_CAP if cap is None else cap
        self.more = False  # more tasks match than were counted

    def count(self) -> int:
        counted = self.tasks.order_by().values("pk")[: self.cap + 1].count()
        self.more = counted > self.cap
        return min(counted, self.cap)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        return self.tasks[index]


def plans_holding(plans, terms: list[str]):
    """The plans of `plans` whose title holds every term (cchc_unaccent(title), trigram-indexed)."""
    return plans.alias(folded_title=Unaccent("title")).filter(_all_in(["folded_title"], terms))


def documents_holding(documents, terms: list[str]):
    """The legal documents whose number, summary or issuer holds each term (each trigram-indexed)."""
    folded = {"folded_number": "number", "folded_summary": "summary", "folded_issuer": "issuer"}
    return documents.alias(**{name: Unaccent(column) for name, column in folded.items()}).filter(
        _all_in(list(folded), terms)
    )


def matching_plans(user, terms: list[str]):
    return (
        plans_holding(readable_plans(user), terms)
        .select_related("agency")
        .order_by("-year", "agency__name", "-issued_on", "-number")
    )


def matching_documents(user, terms: list[str]):
    """The legal documents of the readable agencies cited or implemented by a readable plan, with
    those plans."""
    readable = readable_plans(user)
    cited = Exists(readable.filter(legal_bases=OuterRef("pk"))) | Exists(
        readable.filter(implements=OuterRef("pk"))
    )
    documents = LegalDocument.objects.filter(cited, agency_id__in=readable_agency_ids(user))
    return (
        documents_holding(documents, terms)
        .prefetch_related(
            Prefetch(
                "cited_by_plans", queryset=readable.order_by("-year", "-issued_on"), to_attr="readable_citing"
            )
        )
        .order_by("-issued_on", "number")
    )


@dataclass
class Hit:
    """A found row and its texts as the result shows them, the matches marked (search.highlight)."""

    item: object
    parts: list[tuple[str, bool]]
    more: list[tuple[str, bool]] = field(default_factory=list)


@dataclass
class PlanGroup:
    """The found tasks of one plan on the page of results, under the plan's title."""

    plan: Plan
    title: list[tuple[str, bool]]
    tasks: list[Hit] = field(default_factory=list)


@dataclass
class Results:
    terms: list[str]
    loose: bool  # no text holds the phrase: these hold each of its words
    page: object  # the page of matching tasks (django.core.paginator.Page)
    more_tasks: bool  # more than COUNT_CAP tasks match: the page counts and pages through that many
    groups: list[PlanGroup]
    plans: list[Hit]
    plan_count: int
    documents: list[Hit]
    document_count: int

    @property
    def total(self) -> int:
        return self.page.paginator.count + self.plan_count + self.document_count


def _capped(queryset, shown: int) -> tuple[list, int]:
    """The first `shown` rows and how many there are in all (a count query only when there are more)."""
    rows = list(queryset[: shown + 1])
    return rows[:shown], len(rows) if len(rows) <= shown else queryset.count()


def search(user, query: str, page_number=None) -> Results | None:
    """The query's phrase (or, when nothing holds it, its words): one page of the matching tasks
    grouped by plan; the matching plans and documents, capped, on the first page only (later pages
    are more of the tasks). None when the query has no term long enough to look for."""
    phrase, words = search_phrase(query), search_terms(query)
    if not phrase and not words:
        return None
    results = _search(user, phrase or words, page_number, loose=not phrase)
    if not results.total and phrase and words and words != phrase:
        results = _search(user, words, page_number, loose=True)
    return results


def _search(user, terms: list[str], page_number, *, loose: bool) -> Results:
    tasks = Capped(matching_tasks(user, terms))
    page = Paginator(tasks, TASKS_PER_PAGE).get_page(page_number)
    groups: list[PlanGroup] = []
    for task in page.object_list:
        if not groups or groups[-1].plan.pk != task.plan_id:
            groups.append(PlanGroup(plan=task.plan, title=marked(task.plan.title, terms)))
        groups[-1].tasks.append(Hit(task, marked(task.content, terms, length=EXCERPT)))
    plans, plan_count, documents, document_count = [], 0, [], 0
    if page.number == 1:
        plans, plan_count = _capped(matching_plans(user, terms), PLANS_SHOWN)
        documents, document_count = _capped(matching_documents(user, terms), DOCUMENTS_SHOWN)
    return Results(
        terms=terms,
        loose=loose,
        page=page,
        more_tasks=tasks.more,
        groups=groups,
        plans=[Hit(plan, marked(plan.title, terms)) for plan in plans],
        plan_count=plan_count,
        documents=[
            Hit(document, marked(document.number, terms), marked(document.summary, terms))
            for document in documents
        ],
        document_count=document_count,
    )
