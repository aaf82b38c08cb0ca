"""What the header front end follows of the C preprocessor, and the text it hands the parser.

Line continuations are joined and unclosed comments blanked without moving
any offset; ``#if`` branches are followed only as far as ``UNICODE`` and
``_MAC`` go, packing directives push and pop the packing of the aggregates
that follow, and a structure body keeps the branch a Unicode Windows build
reads.
"""

from __future__ import annotations

import re

from lark import Token

from generator.frontends.cdata import parse_constant
from generator.frontends.header_records import Define, Locator, Record
from generator.model import AbiFunction

_CONTINUATION = re.compile(r"\\\r?\n")


def prepare(text: str) -> str:
    """The text the grammar reads: continuations joined, CRLF as LF, a final newline, unclosed comments blanked.

    Same-length replacements keep every offset valid in the original text.
    """
    joined = _CONTINUATION.sub(lambda m: " " * len(m.group()), text).replace("\r\n", " \n")
    if not joined.endswith("\n"):
        joined += "\n"
    return _neutralize_unclosed_comments(joined)


def _neutralize_unclosed_comments(text: str) -> str:
    """Every ``/*`` with no ``*/`` after it becomes ``/ `` (same length).

    C would read the rest of the file as a comment; this reader skips what it
    does not know anyway.  Left alone, each such opening would make the lexer
    scan to the end of the file, once per opening: hostile headers of
    repeated ``#/*`` would take hours.
    """
    last_close = text.rfind("*/")
    first_open = text.find("/*", last_close + 2 if last_close >= 0 else 0)
    if first_open < 0:
        return text
    return text[:first_open] + text[first_open:].replace("/*", "/ ")


# "#ifndef UNICODE", "#if !defined(UNICODE)", their #else and #endif, and #define.
_DIRECTIVE = re.compile(r"#[ \t]*(if|ifdef|ifndef|elif|else|endif|define)\b(.*)", re.DOTALL)
_COMMENTS = re.compile(r"/\*(?:[^*]|\*(?!/))*\*/|//.*")
# "#ifdef _MAC", "#if defined(_MAC)": the Macintosh branch, whose functions (MAPIWin.h's
# Win32 stand-ins) no Windows build declares; its constants are read as before.
_MAC_TEST = re.compile(r"(?:defined[ \t]*\(?[ \t]*)?_MAC[ \t]*\)?")
_UNICODE_TEST = re.compile(r"(!?)[ \t]*(?:defined[ \t]*\(?[ \t]*)?UNICODE[ \t]*\)?")
# "#define NAME value", not "#define NAME(args) ..."
_OBJECT_DEFINE = re.compile(r"[ \t]+([^\W\d]\w*)(?![\w(])(.*)", re.DOTALL)

# Packing: "#include <pshpack1.h>" ... "#include <poppack.h>" (mingw-w64's tnef.h), "#pragma pack(push, 1)",
# "#pragma pack(1)", "#pragma pack(pop)", "#pragma pack()".
_PACK = re.compile(r"#[ \t]*(?:include[ \t]*[<\"]pshpack(\d)\.h[>\"]|include[ \t]*[<\"](poppack)\.h[>\"]"
                   r"|pragma[ \t]+pack[ \t]*\([ \t]*(?:(push)[ \t]*,[ \t]*(\d+)|(pop)|(\d+)|())[ \t]*\))")


def follow_directive(token: Token, branches: list[tuple[str, bool]], records: list[Record], where: Locator) -> None:
    """Track the ``#if`` branches ``token`` opens, switches or closes; add the constant a ``#define`` gives."""
    match = _DIRECTIVE.match(token)
    if match is None:
        return
    word, rest = match.groups()
    if word in ("if", "ifdef", "ifndef"):
        condition = _COMMENTS.sub("", rest).strip()
        test = _UNICODE_TEST.fullmatch(condition)
        kind = "" if test is None else "ansi" if (word == "ifndef") != (test.group(1) == "!") else "unicode"
        if word != "ifndef" and _MAC_TEST.fullmatch(condition):
            kind = "mac"
        branches.append((kind, kind in ("ansi", "mac")))
    elif word in ("else", "elif") and branches:
        kind, skipped = branches[-1]
        branches[-1] = (kind, kind == "unicode" if word == "elif" else bool(kind) and not skipped)
        if kind == "mac":
            branches[-1] = (kind, False)
    elif word == "endif" and branches:
        branches.pop()
    elif word == "define" and not any(skipped for kind, skipped in branches if kind != "mac"):
        define = _OBJECT_DEFINE.match(rest)
        if define is not None and define.group(2).strip():
            expr = parse_constant(define.group(2))
            if expr is not None:
                records.append(Define(define.group(1), expr, where.at(token.start_pos or 0)))


def in_mac_branch(child: object, branches: list[tuple[str, bool]]) -> bool:
    """A function record read inside the ``_MAC`` branch of an ``#if``."""
    if isinstance(child, list) and not any(isinstance(r, AbiFunction) for r in child):
        return False
    return any(kind == "mac" and skipped for kind, skipped in branches)


def follow_packing(token: Token, packs: list[int]) -> None:
    """Follow the packing directives: push, pop or set the packing of the aggregates that follow."""
    match = _PACK.match(token)
    if match is None:
        return
    include_push, include_pop, push, push_value, pop, value, reset = match.groups()
    if include_push or push:
        packs.append(int(include_push or push_value))
    elif (include_pop or pop) and packs:
        packs.pop()
    elif value is not None:
        packs[-1:] = [int(value)]
    elif reset is not None:
        packs[-1:] = [0]


# A test for a big-endian (Macintosh) build: "#if TARGET_RT_BIG_ENDIAN", "#ifdef _MAC".
_BIG_ENDIAN_TEST = re.compile(r"(?:defined[ \t]*\(?[ \t]*)?(?:_MAC|TARGET_RT_BIG_ENDIAN)\b")
_BODY_DIRECTIVE = re.compile(r"^[ \t]*#[ \t]*(\w*)(.*)$", re.MULTILINE)


def one_branch(body: str) -> str:
    """A structure's body with its directive lines, and the branches of its ``#if``s not read, blanked.

    Of an ``#if`` the first branch is read, as for constants, except where the
    test is for a big-endian or Macintosh build (``TARGET_RT_BIG_ENDIAN``,
    ``_MAC``) or ``#ifndef UNICODE``: there the ``#else`` branch is, as a
    Unicode Windows build sees it (CY's ``ULONG Lo; LONG Hi;``).  Blanks keep
    every offset.
    """
    if "#" not in body:
        return body
    out: list[str] = []
    reading: list[bool] = []  # per open #if: is the branch being read
    taken: list[bool] = []  # per open #if: was a branch read already
    position = 0
    for match in _BODY_DIRECTIVE.finditer(body):
        if all(reading):
            out.append(body[position : match.start()])
        else:
            out.append(re.sub(r"[^\n]", " ", body[position : match.start()]))
        out.append(" " * (match.end() - match.start()))
        position = match.end()
        word, rest = match.group(1), _COMMENTS.sub(" ", match.group(2)).strip()
        if word in ("if", "ifdef", "ifndef"):
            unicode_test = _UNICODE_TEST.fullmatch(rest)
            negated = word == "ifndef" or (unicode_test is not None and unicode_test.group(1) == "!")
            other_branch = bool(_BIG_ENDIAN_TEST.search(rest)) or (unicode_test is not None and negated)
            reading.append(not other_branch)
            taken.append(not other_branch)
        elif word in ("elif", "else") and reading:
            reading[-1] = not taken[-1]
            taken[-1] = True
        elif word == "endif" and reading:
            reading.pop()
            taken.pop()
    out.append(body[position:] if all(reading) else re.sub(r"[^\n]", " ", body[position:]))
    return "".join(out)

