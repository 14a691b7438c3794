"""Photos: JPEG checks, EXIF, matching photos to items, upload planning and the ledger.

Pure modules here (``jpeg_check``, ``exif``, ``matching``, ``planning``,
``ledger``, ``uploader``, ``thumbs``, ``index``) never import ``qgis``; the
QGIS-facing parts are ``qgis_exif`` and ``tasks``.
"""
