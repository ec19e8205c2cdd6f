"""The one definition of what a reader of a file can see. Text no reader
sees is never a value source, whatever the format:

- a web page (and the raw HTML in Markdown): the elements browsers never
  show (script, style, template, noembed, noframes, rp, datalist, a
  <dialog> that is not open), the `hidden` attribute, `display:none` or
  `visibility:hidden|collapse` in an element's style attribute or in the
  page's own <style> rules (css.py, css_match.py);
- a Word document: runs with `w:vanish` or `w:specVanish` (directly or by
  their character or paragraph style), deleted runs (`w:del`) and the
  sources of tracked moves (`w:moveFrom`).

What a user can open or a screen reader speaks is visible: a closed
<details>, a visually-hidden label (`govuk-visually-hidden`, `sr-only`:
clipped off screen, not hidden). `aria-hidden` hides from screen readers
only: with nothing else hiding it, the text is on the screen, and read. Only `display` and `visibility` hide; text
made unreadable otherwise (white on white, a zero font size) is read.

Where hidden text says something that the visible text does not, the
reader reports it once (`hidden_note`): the file is then partial, since
its publisher shows one thing and holds another.
"""
from __future__ import annotations

import re
from typing import Any

from pipeline.core.records import FindingKind, Note
from pipeline.ingest.css import declarations

Element = Any  # an lxml element

# elements whose content browsers never render
HIDDEN_ELEMENTS = frozenset({"script", "style", "template", "noembed", "noframes", "rp", "datalist"})
# of those, the ones whose content is code: hidden text only when it reads as prose
_CODE_ELEMENTS = frozenset({"script", "style"})
_CODE_CHARS = re.compile(r"[{};=]")
MARK = "data-unseen"  # set by mark_hidden on each hidden element: why it is hidden
MAX_FRAGMENTS = 50
_QUOTE = 60


def own_reason(tag: str, get: Any) -> str | None:
    """Why an element (its name, and `get` for its attributes) is hidden by
    itself, not by the page's style rules; None when it is not."""
    if tag in HIDDEN_ELEMENTS:
        return f"a <{tag}> element, which browsers do not show"
    if tag == "dialog" and get("open") is None:
        return "a <dialog> that is not open"
    hidden = get("hidden")
    if hidden is not None and hidden.strip().lower() != "until-found":
        return "the hidden attribute"
    style = get("style")
    if style:
        for prop, (hides, _) in declarations(style).items():
            if hides:
                return f"{prop}:{'none' if prop == 'display' else 'hidden'} in its style attribute"
    return None


def reads_as_prose(tag: str, text: str) -> bool:
    """Whether hidden text is words a reader might take as the report's: code
    (a script, a stylesheet) is not."""
    if not any(ch.isalnum() for ch in text):
        return False
    return tag not in _CODE_ELEMENTS or not _CODE_CHARS.search(text)


def _normal(text: str) -> str:
    return " ".join(text.split()).casefold()


class HiddenText:
    """Hidden passages as a reader meets them, each with why it is hidden."""

    def __init__(self) -> None:
        self.fragments: list[tuple[str, str]] = []
        self.count = 0
        self.rules: Any = None  # the file's own style rules for its raw HTML (Markdown), a css_match.RuleIndex

    def add(self, text: str, reason: str) -> None:
        text = " ".join(text.split())
        if not text:
            return
        self.count += 1
        if len(self.fragments) < MAX_FRAGMENTS:
            self.fragments.append((text[:2000], reason))

    def note(self, visible: list[str]) -> Note | None:
        """The one `hidden_text` note of a file whose hidden text says
        something its visible text (`visible`: each block's, each row's
        text) does not; None when every hidden passage repeats a visible
        block (a print copy of a table, a moved paragraph)."""
        if not self.fragments:
            return None
        blocks = {_normal(t) for t in visible}
        whole = " ".join(_normal(t) for t in visible)
        differ = [(text, reason) for text, reason in self.fragments
                  if _normal(text) not in blocks and not (len(text) >= 40 and _normal(text) in whole)]
        if not differ:
            return None
        text, reason = differ[0]
        quoted = text if len(text) <= _QUOTE else text[:_QUOTE].rstrip() + "..."
        more = len(differ) - 1 + (self.count - len(self.fragments))
        others = f", and {more} more hidden passage{'s' if more != 1 else ''}" if more > 0 else ""
        return Note(FindingKind.HIDDEN_TEXT, f"text a reader of the file cannot see was not read: '{quoted}' "
                    f"({reason}){others}; the visible text is what is stored", None, printed=text[:200])


# ---------------------------------------------------------------- Word

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_OFF = ("0", "false", "off")


def _on(props: Element | None, name: str) -> bool | None:
    """A toggle run property: True, False (turned off), or None (not set)."""
    el = props.find(f"{W}{name}") if props is not None else None
    if el is None:
        return None
    return (el.get(f"{W}val") or "true").lower() not in _OFF


def vanishing_styles(styles_root: Element | None) -> frozenset[str]:
    """The ids of the styles whose runs are hidden (w:vanish in the style's
    run properties, or in a style it is based on)."""
    if styles_root is None:
        return frozenset()
    own: dict[str, bool | None] = {}
    based: dict[str, str] = {}
    for style in styles_root.iter(f"{W}style"):
        sid = style.get(f"{W}styleId") or ""
        own[sid] = _on(style.find(f"{W}rPr"), "vanish")
        parent = style.find(f"{W}basedOn")
        if parent is not None:
            based[sid] = parent.get(f"{W}val") or ""
    out = set()
    for sid in own:
        chain, seen = sid, 0
        while chain and own.get(chain) is None and seen < 20:
            chain, seen = based.get(chain, ""), seen + 1
        if own.get(chain):
            out.add(sid)
    return frozenset(out)


def run_reason(run: Element, paragraph: Element, vanishing: frozenset[str]) -> str | None:
    """Why a Word run is not seen (None when it is): hidden text, a deletion,
    or the source of a move, as Word shows a document with its changes."""
    node = run.getparent()
    while node is not None and node is not paragraph:
        if node.tag == f"{W}del":
            return "a tracked deletion"
        if node.tag == f"{W}moveFrom":
            return "the source of a tracked move"
        node = node.getparent()
    props = run.find(f"{W}rPr")
    for name in ("vanish", "specVanish"):
        if _on(props, name):
            return f"hidden text (w:{name})"
    if _on(props, "vanish") is False:
        return None
    style = props.find(f"{W}rStyle") if props is not None else None
    if style is not None and style.get(f"{W}val") in vanishing:
        return "hidden text (its character style)"
    p_style = paragraph.find(f"{W}pPr/{W}pStyle")
    if p_style is not None and p_style.get(f"{W}val") in vanishing:
        return "hidden text (its paragraph style)"
    return None


# ---------------------------------------------------------------- HTML

def mark_hidden(document: Element, root: Element, furniture: Any) -> HiddenText:
    """Set MARK on every element of the page a browser does not show (and
    on everything inside one), with why; the hidden passages inside the
    report's `root` that are not site `furniture` (a predicate) are kept,
    to be told against the visible text."""
    from pipeline.ingest.css import rules_of
    from pipeline.ingest.css_match import RuleIndex

    index = RuleIndex(rules_of([el.text_content() or "" for el in document.iter("style")]))
    found = HiddenText()
    in_root = set(root.iter()) if root is not document else None
    for el in document.iter():
        if not isinstance(el.tag, str):
            continue
        el.attrib.pop(MARK, None)  # the page's own attribute of that name says nothing
        parent = el.getparent()
        if parent is not None and parent.get(MARK) is not None:
            el.set(MARK, parent.get(MARK))
            continue
        reason = own_reason(el.tag, el.get) or _styled_reason(el, index)
        if reason is None:
            continue
        el.set(MARK, reason)
        if (in_root is None or el in in_root) and not furniture(el):
            text = " ".join(t for t in el.itertext() if t.strip())
            if reads_as_prose(el.tag, text):
                found.add(text, reason)
    return found


def _styled_reason(el: Element, index: Any) -> str | None:
    """Why the page's style rules hide an element (the cascade of display and
    visibility: !important, then the style attribute, then specificity, then
    order). Everything inside a hidden element is hidden (mark_hidden): a
    child that sets visibility:visible again is left out with its parent."""
    matching = index.matching(el) if index else []
    inline = declarations(el.get("style") or "") if el.get("style") else {}
    winners: dict[str, tuple[Any, ...]] = {}
    for selector in matching:
        rule = selector.rule
        key = (rule.important, 0, selector.specificity, rule.order, rule.hides, rule.selector)
        if rule.prop not in winners or key > winners[rule.prop]:
            winners[rule.prop] = key
    for prop, (hides, important) in inline.items():
        key = (important, 1, (0, 0, 0), 0, hides, "its style attribute")
        if prop not in winners or key > winners[prop]:
            winners[prop] = key
    if "display" in winners and winners["display"][4]:
        return f"display:none by the page's style rule '{winners['display'][5]}'"
    if "visibility" in winners and winners["visibility"][4]:
        return f"visibility:hidden by the page's style rule '{winners['visibility'][5]}'"
    return None


# ---------------------------------------------------------------- raw HTML in Markdown

_RAW_TAG = re.compile(r"^<(/?)([a-z][a-z0-9-]*)((?:\s[^>]*)?)/?>$", re.I | re.S)
_ATTRIBUTE = re.compile(r"""([a-z_:][-a-z0-9_:.]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?""", re.I)
_ANY_TAG = re.compile(r"<[^<>]{1,2000}>")
_VOID = frozenset({"br", "img", "hr", "input", "meta", "link", "wbr", "area", "base", "col", "embed", "source",
                   "track", "param"})


class _RawElement:
    """An open tag of raw HTML, as much of an element as the style rules
    match against (its name, attributes and the tag around it)."""

    def __init__(self, tag: str, attributes: dict[str, str], parent: _RawElement | None) -> None:
        self.tag, self.attributes, self.parent = tag, attributes, parent

    def get(self, name: str, default: str | None = None) -> str | None:
        return self.attributes.get(name, default)

    def getparent(self) -> _RawElement | None:
        return self.parent


class RawHtml:
    """The open tags of Markdown's raw HTML (inside one paragraph or cell, or
    the HTML blocks between Markdown blocks), read under the web page's
    rules, the style rules of the file's own <style> blocks (`rules`, a
    css_match.RuleIndex) included: text inside a hidden one is hidden."""

    def __init__(self, rules: Any = None) -> None:
        self.rules = rules
        self.open: list[tuple[str, str | None, _RawElement]] = []  # (tag, why hidden, element) of each open tag

    @property
    def reason(self) -> str | None:
        return next((why for _, why, _ in reversed(self.open) if why), None)

    def feed(self, html: str) -> None:
        """Every tag of a block of raw HTML, in order."""
        for m in _ANY_TAG.finditer(html):
            self.tag(m.group())

    def tag(self, raw: str) -> None:
        m = _RAW_TAG.match(raw.strip())
        if not m:
            return
        closing, tag = bool(m.group(1)), m.group(2).lower()
        if closing:
            names = [name for name, _, _ in self.open]
            if tag in names:
                del self.open[len(names) - 1 - names[::-1].index(tag):]
            return
        if tag in _VOID or raw.rstrip().endswith("/>"):
            return
        attributes = {a.group(1).lower(): next((g for g in a.group(2, 3, 4) if g is not None), "")
                      for a in _ATTRIBUTE.finditer(m.group(3) or "")}
        element = _RawElement(tag, attributes, self.open[-1][2] if self.open else None)
        why = own_reason(tag, attributes.get) or (_styled_reason(element, self.rules) if self.rules else None)
        if len(self.open) < 256:  # unclosed tags do not grow it without end
            self.open.append((tag, why, element))


_STYLE_BLOCK = re.compile(r"<style\b[^>]*>(.*?)</style\s*>", re.I | re.S)


def raw_style_rules(html_parts: list[str]) -> Any:
    """A css_match.RuleIndex of the <style> blocks in raw HTML (None if none)."""
    from pipeline.ingest.css import rules_of
    from pipeline.ingest.css_match import RuleIndex

    styles = [m.group(1) for part in html_parts if "<style" in part.lower() for m in _STYLE_BLOCK.finditer(part)]
    index = RuleIndex(rules_of(styles)) if styles else None
    return index or None
