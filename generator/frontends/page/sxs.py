"""Side-by-side stage: a page of the ``live-sxs`` branches → one text per language.

Such a page carries every sentence twice, the translation and its English
source, as ``<span data-ttu-id="…">localized</span><span class="sxs-lookup">
<span data-stu-id="…">English</span></span>``.  Choosing one half of every
pair before the CommonMark stage gives each language a whole Markdown
document of its own, so emphasis or links can never straddle the two halves.
Lines are kept: a pair spread over several lines leaves the dropped half's
line ends behind.
"""

from __future__ import annotations

import re

SXS_MARK = 'class="sxs-lookup"'

# A half is any text up to the first ``</span>``, written unrolled (runs of
# ``[^<]``, each ``<`` checked once) rather than as a lazy ``(?:(?!</span>).)*?``,
# which tests the lookahead at every character: 5 times faster, same matches.
_HALF = r"([^<]*(?:<(?!/span>)[^<]*)*)"
_PAIR = re.compile(
    r'<span data-ttu-id="[^"]*">' + _HALF + r"</span>"
    r'<span class="sxs-lookup"><span data-stu-id="[^"]*">' + _HALF + r"</span></span>"
)


def is_side_by_side(text: str) -> bool:
    """Whether the page pairs its sentences with their English source."""
    return SXS_MARK in text


def project(text: str, english: bool) -> str:
    """The page with every side-by-side pair replaced by one half (``english``: the source's)."""
    keep, drop = (2, 1) if english else (1, 2)

    def half(match: re.Match[str]) -> str:
        dropped = match.group(drop)
        return match.group(keep) + "\n" * dropped.count("\n") if "\n" in dropped else match.group(keep)

    return _PAIR.sub(half, text)


def english_line(line: str) -> str:
    """One line with its pairs replaced by their English halves."""
    return _PAIR.sub(lambda match: match.group(2), line) if SXS_MARK in line else line
