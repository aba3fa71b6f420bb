"""Normalisation steps that use transcite's data and other subsystems: identifiers, licences,
the journal registry, transliteration (rebuild Cyrillic, add the profile's romanisation) and
duplicates."""

from __future__ import annotations

from collections.abc import Iterable

from ..changes import Change
from ..identifiers import normalise_identifiers
from ..journals import apply_journal
from ..model import Form, Name, NameVariant, Reference, Report, Variant, is_cyrillic
from ..render.project import DOUBTFUL, is_russian_item
from .pipeline import PER_REF_STEPS, Context
from .text_steps import clean_name

__all__ = ["costly_to_load", "dedupe", "identifiers", "journal", "licence", "load_costly",
           "rebuilding_loaded", "rebuilds_cyrillic", "review", "translit"]

#: Fields whose romanised form is rebuilt in Cyrillic and romanised by the profile's scheme.
TRANSLIT_FIELDS = ("title", "container-title", "collection-title", "publisher",
                   "publisher-place", "event-title", "volume-title")


#: ``Context.cache`` key: how many times a step used what costs a process much to load (the
#: Cyrillic rebuilding's dictionaries, python-stdnum's ISBN ranges). An entry that used it
#: has its result kept for the next read of its file (see transcite.bulk).
HEAVY = "heavy"


def identifiers(ref: Reference, ctx: Context) -> list[Change]:
    """ISSN, ISBN and DOI in their canonical forms; invalid ones reported, kept as read."""
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


def _to_rebuild(ref: Reference) -> tuple[list[tuple[str, str]] | None, list[tuple[str, Name]]]:
    """What :func:`translit` rebuilds in Cyrillic: (field, its romanised text) for the fields
    read only in a romanisation, (variable, name) for the names of a reference read wholly in
    Latin; None for the fields of a reference that is not Russian (nothing is done)."""
    if not is_russian_item(ref):
        return None, []
    fields: list[tuple[str, str]] = []
    romanised_input = not _has_cyrillic(ref)
    for var in TRANSLIT_FIELDS:
        if var not in ref.fields:
            continue
        forms = ref.forms(var)
        if any(v.form is Form.ORIGINAL and is_cyrillic(v.text) for v in forms):
            continue
        romanised = next((v for v in forms if v.form is Form.ROMANISED), None)
        explicit = any(v.form is Form.ROMANISED for v in ref.variants.get(var, ()))
        if romanised is not None and (explicit or romanised_input):
            fields.append((var, romanised.text))
    names = [(var, name) for var, ns in ref.names.items() for name in ns
             if romanised_input and name.literal != "others"
             and name.variant(Form.ORIGINAL) is None and (name.family or name.given)]
    return fields, names


def rebuilds_cyrillic(ref: Reference) -> bool:
    """Whether :func:`translit` rebuilds some Cyrillic of ``ref`` - and so loads, in a process
    that has not yet, the rebuilding's dictionaries (~80 ms; see transcite.bulk)."""
    fields, names = _to_rebuild(ref)
    return bool(fields or names)


def rebuilding_loaded() -> bool:
    """Whether this process has rebuilt Cyrillic before (and so loaded the rebuilding: its
    modules and dictionaries, as far as it needed them)."""
    import sys

    return "transcite.translit.backtranslit" in sys.modules


def costly_to_load(step: str, ref: Reference) -> bool:
    """Whether running ``step`` on ``ref`` loads, in this process, what costs a process much
    to load and it has not loaded yet: the Cyrillic rebuilding (``translit``, ~80 ms) or
    python-stdnum's ISBN ranges (``identifiers``, ~20 ms). transcite.bulk hands such entries
    to the worker that loads them once (see :func:`load_costly`)."""
    import sys

    if step == "identifiers":
        return bool(ref.fields.get("ISBN")) and "stdnum.isbn" not in sys.modules
    return step == "translit" and not rebuilding_loaded() and rebuilds_cyrillic(ref)


def load_costly(rebuilding: bool, isbn: bool) -> None:
    """Load ahead of the first entry that needs it what :func:`costly_to_load` names: the
    Cyrillic rebuilding - its modules, the lexicon, pymorphy3's dictionary, the spelling
    tables - and the ISBN ranges."""
    if isbn:
        from ..identifiers import validate_isbn

        validate_isbn("9785020037052")      # (reads the ranges)
    if rebuilding:
        from ..translit import backtranslit  # noqa: F401 - imported to be loaded
        from ..translit.channel import channel
        from ..translit.lexicon import lexicon, morphology

        lexicon()
        morphology()
        channel()


def translit(ref: Reference, ctx: Context) -> list[Change]:
    """For Russian sources: rebuild the Cyrillic of fields and names that were read only in a
    romanisation (a derived original form, with its confidence; doubtful ones reported), and
    add the romanisation the profile asks for. Missing English titles are reported when a
    profile is given."""
    fields, names = _to_rebuild(ref)
    if fields is None:
        return []
    changes: list[Change] = []
    for var, romanised in fields:
        text, confidence = _rebuild(romanised, ctx)
        if not is_cyrillic(text):
            continue  # nothing Russian in it (an English name, an acronym kept)
        ref.add_variant(var, Variant(text, Form.ORIGINAL, "ru", origin="translit",
                                     confidence=round(confidence, 3)))
        changes.append(Change("translit", ref.id, var, None, text, "translit", "variant"))
    for var, name in names:
        parts = {k: getattr(name, k) for k in ("family", "given")}
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
    changed: dict[str, Reference] = {}
    given = ctx.cache.pop("fingerprints", None)     # computed by the workers that read refs
    prints = given[1] if given is not None and given[0] is refs else None
    for pair in find_duplicates(refs, prints=prints):
        root = pair.earlier.id
        while root in merged:  # a chain a <- b <- c all merges into a
            root = merged[root]
        target = by_id[root]
        filled = merge_into(target, pair.later, ctx.report)
        if filled:
            changed[target.id] = target
        changes.extend(filled)
        changes.append(Change("dedupe", pair.later.id, "id", pair.later.id, target.id,
                              f"duplicate ({pair.reason})", "merge"))
        merged[pair.later.id] = target.id
        ctx.report.add("info", "normalise.merged", f"merged into {target.id} (the same work: "
                       f"{'same DOI' if pair.reason == 'doi' else 'same title'})",
                       **pair.later.where())
    refs[:] = [r for r in refs if r.id not in merged]
    changes.extend(settle_merged(changed.values(), ctx))
    return changes


def settle_merged(targets: Iterable[Reference], ctx: Context) -> list[Change]:
    """The run's per-reference steps (``ctx.cache[PER_REF_STEPS]``) again over references a
    merge filled in: what the duplicate brought (a language, say) can make them do more - a
    romanised name rebuilt in Cyrillic once the record is known to be Russian - which a
    second run would otherwise do. Problems they report again are not repeated."""
    steps = ctx.cache.get(PER_REF_STEPS) or ()
    targets = list(targets)
    changes: list[Change] = []
    if not steps or not targets:
        return changes
    report = ctx.report
    seen = set(report.problems)
    for target in targets:
        ctx.report = Report()
        try:
            for step in steps:
                if step.run is not None:
                    changes.extend(step.run(target, ctx))
        finally:
            fresh, ctx.report = ctx.report, report
        report.extend(p for p in fresh.problems if p not in seen)
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
