"""Templates speak the language of the moment: the page's, or the one a mail is written in."""

from flask import render_template_string
from flask_babel import force_locale, refresh

from app.i18n import LOCALE_SESSION_KEY

PAGER = "{{ _('Previous') }}"


def test_a_text_written_in_another_language_inside_a_request(app) -> None:
    with app.test_request_context("/"):
        assert render_template_string(PAGER).startswith("上一页")
        with force_locale("en"):  # a mail to an English reader, from a Chinese page
            assert render_template_string(PAGER).startswith("Previous")
        assert render_template_string(PAGER).startswith("上一页")


def test_the_language_chosen_during_a_request(app) -> None:
    with app.test_request_context("/") as context:
        assert render_template_string(PAGER).startswith("上一页")
        context.session[LOCALE_SESSION_KEY] = "en"
        refresh()
        assert render_template_string(PAGER).startswith("Previous")
