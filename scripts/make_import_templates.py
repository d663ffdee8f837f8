"""Write the Excel import templates data/templates/<entity>.xlsx from the CSV templates beside them.

    .venv/bin/python scripts/make_import_templates.py [ENTITY …]   (default: every entity)

Sheet 1 holds the same header and example rows as the CSV (phones as text, dates as dates, amounts
as numbers: as Excel users fill them in); sheet 2, "说明 Notes", lists each column, whether it is
required, and its allowed values. The importer reads sheet 1 only. docs/import.md has the details.
"""
from __future__ import annotations

import csv
import sys
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.exchange.importer import ENTITIES, TEMPLATES  # noqa: E402
from core.exchange.rows import parse_amount, parse_datetime  # noqa: E402

KIND_NOTES = {
    "text": "text", "phone": "Chinese mobile or landline / 手机或座机号码", "grade": "A, B, C",
    "datetime": "2026-11-23 or 2026-11-23 14:30", "amount": "number ≥ 0 / 金额（≥ 0）",
    "user": "username / 用户名", "team": "team name / 团队名称", "region": "region name / 大区名称",
}


def cell(kind: str, text: str):
    if not text:
        return None
    if kind == "datetime":
        return parse_datetime(text)
    if kind == "amount":
        return float(parse_amount(text))
    return text


def write(entity: str) -> Path:
    fields = ENTITIES[entity].fields
    with open(TEMPLATES / f"{entity}.csv", encoding="utf-8-sig", newline="") as fh:
        header, *rows = list(csv.reader(fh))
    assert header == [f.name for f in fields], f"{entity}.csv header differs from the entity's fields"
    wb = Workbook()
    ws = wb.active
    ws.title = entity
    ws.append(header)
    for row in rows:
        ws.append([cell(f.kind, value) for f, value in zip(fields, row)])
    bold = Font(bold=True)
    for c in ws[1]:
        c.font = bold
        c.fill = PatternFill("solid", fgColor="DDEBF7")
    for f, letter in zip(fields, (c.column_letter for c in ws[1])):
        ws.column_dimensions[letter].width = max(12, len(f.name) + 4)
        if f.kind == "datetime":
            for c in ws[letter][1:]:
                c.number_format = "yyyy-mm-dd hh:mm"
        if f.kind == "phone":
            for c in ws[letter][1:]:
                c.number_format = "@"
    notes = wb.create_sheet("说明 Notes")
    notes.append(["column 列", "required 必填", "allowed values 可填内容"])
    for f in fields:
        allowed = ", ".join(f.choices) if f.choices else KIND_NOTES[f.kind]
        notes.append([f.name, "yes 是" if f.required else "", allowed])
    notes.append([])
    notes.append(["Details / 详细说明: docs/import.md"])
    for c in notes[1]:
        c.font = bold
    notes.column_dimensions["A"].width = 20
    notes.column_dimensions["C"].width = 70
    path = TEMPLATES / f"{entity}.xlsx"
    wb.save(path)
    return path


if __name__ == "__main__":
    for name in sys.argv[1:] or ENTITIES:
        print(write(name))
