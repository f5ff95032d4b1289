"""A board paper given as a Word document (.docx), read as the text the paper parser reads.

The text is what a person gets by selecting the whole document in Word and pasting it
into a text file: a line per paragraph, in document order, and a line per table row
with its cells separated by tabs. Where Word's paste would break that layout, we write
what the layout means instead:

- paragraphs and line breaks inside a cell are joined with ``<br>``, which the parser
  reads as a line break (as it does in pasted HTML), so a row stays one line whichever
  of its cells holds several paragraphs; a tab inside a cell becomes a space;
- numbers and bullets that Word draws for a list are written out ("1. ", "• ") and
  followed by a space, not by Word's tab, which would make the item a table row;
- a cell spanning several columns gives its text and then an empty cell for each
  further column, so each row has as many cells as its table has columns;
- a cell continuing a vertical merge is empty, as Word pastes it: the parser reads an
  empty area cell as "the area above continues", which is how the seed's text shows a
  plan's areas;
- a row with a single cell (a banner across a table, or a one-column table) gives its
  paragraphs as lines of their own, as Word pastes it, so a theme heading in a banner
  row reads as a heading;
- a table inside a cell gives a line in that cell for each of its rows, the row's cells
  separated by spaces.

Headers, footers, notes, comments, text boxes and deleted tracked changes are left out;
the text is the document as it reads with its changes accepted.

The file is checked before python-docx opens it: its size and zip index
(``safety.check_zip``), that it is a Word document and not another zipped file, then by
``planboard.lib.office``, which every Word document goes through: the XML python-docx
will parse must fit in memory and declare no DTD or entities, which Word never writes
(billion laughs, external entities). python-docx opens only the file it passed.
"""

import io
import re
import zipfile
import zlib
from dataclasses import dataclass

from planboard.imports import safety
from planboard.imports.errors import PaperError
from planboard.lib import office

DOCX = "a Word document (.docx)"
CELL_BREAK = "<br>"
BULLET = "• "
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_INLINE = {
    _W + tag
    for tag in ("hyperlink", "ins", "moveTo", "smartTag", "fldSimple", "customXml", "dir", "bdo")
}
# Ticks and boxes inserted as symbols (Insert > Symbol), by font and character code.
_SYMBOLS = {
    ("wingdings", "F0FC"): "✓",
    ("wingdings", "F0FE"): "☑",
    ("wingdings", "F0FD"): "☒",
    ("wingdings", "F0A8"): "☐",
    ("wingdings", "F06F"): "☐",
    ("wingdings 2", "F050"): "✓",
    ("wingdings 2", "F052"): "☑",
    ("wingdings 2", "F054"): "☒",
    ("wingdings 2", "F0A3"): "☐",
}
# A member that will not unpack: bad CRC or data, encrypted, or an unknown compression.
_UNZIP_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    NotImplementedError,
    RuntimeError,
    OSError,
    EOFError,
)
_OTHER_OFFICE = (
    ("xl/workbook.xml", "an Excel workbook (.xlsx)"),
    ("ppt/presentation.xml", "a PowerPoint presentation (.pptx)"),
)
_FORBIDDEN = {
    "<!DOCTYPE": "a document type declaration (DTD)",
    "<!ENTITY": "XML entity declarations",
}


def docx_to_text(data: bytes, source: str) -> str:
    """The paper's text as pasted from Word, or a one-line PaperError naming ``source``."""
    safety.check_zip(data, source, kind=DOCX)
    _check_names(data, source)
    try:
        checked = office.open_office(data, office.WORD)
    except office.Declared as declared:
        found = "<!DOCTYPE" if "<!DOCTYPE" in declared.found else "<!ENTITY"
        raise PaperError(
            f"the part {declared.part} holds {_FORBIDDEN[found]}, which Word never writes: "
            "the file is refused",
            source=source,
        ) from None
    except office.Damaged as damaged:
        raise _damaged(damaged.cause, source) from None
    except office.Refused as refused:
        raise PaperError(refused.message, source=source) from None
    safety.check_xml_parsers()
    document = _open(checked, source)
    return "\n".join(_Reader(document.part).lines(document.element.body)) + "\n"


def _check_names(data: bytes, source: str) -> None:
    """Refuse a zip that is not a Word document."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = set(archive.namelist())
    for name, what in _OTHER_OFFICE:
        if name in names:
            raise PaperError(f"this is {what}, not {DOCX}", source=source)
    if "[Content_Types].xml" not in names:
        raise PaperError(f"this is a zip archive, not {DOCX}", source=source)


def _open(checked: office.OfficeFile, source: str):
    import docx
    from docx.opc.exceptions import OpcError
    from lxml.etree import LxmlError

    try:
        return docx.Document(checked.stream())
    except ValueError as err:
        if match := re.search(r"content type is '([^']*)'", str(err)):
            raise PaperError(
                f"this is not {DOCX} (its content is {match.group(1)}): open it in Word "
                "and save it as a Word Document (.docx)",
                source=source,
            ) from None
        raise _damaged(err, source) from None
    except (KeyError, IndexError, AttributeError, TypeError, OpcError, LxmlError) as err:
        raise _damaged(err, source) from None
    except _UNZIP_ERRORS as err:
        raise _damaged(err, source) from None


def _damaged(err: Exception, source: str) -> PaperError:
    return PaperError(
        f"the Word document is damaged and cannot be read ({type(err).__name__})", source=source
    )


# -- walking the document ---------------------------------------------------------------


def _children(parent, *tags: str):
    """The ``tags`` children of ``parent`` in order, looking inside content controls and
    custom XML, which wrap paragraphs, tables, rows and cells alike."""
    wanted = {_W + tag for tag in tags}
    for child in parent:
        if child.tag in wanted:
            yield child
        elif child.tag == _W + "customXml":
            yield from _children(child, *tags)
        elif child.tag == _W + "sdt" and (content := child.find(_W + "sdtContent")) is not None:
            yield from _children(content, *tags)


def _inline_text(element) -> str:
    """The text of a paragraph's runs, through links, fields, insertions and controls."""
    parts = []
    for child in element:
        if child.tag == _W + "r":
            parts.append(child.text)  # python-docx: text, tabs and line breaks
            parts += (_symbol(sym) for sym in child.iterchildren(_W + "sym"))
        elif child.tag in _INLINE:
            parts.append(_inline_text(child))
        elif child.tag == _W + "sdt" and (content := child.find(_W + "sdtContent")) is not None:
            parts.append(_inline_text(content))
    return "".join(parts)


def _symbol(sym) -> str:
    font = (sym.get(_W + "font") or "").strip().casefold()
    char = (sym.get(_W + "char") or "").upper()
    if len(char) == 4 and char.startswith("00"):
        char = "F0" + char[2:]  # Word writes a symbol font's characters either way
    return _SYMBOLS.get((font, char), "")


def _continues(tc) -> bool:
    return tc.vMerge == "continue"


class _Reader:
    def __init__(self, part):
        self.numbering = _Numbering(part)

    def lines(self, container) -> list[str]:
        """The lines of a body, or of a cell read as a body: paragraphs and table rows."""
        lines = []
        for block in _children(container, "p", "tbl"):
            if block.tag == _W + "p":
                lines += self.paragraph(block).split("\n")
            else:
                for tr in _children(block, "tr"):
                    lines += self.row(tr)
        return lines

    def paragraph(self, p) -> str:
        return self.numbering.label(p) + _inline_text(p)

    def row(self, tr) -> list[str]:
        tcs = list(_children(tr, "tc"))
        if len(tcs) == 1:
            return ([] if _continues(tcs[0]) else self.lines(tcs[0])) or [""]
        cells = [""] * tr.grid_before
        for tc in tcs:
            cells.append("" if _continues(tc) else CELL_BREAK.join(self.cell(tc)))
            cells += [""] * (tc.grid_span - 1)
        cells += [""] * tr.grid_after
        return ["\t".join(cells)]

    def cell(self, tc) -> list[str]:
        """The cell's lines, without tabs or blank lines, nested tables a line a row."""
        lines = []
        for block in _children(tc, "p", "tbl"):
            if block.tag == _W + "p":
                lines += self.paragraph(block).split("\n")
            else:
                for tr in _children(block, "tr"):
                    inner = (self.cell(c) for c in _children(tr, "tc") if not _continues(c))
                    lines.append(" ".join(" ".join(parts) for parts in inner))
        return [" ".join(line.split()) for line in lines if line.strip()]


# -- list numbers -------------------------------------------------------------------------


@dataclass(frozen=True)
class _Level:
    format: str
    text: str
    start: int


class _Numbering:
    """List numbers and bullets as Word draws them. Counters belong to the abstract list
    (so a list continues across its numberings) and restart where a numbering overrides
    its start, as Word's "Restart at 1" does; a level's text ("%1.%2.") is filled in."""

    def __init__(self, part):
        from docx.opc.constants import RELATIONSHIP_TYPE as RT

        self.lists: dict[str, tuple[str, dict[int, _Level], dict[int, int]]] = {}
        self.styles: dict[str, tuple[str | None, str | None, str | None]] = {}
        self.default_style: str | None = None
        self.counters: dict[str, dict[int, int]] = {}
        self.restarted: set[tuple[str, int]] = set()
        self.links: dict[str, str] = {}  # a list defined by a list style: its style
        for relationship, read in (
            (RT.NUMBERING, self._read_lists),
            (RT.STYLES, self._read_styles),
        ):
            try:
                read(part.part_related_by(relationship).element)
            except (KeyError, AttributeError):
                continue  # no numbering or styles part: nothing is numbered by it

    def _read_lists(self, root) -> None:
        abstracts = {}
        for definition in root.iter(_W + "abstractNum"):
            abstracts[definition.get(_W + "abstractNumId")] = _levels(definition)
            if (link := _val(definition, "numStyleLink")) is not None:
                self.links[definition.get(_W + "abstractNumId") or ""] = link
        for num in root.iter(_W + "num"):
            abstract = _val(num, "abstractNumId") or ""
            levels, starts = dict(abstracts.get(abstract, {})), {}
            for override in num.iter(_W + "lvlOverride"):
                ilvl = _int(override.get(_W + "ilvl"))
                if (start := _int(_val(override, "startOverride"))) is not None:
                    starts[ilvl or 0] = start
                levels.update(_levels(override))
            self.lists[num.get(_W + "numId") or ""] = (abstract, levels, starts)

    def _read_styles(self, root) -> None:
        for style in root.iter(_W + "style"):
            if style.get(_W + "type") != "paragraph":
                continue
            name = style.get(_W + "styleId") or ""
            num_pr = style.find(f"{_W}pPr/{_W}numPr")
            num_id = _val(num_pr, "numId") if num_pr is not None else None
            ilvl = _val(num_pr, "ilvl") if num_pr is not None else None
            self.styles[name] = (num_id, ilvl, _val(style, "basedOn"))
            if style.get(_W + "default") in ("1", "true", "on"):
                self.default_style = name

    def _style_numbering(self, style: str | None) -> tuple[str | None, str | None]:
        for _ in range(20):  # a basedOn chain is short; a loop in a damaged file is cut off
            if style not in self.styles:
                break
            num_id, ilvl, style = self.styles[style]
            if num_id is not None:
                return num_id, ilvl
        return None, None

    def label(self, p) -> str:
        """The number or bullet Word draws before this paragraph, and a space; or ""."""
        ppr = p.find(_W + "pPr")
        num_pr = ppr.find(_W + "numPr") if ppr is not None else None
        style = _val(ppr, "pStyle") if ppr is not None else None
        num_id, ilvl_text = self._style_numbering(style or self.default_style)
        if num_pr is not None:
            num_id = _val(num_pr, "numId") or num_id
            ilvl_text = _val(num_pr, "ilvl") or ilvl_text
        if num_id == "0" or num_id not in self.lists:
            return ""  # not numbered, or numbering switched off (numId 0)
        abstract, levels, starts = self.lists[num_id]
        linked = self._style_numbering(self.links.get(abstract))[0]
        if not levels and linked in self.lists and linked != num_id:
            abstract, levels, _ = self.lists[linked]
        ilvl = _int(ilvl_text) or 0
        if (level := levels.get(ilvl)) is None:
            return ""
        counters = self.counters.setdefault(abstract, {})
        if ilvl in starts and (num_id, ilvl) not in self.restarted:
            self.restarted.add((num_id, ilvl))
            counters[ilvl] = starts[ilvl]
        else:
            counters[ilvl] = counters.get(ilvl, level.start - 1) + 1
        for deeper in [at for at in counters if at > ilvl]:
            del counters[deeper]
        if level.format == "bullet":
            return BULLET
        if level.format == "none":
            return ""

        def number(match: re.Match) -> str:
            at = int(match.group(1)) - 1
            shown = levels.get(at, _Level("decimal", "", 1))
            return _format(counters.get(at, shown.start), shown.format)

        text = re.sub(r"%([1-9])", number, level.text).strip()
        return f"{text} " if text else ""


def _val(element, name: str) -> str | None:
    found = element.find(_W + name)
    return None if found is None else found.get(_W + "val")


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _levels(parent) -> dict[int, _Level]:
    levels = {}
    for lvl in parent.findall(_W + "lvl"):
        start = _int(_val(lvl, "start"))
        levels[_int(lvl.get(_W + "ilvl")) or 0] = _Level(
            format=_val(lvl, "numFmt") or "decimal",
            text=_val(lvl, "lvlText") or "",
            start=0 if start is None else start,
        )
    return levels


_ROMAN = [(1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc")]
_ROMAN += [(50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]


def _format(value: int, number_format: str) -> str:
    """A counter as Word shows it: 3 is "3", "03", "c", "C", "iii" or "III"."""
    text = str(value)
    if value > 0 and number_format in ("lowerLetter", "upperLetter"):
        text = chr(ord("a") + (value - 1) % 26) * ((value - 1) // 26 + 1)
    elif 0 < value < 4000 and number_format in ("lowerRoman", "upperRoman"):
        text = ""
        for amount, letters in _ROMAN:
            count, value = divmod(value, amount)
            text += letters * count
    elif number_format == "decimalZero":
        text = f"{value:02d}"
    return text.upper() if number_format.startswith("upper") else text
