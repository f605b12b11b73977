"""Pages lose the templates' indentation, and nothing else
(plugins/theme_helpers: the ``dedent_html`` filter around base.html)."""

from __future__ import annotations

import re

import pytest

from plugins.theme_helpers.helpers import dedent_html

# What the filter does outside pre, textarea, script and style, said as one
# regular expression: spaces and tabs on either side of a line break go.
AROUND_A_BREAK = re.compile(r"[ \t]*\n[ \t]*")


@pytest.mark.parametrize(
    "text",
    [
        "",
        "one line, spaces kept  ",
        "  <p>\n    text\t\n  </p>  ",
        "\n",
        "\n\n \t \n",
        " \t\n\t x",
        "<ul>\n    <li>a</li>\n    <li>b</li>\n</ul>\n",
        "a \u00a0\nb",  # a no-break space is content
    ],
)
def test_only_the_spaces_around_line_breaks_go(text):
    assert str(dedent_html(text)) == AROUND_A_BREAK.sub("\n", text)


def test_whitespace_inside_pre_textarea_script_and_style_is_kept():
    kept = (
        "<pre>\n    indented\n</pre>",
        "<TEXTAREA name=x>\n  typed\n</textarea>",
        "<script>\n  let a = 1;\n</script >",
        "<style>\n  p { margin: 0 }\n</style>",
    )
    page = "<main>\n  " + "\n  ".join(kept) + "\n  <p>\n    end\n  </p>\n</main>"
    out = str(dedent_html(page))
    for element in kept:
        assert element in out
    assert "\n<p>\nend\n</p>\n</main>" in out
    assert out.startswith("<main>\n<pre>")
