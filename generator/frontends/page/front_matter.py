"""Front matter stage: the YAML block at the top of a page, read with PyYAML's C loader.

YAML errors are the page's errors (located at the line PyYAML names), and so
are values a page cannot mean: a locale that is not a language tag.
"""

from __future__ import annotations

import re
from functools import lru_cache

import yaml

from generator.errors import MAX_NESTING, InputError, fail

# PyYAML's libyaml-based loader where it is built in (same results, several times faster).
_YamlLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# A language tag as front matter gives it (ms.contentlocale: es-ES).
_LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*")

# The block itself: `---` on the first line, up to the next `---` line.  The closing line is
# searched for (not matched with the lines before it, each tried against it): a tenth of the time.
_OPENING = re.compile(r"---[ \t]*\n")
_CLOSING = re.compile(r"^---[ \t]*\n", re.MULTILINE)


def split_front_matter(text: str) -> tuple[str, str | None]:
    """``text`` with its front matter blanked (lines kept, for positions), and the YAML between the ``---``."""
    opening = _OPENING.match(text)
    closing = _CLOSING.search(text, opening.end()) if opening is not None else None
    if opening is None or closing is None:
        return text, None
    yaml_text = text[opening.end() : closing.start()].removesuffix("\n")
    return "\n" * text.count("\n", 0, closing.end()) + text[closing.end() :], yaml_text


# The front matter nearly every page has: `key: scalar` lines and `key:` lists of `- scalar` items.
_SIMPLE_KEY = re.compile(r"([A-Za-z_][\w.]*):(?:[ \t]+(.*?))?[ \t]*")
_SIMPLE_ITEM = re.compile(r"-[ \t]+(.*?)[ \t]*")
_PLAIN_SCALAR = re.compile(r"[^\s\-?:,\[\]{}#&*!|>'\"%@`](?:(?!: | #)[^\t])*(?<!:)")
_SINGLE_QUOTED = re.compile(r"'((?:[^']|'')*)'")
_DOUBLE_QUOTED = re.compile(r'"([^"\\]*)"')
_IMPLICIT = yaml.resolver.Resolver.yaml_implicit_resolvers


def _simple_scalar(value: str) -> str | None:
    """The string a YAML scalar written in ``value`` stands for, when it surely is one (else None)."""
    quoted = _SINGLE_QUOTED.fullmatch(value)
    if quoted:
        return quoted.group(1).replace("''", "'")
    quoted = _DOUBLE_QUOTED.fullmatch(value)
    if quoted:
        return quoted.group(1)
    if not _PLAIN_SCALAR.fullmatch(value):
        return None
    # PyYAML's own implicit resolvers decide whether a plain scalar is a string.
    if any(regexp.match(value) for _, regexp in _IMPLICIT.get(value[0], ())):
        return None
    return value


def _simple_front_matter(body: str) -> dict[str, object] | None:
    """What PyYAML would build from ``body``, when it holds only strings and lists of strings.

    A front matter with anything else (numbers, dates, flow collections,
    anchors, block scalars, nesting, comments) gives None: PyYAML reads it.
    This is the common case, and it costs a tenth of PyYAML's constructors.
    """
    data: dict[str, object] = {}
    items: list[str] | None = None
    lists: list[str] = []
    for parsed in map(_simple_line, body.split("\n")):
        if parsed is None:
            return None
        key, value = parsed
        if key is None:
            if value is None:
                continue  # a blank line
            if items is None:
                return None
            items.append(value)
        elif key in data:
            return None
        elif value is None:
            items = []
            data[key] = items
            lists.append(key)
        else:
            data[key] = value
            items = None
    for key in lists:
        if not data[key]:
            data[key] = None  # `key:` alone is null, as in YAML
    return data


# Pages repeat most of their front matter lines (`ms.topic: reference`,
# `ms.audience: Developer`), so each distinct line is read once per process.
@lru_cache(maxsize=1 << 16)
def _simple_line(line: str) -> tuple[str | None, str | None] | None:
    """A front matter line as (key, value), (key, None) opening a list, (None, item), (None, None) if blank.

    None when the line is not one ``_simple_front_matter`` reads.
    """
    if not line.strip():
        return None, None
    item = _SIMPLE_ITEM.fullmatch(line)
    if item is not None:
        value = _simple_scalar(item.group(1))
        return None if value is None else (None, value)
    entry = _SIMPLE_KEY.fullmatch(line)
    if entry is None or _simple_scalar(entry.group(1)) is None:
        return None
    if entry.group(2) is None:
        return entry.group(1), None
    value = _simple_scalar(entry.group(2))
    return None if value is None else (entry.group(1), value)


def read_front_matter(path: str, text: str, body: str) -> dict[str, object]:
    """The front matter's keys and values (``body``: the lines between the ``---``); YAML errors are located in the page."""
    first = 2
    simple = _simple_front_matter(body)
    if simple is not None:
        return _checked(path, text, body, first, simple)
    try:
        _check_yaml_nesting(path, text, body, first)
        data = yaml.load(body, Loader=_YamlLoader) if body.strip() else {}
    except yaml.YAMLError as exc:
        raise _yaml_error(path, text, body, first, exc) from None
    except RecursionError:
        raise fail("front matter: YAML nested too deeply to read", path, text, first, 1) from None
    except (ValueError, TypeError, OverflowError) as exc:  # PyYAML's constructors: a date 2020-13-45
        raise fail(f"front matter: {exc}", path, text, first + _failing_line(body), 1) from None
    if not isinstance(data, dict):
        raise fail("front matter is not a mapping of keys to values", path, text, 1, 1)
    return _checked(path, text, body, first, {str(k): v for k, v in data.items()})


def _checked(path: str, text: str, body: str, first: int, metadata: dict[str, object]) -> dict[str, object]:
    """The metadata, once its locale is known to be a language tag."""
    locale = metadata.get("ms.contentlocale")
    if locale and not (isinstance(locale, str) and _LANGUAGE_TAG.fullmatch(locale)):
        lines = body.split("\n")
        line = next((first + i for i, text in enumerate(lines) if "ms.contentlocale" in text), first)
        shown = repr(locale) if isinstance(locale, str) else f"of type {type(locale).__name__}"
        message = f"front matter: ms.contentlocale {shown} is not a language tag such as es-ES"
        raise fail(message, path, text, line, 1)
    return metadata


def _yaml_error(path: str, text: str, body: str, first: int, error: yaml.YAMLError) -> InputError:
    """The located error for front matter the fast loader refused.

    The message and position are those of PyYAML's pure Python loader, so
    they do not depend on whether libyaml is installed.
    """
    try:
        yaml.safe_load(body)
    except yaml.YAMLError as exc:
        error = exc
    mark = getattr(error, "problem_mark", None)
    line = first + (mark.line if mark else 0)
    column = (mark.column + 1) if mark else 1
    problem = getattr(error, "problem", None) or "invalid YAML"
    return fail(f"front matter: {problem}", path, text, line, column)


def _check_yaml_nesting(path: str, text: str, body: str, first: int) -> None:
    """Refuse YAML nested deeper than ``MAX_NESTING`` (PyYAML builds its objects recursively).

    PyYAML's parser is a state machine, so its events can be counted safely.
    """
    if sum(body.count(mark) for mark in "[{-:?") <= MAX_NESTING:
        return  # every level of YAML nesting takes one of these characters
    depth = 0
    for event in yaml.parse(body, Loader=yaml.SafeLoader):
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > MAX_NESTING:
                mark = event.start_mark
                line, column = (mark.line, mark.column + 1) if mark is not None else (0, 1)
                message = f"front matter: YAML nested more than {MAX_NESTING} deep (the nesting limit)"
                raise fail(message, path, text, first + line, column)
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1


def _failing_line(body: str) -> int:
    """The index of the first front matter line whose value PyYAML cannot build (else 0).

    Constructor errors (``ms.date: 2020-13-45``) carry no position; most
    front matter is one ``key: value`` per line, so each line is tried alone.
    """
    for index, line in enumerate(body.split("\n")):
        try:
            yaml.safe_load(line)
        except (ValueError, TypeError, OverflowError):
            return index
        except yaml.YAMLError:
            continue
    return 0
