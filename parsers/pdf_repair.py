"""A PDF cut short (a download that stopped, a truncated upload) has lost its cross-reference
table and trailer, usually also the last pages' objects; PDF readers then refuse the whole
file. The complete objects at its head are still there: index them again and add a trailer,
so the pages whose objects survived can be read (what can be read is kept)."""

from __future__ import annotations

import re

_OBJ = re.compile(rb"(?<![0-9])(\d{1,7})\s+(\d{1,5})\s+obj\b")
_ENDOBJ = re.compile(rb"\bendobj\b")
_CATALOG = re.compile(rb"/Type\s*/Catalog\b")
_PAGE = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")


def rebuild(data: bytes) -> tuple[bytes, int] | None:
    """The file's complete objects with a new xref and trailer, and the number of page
    objects among them; None when nothing usable survived."""
    objects: dict[int, tuple[int, int, bytes]] = {}  # number -> (offset, generation, body)
    pos = 0
    while True:
        m = _OBJ.search(data, pos)
        if not m:
            break
        end = _ENDOBJ.search(data, m.end())
        if not end:
            break  # the object the file was cut in
        nxt = _OBJ.search(data, m.end(), end.start())
        if nxt:  # an object without endobj, then another one: skip to that one
            pos = nxt.start()
            continue
        body = data[m.end():end.start()]
        if b"stream" not in body or b"endstream" in body:
            objects[int(m.group(1))] = (m.start(), int(m.group(2)), body)
        pos = end.end()
    pages = [n for n, (_, _, body) in objects.items() if _PAGE.search(body)]
    if not pages:
        return None
    root = next((n for n, (_, _, body) in objects.items() if _CATALOG.search(body)), None)
    out = bytearray(data[: _last_end(data, objects)])
    offsets = {n: off for n, (off, _, _) in objects.items()}
    size = max(objects) + 1
    if root is None:  # the catalog was lost: a new page tree over the pages that survived
        kids = " ".join(f"{n} 0 R" for n in sorted(pages))
        tree, root, size = size, size + 1, size + 2
        for num, body in ((tree, f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>"),
                          (root, f"<< /Type /Catalog /Pages {tree} 0 R >>")):
            out += b"\n"
            offsets[num] = len(out)
            out += f"{num} 0 obj\n{body}\nendobj\n".encode()
    xref = len(out) + 1
    out += b"\nxref\n0 %d\n0000000000 65535 f \n" % size
    for num in range(1, size):
        out += (b"%010d %05d n \n" % (offsets[num], objects[num][1] if num in objects else 0)
                if num in offsets else b"0000000000 65535 f \n")
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, root, xref)
    return bytes(out), len(pages)


def _last_end(data: bytes, objects: dict[int, tuple[int, int, bytes]]) -> int:
    last = max(off for off, _, _ in objects.values())
    end = _ENDOBJ.search(data, last)
    return end.end() if end else len(data)
