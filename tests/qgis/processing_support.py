"""Shared helpers for the in-QGIS Processing tests: the provider, credentials, running."""
from __future__ import annotations

import pytest
from qgis.core import (
    QgsApplication,
    QgsProcessingContext,
    QgsProcessingFeedback,
    QgsProject,
    QgsSettings,
)

from plugin.processing.provider import KatapultProvider


@pytest.fixture
def provider(qgis_app):
    """The Katapult provider registered for one test."""
    registry = QgsApplication.processingRegistry()
    prov = KatapultProvider()
    assert registry.addProvider(prov)
    yield prov
    registry.removeProvider(prov)


@pytest.fixture
def creds(sandbox, monkeypatch):
    """Headless credentials (environment) pointing at the sandbox; returns the sandbox."""
    monkeypatch.setenv("KATAPULT_API_KEY", sandbox.api_key)
    monkeypatch.setenv("KATAPULT_BASE_URL", sandbox.base_url)
    QgsSettings().remove("katapult/auth_config_id")
    return sandbox


def run(alg_id: str, params: dict, ok: bool = True):
    """Run an algorithm; ``(results, log text)``; asserts it succeeded (or failed if ``ok``
    is False)."""
    alg = QgsApplication.processingRegistry().createAlgorithmById(alg_id)
    assert alg is not None, alg_id
    context = QgsProcessingContext()
    context.setProject(QgsProject.instance())
    feedback = QgsProcessingFeedback()
    results, success = alg.run(params, context, feedback)
    assert success == ok, feedback.textLog()
    return results, feedback.textLog()
