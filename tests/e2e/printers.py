"""Test harness: a private CUPS server with one real print queue, for the print dialog tests.

A print dialog that "offers real printers only" can only be shown where there is a printer.
This runs its own cupsd, with every folder in the test's folder and a Unix socket there
(no network, nothing of the host's CUPS), and one raw queue whose device is /dev/null. The
reader finds it through ``CUPS_SERVER``, as libcups does on any machine.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
from pathlib import Path

from tests.e2e.harness import TIMEOUT, HarnessError, read_line, stop_process

TOOLS = ("cupsd", "lpadmin", "lpstat")
QUEUE = "ketreader-test"

_CUPSD_CONF = """Listen {socket}
LogLevel info
WebInterface No
Browsing No
<Location />
  Order allow,deny
  Allow all
</Location>
<Policy default>
  <Limit All>
    Order deny,allow
    Allow all
  </Limit>
</Policy>
"""

_FILES_CONF = """ServerRoot {root}/etc
RequestRoot {root}/spool
CacheDir {root}/cache
StateDir {root}/state
TempDir {root}/tmp
AccessLog {root}/log/access_log
PageLog {root}/log/page_log
ErrorLog stderr
Printcap {root}/printcap
FileDevice Yes
DataDir /usr/share/cups
ServerBin /usr/lib/cups
"""


def missing_tools() -> list[str]:
    return [tool for tool in TOOLS if shutil.which(tool) is None]


class PrintServer:
    """cupsd in the foreground; ready once it says it listens on its socket."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        for sub in ("etc", "spool", "cache", "state", "tmp", "log"):
            (folder / sub).mkdir(exist_ok=True)
        self.socket = folder / "cups.sock"
        cupsd_conf = folder / "cupsd.conf"
        files_conf = folder / "cups-files.conf"
        cupsd_conf.write_text(_CUPSD_CONF.format(socket=self.socket), "utf-8")
        files_conf.write_text(_FILES_CONF.format(root=folder), "utf-8")
        self.env = {"PATH": os.environ.get("PATH", ""), "CUPS_SERVER": str(self.socket)}
        self.process = subprocess.Popen(
            ["cupsd", "-f", "-c", str(cupsd_conf), "-s", str(files_conf)],
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        assert self.process.stderr is not None
        said = ""
        try:
            while f"Listening to {self.socket}" not in said:
                said += read_line(self.process.stderr.fileno(), TIMEOUT, "cupsd") + "\n"
        except HarnessError as exc:
            stop_process(self.process)
            raise HarnessError(f"{exc}\n{said}") from None
        # Keep reading its log, so that a full pipe never stops the server.
        threading.Thread(target=self.process.stderr.read, daemon=True).start()
        self._lp("lpadmin", "-p", QUEUE, "-E", "-v", "file:///dev/null", "-m", "raw")

    def _lp(self, *args: str) -> str:
        result = subprocess.run(
            args, env=self.env, capture_output=True, text=True, timeout=TIMEOUT, check=False
        )
        if result.returncode != 0:
            raise HarnessError(f"{' '.join(args)}: {result.stderr.strip()}")
        return result.stdout

    def jobs(self) -> list[str]:
        """Every job the queue has taken, finished or not: one ``lpstat`` line each."""
        return self._lp("lpstat", "-W", "all", "-o", QUEUE).splitlines()

    def stop(self) -> None:
        stop_process(self.process)
