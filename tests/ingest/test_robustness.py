"""Foreign layouts and bad files: ingest succeeds or says clearly what is wrong, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.cli import main
from assistant.errors import IngestError
from assistant.ingest import load_document
from assistant.ingest.patterns import canonical_source, squash

FOREIGN = sorted((Path(__file__).parents[1] / "data" / "foreign").glob("*.txt"))


@pytest.mark.parametrize("path", FOREIGN, ids=lambda p: p.name[:2])
def test_foreign_documents_ingest_into_sensible_trees(path: Path) -> None:
    d = load_document(path)
    assert d.kind in ("部门预算", "部门决算")
    assert d.page_source == "marks"  # form feeds
    assert max(p.page or 0 for p in d.paragraphs) > 1
    src = canonical_source(path.read_text("utf-8"))
    assert all(squash(p.text) in src for p in d.paragraphs)
    assert d.figures, "money figures with units are found"
    titles = [s.title for s in d.sections]
    # no flattened budget-table row became a heading
    assert not any(t.rstrip().endswith(".00") for t in titles)


def test_foreign_parts_are_top_level_sections() -> None:
    d = load_document(next(p for p in FOREIGN if p.name.startswith("02")))
    assert [s.title for s in d.sections] == ["第一部分 部门概况", "第二部分 2019年度部门预算表",
                                              "第三部分 2019年度部门预算情况说明", "第四部分 名词解释"]
    figs = [f for f in d.figures if f.unit == "万元"]
    assert figs and all(f.value >= 0 for f in figs)


def test_gbk_file_is_read(tmp_path: Path) -> None:
    src = FOREIGN[0].read_text("utf-8")
    gbk = tmp_path / "gbk.txt"
    gbk.write_bytes(src.encode("gb18030"))
    assert load_document(gbk).title == load_document(FOREIGN[0]).title


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "文件是空的"),
        (b"   \n\n", "文件是空的"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, "二进制"),
        (b"just some english text, no report here\n", "没有中文"),
    ],
)
def test_bad_files_get_a_clear_message(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(IngestError) as exc:
        load_document(path)
    assert message in str(exc.value) and "bad.txt" in str(exc.value)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(IngestError, match="文件不存在"):
        load_document(tmp_path / "nope.txt")


def test_50mb_file_is_refused_with_a_message(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "huge.txt"
    line = "预算执行率指标分值6分，得分5.47分。\n".encode()
    with path.open("wb") as f:
        f.write(line * (50 * 1024 * 1024 // len(line) + 1))
    with pytest.raises(IngestError, match="超过单份报告 20 MB"):
        load_document(path)
    # Through the CLI the bad file is reported and the rest of the corpus still lists.
    assert main(["--corpus", str(path), "reports", "--json"]) == 0
    captured = capsys.readouterr()
    assert "huge.txt" in captured.err and '"doc": "000_' in captured.out


def test_list_items_broken_at_the_line_width_are_not_headings() -> None:
    d = load_document(next(p for p in FOREIGN if p.name.startswith("02")))
    duties = d.sections[0].children[0]
    assert duties.title == "一、主要职责"
    # '（二）依法向江苏省人民代表大会及其常务委员会提出议' fills the 27-character line and runs on: a list item
    assert not any(c.title.startswith("（二）依法向") for c in duties.children)
    para = next(p for p in d.paragraphs if p.text.startswith("（二）依法向江苏省人民代表大会"))
    assert para.heading_path == ["第一部分 部门概况", "一、主要职责"]
