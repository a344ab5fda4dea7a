"""CSV of cards and rankings (services.reporting.export). Pure."""

import csv
import io

from services.reporting.export import render


def test_nested_figures_become_dotted_columns_and_withheld_cells_say_so():
    rows = [
        {
            "scope": {"code": "A"},
            "reports": 12,
            "by_status": {"dispatched": 2},
            "decline_rate": {"rate": 0.1},
        },
        {
            "scope": {"code": "=cmd()"},
            "reports": 3,
            "by_status": {"dispatched": None},
            "decline_rate": {"rate": None},
        },
    ]
    text = render(rows, [set(), {"by_status.dispatched", "decline_rate.rate"}])
    parsed = list(csv.reader(io.StringIO(text)))
    assert parsed[0] == ["scope.code", "reports", "by_status.dispatched", "decline_rate.rate"]
    assert parsed[1] == ["A", "12", "2", "0.1"]
    assert parsed[2] == ["'=cmd()", "3", "<5", ""]
