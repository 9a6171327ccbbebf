"""Load a running server with wrk and read what it cost from /proc: requests per second,
latency percentiles, CPU per request of the app's workers and the database's backends, RSS."""

import json
import os
import re
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

WRK = os.environ.get("BENCH_WRK", "wrk")
TICKS = os.sysconf("SC_CLK_TCK")

# wrk calls done() once at the end; one JSON line is easier to read back than its table.
DONE = """
local threads = {}
setup = function(thread) table.insert(threads, thread) end
done = function(summary, latency, requests)
  local statuses = {}
  for _, thread in ipairs(threads) do
    for code, count in pairs(thread:get("status_counts") or {}) do
      statuses[tostring(code)] = (statuses[tostring(code)] or 0) + count
    end
  end
  io.write(string.format(
    'RESULT {"requests": %d, "seconds": %f, "p50": %f, "p95": %f, "p99": %f, '
    .. '"errors": %d, "statuses": %s}\\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1e3,
    latency:percentile(95) / 1e3, latency:percentile(99) / 1e3,
    summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.status + summary.errors.timeout,
    encode(statuses)))
end

function encode(map)
  local parts = {}
  for key, value in pairs(map) do parts[#parts + 1] = string.format('"%s": %d', key, value) end
  return '{' .. table.concat(parts, ', ') .. '}'
end
"""

# Each request books the next slot of a list that holds no two overlapping ones.
POST_BOOKINGS = """
local index = 0
status_counts = {}
request = function()
  index = index + 1
  local slot = slots[(index - 1) % #slots + 1]
  local headers = {["Authorization"] = "Bearer " .. tokens[(index - 1) % #tokens + 1],
                   ["Content-Type"] = "application/json"}
  return wrk.format("POST", "/api/v1/bookings", headers, slot)
end
response = function(status, headers, body)
  status_counts[status] = (status_counts[status] or 0) + 1
end
"""


@dataclass
class Run:
    """One wrk run: throughput, latency (ms), CPU per request (ms) and failed requests."""

    requests: int
    per_second: float
    p50: float
    p95: float
    p99: float
    cpu_ms: float
    errors: int
    statuses: dict[str, int]


def cpu_seconds(pid: int) -> float:
    """User and system CPU a process has used (0 once it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICKS


def rss_mb(pid: int) -> float:
    """Resident memory of a process in MB."""
    status = Path(f"/proc/{pid}/status").read_text()
    match = re.search(r"VmRSS:\s+(\d+) kB", status)
    return int(match.group(1)) / 1024 if match else 0.0


def children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (gunicorn's workers)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except (FileNotFoundError, ProcessLookupError):
                continue
            if int(stat[1]) == pid:
                found.append(int(entry.name))
    return found


def wrk(
    url: str,
    seconds: int,
    processes: Callable[[], list[int]],
    *,
    connections: int = 8,
    headers: dict[str, str] | None = None,
    script: str = "",
) -> Run:
    """Run wrk (one thread, ``connections`` connections) and measure the server's CPU."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
        lua.write(script + DONE)
    command = [WRK, "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", lua.name]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    before_pids = processes()
    before = {pid: cpu_seconds(pid) for pid in before_pids}
    try:
        output = subprocess.run(
            [*command, url], capture_output=True, text=True, check=True, timeout=seconds + 60
        ).stdout
    finally:
        os.unlink(lua.name)
    after_pids = set(before_pids) | set(processes())
    used = sum(cpu_seconds(pid) - before.get(pid, 0.0) for pid in after_pids)
    line = next(line for line in output.splitlines() if line.startswith("RESULT "))
    result = json.loads(line.removeprefix("RESULT "))
    requests = max(result["requests"], 1)
    return Run(
        requests=result["requests"],
        per_second=result["requests"] / result["seconds"],
        p50=result["p50"],
        p95=result["p95"],
        p99=result["p99"],
        cpu_ms=used * 1000 / requests,
        errors=result["errors"],
        statuses=result["statuses"],
    )


def lua_list(name: str, values: list[str]) -> str:
    """A Lua table of strings, as the first lines of a wrk script."""
    return f"{name} = {{{', '.join(json.dumps(value, ensure_ascii=False) for value in values)}}}\n"
