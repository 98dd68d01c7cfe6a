"""The page's logins, checked with a brake: each failure for a name slows the next try, and a name with
too many recent failures is refused for a while, even with the right password. Guessing passwords at
50 tries in 0.12 s (as a probe did) becomes a handful a minute."""

from __future__ import annotations

import hmac
import threading
import time
from collections.abc import Callable


class LoginCheck:
    """Gradio's ``auth`` callable over ``(user, password)`` pairs."""

    def __init__(self, users: list[tuple[str, str]], limit: int = 5, window: float = 60.0, lockout: float = 60.0,
                 delay: float = 0.5, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.passwords = {user: password.encode() for user, password in users}
        self.limit, self.window, self.lockout, self.delay = limit, window, lockout, delay
        self.clock, self.sleep = clock, sleep
        self._failures: dict[str, list[float]] = {}
        self._locked_until: dict[str, float] = {}
        self._lock = threading.Lock()

    def __call__(self, username: str, password: str) -> bool:
        now = self.clock()
        with self._lock:
            if self._locked_until.get(username, 0.0) > now:
                return False
            recent = [t for t in self._failures.get(username, []) if now - t < self.window]
        known = self.passwords.get(username)
        right = known is not None and hmac.compare_digest(password.encode(), known)
        if right:
            with self._lock:
                self._failures.pop(username, None)
            return True
        recent.append(now)
        with self._lock:
            self._failures[username] = recent
            if len(recent) >= self.limit:
                self._locked_until[username] = now + self.lockout
        self.sleep(min(self.delay * len(recent), 5.0))  # each failure slows the next try
        return False
