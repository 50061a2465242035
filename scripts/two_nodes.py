"""Two web nodes, one deployment: the journey .ci/run takes across two gunicorn processes that share
PostgreSQL, Redis and an S3-compatible store, with one Celery worker.

    python scripts/two_nodes.py --node-a http://127.0.0.1:8001 --node-b http://127.0.0.1:8002 \\
        --host cchc.example.gov.vn --username chuyenvien --password "$DEMO_PASSWORD"

A login made on A is valid on B; a progress report with an evidence file made through A's form (its CSRF
token, a multipart POST) shows on B's task page, whose timeline is a cached part of the page, and its file
downloads through B byte for byte; a PDF long enough to go to the worker, asked for on A, is served by B
once the worker has rendered it. Both nodes are asked as a TLS-terminating proxy would ask them (Host and
X-Forwarded-Proto: https). Standard library only; exits non-zero with the reason at the first failure.
"""

import argparse
import html.parser
import http.cookies
import re
import secrets
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field

PDF_SECONDS = 150  # the worker lays out the longest demo plan in well under this


class Failure(Exception):
    pass


@dataclass
class Answer:
    status: int
    headers: dict
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a redirect is an answer to look at, not to follow with other cookies


@dataclass
class Browser:
    """One person's cookies, sent to whichever node is asked (as a load balancer would)."""

    host: str
    cookies: dict = field(default_factory=dict)

    def __post_init__(self):
        self.opener = urllib.request.build_opener(NoRedirects)

    def ask(self, base: str, path: str, *, data: bytes | None = None, content_type: str = "") -> Answer:
        headers = {"Host": self.host, "X-Forwarded-Proto": "https"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        if data is not None:
            headers["Origin"] = f"https://{self.host}"
            headers["Referer"] = f"https://{self.host}{path}"
            headers["Content-Type"] = content_type
        request = urllib.request.Request(base + path, data=data, headers=headers)  # noqa: S310 – http(s) only (main)
        try:
            with self.opener.open(request, timeout=60) as response:
                answer = Answer(response.status, response.headers, response.read())
        except urllib.error.HTTPError as error:
            answer = Answer(error.code, error.headers, error.read())
        for line in answer.headers.get_all("Set-Cookie") or []:
            for name, morsel in http.cookies.SimpleCookie(line).items():
                if morsel.value and morsel["max-age"] != "0":
                    self.cookies[name] = morsel.value
                else:
                    self.cookies.pop(name, None)
        return answer

    def page(self, base: str, path: str) -> Answer:
        answer = self.ask(base, path)
        if answer.status != 200:
            where = answer.headers.get("Location", "")
            raise Failure(f"GET {base}{path} answered {answer.status} {where}".rstrip())
        return answer

    def post(self, base: str, path: str, fields: dict, files: dict | None = None) -> Answer:
        if files:
            boundary = f"----two-nodes-{secrets.token_hex(8)}"
            return self.ask(
                base,
                path,
                data=multipart(fields, files, boundary),
                content_type=(f"multipart/form-data; boundary={boundary}"),
            )
        body = urllib.parse.urlencode(list(fields.items())).encode()
        return self.ask(base, path, data=body, content_type="application/x-www-form-urlencoded")


def multipart(fields: dict, files: dict, boundary: str) -> bytes:
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode())
        parts.append(f"{value}\r\n".encode())
    for name, (filename, content, content_type) in files.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            f"Content-Type: {content_type}\r\n\r\n".encode()
        )
        parts.append(content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts)


class Page(html.parser.HTMLParser):
    """The forms (action, their named fields' values) and links of a page."""

    def __init__(self, text: str):
        super().__init__()
        self.forms: list[dict] = []
        self.links: list[tuple[str, str]] = []
        self._textarea = None
        self._link = None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append({"action": attrs.get("action", ""), "fields": {}})
        elif tag in ("input", "textarea", "select") and self.forms and attrs.get("name"):
            kind = attrs.get("type", "text")
            if tag == "input" and kind in ("checkbox", "radio", "file", "submit") and "checked" not in attrs:
                return
            self.forms[-1]["fields"][attrs["name"]] = attrs.get("value", "")
            self._textarea = attrs["name"] if tag == "textarea" else None
        elif tag == "a" and attrs.get("href"):
            self._link = [attrs["href"], ""]

    def handle_data(self, data):
        if self._textarea and self.forms:
            self.forms[-1]["fields"][self._textarea] += data
        if self._link is not None:
            self._link[1] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "a" and self._link is not None:
            self.links.append((self._link[0], " ".join(self._link[1].split())))
            self._link = None

    def form(self, action: str) -> dict | None:
        return next((form for form in self.forms if form["action"] == action), None)

    def hrefs(self, pattern: str) -> list[str]:
        found = [href for href, _ in self.links if re.fullmatch(pattern, href)]
        return list(dict.fromkeys(found))


def wait_until_up(browser: Browser, base: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            if browser.ask(base, "/healthz").status in (200, 503):
                return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise Failure(f"{base} did not answer /healthz within {seconds:.0f} s")
        time.sleep(0.5)


def log_in(browser: Browser, base: str, username: str, password: str) -> None:
    forms = Page(browser.page(base, "/dang-nhap/").text).forms
    login = next((form for form in forms if "password" in form["fields"]), {"fields": {}})
    fields = {**login["fields"], "username": username, "password": password}
    if "csrfmiddlewaretoken" not in fields:
        raise Failure("the login page has no form with a CSRF token")
    answer = browser.post(base, "/dang-nhap/", fields)
    if answer.status != 302 or "sessionid" not in browser.cookies:
        raise Failure(f"logging in as {username} on {base} answered {answer.status}, no session")


def reportable_task(browser: Browser, base: str) -> tuple[str, dict]:
    """A task of "Việc của tôi" whose page has the progress form, and that form's fields."""
    mine = Page(browser.page(base, "/viec-cua-toi/").text)
    for href in mine.hrefs(r"/nhiem-vu/\d+/"):
        form = Page(browser.page(base, href).text).form(f"{href}tien-do/")
        if form and int(form["fields"].get("percent") or 0) < 90:
            return href, form["fields"]
    raise Failure("no task in “Việc của tôi” has a progress form to report on")


def journey(node_a: str, node_b: str, host: str, username: str, password: str) -> None:
    browser = Browser(host)
    for base in (node_a, node_b):
        wait_until_up(browser, base)

    log_in(browser, node_a, username, password)
    answer = browser.ask(node_b, "/viec-cua-toi/")
    if answer.status != 200:
        raise Failure(f"the session made on A is not valid on B: /viec-cua-toi/ answered {answer.status}")
    print(f"login: made on A, valid on B (session {browser.cookies['sessionid'][:6]}…)")

    task_url, fields = reportable_task(browser, node_b)  # B keeps the task's timeline in the cache
    marker = f"Báo cáo thử qua hai máy chủ {secrets.token_hex(4)}"
    evidence_name = f"kiem-chung-{secrets.token_hex(4)}.pdf"
    evidence = b"%PDF-1.4\n% two nodes\n" + secrets.token_bytes(48 * 1024) + b"\n%%EOF\n"
    fields = {name: value for name, value in fields.items() if name not in ("result", "decrease_reason")}
    fields.update(percent=str(int(fields.get("percent") or 0) + 5), narrative=marker)
    if "delay_cause" in fields:
        fields["delay_cause"] = "Chờ ý kiến của đơn vị phối hợp."
    answer = browser.post(
        node_a, f"{task_url}tien-do/", fields, files={"files": (evidence_name, evidence, "application/pdf")}
    )
    if answer.status != 302 or urllib.parse.urlsplit(answer.headers.get("Location", "")).path != task_url:
        errors = re.findall(r'class="invalid-feedback[^"]*"[^>]*>(.*?)<', answer.text, flags=re.DOTALL)
        raise Failure(
            f"the progress report through A answered {answer.status}: {errors or answer.text[:500]}"
        )
    print(f"report: {fields['percent']}% with {evidence_name} ({len(evidence):,} bytes) through A")

    task_page = browser.page(node_b, task_url)  # where A's answer sends the browser, asked of B
    if f"Đã ghi nhận tiến độ {fields['percent']}%" not in task_page.text:
        raise Failure(f"B's page of {task_url} does not show A's message of the report just made")
    if marker not in task_page.text:
        raise Failure(
            f"B's page of {task_url} does not show the report made through A (a stale cached timeline)"
        )
    print("cache: B's task page (its timeline a cached part) shows the report made through A")
    links = [href for href, text in Page(task_page.text).links if text == evidence_name]
    if not links:
        raise Failure(f"B's page of {task_url} has no link to {evidence_name}")
    download = browser.ask(node_b, links[0])
    if download.status in (302, 303) and download.headers.get("Location", "").startswith("http"):
        # a URL of the object store signed for a short while (STORAGE_S3_SIGNED_URL_SECONDS)
        with urllib.request.urlopen(download.headers["Location"], timeout=60) as response:  # noqa: S310
            download = Answer(response.status, response.headers, response.read())
    if download.status != 200 or download.body != evidence:
        raise Failure(
            f"the evidence downloaded through B differs ({download.status}, {len(download.body)} bytes)"
        )
    print(f"evidence: uploaded through A, downloaded through B, {len(download.body):,} identical bytes")

    plan_list = Page(browser.page(node_a, "/ke-hoach/").text)
    plans = plan_list.hrefs(r"/ke-hoach/\d+/")
    for year_query in plan_list.hrefs(r"\?year=\d{4}"):  # the plans of the other years
        plans += Page(browser.page(node_a, f"/ke-hoach/{year_query}").text).hrefs(r"/ke-hoach/\d+/")
    pdf_url = None
    for plan_url in dict.fromkeys(plans):
        if browser.ask(node_a, f"{plan_url}in/pdf/").status == 202:  # the page that waits for the worker
            pdf_url = f"{plan_url}in/pdf/"
            break
    if pdf_url is None:
        raise Failure(f"no plan's PDF went to the worker ({len(plans)} plans asked for on A)")
    started = time.monotonic()
    while (answer := browser.ask(node_b, pdf_url)).status == 202:
        if time.monotonic() - started > PDF_SECONDS:
            raise Failure(f"{pdf_url} was still being prepared after {PDF_SECONDS} s")
        time.sleep(1)
    if answer.status != 200 or not answer.body.startswith(b"%PDF-"):
        raise Failure(f"{pdf_url} through B answered {answer.status} {answer.headers.get('Content-Type')}")
    seconds = time.monotonic() - started
    print(
        f"document: {pdf_url} asked on A, rendered by the worker, served by B ({len(answer.body):,} bytes, {seconds:.0f} s)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--node-a", required=True)
    parser.add_argument("--node-b", required=True)
    parser.add_argument("--host", required=True, help="the site's name (ALLOWED_HOSTS)")
    parser.add_argument("--username", required=True)
    parser.add_argument("--password", required=True)
    args = parser.parse_args()
    for base in (args.node_a, args.node_b):
        if not base.startswith(("http://", "https://")):
            parser.error(f"a node's address starts with http:// or https://, not {base!r}")
    try:
        journey(args.node_a.rstrip("/"), args.node_b.rstrip("/"), args.host, args.username, args.password)
    except (Failure, OSError) as error:
        print(f"two nodes: FAILED: {error}", file=sys.stderr)
        return 1
    print("two nodes: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
