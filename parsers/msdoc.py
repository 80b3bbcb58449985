"""Text of a legacy Word 97-2003 `.doc` (and of WPS `.wps` files saved in the same binary
format), which portals still attach to many notices.

The file is an OLE compound document (read with olefile). Its text lives in the WordDocument
stream as pieces; the piece table (the CLX in the 0Table or 1Table stream, located by the
FIB) says where each piece starts and whether it is 8-bit (cp1252, "compressed") or UTF-16.
Only the main document text is read (footnotes, headers and comments follow it). Field codes
(between 0x13 and 0x14) are dropped and their results kept; cell and row marks become tabs
and line ends. Method: [MS-DOC] 2.4.1 "Retrieving Text".
"""

from __future__ import annotations

import io
import re
import struct

_FIELD = re.compile("\x13[^\x13\x14\x15]*\x14([^\x13\x14\x15]*)\x15|\x13[^\x13\x14\x15]*\x15")
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f]")


class DocError(ValueError):
    """Not a Word 97 binary we can read; the message says why."""


def _pieces(table: bytes, fc_clx: int, lcb_clx: int) -> list[tuple[int, int, int, bool]]:
    """(cp_start, cp_end, fc, compressed) of each piece of the piece table."""
    clx = table[fc_clx:fc_clx + lcb_clx]
    pos = 0
    while pos < len(clx) and clx[pos] == 0x01:  # Prc: property modifiers, skipped
        (size,) = struct.unpack_from("<H", clx, pos + 1)
        pos += 3 + size
    if pos >= len(clx) or clx[pos] != 0x02:
        raise DocError("no piece table")
    (lcb,) = struct.unpack_from("<I", clx, pos + 1)
    plc = clx[pos + 5:pos + 5 + lcb]
    n = (len(plc) - 4) // 12  # (n + 1) CPs of 4 bytes, n PCDs of 8 bytes
    cps = struct.unpack_from(f"<{n + 1}I", plc, 0)
    out = []
    for i in range(n):
        (fc_raw,) = struct.unpack_from("<I", plc, 4 * (n + 1) + 8 * i + 2)
        compressed = bool(fc_raw & 0x40000000)
        fc = fc_raw & 0x3FFFFFFF
        out.append((cps[i], cps[i + 1], fc // 2 if compressed else fc, compressed))
    return out


def doc_text(data: bytes) -> str:
    import olefile

    try:
        ole = olefile.OleFileIO(io.BytesIO(data))
    except (OSError, ValueError) as exc:
        raise DocError(f"not an OLE compound file: {exc}") from exc
    with ole:
        if not ole.exists("WordDocument"):
            raise DocError("no WordDocument stream (not a Word or WPS text file)")
        word = ole.openstream("WordDocument").read()
        if len(word) < 0x1AA:
            raise DocError("WordDocument stream too short")
        ident, = struct.unpack_from("<H", word, 0)
        if ident != 0xA5EC:
            raise DocError(f"unknown file id {ident:#x} (not Word 97 or later)")
        flags, = struct.unpack_from("<H", word, 0x0A)
        if flags & 0x0100:
            raise DocError("encrypted document")
        table_name = "1Table" if flags & 0x0200 else "0Table"
        if not ole.exists(table_name):
            raise DocError(f"no {table_name} stream")
        table = ole.openstream(table_name).read()
    ccp_text, = struct.unpack_from("<i", word, 0x4C)
    fc_clx, lcb_clx = struct.unpack_from("<II", word, 0x1A2)
    parts = []
    for cp_start, cp_end, fc, compressed in _pieces(table, fc_clx, lcb_clx):
        if cp_start >= ccp_text:
            break
        count = min(cp_end, ccp_text) - cp_start
        if compressed:
            parts.append(word[fc:fc + count].decode("cp1252", "replace"))
        else:
            parts.append(word[fc:fc + 2 * count].decode("utf-16-le", "replace"))
    text = "".join(parts)
    text = _FIELD.sub(lambda m: m.group(1) or "", text)
    text = text.replace("\x07\x07", "\n").replace("\r\x07", "\n").replace("\x07", "\t").replace("\r", "\n").replace("\x0c", "\n")
    text = text.replace("\x0b", "\n").replace("\x1e", "-").replace("\x1f", "")
    return _CONTROL.sub("", text)
