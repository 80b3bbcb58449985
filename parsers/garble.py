"""Is an extracted text readable at all? A PDF whose fonts carry no Unicode map gives
`(cid:1398)(cid:2038)…`, a file of random bytes named .txt or .html decodes to replacement
characters or to rare CJK characters (GB18030 maps almost any byte pair to one), and a
wrong encoding gives the same. Such text is flagged `garbled` and not read for facts: figures
found in it would be noise."""

from __future__ import annotations

import re
import unicodedata

_CID = re.compile(r"\(cid:\d+\)")
MIN_CHARS = 40  # shorter texts say too little either way
MAX_CID_SHARE = 0.2  # of the characters, inside (cid:N) codes
MAX_REPLACEMENT_SHARE = 0.05  # U+FFFD
MAX_CONTROL_SHARE = 0.05  # control and unassigned characters
MAX_RARE_CJK_SHARE = 0.3  # CJK characters outside GB2312 (3,755 + 3,008 common hanzi cover real reports)
MIN_CJK_FOR_RARE = 50


def _is_common_hanzi(ch: str) -> bool:
    try:
        ch.encode("gb2312")
        return True
    except UnicodeEncodeError:
        return False


def garbled_reason(text: str) -> str | None:
    """Why the text is not readable, or None."""
    n = len(text)
    if n < MIN_CHARS:
        return None
    cid = sum(len(m) for m in _CID.findall(text))
    if cid / n > MAX_CID_SHARE:
        return f"{cid / n:.0%} of the text is (cid:N) glyph codes: the PDF's fonts have no Unicode map"
    replacement = text.count("\ufffd")
    if replacement / n > MAX_REPLACEMENT_SHARE:
        return f"{replacement / n:.0%} replacement characters: the bytes are not text in any encoding tried"
    control = sum(1 for ch in text if ch not in "\n\r\t" and unicodedata.category(ch) in ("Cc", "Cn", "Co", "Cs"))
    if control / n > MAX_CONTROL_SHARE:
        return f"{control / n:.0%} control or unassigned characters: binary data, not text"
    cjk = [ch for ch in text if "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"]
    if len(cjk) >= MIN_CJK_FOR_RARE:
        rare = sum(1 for ch in cjk if not _is_common_hanzi(ch))
        if rare / len(cjk) > MAX_RARE_CJK_SHARE:
            return (f"{rare / len(cjk):.0%} of its Chinese characters are rare ones: bytes decoded with the "
                    "wrong encoding, or not text")
    return None
