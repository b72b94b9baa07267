"""Office files (.xlsx, .docx) are zip packages of XML parts: check that one is sound and
small before openpyxl or python-docx open it.

The upload limit bounds the packed file only: a 300 KB part can unpack to gigabytes, and an
XML part can declare entities that expand a billion-fold or name a file on the server. So
before any library sees the file, its central directory is checked (how many parts, how
many bytes unpacked), then every part is unpacked once, in chunks, and every XML part is
parsed once with expat, which keeps no tree. Refused, each with what is wrong:

- too many parts, more bytes unpacked than MAX_UNPACKED_MB, more XML elements than
  MAX_ELEMENTS or attributes (namespace declarations included) than MAX_ATTRIBUTES, and ZIP64 (meant for archives over 4 GB, it would hide the directory's size);
- a part whose bytes do not match its checksum: a truncated or bit-flipped file, or one
  that lies about a part's size (zipfile never unpacks more than the size the directory
  declares, so the declared total is a real bound);
- encryption, and compression methods Office does not use;
- XML that is not well-formed, and any entity declaration (Office never writes one; they
  are how billion-laughs and XXE files work). A DOCTYPE alone, as in an SVG picture, is fine.

Bounds, measured on a 2-core machine (tests/test_hostile_files.py builds such files):
- a bomb is refused from its central directory alone, in under 1 ms and with no memory
  beyond the upload: a 120 KB .xlsx whose sheet unpacks to 100 MB, a 2 MB .docx whose
  document unpacks to 2 GB, a 4.6 MB zip listing 55,000 parts;
- a file within the limits costs this check one pass of zlib and expat in 64 KB chunks,
  at most 0.5 s and no memory to speak of; the libraries then parse at most 25 MB and
  600,000 elements: at worst about 6 s and 110 MB (a .docx of 140,000 paragraphs),
  3-4 s and 50-70 MB for an .xlsx (read-only mode streams it);
- lxml keeps about 220 bytes for each attribute, however short: 3 million of them (a.b="")
  in an 800 KB .docx made python-docx's tree 640 MB. A million, the most allowed, cost
  0.6 s and 220 MB on top of the elements.
"""
import struct
import zlib
from io import BytesIO
from xml.parsers import expat
from zipfile import ZIP_DEFLATED, ZIP_STORED, BadZipFile, ZipFile, ZipInfo

from ..domain.errors import ReadError

MAX_PARTS = 1000  # a workbook of 300 sheets has about 320
MAX_UNPACKED_MB = 25  # our own export of 300 sheets of 40 rows unpacks to 19 MB
MAX_UNPACKED_BYTES = MAX_UNPACKED_MB * 1024 * 1024
# What the libraries' time and memory grow with (python-docx keeps a tree of every element);
# that export has 520,000.
MAX_ELEMENTS = 600_000
# lxml's memory grows with attributes too (about 220 bytes each); that export has 670,000.
MAX_ATTRIBUTES = 1_000_000
# A central directory entry is 46 bytes plus its name and extras; Office's names are short.
MAX_DIRECTORY_BYTES = MAX_PARTS * 300
CHUNK = 64 * 1024
END_RECORD = struct.Struct("<4s4H2LH")  # the zip's "end of central directory" record
END_SIGNATURE, ZIP64_LOCATOR = b"PK\x05\x06", b"PK\x06\x07"
ENCRYPTED = 0x1 | 0x40  # general purpose flag bits 0 and 6 (strong encryption)
# How an XML part starts (after blanks): "<", a byte-order mark, or UTF-16 without one.
XML_STARTS = (b"<", b"\0<", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")


class _EntityDeclared(Exception):
    pass


class _TooManyElements(Exception):
    pass


class _TooManyAttributes(Exception):
    pass


class _ElementBudget:
    """Counts the XML elements and attributes of every part, stopping past MAX_ELEMENTS or
    MAX_ATTRIBUTES; a namespace declaration counts as an attribute, as lxml keeps each too."""

    def __init__(self):
        self.left = MAX_ELEMENTS
        self.attributes_left = MAX_ATTRIBUTES

    def spend(self, name: str, attributes: dict) -> None:
        self.left -= 1
        if self.left < 0:
            raise _TooManyElements
        self.spend_attributes(len(attributes))

    def spend_attributes(self, count: int = 1) -> None:
        self.attributes_left -= count
        if self.attributes_left < 0:
            raise _TooManyAttributes


def check(data: bytes, source: str) -> set[str]:
    """The part names of a sound zip package within the limits; ReadError says what is wrong."""
    _check_directory_size(data, source)
    try:
        archive = ZipFile(BytesIO(data))
    except (BadZipFile, NotImplementedError, ValueError, EOFError):
        raise _damaged(source) from None
    with archive:
        parts = archive.infolist()
        if len(parts) > MAX_PARTS:
            raise _too_many_parts(source)
        unpacked = sum(part.file_size for part in parts)
        if unpacked > MAX_UNPACKED_BYTES:
            raise ReadError(source, None, f"解压后有{unpacked / 1024 / 1024:,.0f} MB，超过{MAX_UNPACKED_MB} MB，不像是绩效目标表")
        budget = _ElementBudget()
        for part in parts:
            _check_part(archive, part, source, budget)
        return {part.filename for part in parts}


def _check_directory_size(data: bytes, source: str) -> None:
    """Refuse a directory listing too many parts before zipfile turns each into an object
    (a 5 MB file lists 60,000 of them; zipfile would spend 0.4 s and 40 MB on those)."""
    at = data.rfind(END_SIGNATURE, max(0, len(data) - END_RECORD.size - 0xFFFF))
    if at < 0 or len(data) < at + END_RECORD.size:
        raise _damaged(source)
    if data[max(0, at - 20):at - 16] == ZIP64_LOCATOR:
        # ZIP64 is for archives over 4 GB; it would also hide the directory's size from us.
        raise ReadError(source, None, "压缩格式（ZIP64）不是Office为这样大小的文件使用的，请用Excel或Word另存后再导入")
    directory_bytes = END_RECORD.unpack_from(data, at)[5]
    if directory_bytes > len(data):
        raise _damaged(source)
    if directory_bytes > MAX_DIRECTORY_BYTES:
        raise _too_many_parts(source)


def _check_part(archive: ZipFile, part: ZipInfo, source: str, budget: _ElementBudget) -> None:
    """Unpack the part once (zipfile checks its size and checksum), parsing it if it is XML."""
    where = f"内部文件{part.filename}"
    if part.flag_bits & ENCRYPTED:
        raise ReadError(source, None, "压缩包设了密码，无法读取；请去掉密码后再导入")
    if part.compress_type not in (ZIP_STORED, ZIP_DEFLATED):
        raise ReadError(source, where, "压缩方式不是Office使用的，文件可能已损坏")
    try:
        with archive.open(part) as stream:
            head = stream.read(CHUNK)
            if head.lstrip(b" \t\r\n").startswith(XML_STARTS):
                _parse_xml(head, stream, budget)
            else:
                while stream.read(CHUNK):
                    pass
    except (BadZipFile, zlib.error, EOFError, ValueError, NotImplementedError):
        raise _damaged(source, where) from None
    except expat.ExpatError as error:
        raise ReadError(source, where, f"不是有效的XML（第{error.lineno}行第{error.offset + 1}列），文件可能已损坏") from None
    except LookupError:  # the XML declaration names an encoding nobody knows
        raise ReadError(source, where, "不是有效的XML（编码无法识别），文件可能已损坏") from None
    except _EntityDeclared:
        raise ReadError(source, where, "含有实体声明（<!ENTITY>），Office文件不会有，已拒绝读取") from None
    except _TooManyElements:
        raise ReadError(source, None, f"文件内容超过{MAX_ELEMENTS:,}个XML元素，不像是绩效目标表；请分成几个文件导入") from None
    except _TooManyAttributes:
        raise ReadError(source, None, f"文件内容超过{MAX_ATTRIBUTES:,}个XML属性，不像是绩效目标表；请分成几个文件导入") from None


def _parse_xml(head: bytes, stream, budget: _ElementBudget) -> None:
    """Parse without building anything; an entity declaration stops the parse at once."""
    parser = expat.ParserCreate(namespace_separator=" ")  # as the libraries do: an unbound prefix is an error
    parser.StartElementHandler = budget.spend
    parser.StartNamespaceDeclHandler = lambda prefix, uri: budget.spend_attributes()

    def refuse(*args):
        raise _EntityDeclared

    parser.EntityDeclHandler = parser.UnparsedEntityDeclHandler = parser.ExternalEntityRefHandler = refuse
    chunk = head
    while chunk:
        parser.Parse(chunk, False)
        chunk = stream.read(CHUNK)
    parser.Parse(b"", True)


def _damaged(source: str, where: str | None = None) -> ReadError:
    return ReadError(source, where, "文件已损坏，无法解压（可能没有传完整，或被改动过）")


def _too_many_parts(source: str) -> ReadError:
    return ReadError(source, None, f"压缩包里的文件超过{MAX_PARTS}个，不像是绩效目标表")
