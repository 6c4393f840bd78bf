"""The mypy budget: errors counted per folder, and a rise over the baseline refused."""
from collections import Counter

from tools.mypy_budget import compare, count_errors, folder_of, lowered, read_baseline

OUTPUT = """portal/web/client/views.py:12: error: Function is missing a type annotation  [no-untyped-def]
portal/web/errors.py:3: error: Missing return  [return]
portal/web/errors.py:4: note: a note is not an error
portal/logs.py:28: error: Incompatible types  [assignment]
functions/reminders.py:6: error: Function is missing a type annotation  [no-untyped-def]
Found 4 errors in 4 files (checked 160 source files)
"""

BASELINE = """# a comment
portal/web 2  # views
functions 3
"""


def test_folders_are_the_packages_of_portal_and_the_top_folders():
    assert folder_of("portal/web/client/views.py") == "portal/web"
    assert folder_of("portal/logs.py") == "portal"
    assert folder_of("functions/_guard.py") == "functions"


def test_errors_are_counted_per_folder_and_notes_are_not():
    assert count_errors(OUTPUT) == Counter({"portal/web": 2, "portal": 1, "functions": 1})


def test_a_folder_over_its_line_or_without_one_is_a_rise():
    rises, falls = compare(count_errors(OUTPUT), read_baseline(BASELINE))
    assert rises == ["portal: 1 errors, the baseline allows 0"]
    assert falls == ["functions: 1 errors, down from 3"]


def test_writing_lowers_the_counts_and_keeps_the_comments():
    text = lowered(BASELINE, Counter({"portal/web": 1, "functions": 5}))
    assert read_baseline(text) == {"portal/web": 1, "functions": 3}  # never raised
    assert "portal/web 1  # views\n" in text and text.startswith("# a comment\n")
