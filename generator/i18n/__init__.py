"""The interface in the course's language: the gettext catalogues under
``site_templates/locale/`` (``catalogues.py``) and the strings the scripts get
(``script_strings.py``). Language codes and names are ``generator.source.languages``'s, re-exported
here for the render and export code that uses both.
"""

from generator.source.languages import (
    NATIVE_NAMES,
    SHIPPED,
    SOURCE_LANGUAGE,
    is_language_code,
    language_name,
    language_problem,
    native_name,
)

__all__ = [
    "NATIVE_NAMES",
    "SHIPPED",
    "SOURCE_LANGUAGE",
    "is_language_code",
    "language_name",
    "language_problem",
    "native_name",
]
