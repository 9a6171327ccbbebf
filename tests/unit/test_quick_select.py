"""The quick select widget writes exactly what WTForms' own select writes."""

from wtforms import Form, SelectField, SelectMultipleField, widgets
from wtforms.fields.choices import SelectChoice

from app.web.forms import QuickSelect

CHOICES = [
    SelectChoice("", "—"),
    SelectChoice("09:00"),
    SelectChoice('a"b<c>', '引号 "与" <尖括号> & 符号'),
    SelectChoice("x", ""),
]


class Pick(Form):
    one = SelectField(choices=CHOICES)
    many = SelectMultipleField(choices=CHOICES)
    styled = SelectField(choices=[SelectChoice("1", "一")], render_kw={"class": "wide"})
    flags = SelectField(
        choices=[SelectChoice(True, "是"), SelectChoice(False, "否")], coerce=lambda v: v == "True"
    )


def test_the_markup_is_wtforms_own() -> None:
    form = Pick(data={"one": "09:00", "many": ["x", 'a"b<c>'], "styled": "1", "flags": True})
    for field in form:
        quick = QuickSelect(multiple=field.widget.multiple)(field)
        own = widgets.Select(multiple=field.widget.multiple)(field)
        assert quick == own
    assert 'selected value="09:00"' in str(QuickSelect()(form.one))
