"""Policy task lists (重点工作任务 notices): numbered items under 一、二、… sections, their
lead units (牵头单位/责任单位) and the figures each item commits to."""

from __future__ import annotations

import re

from parsers.facts import extract_facts

_SECTION = re.compile(r"^([一二三四五六七八九十]+)、\s*(.+)$")
_ITEM = re.compile(r"^(\d{1,3})[.．、]\s*(.+)$")
_LEAD = re.compile(r"[（(]\s*(?:牵头单位|责任单位|牵头部门|责任部门)\s*[:：]\s*([^；;）)]+)")


def split_units(text: str) -> list[str]:
    units = re.split(r"[、,，]|\s+", text.strip().rstrip("等"))
    return [u.strip().rstrip("等") for u in units if u.strip()]


def extract_tasks(text: str, report_year: int | None) -> list[dict]:
    tasks: list[dict] = []
    section = None
    for line in text.split("\n"):
        line = line.strip()
        if not line:
            continue
        sec = _SECTION.match(line)
        if sec and len(line) <= 40:
            section = sec.group(2).strip()
            continue
        item = _ITEM.match(line)
        if not item:
            continue
        body = item.group(2)
        lead = _LEAD.search(body)
        facts = extract_facts(body, report_year, doc_kind="policy") if report_year else []
        targets = [f"{f.indicator_text}:{f.value:g}{f.unit or ''}({f.qualifier})" for f in facts]
        tasks.append({
            "number": item.group(1),
            "section": section,
            "text": body,
            "lead_units": split_units(lead.group(1)) if lead else [],
            "targets": targets,
        })
    return tasks
