"""A format-independent picture of a reference, for comparing what different formats keep."""

from __future__ import annotations

from typing import Any

from transcite.model import Reference

#: The text around a BibTeX entry (comments, @preamble...), checked in test_lossless_bibtex.
_AROUND = ("@before", "@after")


def canon(ref: Reference, *, extras: bool = True) -> dict[str, Any]:
    """Everything a user wrote, in a comparable shape (order of variants ignored; the text a
    BibTeX file has around its entries left out)."""
    return {
        "id": ref.id,
        "type": ref.type,
        "fields": dict(sorted(ref.fields.items())),
        "names": {var: [(n.to_csl(), sorted((nv.tag, tuple(sorted(nv.name.to_csl().items())))
                                             for nv in n.variants)) for n in names]
                  for var, names in sorted(ref.names.items())},
        "dates": {var: d.to_csl() for var, d in sorted(ref.dates.items())},
        "variants": sorted((var, v.form.value, v.lang or "", v.scheme or "", v.text)
                           for var, vs in ref.variants.items() for v in vs
                           if not (v.text == ref.fields.get(var) and v.form.value == "original")),
        "extra": dict(sorted((k, v) for k, v in ref.extra.items() if k not in _AROUND))
        if extras else {},
    }
