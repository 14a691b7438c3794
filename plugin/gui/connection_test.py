"""'Test connection': GET / (0 tokens) then GET /users/whoami, off the GUI thread."""
from __future__ import annotations

from typing import Any, Callable

from qgis.core import QgsApplication, QgsTask
from qgis.PyQt.QtCore import QCoreApplication, pyqtSignal

from ..api.masking import register_secret

translate = QCoreApplication.translate


def _default_client(base_url: str, api_key: str):
    """A client with QGIS's proxy/CA settings that answers fast (no retries)."""
    from ..api.client import KatapultClient
    from ..connection import qgis_session_hook

    return KatapultClient(
        base_url, api_key, timeout=(5.0, 20.0), configure_session=qgis_session_hook,
        max_retries=0, max_token_retries=0
    )


def check_connection(client) -> dict:
    """Run the two calls on ``client``; return whoami's data (raises the client's errors)."""
    client.get_welcome()
    who = client.who_am_i()
    return who if isinstance(who, dict) else {"uid": str(who)}


def describe_identity(who: dict) -> str:
    """'Connected: this key belongs to …' from whoami's data."""
    email = who.get("email") or translate("ConnectionTest", "(no e-mail)")
    uid = who.get("uid") or "?"
    company = who.get("user_group") or "?"
    root = who.get("root_company")
    text = translate(
        "ConnectionTest", "Connected. This key belongs to {email} (user id {uid}, company {company}"
    ).format(email=email, uid=uid, company=company)
    if root and root != company:
        text += translate("ConnectionTest", ", root company {root}").format(root=root)
    return text + ")."


class ConnectionTestTask(QgsTask):
    """A QgsTask that checks a server URL and key; emits ``outcome(who, error)`` when done."""

    outcome = pyqtSignal(object, object)

    def __init__(
        self,
        base_url: str,
        api_key: str,
        client_factory: Callable[[str, str], Any] | None = None,
    ) -> None:
        super().__init__(
            translate("ConnectionTest", "Katapult: test connection"), QgsTask.Flag.CanCancel
        )
        register_secret(api_key)
        self.base_url = base_url
        self._api_key = api_key
        self._factory = client_factory or _default_client
        self.who: dict | None = None
        self.error: BaseException | None = None

    def run(self) -> bool:  # worker thread
        client = None
        try:
            client = self._factory(self.base_url, self._api_key)
            self.who = check_connection(client)
            return True
        except Exception as exc:  # reported to the GUI thread in finished()
            self.error = exc
            return False
        finally:
            close = getattr(client, "close", None)
            if close is not None:
                close()

    def finished(self, result: bool) -> None:  # GUI thread
        if self.error is None and not result:
            from ..api.errors import CancelledError

            self.error = CancelledError()
        self.outcome.emit(self.who, self.error)


def start_connection_test(
    base_url: str,
    api_key: str,
    on_done: Callable[[dict | None, BaseException | None], None],
    client_factory: Callable[[str, str], Any] | None = None,
) -> ConnectionTestTask:
    """Queue a :class:`ConnectionTestTask` in QGIS's task manager; return it."""
    task = ConnectionTestTask(base_url, api_key, client_factory)
    task.outcome.connect(on_done)
    QgsApplication.taskManager().addTask(task)
    return task
