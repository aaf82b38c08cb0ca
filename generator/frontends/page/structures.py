"""Structure, enum and macro pages → ``StructurePage`` and ``MacroPage`` records.

The page's structure (title, intro, sections) comes from ``structure.lark``
as for interface and method pages; this module reads what a MAPI developer
reads on these pages:

* the "Header file:" row of the intro's table (English or Spanish label);
* the syntax block: ``aggregate.lark`` gives the definition's shape (kind,
  tag, body, declarators) and ``cdata.lark``, the grammar the headers'
  bodies are read by, the members or enumerators in the body;
* the "Members" section: one entry per member, a paragraph of one bold or
  italic name (or of such a name, a colon and its text) and the blocks up to
  the next.  A name the syntax block does not declare continues the entry
  before (the flags and values a member takes are listed so: ``MNID_ID``,
  ``fnevNewMail``), or starts the first; on a translated page, a plain word
  it does not declare (``Valor`` for ``Value``) is the syntax block's member
  at its place, with a ``member-name`` warning;
* a macro page's syntax line and "Parameters" entries (italic names, as on
  method pages).  A page the classifier calls a macro whose syntax block
  types its parameters (``HrComposeEID(LPMAPISESSION psession, ...)``) is a
  function's, not read here.

``combine`` joins the readings of a side-by-side page: structure from the
English one, prose from both.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache, lru_cache

from lark import Lark, Token, Tree
from lark.exceptions import UnexpectedInput

from generator.frontends.cdata import enumerator_values, parse_enumerators, parse_members
from generator.frontends.cdata import warm_up as _warm_up_cdata
from generator.frontends.page.classify import PageKind
from generator.frontends.page.markdown import Placed
from generator.frontends.page.reader import PageReader
from generator.frontends.page.reader import combine as combine_abi_pages
from generator.frontends.page.structure import IDENTIFIER, is_applies_to, squeezed
from generator.model import (
    CodeBlock,
    CType,
    Diagnostic,
    Emphasis,
    FunctionPage,
    Inline,
    InterfacePage,
    Localized,
    MacroPage,
    MemberDoc,
    MethodPage,
    PageMember,
    Paragraph,
    ParamDoc,
    SourceLoc,
    Strong,
    StructurePage,
    Table,
    Text,
)

_HEADER_LABELS = frozenset({"header file", "header", "archivo de encabezado", "encabezado"})
_MEMBERS = frozenset({"members", "miembros"})
_REMARKS = frozenset({"remarks", "comentarios", "notas"})
_DROPPED_WORDS = frozenset({"FAR", "NEAR"})
# A translated member name is a plain word ("Valor"); flags and values are not (MNID_ID, fnevNewMail).
_PLAIN_WORD = re.compile(r"[^\W\d_][^\W\d_A-Z]+")
# A macro's syntax: NAME (args) with each argument one word, or a #define.
_MACRO_CALL = re.compile(r"\s*[A-Za-z_]\w*\s*\(\s*(?:[A-Za-z_]\w*\s*(?:,\s*[A-Za-z_]\w*\s*)*)?\)\s*;?\s*")


@cache
def _parser() -> Lark:
    return Lark.open("aggregate.lark", rel_to=__file__, parser="lalr", start="definition")


def warm_up() -> None:
    """Build this grammar and ``cdata.lark``, which reads the bodies, now (forked workers then inherit them)."""
    _parser()
    _warm_up_cdata()


@dataclass(frozen=True, slots=True)
class _Definition:
    """A syntax block read: kind, names, and its members as (name, type, dims, value, offset in the body), None when the body is not read."""

    kind: str
    names: tuple[str, ...]
    start: int
    members: tuple[tuple[str, CType, tuple[str, ...], str, int], ...] | None


@lru_cache(maxsize=2048)
def _definition(text: str) -> _Definition | tuple[int, int]:
    """The definition a syntax block holds, or the (line, column) where it stops being one.

    Cached: the folders of one snapshot, and both halves of a side-by-side page,
    repeat the same blocks.
    """
    try:
        tree = _parser().parse(text)
    except UnexpectedInput as exc:
        return exc.line, exc.column
    tokens = [t for t in tree.children if isinstance(t, Token)]
    kind = next(str(t) for t in tokens if t.type == "KIND")
    body = next(t for t in tokens if t.type == "BODY")
    tag = [str(t) for t in tokens if t.type == "NAME"]
    declared = [
        str(words[-1])
        for group in tree.children
        if isinstance(group, Tree)
        for words in ([t for t in d.children if isinstance(t, Token) and t.type == "NAME" and t not in _DROPPED_WORDS] for d in group.children if isinstance(d, Tree))
        if words
    ]
    names = tuple(dict.fromkeys([*tag, *declared]))
    inner = str(body)[1:-1]
    start = (body.start_pos or 0) + 1
    if kind == "enum":
        enumerators = parse_enumerators(inner)
        if enumerators is None:
            return _Definition(kind, names, start, None)
        values = enumerator_values(enumerators, lambda _: None)
        found = tuple((e.name, CType("int"), (), "" if v is None else str(v), e.offset) for e, v in zip(enumerators, values))
        return _Definition(kind, names, start, found)
    members = parse_members(inner)
    if members is None:
        return _Definition(kind, names, start, None)
    return _Definition(kind, names, start, tuple((m.name, m.type, m.dims, "", m.offset) for m in members))


class DataPageReader(PageReader):
    """Reads one language's text of a structure, enum or macro page."""

    def structure_page(self) -> StructurePage:
        name = self.heading_text()
        code = self.first_code()
        kind, names, syntax = ("struct", (name,), ()) if code is None else self.definition(code, name)
        members = self.members(self.find_any(_MEMBERS), syntax)
        return StructurePage(
            path=self.path,
            name=name,
            kind=kind,
            names=names,
            header=self.header_file(),
            syntax=syntax,
            summary=self.rich(self.description()),
            members=members,
            remarks=self.rich(self.remark_blocks()),
            loc=self.loc(self.title),
        )

    def macro_page(self) -> MacroPage | None:
        code = self.first_code()
        text = code.block.text.strip() if code is not None and isinstance(code.block, CodeBlock) else ""
        if text and not (_MACRO_CALL.fullmatch(text) or text.startswith("#define")):
            return None
        section = self.find("parameters")
        params = tuple(
            ParamDoc(entry.name, None, self.rich(entry.body, entry=True), self.loc(entry.first))
            for entry in (section.entries if section else ())
        )
        return MacroPage(
            path=self.path,
            name=self.heading_text(),
            header=self.header_file(),
            syntax=" ".join(text.split()),
            summary=self.rich(self.description()),
            params=params,
            remarks=self.rich(self.remark_blocks()),
            loc=self.loc(self.title),
        )

    # the parts of a page

    def find_any(self, idents: frozenset[str]) -> list[Placed]:
        return [b for s in self.sections if s.ident in idents for b in s.blocks]

    def first_code(self) -> Placed | None:
        blocks = [*self.intro, *(b for s in self.sections for b in s.blocks)]
        return next((b for b in blocks if isinstance(b.block, CodeBlock)), None)

    def description(self) -> list[Placed]:
        return [b for b in self.intro if not isinstance(b.block, (Table, CodeBlock)) and not is_applies_to(b.block)]

    def remark_blocks(self) -> list[Placed]:
        return self.find_any(_REMARKS)

    def header_file(self) -> str:
        for placed in (*self.intro, *(b for s in self.sections for b in s.blocks)):
            if isinstance(placed.block, Table):
                for row in (placed.block.header, *placed.block.rows):
                    if len(row) >= 2 and squeezed(row[0]).rstrip(": ").lower() in _HEADER_LABELS:
                        return squeezed(row[1])
        return ""

    def definition(self, code: Placed, title: str) -> tuple[str, tuple[str, ...], tuple[PageMember, ...]]:
        """(kind, names, members) of the syntax block; a ``syntax-block`` warning when it cannot be read."""
        assert isinstance(code.block, CodeBlock)
        text = code.block.text
        first_line = code.line + 1
        read = _definition(text)
        if isinstance(read, tuple):
            line, column = read
            loc = SourceLoc(self.path, first_line + line - 1, column)
            self.warn("syntax-block", "the syntax block is not one struct, union or enum definition; its members are not compared", loc)
            return "struct", (title,), ()

        def at(offset: int) -> SourceLoc:
            offset += read.start
            return SourceLoc(self.path, first_line + text.count("\n", 0, offset), offset - text.rfind("\n", 0, offset))

        names = read.names or (title,)
        if read.members is None:
            self.warn("syntax-block", f"the {read.kind} body of the syntax block cannot be read; its members are not compared", at(0))
            return read.kind, names, ()
        return read.kind, names, tuple(PageMember(n, t, d, v, at(o)) for n, t, d, v, o in read.members)

    def members(self, blocks: list[Placed], syntax: tuple[PageMember, ...]) -> tuple[MemberDoc, ...]:
        declared = [m.name for m in syntax]
        entries: list[tuple[str, SourceLoc, list[Placed | Paragraph]]] = []
        for placed in blocks:
            found = _member_entry(placed)
            if found is None:
                if entries:
                    entries[-1][2].append(placed)
                continue
            written, rest = found
            name = written
            if declared and name not in declared:
                name = self._translated(written, len(entries), declared, [e[0] for e in entries], self.loc(placed)) or ""
                if not name and entries:  # a flag or value the member before takes
                    entries[-1][2].append(Paragraph((Strong((Text(written),)), *rest)))
                    continue
                name = name or written
            entries.append((name, self.loc(placed), [Paragraph(rest)] if rest else []))
        return tuple(MemberDoc(name, self.rich(body, entry=True), loc) for name, loc, body in entries)

    def _translated(self, written: str, index: int, declared: list[str], documented: list[str], loc: SourceLoc) -> str | None:
        """The declared member a translated page's entry stands for (the one at its place), or None."""
        if self.language.startswith("en") or not _PLAIN_WORD.fullmatch(written) or index >= len(declared):
            return None
        name = declared[index]
        if name in documented:
            return None
        self.warn("member-name", f"member entry '{written}' is not a member the syntax block declares; read as {name}, the member at its place", loc)
        return name


def _member_entry(placed: Placed) -> tuple[str, tuple[Inline, ...]] | None:
    """The name a member entry starts with and the rest of its paragraph: a paragraph of one bold
    or italic name (``**ulPropTag**``), or such a name, a colon and text (``_ulSize_: The size``)."""
    block = placed.block
    if not isinstance(block, Paragraph):
        return None
    nodes = [n for n in block.inlines if not (isinstance(n, Text) and not n.text.strip())]
    if not nodes or not isinstance(nodes[0], (Strong, Emphasis)):
        return None
    match = IDENTIFIER.match(squeezed(nodes[0].children))
    if match is None:
        return None
    if len(nodes) == 1:
        return match.group(0), ()
    rest = list(block.inlines[block.inlines.index(nodes[0]) + 1 :])
    if not isinstance(rest[0], Text) or not rest[0].text.startswith(":"):
        return None
    rest[0] = Text(rest[0].text[1:].lstrip())
    return match.group(0), tuple(rest)


AnyPage = InterfacePage | MethodPage | FunctionPage | StructurePage | MacroPage


def read_data_page(path: str, text: str, blocks: tuple[Placed, ...], kind: PageKind, language: str) -> tuple[AnyPage | None, list[Diagnostic]]:
    """One language's reading of a structure or macro page (None: a macro page that is a function's)."""
    reader = DataPageReader(path, text, blocks, language)
    page = reader.structure_page() if kind is PageKind.STRUCTURE else reader.macro_page()
    return page, reader.diagnostics


def combine(english: AnyPage, local: AnyPage) -> AnyPage:
    """One record from the English and the localized reading of a side-by-side page (prose: the localized first)."""
    if isinstance(english, (InterfacePage, MethodPage, FunctionPage)) and isinstance(local, (InterfacePage, MethodPage, FunctionPage)):
        return combine_abi_pages(english, local)
    if isinstance(english, StructurePage) and isinstance(local, StructurePage):
        docs = {m.name: m.text for m in local.members}
        members = tuple(replace(m, text=docs.get(m.name, Localized()).merged(m.text)) for m in english.members)
        return replace(
            english, summary=local.summary.merged(english.summary), remarks=local.remarks.merged(english.remarks), members=members
        )
    if isinstance(english, MacroPage) and isinstance(local, MacroPage):
        texts = {p.name: p.text for p in local.params}
        params = tuple(replace(p, text=texts.get(p.name, Localized()).merged(p.text)) for p in english.params)
        return replace(
            english, summary=local.summary.merged(english.summary), remarks=local.remarks.merged(english.remarks), params=params
        )
    return english

