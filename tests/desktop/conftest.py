"""The desktop tests share the throwaway-profile fixture of the start-up test."""
from tests.desktop.test_desktop_startup import profile  # noqa: F401
