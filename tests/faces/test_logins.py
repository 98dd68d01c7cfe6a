"""The page's login brake: failures slow the next try, and too many lock the name for a while."""

from __future__ import annotations

from assistant.faces.web.logins import LoginCheck


class Clock:
    def __init__(self) -> None:
        self.now, self.slept = 1000.0, []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)


def test_right_logins_pass_and_wrong_ones_are_slowed_then_locked_out():
    clock = Clock()
    check = LoginCheck([("ann", "pw1"), ("bob", "pw2")], limit=5, window=60, lockout=60, delay=0.5, clock=clock,
                       sleep=clock.sleep)
    assert check("ann", "pw1") and check("bob", "pw2") and clock.slept == []
    assert not any(check("ann", f"guess{n}") for n in range(5))
    assert clock.slept == [0.5, 1.0, 1.5, 2.0, 2.5]  # each failure slows the next try
    assert not check("ann", "pw1")  # locked out, even with the right password
    assert check("bob", "pw2")  # another name is not
    clock.now += 61
    assert check("ann", "pw1")  # the lockout ends
    assert not check("nobody", "pw1") and not check("ann", "")


def test_of_fifty_quick_guesses_only_five_are_tried_before_the_lockout():
    clock = Clock()
    check = LoginCheck([("ann", "pw1")], clock=clock, sleep=clock.sleep)
    assert not any(check("ann", f"guess{n}") for n in range(50))
    assert sum(clock.slept) >= 5 * 0.5 * 3  # the first five alone are slowed; the rest meet the lockout
    assert not check("ann", "pw1")
