"""Katapult Pro API v3 client (pure Python: no qgis import).

Public pieces: :class:`~.client.KatapultClient`, :class:`~.pacing.Governor`,
:class:`~.pacing.CancelToken`, the typed errors in :mod:`.errors` and the
secret masking in :mod:`.masking`.
"""
