"""A plan's notes (the Markdown below its front matter) as HTML that is safe to put into the page.

Notes are written by plan authors and are untrusted like every other plan text. They are rendered by
Python-Markdown with raw HTML turned off (it shows as text), then the HTML is sanitised by nh3 (Ammonia)
on an allowlist: only the tags Markdown makes, no `id`, `class` or `style` from authors (an id could
shadow Material's `#__config` or the global `mermaid`; a class could make a live diagram), and link
schemes checked after the HTML has been decoded, as a browser decodes it (`javascript&#x3a;` is
`javascript:`). Images are never loaded: each becomes a link to its address, named by its alt text.
Fenced blocks, ```mermaid included, are shown as code: Mermaid's syntax has ways out of the page that no
filter of ours could close for good (image shapes, styles holding `url(...)`, directives, front matter
configuration, entity codes that spell any of these), so only planfolio's own diagram of a plan is drawn.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree

import markdown
import nh3
from markdown.extensions.tables import TableExtension
from markupsafe import Markup

# What Python-Markdown makes of the extensions below; anything else is dropped, its text kept.
TAGS = frozenset(
    {"p", "br", "hr", "h3", "h4", "h5", "h6", "strong", "em", "code", "pre", "blockquote", "ul", "ol", "li", "a"}
    | {"table", "thead", "tbody", "tr", "th", "td"}
)
ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "th": {"align"}, "td": {"align"}}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
# Notes sit under the plan page's "Notes" (h2): their headings start one level below it.
HEADING_SHIFT = 2


class _Tree(markdown.treeprocessors.Treeprocessor):
    """Images become links to their address (or, inside a link, their alt text); headings move down."""

    def run(self, root: etree.Element) -> None:
        inside_links = {id(image) for link in root.iter("a") for image in link.iter("img")}
        for parent in list(root.iter()):
            for index, element in enumerate(list(parent)):
                if element.tag == "img":
                    parent.remove(element)
                    parent.insert(index, _image_stand_in(element, inside_link=id(element) in inside_links))
                elif element.tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
                    element.tag = f"h{min(6, int(element.tag[1]) + HEADING_SHIFT)}"


def _image_stand_in(image: etree.Element, *, inside_link: bool) -> etree.Element:
    alt = image.get("alt", "").strip()
    source = image.get("src", "")
    if inside_link or not source:
        stand_in = etree.Element("em")
        stand_in.text = alt or "image"
    else:
        stand_in = etree.Element("a", {"href": source})  # its scheme is checked by nh3 like every link's
        stand_in.text = f"image: {alt}" if alt else "image"
    stand_in.tail = image.tail
    return stand_in


class _Notes(markdown.extensions.Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 - Markdown's API
        md.preprocessors.deregister("html_block")  # raw HTML in notes is shown as text, never run
        md.inlinePatterns.deregister("html")
        md.treeprocessors.register(_Tree(md), "planfolio_notes", 0)


def sanitize(html: str) -> str:
    """HTML reduced to the allowlist: what a browser would decode is what is checked."""
    return nh3.clean(
        html,
        tags=set(TAGS),
        attributes={tag: set(names) for tag, names in ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


def notes_html(text: str) -> Markup:
    """A plan's Markdown notes as sanitised HTML."""
    if not text.strip():
        return Markup("")
    converter = markdown.Markdown(
        extensions=[TableExtension(use_align_attribute=True), "sane_lists", "fenced_code", _Notes()]
    )
    return Markup(sanitize(converter.convert(text)))
