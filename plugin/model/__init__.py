"""Pure data model: server JSON <-> flat fields, diff against base, three-way merge.

Never imports qgis. See docs/contracts.md (model section).
"""
