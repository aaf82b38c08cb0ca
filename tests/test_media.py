"""Images: the doc site copies the ``media/`` files its pages show, from the docs folder of their text."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from conftest import SPECS, require_corpus

from generator.build import build_model, render_all
from generator.frontends.page import parse_page
from generator.model import Image, Localized, Record
from generator.outputs import write_outputs
from generator.sources import Sources

PAGES = ("imapigetsessioniunknown.md", "imapigetsession-getmapisession.md")
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256))  # not text: copied as bytes


def _docs(tmp_path: Path) -> Path:
    """An English docs folder whose method page shows one image it has and one it lacks."""
    docs = tmp_path / "en-US"
    (docs / "media").mkdir(parents=True)
    for name in PAGES:
        shutil.copy(require_corpus() / "en-US" / name, docs / name)
    method = docs / PAGES[1]
    text = method.read_text(encoding="utf-8").replace(
        "## See also",
        "## Remarks\n\n![Session diagram](media/session.png \"The session\")\n\n"
        "The file media/missing.png is not shipped: [a link to it](media/missing.png), then the image: ![Gone](media/missing.png)\n\n"
        "## See also",
        1,
    )
    assert "media/session.png" in text
    method.write_text(text, encoding="utf-8")
    (docs / "media" / "session.png").write_bytes(PNG)
    (docs / "media" / "unused.gif").write_bytes(b"GIF89a")
    return docs


def test_the_site_copies_the_images_its_pages_show_and_warns_of_a_missing_one(tmp_path: Path) -> None:
    docs = _docs(tmp_path)
    model = build_model(Sources(SPECS, (docs,)))
    assert [(m.language, m.name, m.source) for m in model.media] == [("en-US", "session.png", "en-US/media/session.png")]
    (missing,) = [d for d in model.diagnostics if d.code == "image-missing"]
    assert missing.loc is not None and missing.loc.file == f"en-US/{PAGES[1]}"
    line = (docs / PAGES[1]).read_text(encoding="utf-8").split("\n")[missing.loc.line - 1]
    # Located at the image itself, not at the first mention of its file (the text before it, a link).
    assert line[missing.loc.column - 1 :] == "media/missing.png)"
    files = render_all(model)
    media = sorted(rel for rel in files if "/media/" in rel)
    # Not unused.gif; the Spanish tree (the seed page is Spanish too) shows the English remarks, image and all.
    assert media == ["docs/en-US/media/session.png", "docs/es-ES/media/session.png"]
    assert files["docs/en-US/media/session.png"] == PNG
    page = files["docs/en-US/IMAPIGetSession.GetMAPISession.html"]
    assert isinstance(page, str)
    assert '<img src="media/session.png" alt="Session diagram" title="The session" />' in page
    assert "<img" not in page.split("Session diagram")[1] and "Gone" in page  # the missing one: its text only
    out = tmp_path / "out"
    write_outputs(files, out)
    assert (out / "docs/en-US/media/session.png").read_bytes() == PNG


def test_a_property_page_locates_the_images_of_its_prose() -> None:
    """A property page's description and remarks are read as CommonMark apart from the page: their images are
    placed in the page, by the line and column of their target."""
    name = "pidtagdisplayname-canonical-property.md"
    text = (require_corpus() / "en-US" / name).read_text(encoding="utf-8")
    text = text.replace("## Remarks\n", "## Remarks\n\nSee media/names.png: ![Names](media/names.png)\n", 1)
    result = parse_page(f"en-US/{name}", text)
    ((language, target, line, column),) = [(i.language, i.target, i.line, i.column) for i in result.images]
    assert (language, target) == ("en-US", "media/names.png")
    assert text.split("\n")[line - 1][column - 1 :] == "media/names.png)"
    assert text.split("\n")[line - 1].startswith("See media/names.png")


def _images(node: object) -> list[str]:
    found: list[str] = []
    pending = [node]
    while pending:
        item = pending.pop()
        if isinstance(item, Image):
            found.append(item.target)
        if isinstance(item, Localized):
            pending.extend(value for _, value in item.items)
        elif isinstance(item, tuple):
            pending.extend(item)
        elif isinstance(item, Record):
            pending.extend(getattr(item, name) for name in item.__slots__)
    return found


def test_images_of_the_english_folder() -> None:
    """en-US: 38 pages show 40 images of its media/ folder; of them only two structure pages are read
    whole (``implementing-objects-in-c.md`` is an article); the model keeps their 2 images, and the
    site copies no others."""
    root = require_corpus() / "en-US"
    referenced = {}
    for page in sorted(root.glob("*.md")):
        text = page.read_text(encoding="utf-8")
        targets = set(re.findall(r"\]\((media/[^)\s]+)", text))
        if targets:
            referenced[page.name] = (targets, parse_page(page.name, text))
    assert len(referenced) == 38 and len({t for targets, _ in referenced.values() for t in targets}) == 40
    assert all((root / target).is_file() for targets, _ in referenced.values() for target in targets)
    read = sorted(name for name, (_, result) in referenced.items() if result.page is not None)
    assert read == ["adrlist.md", "srow.md"]
    model = build_model(Sources(SPECS, (root,)))
    shown = [target for itf in model.interfaces for target in _images(itf)]
    wanted = {target.removeprefix("media/") for name in read for target in referenced[name][0]}
    assert shown == [] and {m.name for m in model.media} == wanted and len(wanted) == 2
    copied = {rel.rpartition("/")[2] for rel in render_all(model) if "/media/" in rel}
    assert copied <= wanted
