"""The import framework's pure parts (core.exchange.importer, core.exchange.entities): reading CSV and XLSX with
the file's own row numbers, cells as dates, amounts, phones and grades, the mapping file and its
errors, and the stage history an imported deal gets. No database here."""
from __future__ import annotations

import io
from datetime import datetime
from decimal import Decimal

import pytest
from openpyxl import Workbook

from core.exchange import importer
from core.exchange.entities import ENTITIES, stage_history
from core.exchange.importer import load_mapping
from core.exchange.rows import (
    Bad, Check, Field, ImportFileError, ImportReport, Lookups, RowError, TeamRow, UserRow, convert, normalise_phone,
    parse_amount, parse_datetime, phone_key, read_table,
)

NOW = datetime(2026, 11, 23, 12, 0)


def xlsx(rows: list[list]) -> bytes:
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def check() -> Check:
    users = {"a1": UserRow(1, "a1", "rep", 10, True), "gone": UserRow(2, "gone", "rep", 10, False),
             "dora": UserRow(3, "dora", "director", None, True)}
    alpha = TeamRow(10, "Alpha", 100)
    return Check(Lookups(users, {"Alpha": alpha}, {10: alpha}, {"North": 100}, {100: "North"}), NOW)


def bad(f: Field, value) -> Bad:
    with pytest.raises(Bad) as exc:
        convert(f, value, check())
    return exc.value


# ---- reading files ---------------------------------------------------------------------------

def test_csv_rows_are_numbered_as_in_the_file_header_being_row_1():
    data = "\ufeffcompany,grade\nAcme,A\n\n,\nBeta,B\n".encode("utf-8")
    table = read_table(data, "leads.csv")
    assert table.headers == ["company", "grade"]  # the BOM is not part of the first header
    assert table.rows == [(2, ["Acme", "A"]), (5, ["Beta", "B"])]  # blank rows 3 and 4 skipped, not renumbered


def test_csv_saved_by_chinese_excel_in_gb18030_is_read():
    table = read_table("company,grade\n杭州越州酒业,A\n".encode("gb18030"), "x.csv")
    assert table.rows == [(2, ["杭州越州酒业", "A"])]


def test_xlsx_first_sheet_with_typed_cells():
    data = xlsx([["company", "created_at", "amount", None], ["Acme", datetime(2026, 11, 2, 9, 30), 1200.5, None],
                 [None, None, None, None], ["Beta", "2026-11-03", 7, None]])
    table = read_table(data, "Leads.XLSX")
    assert table.headers == ["company", "created_at", "amount"]
    assert [n for n, _ in table.rows] == [2, 4]
    assert table.rows[0][1][:3] == ["Acme", datetime(2026, 11, 2, 9, 30), 1200.5]


@pytest.mark.parametrize("data,name,key", [
    (b"", "x.csv", "imp.file.empty"),
    (b",,\n1,2,3\n", "x.csv", "imp.file.no_header"),
    (b"company,Company\nA,B\n", "x.csv", "imp.file.duplicate_header"),
    (b"company\nA\n", "x.txt", "imp.file.format"),
    (b"not a zip", "x.xlsx", "imp.file.unreadable"),
])
def test_unusable_files_are_refused_with_a_reason(data, name, key):
    with pytest.raises(ImportFileError) as exc:
        read_table(data, name)
    assert exc.value.msg_key == key


# ---- cells -----------------------------------------------------------------------------------

@pytest.mark.parametrize("text,expected", [
    ("2026-11-23", datetime(2026, 11, 23)),
    ("2026-11-23 14:30", datetime(2026, 11, 23, 14, 30)),
    ("2026-11-23T14:30:05", datetime(2026, 11, 23, 14, 30, 5)),
    ("2026/11/23 14:30", datetime(2026, 11, 23, 14, 30)),
    ("2026/1/5", datetime(2026, 1, 5)),
    ("2026年11月23日", datetime(2026, 11, 23)),
])
def test_dates_in_iso_and_common_chinese_forms(text, expected):
    assert parse_datetime(text) == expected


def test_a_mapping_date_format_replaces_the_guessing():
    assert parse_datetime("23.11.2026", ("%d.%m.%Y",)) == datetime(2026, 11, 23)
    with pytest.raises(Bad):
        parse_datetime("2026-11-23", ("%d.%m.%Y",))
    with pytest.raises(Bad) as exc:
        parse_datetime("next week")
    assert exc.value.key == "imp.err.date"


@pytest.mark.parametrize("value,expected", [
    ("1,234.50", Decimal("1234.50")), ("¥12,000", Decimal("12000.00")), ("12.5万", Decimal("125000.00")),
    (380000, Decimal("380000.00")), (99.999, Decimal("100.00")), ("0", Decimal("0.00")),
])
def test_amounts(value, expected):
    assert parse_amount(value) == expected


@pytest.mark.parametrize("value,key", [("abc", "imp.err.number"), ("-5", "imp.err.negative"),
                                       ("1e15", "imp.err.too_big"), ("nan", "imp.err.number")])
def test_bad_amounts(value, key):
    with pytest.raises(Bad) as exc:
        parse_amount(value)
    assert exc.value.key == key


@pytest.mark.parametrize("text,stored", [
    ("13945358165", "13945358165"), ("+86 139-4535-8165", "13945358165"), ("0086 139 4535 8165", "13945358165"),
    ("0571-88886666", "057188886666"),
])
def test_phones_are_stored_as_national_digits(text, stored):
    assert normalise_phone(text) == stored


@pytest.mark.parametrize("text", ["12345", "hot", "1394535816", "+1 415 555 0100"])
def test_invalid_phones_are_refused(text):
    with pytest.raises(Bad) as exc:
        normalise_phone(text)
    assert exc.value.key == "imp.err.phone"


def test_phone_key_treats_every_way_of_writing_a_number_alike():
    assert len({phone_key(p) for p in ("13945358165", "+8613945358165", "008613945358165", "139-4535-8165")}) == 1
    assert phone_key("057188886666") == phone_key("+86 571 8888 6666") == "57188886666"


def test_grade_is_only_a_b_or_c():
    grade = Field("grade", "grade")
    assert convert(grade, " b ", check()) == "B"
    for vague in ("hot", "interested", "A+", "D"):
        assert bad(grade, vague).key == "imp.err.grade"


def test_choices_accept_codes_and_synonyms_case_insensitively():
    size = Field("size", "choice", choices=("small", "medium", "large"), synonyms=(("大型", "large"),))
    assert convert(size, "Medium", check()) == "medium"
    assert convert(size, "大型", check()) == "large"
    assert bad(size, "huge").key == "imp.err.choice"


def test_owner_must_be_an_active_rep_or_lead_and_team_and_region_must_exist():
    assert convert(Field("owner", "user"), "A1", check()).id == 1
    assert bad(Field("owner", "user"), "gone").key == "imp.err.user_unknown"
    assert bad(Field("owner", "user"), "nobody").key == "imp.err.user_unknown"
    assert bad(Field("owner", "user"), "dora").key == "imp.err.user_role"
    assert convert(Field("team", "team"), "Alpha", check()).id == 10
    assert bad(Field("team", "team"), "Gamma").key == "imp.err.team_unknown"
    assert bad(Field("region", "region"), "West").key == "imp.err.region_unknown"


def test_dates_after_now_are_refused_unless_planned():
    assert bad(Field("created_at", "datetime"), "2026-11-24").key == "imp.err.future"
    assert convert(Field("next_action_at", "datetime", future_ok=True), "2026-11-24 09:00", check()) \
        == datetime(2026, 11, 24, 9)


def test_text_longer_than_its_column_is_refused():
    assert bad(Field("company", max_len=5), "Acme Ltd").params == {"n": 5}


# ---- the mapping file ------------------------------------------------------------------------

MAVEN = """
entity = "opportunities"
date_format = "%Y-%m-%d"
[columns]
opportunity_id = "name"
deal_stage = ["stage", "status"]
[values.stage]
Prospecting = "initial_contact"
[values.status]
Won = "won"
[defaults]
customer = "No account"
amount = 0
"""


def test_a_mapping_file_is_read():
    m = load_mapping(MAVEN.encode(), "dir/maven.toml", "opportunities")
    assert m.name == "maven.toml"
    assert m.columns == {"opportunity_id": ("name",), "deal_stage": ("stage", "status")}
    assert m.values == {"stage": {"prospecting": "initial_contact"}, "status": {"won": "won"}}
    assert m.defaults == {"customer": "No account", "amount": 0}
    assert m.date_formats == ("%Y-%m-%d",)


@pytest.mark.parametrize("text,key,detail", [
    ('[columns]\nname = \n', "imp.map.syntax", "line 2"),
    ('[columns]\nsales_agent = "agent"\n', "imp.map.unknown_field", "sales_agent"),
    ('[values.colour]\nred = "A"\n', "imp.map.unknown_field", "colour"),
    ('[defaults]\nmood = "x"\n', "imp.map.unknown_field", "mood"),
    ('[colums]\na = "name"\n', "imp.map.unknown_key", "colums"),
    ('entity = "leads"\n', "imp.map.entity", "leads"),
    ('[columns]\na = "name"\nb = "name"\n', "imp.map.twice", "name"),
    ('date_format = "YYYY-MM-DD"\n', "imp.map.date_format", "YYYY-MM-DD"),
    ('[values.stage]\nWon = 3\n', "imp.map.not_text", "Won"),
    ('[defaults]\namount = true\n', "imp.map.not_text", "amount"),
])
def test_a_bad_mapping_file_names_the_line_or_key(text, key, detail):
    with pytest.raises(ImportFileError) as exc:
        load_mapping(text, "m.toml", "opportunities")
    assert exc.value.msg_key == key
    assert detail in exc.value.message("en")
    assert exc.value.message("zh") != exc.value.message("en")


# ---- what an imported deal's history looks like ---------------------------------------------

D = [datetime(2026, 11, d) for d in range(1, 6)]


def test_history_of_an_open_deal_in_a_later_stage():
    assert stage_history("proposal", "open", D[0], D[2], None) == [
        ("initial_contact", D[0], D[2]), ("proposal", D[2], None)]


def test_history_of_a_won_deal_ends_in_a_won_stay():
    assert stage_history("needs_confirmed", "won", D[0], D[1], D[3]) == [
        ("initial_contact", D[0], D[1]), ("needs_confirmed", D[1], D[3]), ("won", D[3], None)]


def test_history_without_a_creation_before_the_stage_starts_at_the_stage():
    """Maven's Engaging deals have only their engage date: no initial contact stay is invented."""
    assert stage_history("needs_confirmed", "lost", D[1], D[1], D[4]) == [
        ("needs_confirmed", D[1], D[4]), ("lost", D[4], None)]
    assert stage_history("initial_contact", "open", D[0], D[0], None) == [("initial_contact", D[0], None)]


# ---- the report --------------------------------------------------------------------------------

def test_report_lists_errors_by_row_in_both_languages():
    report = ImportReport("leads", "leads.csv", rows=3, errors=[
        RowError(4, "grade", "hot", "imp.err.grade", (("value", "hot"),)),
        RowError(2, "phone", "", "imp.err.required")])
    assert report.bad_rows == [2, 4]
    frame = report.errors_frame("en")
    assert frame.to_dict("records") == [
        {"row": 2, "column": "phone", "value": "", "message": "Required."},
        {"row": 4, "column": "grade", "value": "hot", "message": "The grade must be A, B or C, not “hot”."}]
    assert "必填" in report.errors_frame("zh")["message"][0]
    assert report.summary("en")[1] == "Errors: 2, in 2 rows. Nothing was written."


def test_the_templates_have_the_entities_columns():
    for entity, definition in ENTITIES.items():
        table = read_table(importer.template_bytes(entity, "csv"), f"{entity}.csv")
        assert table.headers == [f.name for f in definition.fields]
        assert len(table.rows) == 2
        assert read_table(importer.template_bytes(entity, "xlsx"), f"{entity}.xlsx").headers == table.headers
