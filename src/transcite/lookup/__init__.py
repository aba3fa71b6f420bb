"""Looking references up in web services: Crossref (:mod:`.crossref`), with an on-disk cache
(:mod:`.cache`), conversion of its records (:mod:`.works`) and merging into the user's data
(:mod:`.merge`). Nothing here is imported until it is used.
"""
