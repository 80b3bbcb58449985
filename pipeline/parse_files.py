"""`govreports parse` over many inputs: files, folders (walked for .txt/.html/.pdf/.docx/.doc)
and `-` (stdin), parsed one after another in one process, so the parser's resources (the GB/T
2260 table, OpenCC) load once and a thousand reports cost the parser's time, not a thousand
start-ups. A bad input is reported and the rest go on."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from parsers.document import PARSEABLE_SUFFIXES, parse_bytes, parse_file, sniff_kind


@dataclass
class Input:
    name: str  # the path as given or found, '-' for stdin
    path: Path | None
    size: int


class InputError(Exception):
    """An input that cannot be read: the message names it and what to do."""


def expand(paths: list[str]) -> tuple[list[Input], list[str]]:
    """The inputs the arguments name, and one message per argument that names nothing."""
    inputs: list[Input] = []
    problems: list[str] = []
    for arg in paths:
        if arg == "-":
            inputs.append(Input("-", None, 0))
            continue
        path = Path(arg)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in PARSEABLE_SUFFIXES
                           and not any(part.startswith(".") for part in p.relative_to(path).parts))
            if not found:
                problems.append(f"{arg}: folder holds no .txt/.html/.pdf/.docx file to parse")
            inputs.extend(Input(str(p), p, p.stat().st_size) for p in found)
        elif path.is_file():
            inputs.append(Input(arg, path, path.stat().st_size))
        elif path.exists():
            problems.append(f"{arg}: not a regular file or folder")
        else:
            problems.append(f"{arg}: no such file or folder (check the path)")
    return inputs, problems


def parse_input(item: Input) -> list[dict]:
    """The documents of one input; InputError when its bytes cannot be read at all."""
    try:
        if item.path is None:
            data = sys.stdin.buffer.read()
            results = parse_bytes(data, sniff_kind(data))
        else:
            results = parse_file(item.path)
    except OSError as exc:
        raise InputError(f"{item.name}: cannot read ({exc.strerror or exc})") from exc
    for res in results:
        res["document"]["source_path"] = item.name
    return results


def parse_all(inputs: list[Input], on_error) -> Iterator[tuple[Input, list[dict]]]:
    """(input, documents) for each input that could be parsed; on_error(message) for the rest."""
    for item in inputs:
        try:
            yield item, parse_input(item)
        except InputError as exc:
            on_error(str(exc))
        except Exception as exc:  # a parser bug on one input must not stop the others
            on_error(f"{item.name}: the parser failed ({type(exc).__name__}: {exc}); the other inputs go on, "
                     "please report this file")
