"""The CommonMark stage reads a block once per process: a block read again in another text is placed where it is
written there, keeps what it notes (GUID spans, images), and a text that defines link references is read whole."""

from __future__ import annotations

from generator.frontends.page.markdown import read_markdown
from generator.model import Link, Paragraph, Table, Text

TABLE = "| a | b |\n|---|---|\n| c | d |\n| e |\n"


def test_a_table_read_again_is_placed_where_it_is_written() -> None:
    first = read_markdown("# T\n\n" + TABLE)
    second = read_markdown("# T\n\nmore\n\n" + TABLE)
    one, two = first.blocks[1], second.blocks[2]
    assert isinstance(one.block, Table) and one.block == two.block
    assert (one.line, one.rows, one.ragged) == (3, (3, 5, 6), ((6, 1),))
    assert (two.line, two.rows, two.ragged) == (5, (5, 7, 8), ((8, 1),))


def test_a_block_read_again_notes_its_guid_spans_and_images_in_each_text() -> None:
    block = "See `DEFINE_GUID(IID_X, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)` and ![x](media/x.png).\n"
    for prefix in ("", "a\n\n", "a\n\nb\n\n"):
        document = read_markdown(prefix + block)
        line = prefix.count("\n") + 1
        assert [(s.line, s.column) for s in document.guid_spans] == [(line, 6)]
        assert [(i.target, i.line, i.column) for i in document.images] == [("media/x.png", line, 70)]


def test_link_references_are_read_in_the_text_that_defines_them() -> None:
    assert read_markdown("[x]\n").blocks[0].block == Paragraph((Text("[x]"),))
    defined = read_markdown("[x]\n\n[x]: /u\n").blocks[0].block
    assert defined == Paragraph((Link("/u", (Text("x"),)),))
    assert read_markdown("text\n\n[x]\n").blocks[1].block == Paragraph((Text("[x]"),))
