"""Qt widgets of the plugin: dialogs, docks and map tools (wired in ``plugin/main.py``)."""
