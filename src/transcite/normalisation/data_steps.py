"""Normalisation steps that use transcite's data and other subsystems: identifiers, licences,
the journal registry, transliteration (rebuild Cyrillic, add the profile's romanisation) and
duplicates."""

from __future__ import annotations

from ..changes import Change
from ..model import Form, Name, NameVariant, Reference, Variant, is_cyrillic
from ..render.project import DOUBTFUL, is_russian_item
from .pipeline import Context
from .text_steps import clean_name

__all__ = ["dedupe", "identifiers", "journal", "licence", "review", "translit"]

#: Fields whose romanised form is rebuilt in Cyrillic and romanised by the profile's scheme.
TRANSLIT_FIELDS = ("title", "container-title", "collection-title", "publisher",
                   "publisher-place", "event-title", "volume-title")


#: ``Context.cache`` key: how many times a step used what costs a process much to load (the
#: Cyrillic rebuilding's dictionaries, python-stdnum's ISBN ranges). An entry that used it
#: has its result kept for the next read of its file (see transcite.bulk).
HEAVY = "heavy"


def identifiers(ref: Reference, ctx: Context) -> list[Change]:
    """ISSN, ISBN and DOI in their canonical forms; invalid ones reported, kept as read."""
    from ..identifiers import normalise_identifiers

    if ref.fields.get("ISBN"):
        ctx.cache[HEAVY] = ctx.cache.get(HEAVY, 0) + 1
    return normalise_identifiers(ref, ctx.report)


def licence(ref: Reference, ctx: Context) -> list[Change]:
    """A licence statement or URL recognised: its SPDX id and canonical URL added."""
    if not ref.fields.get("license") and not ref.extra:
        return []       # nowhere a statement could be (the licence table is not loaded)
    from ..licences import normalise_licence

    return normalise_licence(ref, ctx.report)


def journal(ref: Reference, ctx: Context) -> list[Change]:
    """Container title forms, ISSN and publisher filled or checked from the journal registry."""
    from ..journals import apply_journal

    if not (ref.fields.get("ISSN") or ref.fields.get("container-title")):
        return []
    return apply_journal(ref, ctx.report, ctx.journals())


def _rebuild(text: str, ctx: Context) -> tuple[str, float]:
    ctx.cache[HEAVY] = ctx.cache.get(HEAVY, 0) + 1
    cache: dict[str, tuple[str, float]] = ctx.cache.setdefault("cyrillic", {})
    if text not in cache:
        from ..translit import to_cyrillic

        rebuilt = to_cyrillic(text)
        cache[text] = (rebuilt.text, rebuilt.confidence)
    return cache[text]


def _has_cyrillic(ref: Reference) -> bool:
    return any(is_cyrillic(v) for v in ref.fields.values()) or any(
        is_cyrillic(n.display()) for ns in ref.names.values() for n in ns)


def translit(ref: Reference, ctx: Context) -> list[Change]:
    """For Russian sources: rebuild the Cyrillic of fields and names that were read only in a
    romanisation (a derived original form, with its confidence; doubtful ones reported), and
    add the romanisation the profile asks for. Missing English titles are reported when a
    profile is given."""
    if not is_russian_item(ref):
        return []
    changes: list[Change] = []
    romanised_input = not _has_cyrillic(ref)
    for var in TRANSLIT_FIELDS:
        if var not in ref.fields:
            continue
        forms = ref.forms(var)
        if any(v.form is Form.ORIGINAL and is_cyrillic(v.text) for v in forms):
            continue
        romanised = next((v for v in forms if v.form is Form.ROMANISED), None)
        explicit = any(v.form is Form.ROMANISED for v in ref.variants.get(var, ()))
        if romanised is None or not (explicit or romanised_input):
            continue
        text, confidence = _rebuild(romanised.text, ctx)
        if not is_cyrillic(text):
            continue  # nothing Russian in it (an English name, an acronym kept)
        ref.add_variant(var, Variant(text, Form.ORIGINAL, "ru", origin="translit",
                                     confidence=round(confidence, 3)))
        changes.append(Change("translit", ref.id, var, None, text, "translit", "variant"))
    if romanised_input:
        for var, names in ref.names.items():
            for name in names:
                if name.literal == "others" or name.variant(Form.ORIGINAL) is not None:
                    continue
                parts = {k: getattr(name, k) for k in ("family", "given")}
                if not any(parts.values()):
                    continue
                rebuilt = {k: _rebuild(v, ctx) if v else None for k, v in parts.items()}
                cyr = clean_name(Name(family=rebuilt["family"][0] if rebuilt["family"] else None,
                                      given=rebuilt["given"][0] if rebuilt["given"] else None))
                if not is_cyrillic(cyr.display()):
                    continue
                conf = min(c for _, c in (r for r in rebuilt.values() if r))
                name.variants.append(NameVariant(cyr, Form.ORIGINAL, "ru", None, "translit",
                                                 round(conf, 3)))
                changes.append(Change("translit", ref.id, var, None, cyr.display(),
                                      "translit", "variant"))
    profile = ctx.profile
    if profile is not None:
        changes.extend(_add_profile_romanisation(ref, ctx))
    return changes


def _same(a: str | None, b: str) -> bool:
    from ..render.project import same_scheme

    return a is not None and same_scheme(a, b)


def _add_profile_romanisation(ref: Reference, ctx: Context) -> list[Change]:
    from ..translit import romanise, romanise_name

    settings = ctx.profile.references
    changes: list[Change] = []
    for var in TRANSLIT_FIELDS:
        original = ref.form(var, Form.ORIGINAL)
        if original is None or not is_cyrillic(original.text):
            continue
        if any(v.form is Form.ROMANISED and _same(v.scheme, settings.scheme)
               for v in ref.variants.get(var, ())):
            continue
        if var == "publisher-place" and original.text.strip() in settings.places:
            text = settings.places[original.text.strip()]
        else:
            text = romanise(original.text, settings.scheme)
        if ref.add_variant(var, Variant(text, Form.ROMANISED, "ru", settings.scheme,
                                        origin="translit")):
            changes.append(Change("translit", ref.id, var, None, text, "translit", "variant"))
    for var, names in ref.names.items():
        for name in names:
            source = name.variant(Form.ORIGINAL)
            base = source.name if source is not None else name
            if not is_cyrillic(base.display()) or any(
                    v.form is Form.ROMANISED and _same(v.scheme, settings.names_scheme)
                    for v in name.variants):
                continue
            rom = clean_name(romanise_name(base.without_variants(), settings.names_scheme))
            name.variants.append(NameVariant(rom, Form.ROMANISED, "ru", settings.names_scheme,
                                             "translit"))
            changes.append(Change("translit", ref.id, var, None, rom.display(), "translit",
                                  "variant"))
    return changes


def dedupe(refs: list[Reference], ctx: Context) -> list[Change]:
    """Merge references that are the same work into the first one (nothing overwritten,
    differences reported); the later ones are removed from the list."""
    from ..dedupe import find_duplicates, merge_into

    changes: list[Change] = []
    by_id = {r.id: r for r in refs}
    merged: dict[str, str] = {}
    given = ctx.cache.pop("fingerprints", None)     # computed by the workers that read refs
    prints = given[1] if given is not None and given[0] is refs else None
    for pair in find_duplicates(refs, prints=prints):
        root = pair.earlier.id
        while root in merged:  # a chain a <- b <- c all merges into a
            root = merged[root]
        target = by_id[root]
        changes.extend(merge_into(target, pair.later, ctx.report))
        changes.append(Change("dedupe", pair.later.id, "id", pair.later.id, target.id,
                              f"duplicate ({pair.reason})", "merge"))
        merged[pair.later.id] = target.id
        ctx.report.add("info", "normalise.merged", f"merged into {target.id} (the same work: "
                       f"{'same DOI' if pair.reason == 'doi' else 'same title'})",
                       **pair.later.where())
    refs[:] = [r for r in refs if r.id not in merged]
    return changes


def review(refs: list[Reference], ctx: Context) -> list[Change]:
    """What still needs a human once everything is merged: Cyrillic rebuilt with low
    confidence (and no Cyrillic from the user beside it), and - with a profile - Russian
    sources that have no English title for the References list. Changes nothing."""
    for ref in refs:
        for var, variants in ref.variants.items():
            for v in variants:
                if v.form is Form.ORIGINAL and v.origin == "translit" and (
                        v.confidence is not None and v.confidence < DOUBTFUL) and not (
                        is_cyrillic(ref.fields.get(var, ""))):
                    romanised = ref.form(var, Form.ROMANISED)
                    ctx.report.warning(
                        "normalise.doubtful-cyrillic",
                        f"{var}: Cyrillic rebuilt from "
                        f"{romanised.text if romanised else ref.fields.get(var)!r} is uncertain "
                        f"({v.text!r}, confidence {v.confidence:.2f})", **ref.where())
        if ctx.profile is not None and is_russian_item(ref) and ref.fields.get("title") and \
                ref.form("title", Form.TRANSLATED, "en") is None:
            ctx.report.warning("normalise.missing-translation",
                               "no English title: the References list needs one "
                               "(add it as titleaddon = {[...]} or a translated form)",
                               **ref.where())
    return []
