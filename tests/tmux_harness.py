"""Run segtui in a real tmux pane: send keys, read the screen, wait for text."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest


def require_tmux() -> None:
    if shutil.which("tmux") is None:
        pytest.skip("tmux is not installed; .ci/run installs it")


class Tmux:
    """One detached tmux session running a command in a pane of a fixed size."""

    def __init__(
        self,
        command: list[str],
        width: int = 80,
        height: int = 24,
        env: dict[str, str] | None = None,
    ):
        require_tmux()
        self.name = f"segtui-{uuid.uuid4().hex[:8]}"
        self.socket = f"segtui-test-{uuid.uuid4().hex[:8]}"
        environment = {
            "TERM": "xterm-256color",
            "LANG": "C.UTF-8",
            "LC_ALL": "C.UTF-8",
            **(env or {}),
        }
        exports = " ".join(
            f"{key}={shlex.quote(value)}" for key, value in environment.items()
        )
        # The pane stays open after segtui ends, so its last screen can still be read.
        shell = (
            f"env {exports} {shlex.join(command)}; status=$?; "
            "echo; echo SEGTUI-EXITED $status; sleep 600"
        )
        self.tmux(
            "-f",
            "/dev/null",
            "new-session",
            "-d",
            "-s",
            self.name,
            "-x",
            str(width),
            "-y",
            str(height),
            shell,
        )

    def tmux(self, *arguments: str) -> str:
        result = subprocess.run(
            ["tmux", "-L", self.socket, *arguments],
            capture_output=True,
            text=True,
            check=True,
        )
        return result.stdout

    def send(self, *keys: str, pause: float = 0.15) -> None:
        """Send keys one at a time, as tmux names them (Enter, Escape, C-s, ...)."""
        for key in keys:
            self.tmux("send-keys", "-t", self.name, key)
            time.sleep(pause)

    def type(self, text: str) -> None:
        self.tmux("send-keys", "-t", self.name, "-l", text)
        time.sleep(0.2)

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", self.name)

    def wait_for(self, text: str, timeout: float = 20.0) -> str:
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.1)
        raise AssertionError(
            f"{text!r} did not appear within {timeout} s; the screen:\n{screen}"
        )

    def close(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True)


def segtui_command(database: Path | str, *arguments: str) -> list[str]:
    return [sys.executable, "-m", "segtui", "--db", str(database), *arguments]


def inherited_environment() -> dict[str, str]:
    """The variables a pane needs to find segtui's data folders and fixed date."""
    names = (
        "XDG_DATA_HOME",
        "XDG_CONFIG_HOME",
        "XDG_STATE_HOME",
        "XDG_CACHE_HOME",
        "SEGTUI_TODAY",
        "PATH",
        "HOME",
    )
    return {name: os.environ[name] for name in names if name in os.environ}


def child_pid(pane: Tmux, name: str = "segtui") -> int:
    """Return the process id of the command the pane's shell runs."""
    shell = pane.tmux("display", "-p", "-t", pane.name, "#{pane_pid}").strip()
    found = subprocess.run(
        ["pgrep", "-P", shell, "-f", name], capture_output=True, text=True, check=True
    )
    return int(found.stdout.split()[0])


def terminal_modes(pane: Tmux) -> str:
    """Return tmux's flags for alternate screen, mouse reporting and cursor shown."""
    return pane.tmux(
        "display",
        "-p",
        "-t",
        pane.name,
        "#{alternate_on}#{mouse_any_flag}#{mouse_button_flag}#{mouse_sgr_flag}#{cursor_flag}",
    ).strip()


def process_tree(pid: int) -> set[int]:
    """Return ``pid`` and the ids of all its descendants that run now."""
    found = {pid}
    waiting = [pid]
    while waiting:
        children = subprocess.run(
            ["pgrep", "-P", str(waiting.pop())], capture_output=True, text=True
        )
        for line in children.stdout.split():
            found.add(int(line))
            waiting.append(int(line))
    return found


def descendant_pid(pane: Tmux, name: str = "segtui") -> int:
    """Return the id of the process below the pane whose command line has ``name``."""
    shell = int(pane.tmux("display", "-p", "-t", pane.name, "#{pane_pid}").strip())
    for pid in sorted(process_tree(shell) - {shell}):
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")
        except FileNotFoundError:
            continue
        if name.encode() in command:
            return pid
    raise AssertionError(f"no process with {name!r} runs in the pane")


def shell_pane(
    env: dict[str, str] | None = None, width: int = 80, height: int = 24
) -> Tmux:
    """Return a pane running an interactive shell with the prompt "shell-prompt$ ", mouse on.

    Commands started from that shell hand the pane back to it when they end, as
    for a user, so the terminal state they leave behind can be read.
    """
    pane = Tmux(
        ["sh", "-i"], width, height, env={**(env or {}), "PS1": "shell-prompt$ "}
    )
    pane.tmux("set-option", "-g", "mouse", "on")
    return pane


def terminal_exit_modes(pane: Tmux) -> str:
    """Return tmux's mouse any/button/standard/SGR flags and alternate screen flag.

    "00000" means a program left no mouse reporting and no alternate screen on.
    """
    return pane.tmux(
        "display",
        "-p",
        "-t",
        pane.name,
        "#{mouse_any_flag}#{mouse_button_flag}#{mouse_standard_flag}"
        "#{mouse_sgr_flag}#{alternate_on}",
    ).strip()
