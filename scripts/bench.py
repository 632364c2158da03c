#!/usr/bin/env python3
"""The benchmark suite behind `make bench`: every figure beside its floor, measured in the
same run, several runs each, written to docs/benchmarks.md with the method and the machine.

Benchmarks are not tests: nothing here runs in CI, and no test asserts a wall-clock figure.
Floors (each built in this run with the same release profile):
- app start and memory: a minimal Tauri 2 window (benches/hello-tauri);
- flow test: the same HTTP requests made directly (examples/raw_sign_in.rs; the tool's browser
  is examples/stand_in_browser.rs);
- command line: a Rust program that starts and exits (examples/empty_main.rs).
"""

import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RELEASE = ROOT / "target" / "release"
RUNS_APP = int(os.environ.get("BENCH_RUNS_APP", "10"))
# A flow run takes milliseconds, so many: its median moves with the shared machine's load.
RUNS_FLOW = int(os.environ.get("BENCH_RUNS_FLOW", "40"))
RUNS_CLI = int(os.environ.get("BENCH_RUNS_CLI", "30"))
RUNS_JOURNEY = int(os.environ.get("BENCH_RUNS_JOURNEY", "3"))
RUNS_CHECK = int(os.environ.get("BENCH_RUNS_CHECK", "10"))
# `sso-setup check --all` over this many saved connections, each beside a check of one.
CHECK_SIZES = (10, 100)


def say(text):
    print(f"bench: {text}", file=sys.stderr, flush=True)


def run(command, **options):
    say(" ".join(str(part) for part in command))
    subprocess.run(command, check=True, **options)


def build():
    run(["cargo", "build", "--release", "-p", "sso-setup", "--bin", "sso-setup",
         "--example", "raw_sign_in", "--example", "stand_in_browser", "--example", "empty_main"], cwd=ROOT)
    run(["cargo", "build", "--release", "-p", "sso-setup-desktop", "--bin", "sso-setup-assistant"], cwd=ROOT)
    hello = ROOT / "benches" / "hello-tauri"
    # The same locked versions as the app, and the same target folder, so shared crates are
    # built once with the same profile.
    shutil.copy(ROOT / "Cargo.lock", hello / "Cargo.lock")
    run(["cargo", "build", "--release", "--manifest-path", str(hello / "Cargo.toml")], cwd=ROOT,
        env={**os.environ, "CARGO_TARGET_DIR": str(ROOT / "target")})
    # The Linux package, from the binary just built. The Tauri CLI (a prebuilt binary in its npm
    # package) is fetched here only, into target/, so `make test` never needs it.
    tools = ROOT / "target" / "bench-tools"
    run(["npm", "install", "--no-save", "--no-audit", "--no-fund", "--loglevel=error", "--prefix", str(tools),
         "@tauri-apps/cli@^2"], cwd=ROOT)
    run([str(tools / "node_modules" / ".bin" / "tauri"), "bundle", "--bundles", "deb"], cwd=ROOT / "src-tauri")


def summary(values):
    return {"median": statistics.median(values), "min": min(values), "max": max(values), "runs": len(values)}


def display_in_use(number):
    """True when a live X server holds display `number` (a lock of a dead process is stale)."""
    try:
        pid = int(Path(f"/tmp/.X{number}-lock").read_text().strip())
    except (OSError, ValueError):
        return False
    return Path(f"/proc/{pid}").exists()


class Display:
    """A private Xvfb display and D-Bus session for the desktop runs."""

    def __enter__(self):
        self.folder = tempfile.mkdtemp(prefix="sso-setup-bench-")
        for number in range(160, 220):
            if not display_in_use(number):
                break
        self.display = f":{number}"
        self.x_server = subprocess.Popen(["Xvfb", self.display, "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
                                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while not Path(f"/tmp/.X11-unix/X{number}").exists():
            if time.monotonic() > deadline:
                raise SystemExit("error: Xvfb did not start\nhint: run scripts/install-system-packages.sh")
            time.sleep(0.05)
        bus_config = ROOT / "tests" / "fixtures" / "dbus-session-without-activation.conf"
        self.bus = subprocess.Popen(["dbus-daemon", f"--config-file={bus_config}", "--nofork", "--print-address=1"],
                                    stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        self.bus_address = self.bus.stdout.readline().strip()
        return self

    def environment(self):
        return {**os.environ, "DISPLAY": self.display, "DBUS_SESSION_BUS_ADDRESS": self.bus_address,
                "XDG_CONFIG_HOME": os.path.join(self.folder, "config"), "NO_AT_BRIDGE": "1",
                "SSO_SETUP_REPORT_READY": "1", "WAYLAND_DISPLAY": ""}

    def __exit__(self, *_):
        for process in (self.bus, self.x_server):
            process.terminate()
            process.wait()
        shutil.rmtree(self.folder, ignore_errors=True)


def process_table():
    """pid -> parent pid, for every process."""
    table = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            table[int(entry)] = int(stat[stat.rfind(")") + 2:].split()[1])
    return table


def tree(root):
    table = process_table()
    found, frontier = [root], [root]
    while frontier:
        parent = frontier.pop()
        children = [pid for pid, ppid in table.items() if ppid == parent]
        found += children
        frontier += children
    return found


def resident_kib(pid):
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def process_name(pid):
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return "?"


def start_once(binary, display, extra_environment=None):
    """Milliseconds from process start to its `ready` line, the tree's memory 1 s later (KiB by
    process name), and where the time went: `stage` lines (the Rust side) and the page's own
    timings."""
    import json
    started = time.perf_counter()
    process = subprocess.Popen([str(binary)], env={**display.environment(), **(extra_environment or {})},
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                               start_new_session=True)
    ready_after = None
    stages = {}
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        line = process.stderr.readline()
        if not line:
            break
        now = (time.perf_counter() - started) * 1000
        if line.startswith("stage "):
            stages[line.split()[1]] = now
        elif line.strip() == "ready":
            ready_after = now
        elif line.startswith("page-timings "):
            stages.update({f"page {key}": value for key, value in json.loads(line.split(" ", 1)[1]).items()})
            break
    if ready_after is None:
        os.killpg(process.pid, signal.SIGKILL)
        raise SystemExit(f"error: {binary} never reported ready\nhint: run it by hand under Xvfb and look at its output")
    time.sleep(1.0)
    memory = {}
    for pid in tree(process.pid):
        name = "app" if pid == process.pid else process_name(pid)
        memory[name] = memory.get(name, 0) + resident_kib(pid)
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    # The web processes leave with the app; give them a moment so runs do not overlap.
    time.sleep(0.5)
    return ready_after, memory, stages


# The floor as Tauri makes it, and the same window drawn the way the app draws (without the GPU).
START_SUBJECTS = {
    "app": ("sso-setup-assistant", {}),
    "hello": ("hello-tauri", {}),
    "hello-cpu": ("hello-tauri", {"HELLO_TAURI_DRAW_WITHOUT_GPU": "1"}),
}


def bench_app_start():
    """Per subject: start times (ms), total memory (MiB), stages, memory by process (MiB)."""
    results = {name: ([], [], [], []) for name in START_SUBJECTS}
    with Display() as display:
        # One warm-up each (page cache), then alternate so drift hits all alike.
        for binary, environment in START_SUBJECTS.values():
            start_once(RELEASE / binary, display, environment)
        for _ in range(RUNS_APP):
            for name, (binary, environment) in START_SUBJECTS.items():
                milliseconds, memory, stages = start_once(RELEASE / binary, display, environment)
                results[name][0].append(milliseconds)
                results[name][1].append(sum(memory.values()) / 1024)
                results[name][2].append(stages)
                results[name][3].append({key: kib / 1024 for key, kib in memory.items()})
    return results


def median_of(values):
    return statistics.median(values) if values else float("nan")


def stage_table(start):
    """Medians of each start-up stage: the app, the floor, and the floor drawn as the app draws."""
    names = [("setup", "Tauri set-up done (Rust, since process start)"),
             ("page-loaded", "page loaded (Rust, since process start)"),
             ("page scriptStarted", "page script running (in the page, since navigation)"),
             ("page painted", "first frame painted (in the page, since navigation)")]
    lines = ["| Stage | App | Floor | Floor drawn without the GPU |", "| --- | --- | --- | --- |"]
    for key, label in names:
        cells = []
        for side in ("app", "hello", "hello-cpu"):
            values = [stages[key] for stages in start[side][2] if key in stages]
            cells.append(f"{median_of(values):.0f} ms" if values else "–")
        lines.append(f"| {label} | {' | '.join(cells)} |")
    lines.append(f"| **ready (the figure above)** | {' | '.join(f'{median_of(start[side][0]):.0f} ms' for side in ('app', 'hello', 'hello-cpu'))} |")
    return lines


def memory_table(start, journey_by_process):
    """Median MiB per process: app and floor after start, app after the journey."""
    columns = [("App after start", start["app"][3]), ("Floor after start", start["hello"][3]),
               ("Floor drawn without the GPU", start["hello-cpu"][3]), ("App after the journey", journey_by_process)]
    labels = {"app": "the app's own process (Rust, GTK)", "WebKitWebProces": "WebKit web process (page, script, drawing)",
              "WebKitNetworkPr": "WebKit network process"}
    names = []
    for _, samples in columns:
        for sample in samples:
            names += [name for name in sample if name not in names]
    lines = [f"| Process | {' | '.join(title for title, _ in columns)} |", "| --- |" + " --- |" * len(columns)]
    for name in names:
        medians = [median_of([sample.get(name, 0) for sample in samples]) for _, samples in columns]
        if max(medians) < 1:
            continue  # a helper that came and went (the end-to-end test's stand-in browser)
        cells = [f"{median:.0f} MiB" for median in medians]
        lines.append(f"| {labels.get(name, name)} | {' | '.join(cells)} |")
    return lines


def bench_memory_after_journey():
    """The end-to-end journey with the release app, memory taken before the window closes:
    totals (MiB) and memory by process (MiB)."""
    values, by_process = [], []
    # A release build that reads SSO_SETUP_TEST_SAVE_PATH (the test-hooks feature), since the
    # journey cannot drive the native save dialog; a shipped build never reads it. It goes
    # beside the plain binary, which is built again afterwards, so everything else measures
    # the build that ships.
    run(["cargo", "build", "--release", "-p", "sso-setup-desktop", "--bin", "sso-setup-assistant",
         "--features", "test-hooks"], cwd=ROOT)
    journey_app = RELEASE / "sso-setup-assistant-test-hooks"
    shutil.copy(RELEASE / "sso-setup-assistant", journey_app)
    run(["cargo", "build", "--release", "-p", "sso-setup-desktop", "--bin", "sso-setup-assistant"], cwd=ROOT)
    report = Path(tempfile.mkdtemp(prefix="sso-setup-journey-")) / "memory"
    for _ in range(RUNS_JOURNEY):
        run(["cargo", "test", "-p", "sso-setup-desktop", "--test", "desktop_journey", "--",
             "an_admin_goes_from_new_setup_to_an_encrypted_bundle", "--quiet"], cwd=ROOT,
            env={**os.environ, "SSO_SETUP_E2E_APP": str(journey_app),
                 "SSO_SETUP_E2E_MEMORY_REPORT": str(report)},
            stdout=subprocess.DEVNULL)
        # One line per process: its name and resident KiB; the first is the app itself.
        lines = [line.split("\t") for line in report.read_text().splitlines()]
        memory = {}
        for index, (name, kib) in enumerate(lines):
            name = "app" if index == 0 else name
            memory[name] = memory.get(name, 0) + int(kib) / 1024
        values.append(sum(memory.values()))
        by_process.append(memory)
    return values, by_process


def timed(command, **options):
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **options)
    return (time.perf_counter() - started) * 1000


def bench_flow():
    demo = subprocess.Popen([str(RELEASE / "sso-setup"), "demo-idp"], stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True)
    details = {}
    for _ in range(4):
        key, _, value = demo.stdout.readline().strip().partition(": ")
        details[key] = value
    issuer, client_id, secret = details["issuer"], details["client ID"], details["client secret"]
    raw = RELEASE / "examples" / "raw_sign_in"
    tool, floor = [], []
    try:
        timed([str(raw), issuer, client_id, secret])
        for _ in range(RUNS_FLOW):
            tool.append(timed(
                [str(RELEASE / "sso-setup"), "test-flow", "--issuer", issuer, "--client-id", client_id,
                 "--client-secret-stdin", "--vendor", "peerpanda", "--timeout", "30", "--json"],
                input=f"{secret}\n", text=True,
                env={**os.environ, "BROWSER": str(RELEASE / "examples" / "stand_in_browser"),
                     "SSO_SETUP_CLIENT_SECRET": ""}))
            floor.append(timed([str(raw), issuer, client_id, secret]))
    finally:
        demo.terminate()
        demo.wait()
    return tool, floor


def start_unlocked_keyring(display):
    """GNOME Keyring on the display's private bus, unlocked (the checks read each secret from
    it, as on an admin's computer); ready once an item can be stored."""
    environment = {**display.environment(), "HOME": display.folder,
                   "XDG_DATA_HOME": os.path.join(display.folder, "data")}
    environment.pop("DISPLAY")
    keyring = subprocess.Popen(["gnome-keyring-daemon", "--foreground", "--unlock", "--components=secrets"],
                               env=environment, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    keyring.stdin.write(b"pass")
    keyring.stdin.close()
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        stored = subprocess.run(["secret-tool", "store", "--label=probe", "service", "sso-setup-bench-probe"],
                                input="probe", text=True, env=environment, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        if stored.returncode == 0:
            return keyring
        time.sleep(0.2)
    keyring.terminate()
    raise SystemExit("error: GNOME Keyring did not start\nhint: run scripts/install-system-packages.sh")


def bench_check():
    """`sso-setup check` against the demo provider, secrets in a real keychain: one connection
    (the floor), and `check --all` over CHECK_SIZES connections, interleaved."""
    cli = str(RELEASE / "sso-setup")
    with Display() as display:
        keyring = start_unlocked_keyring(display)
        demo = subprocess.Popen([cli, "demo-idp"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        details = {}
        for _ in range(4):
            key, _, value = demo.stdout.readline().strip().partition(": ")
            details[key] = value
        try:
            environments = {}
            for size in (1, *CHECK_SIZES):
                environment = {**display.environment(), "HOME": display.folder,
                               "XDG_CONFIG_HOME": os.path.join(display.folder, f"config-{size}")}
                for number in range(size):
                    subprocess.run([cli, "connection", "save", f"vendor-{number:03}", "--vendor", "peerpanda",
                                    "--idp", "generic", "--org", "acme", "--issuer", details["issuer"],
                                    "--client-id", details["client ID"], "--client-secret-stdin"],
                                   input=details["client secret"] + "\n", text=True, env=environment, check=True,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                environments[size] = environment
            results = {size: [] for size in environments}
            command = {1: [cli, "check", "vendor-000", "--quiet"]}
            for size in CHECK_SIZES:
                command[size] = [cli, "check", "--all", "--quiet"]
            for size in environments:
                timed(command[size], env=environments[size])
            for _ in range(RUNS_CHECK):
                for size in environments:
                    results[size].append(timed(command[size], env=environments[size]))
        finally:
            demo.terminate()
            demo.wait()
            keyring.terminate()
            keyring.wait()
    return results


def peak_kib(command):
    result = subprocess.run(["/usr/bin/time", "-f", "%M", *command], check=True, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    return int(result.stderr.strip().splitlines()[-1])


def bench_cli():
    commands = {
        "redirect-uri": [str(RELEASE / "sso-setup"), "redirect-uri", "--vendor", "pelanor", "--idp", "okta",
                         "--region", "eu", "--org", "acme"],
        "guide": [str(RELEASE / "sso-setup"), "guide", "--vendor", "pelanor", "--idp", "okta", "--org", "acme"],
        "floor": [str(RELEASE / "examples" / "empty_main")],
    }
    results = {}
    for name, command in commands.items():
        timed(command)
        times = [timed(command) for _ in range(RUNS_CLI)]
        memory = [peak_kib(command) / 1024 for _ in range(5)]
        results[name] = (times, memory)
    return results


def drawing_note(start, journey):
    """Why the desktop figures are what they are: the app draws without the GPU."""
    app, hello, hello_cpu = (median_of(start[side][0]) for side in ("app", "hello", "hello-cpu"))
    return [
        "The app draws its window on the CPU: `src-tauri/src/lib.rs` (`draw_without_the_gpu`) sets WebKitGTK's "
        "hardware-acceleration policy to *never*. Tauri's default draws through OpenGL; where there is no GPU, "
        "as under Xvfb here and in the virtual machines and remote desktops administrators often work in, Mesa "
        "emulates OpenGL on the CPU (llvmpipe, with LLVM compiling each shader), and the web process loads "
        "`libLLVM` and `swrast_dri`. The app's first screen, with its borders, fills and many text runs, needed "
        "about 200 ms of that before its first frame (the floor's single heading about 70 ms), and the web "
        "process grew by about 110 MiB over the journey (shader and texture caches). Measured with the default "
        "on 2026-11-23: start 551 ms against the floor's 423 ms (1.30), memory after the journey 577 MiB (1.36). "
        "A wizard of forms and text gains nothing from GPU compositing, so the app turns it off; the floor keeps "
        "Tauri's default, as the target defines it. For a like-for-like view, the floor drawn the same way "
        f"starts in {hello_cpu:.0f} ms (the app is {app / hello_cpu:.2f} × that; the default floor {hello:.0f} ms).",
    ]


def why_not_met(start, journey, flow_tool, flow_floor):
    """The analysis behind each missed target, printed only when it is missed."""
    notes = []
    app_start, floor_start = median_of(start["app"][0]), median_of(start["hello"][0])
    if app_start / floor_start > 1.25 or app_start >= 500:
        notes += [
            f"- **App start** ({app_start:.0f} ms, floor {floor_start:.0f} ms, ratio {app_start / floor_start:.2f}). "
            "The stage table shows where the time goes: Tauri's set-up and the page load are the same for app and "
            "floor (about 60–100 ms of both is the dynamic loader mapping the shared libraries of GTK and "
            "WebKitGTK). "
            + ("The absolute 500 ms depends on the machine's load more than on the app: in this run the floor "
               f"itself needed {floor_start:.0f} ms. On a quiet run the app starts in 430–480 ms here. "
               if floor_start >= 0.9 * 500 else "")
            + "What is left between the app and the floor drawn the same way is the first frame of a real "
            "screen against a single heading. Already done: drawing without the GPU (see above) and a font list "
            "of `system-ui, sans-serif` only (each family that is not installed cost a font lookup before the "
            "first frame, about 50 ms for three). Tried without a measurable change: deferring the first IPC "
            "calls until after the first frame, buttons and menus drawn without the GTK theme, no prototype "
            "freezing, no sticky navigation, no `color-scheme` query.",
        ]
    hello_memory = median_of(start["hello"][1])
    if median_of(journey) / hello_memory > 1.3:
        notes += [
            f"- **Memory after the journey** ({median_of(journey):.0f} MiB against the floor's {hello_memory:.0f} MiB "
            "after start). The memory table shows which process grew; the floor never runs a journey, so the "
            "comparison is against a window that has done nothing.",
        ]
    tool, floor = median_of(flow_tool), median_of(flow_floor)
    if tool / floor > 1.5:
        notes += [
            f"- **Flow test** ({tool:.1f} ms against {floor:.1f} ms; the tool's own overhead is {tool - floor:.1f} ms). "
            "Already cut: the catalog is embedded as JSON made at build time (its load went from about 1.1 to "
            "0.5 ms), the HTTP client (mostly the trust store, about 4 ms in both tool and floor) is built on a "
            "second thread while the catalog loads, and the ID token is verified against the key set that "
            "discovery fetched. What remains, timed inside the tool: the browser as a second process (about "
            "1.5 ms from launching it to its callback, against the floor's in-process requests), the start of a "
            "larger binary with the command-line parser and the system D-Bus library the keychain needs (about "
            "1 ms, of which about 0.6 ms is loading libdbus and the libraries it pulls in), and the ID token and "
            "claim checks. What would meet it with a margin: the keyring crate's pure-Rust D-Bus (zbus) instead "
            "of libdbus, which is not tried yet because it also goes into the app, whose binary must stay under 15 MB, "
            "and gives up the distribution's security updates of libdbus for a crate's (the app now has zbus "
            "anyway, for its notifications, so only the second reason is left). Measured on 2026-12-03 with "
            "`perf` and `strace`: the trust store is read from the bundle file and then from every file in "
            "/etc/ssl/certs (rustls-native-certs 0.8 reads both, as OpenSSL does); the directory alone costs "
            "the tool about 4.9 ms and the floor 3.9 ms (both measured with SSL_CERT_DIR pointing at an empty "
            "folder), the difference being the tool's wipe-on-free allocator; `sso-setup --version` starts in "
            "about 3.0 ms against the empty program's 1.65 ms (294 page faults against 67: libdbus pulls in "
            "libsystemd, libgcrypt, liblzma, libzstd, liblz4, libcap and libgpg-error); and the stand-in browser "
            "is about a sixth of the floor's CPU time. Done since: the tool reads the trust store on two threads "
            "(src/oidc/trust_store.rs, the same anchors as reqwest's own loading, a test checks it), which took "
            "about 2 ms off; skipping the wipe on those threads was tried and measured no change, so it was not "
            "kept. Next: a D-Bus client without libsystemd's chain. "
            "Against a real IdP every "
            "request costs a network round trip of tens of milliseconds and these few milliseconds vanish; on "
            "loopback they are the ratio, and the ratio moves between runs on this shared machine (1.37–1.68 "
            "in the runs of 2026-11-23).",
        ]
    return notes or ["Every target is met."]


def machine():
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), "unknown CPU")
    memory = next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                  if line.startswith("MemTotal"))
    webkit = subprocess.run(["dpkg-query", "-W", "-f=${Version}", "libwebkit2gtk-4.1-0"],
                            capture_output=True, text=True).stdout or "unknown"
    rustc = subprocess.run(["rustc", "--version"], capture_output=True, text=True).stdout.strip()
    return (f"{os.cpu_count()} × {cpu}, {int(memory) / 1024 / 1024:.0f} GiB RAM, "
            f"{platform.system()} {platform.release()}, WebKitGTK {webkit}, {rustc}; a shared machine, "
            f"so figures move between runs; the ratios (both sides measured in the same run, interleaved) move less.")


def row(label, values, floor_values, unit, target_text, met):
    value, floor = summary(values), summary(floor_values)
    ratio = value["median"] / floor["median"] if floor["median"] else float("nan")
    return (f"| {label} | {value['median']:.1f} {unit} ({value['min']:.1f}–{value['max']:.1f}, n={value['runs']}) "
            f"| {floor['median']:.1f} {unit} ({floor['min']:.1f}–{floor['max']:.1f}) | {ratio:.2f} "
            f"| {target_text} | {'met' if met(value['median'], ratio) else '**not met**'} |")


def main():
    build()
    say("app start and memory")
    start = bench_app_start()
    say("memory after the journey")
    journey, journey_by_process = bench_memory_after_journey()
    say("flow test")
    flow_tool, flow_floor = bench_flow()
    say("command line")
    cli = bench_cli()
    say("check of saved connections")
    check = bench_check()

    deb = sorted((RELEASE / "bundle" / "deb").glob("*.deb"))
    sizes = {
        "app binary": (RELEASE / "sso-setup-assistant").stat().st_size,
        "hello-world binary (floor)": (RELEASE / "hello-tauri").stat().st_size,
        "sso-setup binary": (RELEASE / "sso-setup").stat().st_size,
        "Linux package (.deb)": deb[-1].stat().st_size if deb else 0,
    }
    app_binary_mb = sizes["app binary"] / 1e6

    lines = [
        "# Benchmarks",
        "",
        "Written by `make bench` (scripts/bench.py). Each figure is measured beside its floor in the",
        "same run, the two interleaved; medians with (min–max) and the number of runs. Not a test:",
        "nothing in CI runs this, and no test asserts a wall-clock figure.",
        "",
        f"Machine: {machine()}",
        f"Run: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}.",
        "",
        "## Figures",
        "",
        "| Figure | Value | Floor | Ratio | Target | |",
        "| --- | --- | --- | --- | --- | --- |",
        row("App start to first paint", start["app"][0], start["hello"][0], "ms", "≤ 1.25 × floor and < 500 ms",
            lambda value, ratio: ratio <= 1.25 and value < 500),
        row("App memory after start (whole process tree)", start["app"][1], start["hello"][1], "MiB", "≤ 1.3 × floor",
            lambda value, ratio: ratio <= 1.3),
        row("App memory after the full journey", journey, start["hello"][1], "MiB", "≤ 1.3 × floor",
            lambda value, ratio: ratio <= 1.3),
        row("`test-flow` against the demo provider", flow_tool, flow_floor, "ms", "≤ 1.5 × raw requests",
            lambda value, ratio: ratio <= 1.5),
        # The bar: a few hundred connections in seconds, not minutes.
        *[row(f"`check --all`, {size} connections", check[size], check[1], "ms",
              "< 1 s" if size == 10 else "< 2 s",
              (lambda value, ratio: value < 1000) if size == 10 else (lambda value, ratio: value < 2000))
          for size in CHECK_SIZES],
        row("`sso-setup redirect-uri` wall time", cli["redirect-uri"][0], cli["floor"][0], "ms", "< 5 ms",
            lambda value, ratio: value < 5),
        row("`sso-setup guide` wall time", cli["guide"][0], cli["floor"][0], "ms", "< 5 ms",
            lambda value, ratio: value < 5),
        row("`sso-setup redirect-uri` peak memory", cli["redirect-uri"][1], cli["floor"][1], "MiB", "< 10 MB",
            lambda value, ratio: value * 1.048576 < 10),
        row("`sso-setup guide` peak memory", cli["guide"][1], cli["floor"][1], "MiB", "< 10 MB",
            lambda value, ratio: value * 1.048576 < 10),
        "",
        f"The flow test's own overhead: {statistics.median(flow_tool) - statistics.median(flow_floor):.1f} ms "
        "(median of the tool minus median of the raw requests; the tool also starts a loopback listener, "
        "runs a stand-in browser process, verifies the ID token and checks the vendor's claims).",
        "",
        "## The desktop app: how it draws, where the time and memory go",
        "",
        *drawing_note(start, journey),
        "",
        *stage_table(start),
        "",
        "Memory by process (medians):",
        "",
        *memory_table(start, journey_by_process),
        "",
        "## Size",
        "",
        "| Artefact | Size | Target | |",
        "| --- | --- | --- | --- |",
    ]
    for name, size in sizes.items():
        target = "< 15 MB" if name == "app binary" else ""
        verdict = ("met" if app_binary_mb < 15 else "**not met**") if name == "app binary" else ""
        lines.append(f"| {name} | {size / 1e6:.1f} MB | {target} | {verdict} |")
    lines += [
        "",
        "## Targets not met: why, and what would meet them",
        "",
        *why_not_met(start, journey, flow_tool, flow_floor),
        "",
        "## Responsiveness",
        "",
        "A test, not a figure: `src-tauri/tests/desktop_journey.rs`,",
        "`the_window_keeps_responding_while_a_provider_never_answers_and_cancel_ends_the_test`, runs in",
        "`make test`. With a provider that accepts connections and never answers, the window keeps",
        "answering (the Explain box works) and Cancel ends the sign-in test within 200 ms of the click,",
        "timed inside the page.",
        "",
        "## Method",
        "",
        "- **App start**: from `Popen` of the release binary to its `ready` line on stderr, which the",
        "  web view triggers two animation frames after mounting the first screen",
        "  (`SSO_SETUP_REPORT_READY`). The hello-world floor reports the same way from a one-line page;",
        "  the like-for-like floor is the same binary with `HELLO_TAURI_DRAW_WITHOUT_GPU=1`, which makes",
        "  the app's drawing-policy call. All under one private Xvfb display and D-Bus session, one",
        "  warm-up each, then interleaved.",
        "- **Memory**: resident set (VmRSS) of the process and every descendant (the WebKit web and",
        "  network processes), one second after `ready`, summed and by process; after the journey, the",
        "  same taken by the end-to-end test (driving the release binary through tauri-driver) before",
        "  it closes the window.",
        "- **Flow test**: `sso-setup test-flow --json` against `sso-setup demo-idp`, with",
        "  `examples/stand_in_browser.rs` as the browser; the floor is `examples/raw_sign_in.rs`, the",
        "  same requests (discovery, JWKS, authorize, sign-in click, the redirect to a loopback",
        "  callback, token, userinfo) made with one reqwest client, nothing checked. Both are whole",
        "  process runs, and both load the operating system's trust store (reqwest's default), which",
        "  is about 4 ms of each run here.",
        "- **Command line**: wall time of the whole process; peak memory from `/usr/bin/time -f %M`;",
        "  the floor is an empty Rust `main` built with the same profile.",
        "- **Check of saved connections**: `sso-setup check --all --quiet` over 10 and 100 saved",
        "  connections, all at `sso-setup demo-idp` on loopback, each secret read from a real",
        "  GNOME Keyring on a private D-Bus session; 16 connections are checked at a time. The floor",
        "  is `sso-setup check <one>` in the same keychain. Each check fetches discovery and keys and",
        "  sends one token request; against a real IdP each costs network round trips instead. What",
        "  each further connection adds is mostly its keychain read: the Secret Service opens a D-Bus",
        "  connection and an encrypted session for every read (the keyring crate's way), and the",
        "  keyring daemon answers them one at a time; `check` reads them on up to 16 threads.",
        "- **Size**: release profile (`lto = \"fat\"`, one codegen unit, `strip = \"symbols\"`); the `.deb` made by",
        "  `tauri bundle --bundles deb` from that binary.",
    ]
    output = ROOT / "docs" / "benchmarks.md"
    temporary = output.with_suffix(".md.tmp")
    temporary.write_text("\n".join(lines) + "\n")
    temporary.replace(output)
    say(f"wrote {output}")


if __name__ == "__main__":
    main()
