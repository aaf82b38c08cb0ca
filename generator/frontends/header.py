"""Front end for MAPI C headers (mingw-w64 and Outlook MAPI header style).

Reads the ``*_METHODS(IPURE)`` macros, the ``DECLARE_MAPI_INTERFACE_`` bodies
that list them, ``DECLARE_MAPI_INTERFACE_PTR``, simple typedefs and those that
define a struct, union or enum, ``DEFINE_GUID``/``DEFINE_OLEGUID``, the macros
of GUID families defined with them (``DEFINE_EXCHFORMGUID``) and their uses, and
HRESULT ``#define`` lines; everything else in a header is skipped.  The grammar is
``header.lark``; its comments describe the quirks of the input.

Macros are often defined in one header and used in another (mapix.h uses
MAPI_IUNKNOWN_METHODS from mapidefs.h), so ``parse_headers`` reads several
headers into one macro table and resolves the interfaces afterwards.  An
interface body lists the macros of its whole base chain first; the record
keeps only the interface's own slots, after checking that the leading ones
are exactly its base's vtable.

Locations: an interface is at its ``DECLARE_*`` keyword, a method at its
``MAPIMETHOD``/``STDMETHOD`` keyword (inside the macro that declares it), a
parameter at its first token after a direction comment, a GUID at
``DEFINE_GUID``, a typedef at ``typedef``/``DECLARE_MAPI_INTERFACE_PTR`` and
an HRESULT code at its ``#define``.  A parameter without a name is called
``arg<N>`` (N counts from 1).  An interface's IID is the ``IID_<name>`` GUID
of any header read; an HRESULT alias resolves against every code read and
``STANDARD_HRESULTS``, and is left out when it names something else.

Stages, one module each: ``header_preprocess`` (the text the grammar reads,
the directives followed), the grammar, ``header_builder`` (parse tree to the
records of ``header_records``), ``header_resolve`` (across one header set);
this module loads the grammar, runs them and translates Lark's errors.
"""

from __future__ import annotations

import itertools
from typing import Any

from lark import Lark, Token
from lark.exceptions import UnexpectedInput, UnexpectedToken, VisitError
from lark.tree import Tree

from generator.errors import InputError, check_text
from generator.frontends.header_builder import RecordBuilder
from generator.frontends.header_preprocess import prepare
from generator.frontends.header_records import Locator, Record, Unit
from generator.frontends.header_resolve import Resolver
from generator.model import AbiFile, GuidDefinition

_parser_instance: Lark | None = None


def _parser() -> Lark:
    global _parser_instance
    if _parser_instance is None:
        _parser_instance = Lark.open(
            "header.lark", rel_to=__file__, parser="lalr", propagate_positions=True
        )
    return _parser_instance


# --- public API -------------------------------------------------------------


def warm_up() -> None:
    """Build the header grammar now: worker processes forked afterwards inherit it instead of each building it."""
    _parser()


def parse_header(path: str, text: str) -> AbiFile:
    """Read one header (``path`` is the display path); it must define every macro it uses."""
    return parse_headers([(path, text)])[0]


def parse_headers(files: list[tuple[str, str]]) -> tuple[AbiFile, ...]:
    """Read several ``(path, text)`` headers; those of one folder share one table of ``*_METHODS`` macros.

    Each folder (the path up to its last ``/``) is one header set, such as
    Microsoft's or mingw-w64's: its files are read in order, then interfaces,
    bases, IIDs and HRESULT aliases are resolved across them, but not across
    sets, which declare the same interfaces.  Returns one ``AbiFile`` per
    input, in input order.
    """
    for path, text in files:
        check_text(path, text)
    units = [_read(path, text) for path, text in files]
    sets: dict[str, list[Unit]] = {}
    for unit in units:
        sets.setdefault(unit.path.rpartition("/")[0], []).append(unit)
    resolved = {f.path: f for members in sets.values() for f in Resolver(members).files()}
    return tuple(resolved[unit.path] for unit in units)


def parse_guid_definitions(
    path: str, text: str, line_offset: int = 0, column_offset: int = 0
) -> tuple[GuidDefinition, ...]:
    """The ``DEFINE_GUID``/``DEFINE_OLEGUID`` definitions in a C or C++ snippet.

    The snippet starts at line ``line_offset + 1``, column ``column_offset + 1``
    of the file it was taken from, so positions point into that file.
    """
    text = "\n" * line_offset + " " * column_offset + text
    check_text(path, text)
    unit = _read(path, text)
    return tuple(r for r in unit.records if isinstance(r, GuidDefinition))


def _read(path: str, text: str) -> Unit:
    try:
        records: list[Record] = RecordBuilder(path, text).transform(_parser().parse(prepare(text)))
    except UnexpectedInput as exc:
        raise _syntax_error(exc, Locator(path, text)) from None
    except VisitError as exc:
        if isinstance(exc.orig_exc, InputError):
            raise exc.orig_exc from None
        raise
    return Unit(path, text, tuple(records))


def _syntax_error(exc: UnexpectedInput, where: Locator) -> InputError:
    """The InputError for a Lark syntax error (interface bodies get a better message)."""
    if not isinstance(exc, UnexpectedToken):  # a character no terminal matches
        offset = exc.pos_in_stream or 0
        return where.fail(f"unexpected character {where.text[offset : offset + 1]!r}", offset)
    token, body = exc.token, _open_interface(exc)
    if token.type == "$END":
        if body is not None:
            message = f"unbalanced braces: the body of interface {body[0]} is never closed"
            return where.fail(message, body[1].start_pos or 0)
        return where.fail(f"unexpected end of file{_expected(exc)}", len(where.text))
    offset = token.start_pos or 0
    if body is not None and token == "{":
        message = f"unbalanced braces: unexpected '{{' in the body of interface {body[0]}"
        return where.fail(message, offset)
    what = "end of line" if token.type == "_EOL" else repr(str(token))
    inside = f" in the body of interface {body[0]}" if body is not None else ""
    return where.fail(f"unexpected {what}{inside}{_expected(exc)}", offset)


# How error messages name the regex terminals; literal ones are quoted as written.
_TERMINAL_WORDS = {
    "NAME": "a name",
    "NUMBER": "a number",
    "GUID_ARG": "a number",
    "_EOL": "end of line",
    "DIRECTION": "a direction comment",
    "ANNOTATION": "an annotation",
    "ARRAY": "'['",
}


def _expected(exc: UnexpectedToken) -> str:
    """A '; expected X or Y' suffix when only a few tokens fit, else ''."""
    words: set[str] = set()
    for name in exc.expected:
        if name in _TERMINAL_WORDS:
            words.add(_TERMINAL_WORDS[name])
            continue
        pattern = _parser().get_terminal(name).pattern if name != "$END" else None
        if pattern is None or pattern.type != "str":
            return ""
        words.add(repr(pattern.value))
    if not words or len(words) > 4:
        return ""
    return "; expected " + " or ".join(sorted(words))


def _open_interface(exc: UnexpectedToken) -> tuple[str, Token] | None:
    """(name, its '{') when the parser stopped inside an interface body."""
    stack: list[Any] = list(getattr(exc.state, "value_stack", ()))
    for head, brace in itertools.pairwise(stack):
        if isinstance(head, Tree) and head.data == "iface_head" and isinstance(brace, Token):
            return str(head.children[0]), brace
    return None
