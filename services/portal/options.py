"""The long <option> lists (regions, categories) written in Python rather than by the
template, and kept per list and choice: the lists are the ones pages.base keeps a few minutes
(the same objects), so a form page mostly reuses markup it already wrote. And the status tag,
which every list item shows: a function here costs a template no import of the macros."""

from __future__ import annotations

from markupsafe import Markup, escape

from services.portal import i18n

_written: dict[tuple, tuple[object, Markup]] = {}


def _kept(items, key: tuple, write) -> Markup:
    """The markup for ``items`` (by identity: the list pages.base holds) and ``key``."""
    if not items:
        return Markup("")
    full = (id(items), *key)
    hit = _written.get(full)
    if hit and hit[0] is items:
        return hit[1]
    markup = write()
    if len(_written) > 4000:
        _written.clear()
    _written[full] = (items, markup)
    return markup


def _option(value, label, selected) -> str:
    mark = " selected" if selected else ""
    return f'<option value="{escape(value)}"{mark}>{escape(label)}</option>'


def regions(items: list[dict], chosen) -> Markup:
    """<option value="73.11" selected>Kabupaten Barru</option>… for one level's regions."""
    return _kept(
        items,
        (chosen,),
        lambda: Markup("".join(_option(r["code"], r["name"], r["code"] == chosen) for r in items)),
    )


def categories(lang: str, tree: list[dict], chosen) -> Markup:
    """An <optgroup> per group: the group itself ("(umum)") first, then its children; a
    category under the Ombudsman's supervision is marked with *."""
    return _kept(tree, (lang, chosen), lambda: _categories(lang, tree, chosen))


def _categories(lang: str, tree: list[dict], chosen) -> Markup:
    general = i18n.translate(lang, "form.category_general")
    parts = []
    for group in tree:
        name = i18n.pick(lang, group["name"])
        star = " *" if group.get("supervision") else ""
        parts.append(f'<optgroup label="{escape(name)}">')
        parts.append(_option(group["id"], f"{name} ({general}){star}", group["id"] == chosen))
        for child in group.get("children") or []:
            label = i18n.pick(lang, child["name"]) + (" *" if child.get("supervision") else "")
            parts.append(_option(child["id"], label, child["id"] == chosen))
        parts.append("</optgroup>")
    return Markup("".join(parts))


def status_tag(lang: str, status) -> Markup:
    """<span class="tag tag-red">Belum ditindaklanjuti</span> for {"code", "label", "colour"}."""
    label = status.get("label")
    text = i18n.pick(lang, label) if label else i18n.translate(lang, f"status.{status.get('code')}")
    return Markup(
        f'<span class="tag tag-{escape(status.get("colour") or "none")}">{escape(text)}</span>'
    )
