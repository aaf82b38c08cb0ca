"""The one Jinja environment of the back ends, and the one escape for generated Python."""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from generator.resources import templates_folder

TEMPLATES = templates_folder()


@cache
def environment() -> Environment:
    """Strict, trimmed, newline-keeping; autoescaped for every ``*.html.j2`` template.

    Templates are part of the generator, like its code (``build.code_stamp``):
    they are not checked for changes on every use (``auto_reload``), which
    costs a file system look-up per page rendered.
    """
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        auto_reload=False,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=select_autoescape(enabled_extensions=("html", "html.j2"), default=False),
    )
    env.filters["py_string"] = py_string
    env.filters["py_tuple"] = py_tuple
    return env


def compile_templates(folder: str) -> None:
    """Compile every template of ``templates/<folder>/`` now (each is compiled once per process, on first use).

    Processes forked afterwards inherit them compiled instead of compiling them each.
    """
    env = environment()
    for name in env.list_templates(filter_func=lambda name: name.startswith(f"{folder}/") and name.endswith(".j2")):
        env.get_template(name)


def render(template: str, **context: object) -> str:
    """Render ``templates/<template>`` with a view model."""
    return environment().get_template(template).render(**context)


# Characters a Python string literal cannot hold as they are (or that would change how it reads).
_SPECIAL = re.compile(r'[\\"\x00-\x1f\x7f]|[^\x00-\x7f]')


def py_tuple(items: tuple[str, ...]) -> str:
    """A Python tuple literal of strings, each through ``py_string``."""
    inner = ", ".join(py_string(item) for item in items)
    return f"({inner},)" if len(items) == 1 else f"({inner})"


def py_string(text: str, docstring: bool = False) -> str:
    """A Python string literal holding ``text`` exactly, safe to paste into generated code.

    Every character that could end the literal, change how it reads
    (``\\r``, line and paragraph separators, bidi controls) or is not printable
    is written as an escape, so text from the input can never become code.
    With ``docstring`` the literal is triple-quoted and keeps its line breaks.
    """
    quote = '"""' if docstring else '"'

    def escape(match: re.Match[str]) -> str:
        char = match.group()
        code = ord(char)
        if char == "\\":
            return "\\\\"
        if char == '"':
            return '\\"'
        if char == "\n":
            return "\n" if docstring else "\\n"
        if char == "\t":
            return "\\t"
        if code < 0x80:
            return f"\\x{code:02x}"
        if char.isprintable() and unicodedata.category(char) not in ("Cf", "Zl", "Zp", "Cs"):
            return char
        return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"

    return quote + _SPECIAL.sub(escape, text) + quote


def import_order(names: list[str]) -> list[str]:
    """Names in the order ruff's isort expects inside one ``from … import (…)``."""
    def key(name: str) -> tuple[int, list[object]]:
        group = 0 if name.isupper() else 1 if name[:1].isupper() else 2
        return group, [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", name.lower()) if t]

    return sorted(set(names), key=key)


def dunder_all_order(names: list[str]) -> list[str]:
    """Names in the order ruff expects of ``__all__``: CONSTANTS, Classes, the rest."""

    def key(name: str) -> tuple[int, list[object]]:
        letters = [c for c in name if c.isalpha()]
        if letters and all(c.isupper() for c in letters):
            group = 0
        elif name[:1].isupper():
            group = 1
        else:
            group = 2
        parts: list[object] = [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", name) if t]
        return group, parts

    return sorted(set(names), key=key)
