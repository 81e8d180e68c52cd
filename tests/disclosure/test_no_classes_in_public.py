"""No public response of the demo names any company's credit-risk class (issue 16, item 8),
unless the locality publishes classes (`PUBLISH_RISK_CLASSES`).

The test crawls the public site from /public/ as a visitor would — every page it links, every
draw's page and files (and each draw's 为什么是我 page), the open data in three formats, the
feed, the verifier and the API's open endpoint — and looks in each response for a company's
code standing next to its class: a CSV or spreadsheet row, an HTML table row, a JSON object
under a stratum's key or with a class field, or the code followed by its class. Which class a
company has is read from the demo itself (the draws' frozen listings and the directory).

With the setting on the same crawl must find classes, in the very files that name them (the
draw pages, bundle.json and population.csv): so the search can fail.
"""

import csv
import io
import json
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from shuangsuiji.core.draw import STRATA, read_population_csv
from shuangsuiji.demo.build import build_demo
from shuangsuiji.directory.models import Entity
from shuangsuiji.draws.models import Draw, DrawState
from shuangsuiji.plans.population import STRATUM_LABELS

pytestmark = pytest.mark.django_db

CLASS_WORDS = set(STRATA) | set(STRATUM_LABELS.values()) | {f"{s}类" for s in STRATA}
CLASS_KEYS = {"risk_class", "stratum", "class", "credit_class"}


def classes_of_the_demo() -> dict[str, set[str]]:
    """Each company's class as the demo holds it: in every draw's frozen listing and in the
    directory now."""
    known: dict[str, set[str]] = {}
    for draw in Draw.objects.only("population_artefact"):
        for code, klass in read_population_csv(draw.population_csv).items():
            known.setdefault(code, set()).add(klass)
    for code, klass in Entity.objects.exclude(risk_class="").values_list("uscc", "risk_class"):
        known.setdefault(code, set()).add(klass)
    return known


def words(klass: str) -> set[str]:
    """How a page may write a class: the letter, 'C类', the label ('C 较高风险')."""
    return {klass, f"{klass}类", STRATUM_LABELS.get(klass, klass)}


class Rows(HTMLParser):
    """Each table row's cells, and each page's links."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.links: list[str] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []
        elif tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.links.append(href)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None and self.rows:
            self.rows[-1].append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def leaks_in_row(cells: list[str], known: dict[str, set[str]]) -> list[str]:
    """Codes in a row that holds, in another cell, one of the code's classes."""
    found = []
    for cell in cells:
        for code in re.findall(r"[0-9A-Z]{18}", cell):
            named = {w for k in known.get(code, ()) for w in words(k)}
            if any(other.strip() in named for other in cells if other is not cell):
                found.append(code)
    return found


def leaks_in_json(value: Any, known: dict[str, set[str]], under: str | None = None) -> list[str]:
    """Codes under a stratum's key that is one of their classes, or beside a class field."""
    found: list[str] = []
    if isinstance(value, dict):
        stated = {str(value[k]) for k in CLASS_KEYS if k in value}
        for key, item in value.items():
            if isinstance(item, str) and item in known and stated & known[item]:
                found.append(item)
            found += leaks_in_json(item, known, key if key in STRATA else under)
    elif isinstance(value, list):
        for item in value:
            found += leaks_in_json(item, known, under)
    elif isinstance(value, str) and value in known and under in known[value]:
        found.append(value)
    return found


def leaks_in_text(text: str, known: dict[str, set[str]]) -> list[str]:
    """A code followed closely by one of its classes: "code,C", "code（C类）", "code C 较高风险"."""
    found = []
    for match in re.finditer(r"[0-9A-Z]{18}", text):
        code = match.group()
        after = text[match.end() : match.end() + 12]
        if code in known and any(
            re.match(rf"[\s,，:：（(\"'/、]{{1,3}}{re.escape(w)}(?![0-9A-Za-z])", after)
            for k in known[code]
            for w in words(k)
        ):
            found.append(code)
    return found


def leaks(response: Any, known: dict[str, set[str]]) -> list[str]:
    kind = response.get("Content-Type", "")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if "spreadsheetml" in kind:
        book = load_workbook(io.BytesIO(body), read_only=True)
        rows = [[str(c) for c in row if c is not None] for s in book for row in s.values]
        return [code for row in rows for code in leaks_in_row(row, known)]
    text = body.decode("utf-8-sig")
    found = leaks_in_text(text, known)
    if "json" in kind:
        found += leaks_in_json(json.loads(text), known)
    elif "csv" in kind:
        found += [c for row in csv.reader(io.StringIO(text)) for c in leaks_in_row(row, known)]
    elif "html" in kind or "xml" in kind:
        parser = Rows()
        parser.feed(text)
        found += [code for row in parser.rows for code in leaks_in_row(row, known)]
    return found


def public_urls() -> Iterator[str]:
    """What the crawl starts from besides /public/: every draw's files and 为什么是我 page (its
    page links them, but a version-1 draw's are listed too), open data, feed, API."""
    yield reverse("disclosure:index")
    for draw_id in Draw.objects.filter(state=DrawState.DRAWN).values_list("draw_id", flat=True):
        yield reverse("disclosure:draw", args=[draw_id])
        yield reverse("disclosure:why", args=[draw_id])
        for name in ("bundle.json", "population.csv", "tokens.csv", "withheld.json"):
            yield reverse("disclosure:draw_file", args=[draw_id, name])
    for fmt in ("csv", "json", "xlsx"):
        yield reverse("disclosure:results_data", args=[fmt])
    yield reverse("disclosure:feed")
    yield "/api/v1/results?limit=100"


def crawl(known: dict[str, set[str]]) -> tuple[dict[str, list[str]], int]:
    """Leaking codes per public response (path → codes), and how many responses were read."""
    client = Client()
    queue, seen = list(public_urls()), set()
    found: dict[str, list[str]] = {}
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code != 200:
            continue
        if codes := leaks(response, known):
            found[url] = sorted(set(codes))
        if "html" in response.get("Content-Type", ""):
            parser = Rows()
            parser.feed(response.content.decode())
            for href in parser.links:
                target = urljoin(url, href)
                parts = urlsplit(target)
                if parts.path.startswith("/public/") and not parts.fragment:
                    queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return found, len(seen)


def kinds(found: dict[str, list[str]]) -> set[str]:
    """What sort of response named classes: a draw page, a draw file (by name), or the path."""
    named = set()
    for url in found:
        draw_file = re.fullmatch(r"/public/draws/[^/]+/(.+)", url)
        named.add(draw_file.group(1) if draw_file else re.sub(r"/draws/[^/]+/$", "/draws/…/", url))
    return named


def test_no_public_response_of_the_demo_names_a_class_unless_classes_are_published(
    settings: Any,
) -> None:
    build_demo(entities_per_district=300)
    known = classes_of_the_demo()
    drawn = Draw.objects.filter(state=DrawState.DRAWN).count()

    settings.PUBLISH_RISK_CLASSES = False
    hidden, read = crawl(known)
    settings.PUBLISH_RISK_CLASSES = True
    shown, _ = crawl(known)

    assert (drawn > 0, read > 6 * drawn) == (True, True)
    assert hidden == {}
    assert kinds(shown) == {"/public/draws/…/", "bundle.json", "population.csv"}
