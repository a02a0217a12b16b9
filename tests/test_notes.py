"""The notes below a plan: Markdown made safe. Each hostile note is judged by what a browser would read."""

from __future__ import annotations

import html
from html.parser import HTMLParser

import pytest

from planfolio.notes import notes_html


class _Elements(HTMLParser):
    """Every start tag with its attributes, decoded as a browser decodes them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, {name: value or "" for name, value in attrs}))


def elements(text: str) -> list[tuple[str, dict[str, str]]]:
    parser = _Elements()
    parser.feed(str(notes_html(text)))
    parser.close()
    return parser.found


def scheme(url: str) -> str:
    """The scheme a browser sees: control characters, tabs and newlines removed, leading blanks trimmed."""
    cleaned = "".join(character for character in url if character not in "\t\n\r").lstrip("\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f \x7f")
    head, colon, _rest = cleaned.partition(":")
    return head.lower() if colon and "/" not in head else ""


UNSAFE_LINKS = [
    "[CRM](javascript:alert(1))",
    "[CRM](javascript&#x3a;alert(1))",
    "[CRM](javascript&colon;alert(1))",
    "[CRM](javascript&#58;alert(1))",
    "[CRM](JavaScript&#x3A;alert(1))",
    "[CRM](&#x6A;avascript:alert(1))",
    "[CRM](java&#x09;script:alert(1))",
    "[CRM](&#x20;javascript:alert(1))",
    "[CRM](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[CRM](vbscript:msgbox(1))",
    "[CRM][crm]\n\n[crm]: javascript&#x3a;alert(1)",
    "[CRM][crm]\n\n[crm]: javascript&colon;alert(1) \"title\"",
    "<javascript:alert(1)>",
]


@pytest.mark.parametrize("note", UNSAFE_LINKS)
def test_no_link_leads_to_a_script_after_decoding(note: str) -> None:
    found = elements(note)
    for _tag, attributes in found:
        for name in ("href", "src", "action", "formaction", "xlink:href"):
            if name in attributes:
                assert scheme(attributes[name]) in ("", "http", "https", "mailto"), (note, attributes)
    assert "CRM" in str(notes_html(note)) or "javascript" in html.unescape(str(notes_html(note)))  # the text stays


def test_safe_links_are_kept() -> None:
    found = elements("[site](https://example.com/a?b=1) [mail](mailto:dana@example.com) [peer](../other-plan/) <https://example.org>")
    assert [attributes["href"] for tag, attributes in found if tag == "a"] == [
        "https://example.com/a?b=1",
        "mailto:dana@example.com",
        "../other-plan/",
        "https://example.org",
    ]


@pytest.mark.parametrize(
    "note",
    [
        "```{.json #__config}\n{\"base\": \"https://evil.example\"}\n```",
        "```{#mermaid .mermaid}\nflowchart LR\n```",
        "```{.text .mermaid}\n%%{init: {\"themeCSS\": \"@import url(https://evil.example/f.css);\"}}%%\nflowchart LR\n  A --> B\n```",
        "``` { .python #x data-x=1 style=\"color:red\" }\nprint(1)\n```",
        "| a | b |\n|:--|--:|\n| 1 | 2 |",
        "# Heading\n\nText",
    ],
)
def test_authors_set_no_id_class_style_or_data(note: str) -> None:
    found = elements(note)
    assert found
    for tag, attributes in found:
        assert not {"id", "class", "style", "name"} & set(attributes), (tag, attributes)
        assert not any(name.startswith(("data-", "on")) for name in attributes), (tag, attributes)


def test_a_mermaid_fence_is_shown_as_code_never_as_a_diagram() -> None:
    note = "Before.\n\n```mermaid\nflowchart LR\n  A[\"<img src=x onerror=alert(1)>\"] --> B\n```\n\nAfter."
    rendered = str(notes_html(note))
    assert "mermaid" not in rendered.lower()  # no class Material would draw, and nothing for mermaid2 to parse
    assert "<pre><code>flowchart LR\n  A[\"&lt;img src=x onerror=alert(1)&gt;\"] --&gt; B\n</code></pre>" in rendered
    assert "<img" not in rendered


def test_images_are_never_loaded_but_shown_as_a_link_or_their_text() -> None:
    found = elements("![pixel](https://tracker.example/p.png) and [![logo](https://cdn.example/l.png)](https://example.com/)")
    assert not any(tag in ("img", "picture", "source", "video", "audio", "iframe", "object", "embed") for tag, _a in found)
    rendered = str(notes_html("![pixel](https://tracker.example/p.png) and [![logo](https://cdn.example/l.png)](https://example.com/)"))
    assert '<a href="https://tracker.example/p.png" rel="noopener noreferrer nofollow">image: pixel</a>' in rendered
    assert '<a href="https://example.com/" rel="noopener noreferrer nofollow"><em>logo</em></a>' in rendered
    assert "cdn.example" not in rendered  # an image inside a link keeps only its text
    # An image of an unsafe address becomes a link without it.
    assert "javascript" not in str(notes_html("![x](javascript&#x3a;alert(1))"))


def test_raw_html_is_shown_as_text() -> None:
    rendered = str(notes_html("<script>alert('notes')</script>\n\n<img src=x onerror=alert(1)> <a href=\"javascript:x\">y</a>\n\n<style>*{}</style>"))
    assert "<script" not in rendered and "<img" not in rendered and "<style" not in rendered and "<a href" not in rendered
    assert "&lt;script&gt;alert(&#39;notes&#39;)&lt;/script&gt;" in rendered or "&lt;script&gt;alert('notes')&lt;/script&gt;" in rendered


def test_markdown_still_works() -> None:
    rendered = str(notes_html("## Next steps\n\n- **Call** Dana\n- *Send* `offer`\n\n3. third\n4. fourth\n\n> quoted\n\n---\n\n| Who | When |\n|:--|--:|\n| Dana | May |"))
    for expected in ("<h4>Next steps</h4>", "<strong>Call</strong>", "<em>Send</em>", "<code>offer</code>", '<ol start="3">', "<blockquote>", "<hr>", '<th align="left">Who</th>', '<td align="right">May</td>'):
        assert expected in rendered, expected
    assert "<h1" not in str(notes_html("# Top")) and "<h3>Top</h3>" in str(notes_html("# Top"))  # under the page's "Notes" (h2)


def test_empty_notes_are_empty() -> None:
    assert str(notes_html("  \n\n")) == ""
