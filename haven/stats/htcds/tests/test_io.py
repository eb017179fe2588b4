from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from haven.stats.htcds import (
    COLUMN_NAMES,
    COLUMNS,
    ISO_COUNTRIES,
    Column,
    HtcdsFormatError,
    HtcdsRow,
    HtcdsValue,
    HtcdsWriteError,
    escape_cell,
    read_csv,
    read_xlsx,
    unescape_cell,
    write_csv,
    write_xlsx,
)


def _value(column: Column) -> st.SearchStrategy[HtcdsValue]:
    if column.kind == "year":
        return st.integers(1990, 2030).map(str)
    assert column.values is not None
    choices = st.sampled_from(sorted(column.values))
    if column.multi:
        return st.lists(choices, max_size=3, unique=True).map(tuple)
    return st.just("") | choices


rows_strategy = st.lists(st.fixed_dictionaries({c.name: _value(c) for c in COLUMNS}), max_size=20)

GOOD: HtcdsRow = {
    "cas_YearOfRegistration": "2021",
    "cas_Status": "follow up",
    "prs_Gender": "transgender feminine",
    "prs_AgeBroad": "18-20",
    "prs_Nationality": ("VN", "CN"),
    "vic_TraffickingStatus": "actual",
    "vic_AgeWhenTrafficked": "9-17",
    "vic_TypeOfExploitation": ("sexual exploitation", "forced labour"),
    "vic_MethodsOfControl": ("debt bondage", "threat of law enforcement"),
    "hte_Country_Recruitment": "VN",
    "hte_Country_Transit": ("CN", "FR"),
    "hte_Country_Exploitation": "GB",
    "con_Consent": "given",
}


@settings(max_examples=60, deadline=None)
@given(rows=rows_strategy)
def test_csv_round_trip(rows: list[HtcdsRow]) -> None:
    buffer = io.StringIO()
    assert write_csv(rows, buffer) == len(rows)
    buffer.seek(0)
    result = read_csv(buffer)
    assert result.rejections == []
    assert result.columns == COLUMN_NAMES
    assert result.rows == rows


def test_xlsx_round_trip(tmp_path: Path) -> None:
    rows = [GOOD, {**GOOD, "prs_Nationality": (), "cas_Status": "", "prs_Gender": "masculine"}]
    path = tmp_path / "export.xlsx"
    assert write_xlsx(rows, path) == 2
    result = read_xlsx(path)
    assert result.rejections == []
    assert result.rows == rows
    with path.open("rb") as handle:
        assert read_xlsx(handle).rows == rows


def test_csv_file_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    write_csv([GOOD], path)
    assert path.read_text(encoding="utf-8").splitlines()[0] == ",".join(COLUMN_NAMES)
    assert read_csv(path).rows == [GOOD]


def _csv(lines: list[str]) -> io.StringIO:
    return io.StringIO("\r\n".join(lines) + "\r\n")


def test_bad_rows_are_rejected_with_row_number_and_reason() -> None:
    header = "prs_Gender,prs_Nationality,vic_MethodsOfControl,cas_YearOfRegistration"
    result = read_csv(
        _csv(
            [
                header,
                "feminine,VN;CN,threats;debt bondage,2020",  # row 2: good
                "female,VN,threats,2020",  # row 3
                "masculine,XX,threats,2020",  # row 4
                "masculine,VN,threats;threats,2020",  # row 5
                "masculine,VN,beatings,2020",  # row 6
                "masculine,VN,threats,20x0",  # row 7
                "masculine,VN,threats",  # row 8
                "",  # row 9: blank, skipped
                "feminine;masculine,VN,threats,2020",  # row 10
                '\'=HYPERLINK("http://x"),VN,threats,2020',  # row 11
                "masculine,VN,threats;;other,2020",  # row 12
                "masculine,Eastern Asia,threats,2015-2019",  # row 13: generalised, refused
                "not specified,,,1999",  # row 14: good, empty cells
            ]
        )
    )
    assert len(result.rows) == 2
    reasons = {r.row: r.reason for r in result.rejections}
    assert sorted(reasons) == [3, 4, 5, 6, 7, 8, 10, 11, 12, 13]
    assert reasons[3].startswith("prs_Gender: 'female' is not one of feminine")
    assert reasons[4] == "prs_Nationality: 'XX' is not one of its list"
    assert reasons[5] == "vic_MethodsOfControl: a value appears twice"
    assert "'beatings'" in reasons[6]
    assert reasons[7] == "cas_YearOfRegistration: '20x0' is not a year"
    assert reasons[8] == "3 cells where the header has 4"
    assert reasons[10] == "prs_Gender: several values in a single-valued column"
    assert "HYPERLINK" in reasons[11]
    assert reasons[12] == "vic_MethodsOfControl: an empty value between separators"
    assert result.rows[1] == {
        "prs_Gender": "not specified",
        "prs_Nationality": (),
        "vic_MethodsOfControl": (),
        "cas_YearOfRegistration": "1999",
    }
    generalised = read_csv(
        _csv([header, "masculine,Eastern Asia,group: financial,2015-2019"]), allow_generalised=True
    )
    assert generalised.rejections == []


def test_bad_rows_in_xlsx_are_rejected(tmp_path: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["prs_Gender", "cas_YearOfRegistration"])
    sheet.append(["feminine", 2020])
    sheet.append(["feminine", 2020.5])
    sheet.append([True, 2020])
    path = tmp_path / "in.xlsx"
    workbook.save(path)
    result = read_xlsx(path)
    assert result.rows == [{"prs_Gender": "feminine", "cas_YearOfRegistration": "2020"}]
    assert [r.row for r in result.rejections] == [3, 4]


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_formula_injection_escape(text: str) -> None:
    assert escape_cell(text) == "'" + text
    assert unescape_cell(escape_cell(text)) == text


def test_plain_text_is_not_escaped() -> None:
    assert escape_cell("48+") == "48+"
    assert unescape_cell("'quoted") == "'quoted"


def test_writers_refuse_values_outside_the_lists_so_no_formula_is_ever_written(
    tmp_path: Path,
) -> None:
    for bad in (
        {"prs_Gender": "=cmd|' /C calc'!A0"},
        {"prs_Nationality": ("ZZ",)},
        {"prs_Nationality": "VN"},
        {"unknown": "x"},
    ):
        with pytest.raises(HtcdsWriteError):
            write_csv([bad], io.StringIO())
        with pytest.raises(HtcdsWriteError):
            write_xlsx([bad], tmp_path / "x.xlsx")


def test_header_errors_reject_the_whole_file() -> None:
    with pytest.raises(HtcdsFormatError, match="unknown column"):
        read_csv(_csv(["prs_Gender,prs_Name", "feminine,Ana"]))
    with pytest.raises(HtcdsFormatError, match="twice"):
        read_csv(_csv(["prs_Gender,prs_Gender"]))
    with pytest.raises(HtcdsFormatError, match="empty"):
        read_csv(io.StringIO(""))


def test_country_list_is_complete() -> None:
    assert len(ISO_COUNTRIES) == 249
    assert {"CN", "VN", "MM", "KH", "LA", "TH", "GB", "TW", "HK", "XK"} - set(ISO_COUNTRIES) == {
        "XK"
    }


def test_files_carry_the_standards_value_names_and_rows_haven_keys() -> None:
    buffer = io.StringIO()
    write_csv([GOOD], buffer)
    header, line = buffer.getvalue().splitlines()
    assert header.split(",") == list(COLUMN_NAMES)
    assert "prs_Nationality" in header and "hte_Country_Exploitation" in header
    for name in (
        "FollowUp",
        "Actual victim of trafficking",
        "Sexual exploitation;Forced labour",
        "DebtBondage;ThreatOfLawEnforcement",
    ):
        assert name in line
    assert "follow up" not in line and "debt bondage" not in line
    buffer.seek(0)
    assert read_csv(buffer).rows == [GOOD]


def test_files_of_earlier_haven_exports_and_older_htcds_genders_are_read() -> None:
    earlier = read_csv(
        _csv(
            [
                "cas_Status,prs_Gender,prs_Citizenship,vic_TraffickingStatus,"
                "vic_TypeOfExploitation,vic_MethodsOfControl,hte_RecruitmentCountry,"
                "hte_TransitCountries,hte_ExploitationCountry",
                "follow up,feminine,VN;CN,actual,forced begging,debt bondage,VN,CN,GB",
                "Closed,Female,MM,Not a victim of trafficking,Begging;Illicit activities,"
                "UsesChildren,MM,,CN",
                "closed,Transgender/NonConforming,,possible,,,,,",
            ]
        )
    )
    assert earlier.rejections == []
    assert earlier.columns[2] == "prs_Nationality"
    first, second, third = earlier.rows
    assert first["cas_Status"] == "follow up" and first["prs_Nationality"] == ("VN", "CN")
    assert first["hte_Country_Transit"] == ("CN",) and first["hte_Country_Exploitation"] == "GB"
    assert second["prs_Gender"] == "feminine" and second["vic_TraffickingStatus"] == "not a victim"
    assert second["vic_TypeOfExploitation"] == ("forced begging", "forced criminality")
    assert second["vic_MethodsOfControl"] == ("uses children",)
    assert third["prs_Gender"] == "non-conforming"
