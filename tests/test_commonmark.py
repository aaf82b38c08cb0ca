"""The 655 examples of the CommonMark spec through the project's own prose path.

Each example is read by the page front end's CommonMark stage into the
model's prose types and rendered by the doc site's prose renderer.  None may
be refused; outside "HTML blocks" and "Raw HTML", at least 95% must give the
spec's HTML once white space between tags is normalised (and character
references and link targets compared as written); in those two sections no
markup from the input may survive.
"""

from __future__ import annotations

import html
import json
import os
import re
from functools import cache
from pathlib import Path
from urllib.parse import unquote

import pyromark
import pytest
from conftest import ROOT, tools_required

from generator.backends.prose import rich_html
from generator.frontends.page.markdown import read_markdown

SPEC = Path(os.environ.get("MAPI_COMMONMARK", ROOT.parent / "shared" / "commonmark" / "spec-examples.json"))
HTML_SECTIONS = ("HTML blocks", "Raw HTML")


@cache
def examples() -> list[dict[str, str]]:
    if not SPEC.is_file():
        if tools_required():
            pytest.fail(f"CommonMark examples not found at {SPEC}")
        pytest.skip(f"CommonMark examples not found at {SPEC}")
    data: list[dict[str, str]] = json.loads(SPEC.read_text(encoding="utf-8"))
    return data


def render(markdown: str) -> str:
    """Markdown → model → site HTML, link targets kept as written."""
    blocks = tuple(placed.block for placed in read_markdown(markdown).blocks)
    return str(rich_html(blocks, lambda target: target))


_BETWEEN_TAGS = re.compile(r">\s+<")
_ATTRIBUTE_URL = re.compile(r'(href|src)="([^"]*)"')


def normalised(text: str) -> str:
    """HTML with white space between tags dropped, character references and URLs in one spelling."""
    text = _ATTRIBUTE_URL.sub(lambda m: f'{m.group(1)}="{html.escape(unquote(html.unescape(m.group(2))))}"', text)
    text = text.replace("&#34;", "&quot;").replace("&#39;", "'").replace("&#x27;", "'")
    return _BETWEEN_TAGS.sub("><", text.strip())


def test_every_example_renders() -> None:
    for example in examples():
        render(example["markdown"])


def test_the_spec_html_outside_raw_html() -> None:
    outside = [e for e in examples() if e["section"] not in HTML_SECTIONS]
    differing = [e["example"] for e in outside if normalised(render(e["markdown"])) != normalised(e["html"])]
    share = 1 - len(differing) / len(outside)
    assert share >= 0.95, f"{share:.1%} as the spec renders them; differing: {differing}"


def _raw_html(markdown: str) -> list[str]:
    """The raw HTML pieces CommonMark finds in ``markdown`` (tags, comments, declarations)."""
    pieces = []
    for event in pyromark.events(markdown):
        if isinstance(event, dict) and ("Html" in event or "InlineHtml" in event):
            piece = str(event.get("Html", event.get("InlineHtml", ""))).strip()
            if re.search(r"<[A-Za-z/!?]", piece):
                pieces.append(piece)
    return pieces


@pytest.mark.parametrize("section", HTML_SECTIONS)
def test_no_markup_from_the_input_survives(section: str) -> None:
    cases = [e for e in examples() if e["section"] == section]
    assert cases
    for example in cases:
        rendered = render(example["markdown"])
        for piece in _raw_html(example["markdown"]):
            for tag in re.findall(r"<[^<>]*>?", piece):
                assert tag not in rendered, (example["example"], tag, rendered)
