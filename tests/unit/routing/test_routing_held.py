"""What routing holds of a report has one field per column of its dispositions table."""

from services.routing.models import dispositions
from services.routing.state.held import FIELDS, Held


def test_held_has_a_field_for_every_column_and_no_other():
    assert FIELDS == tuple(column.name for column in dispositions.columns)


def test_a_column_that_must_have_a_value_is_a_field_without_a_default():
    required = {column.name for column in dispositions.columns if not column.nullable}
    without_default = {
        name for name, field in Held.__dataclass_fields__.items() if field.default is not None
    }
    assert required == without_default
