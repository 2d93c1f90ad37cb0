#!/usr/bin/env python3
"""Checks for compose/, config/ and examples/offline/ that CI can run without a Docker engine.

  contract_checks.py <check>      exit 0 pass, 1 fail (reasons on stdout), 77 skipped

Reads MDP_SOURCE_DIR and MDP_BINARY_DIR (set by ctest); the built mdp-host is
$MDP_BINARY_DIR/bin/mdp-host. Checks (one ctest test each, see CMakeLists.txt):

  compose_services            postgres/api/syncer only, with the settings the docs promise
  compose_variables           every ${VAR} documented in compose/.env.example and back; the JWT
                              secret and the database password are required, never in the repo
  compose_host_variables      every MDP_* the compose file, .env.example or the Dockerfile sets
                              is one `mdp-host --help` lists
  dockerfile_packages         the build stage installs .ci/apt-packages.txt by reading it; the
                              runtime stage installs every package the binaries link against
                              and no development package
  dockerfile_build_inputs     the build stage copies every folder the CMake build reads
  entrypoint_arguments        ENTRYPOINT/CMD and the compose commands are options --help lists,
                              with values it allows, and the binary accepts them
  compose_roles_start         api and syncer start with the compose environment (SQLite in a
                              temporary folder instead of PostgreSQL, 127.0.0.1:0) and answer /health
  installed_layout_starts     cmake --install --component host gives a prefix whose mdp-host
                              finds its plugins and migrations by default and becomes ready
  offline_config_starts       mdp-host --config config/offline.properties against
                              mdp-fake-exchange --dir examples/offline syncs every exchange, and
                              the README's flow works: dev client -> token -> Binance perpetuals
                              -> January 2024 hourly BTC candles as CSV
  offline_recordings_current  examples/offline/generate.py reproduces the committed files
  config_reference_current    config/mdp.properties.example and docs/operations.md match --help
  docker_compose_config       `docker compose config` (v2, or Debian's docker-compose 1.29) accepts the file
                              (skipped when neither is installed)
"""

import base64
import contextlib
import http.client
import json
import os
import re
import secrets
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

SOURCE = os.environ.get("MDP_SOURCE_DIR") or os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BINARY = os.environ.get("MDP_BINARY_DIR", "")
COMPOSE_FILE = os.path.join(SOURCE, "compose", "docker-compose.yml")
ENV_EXAMPLE = os.path.join(SOURCE, "compose", ".env.example")
DOCKERFILE = os.path.join(SOURCE, "compose", "Dockerfile")
PACKAGES = os.path.join(SOURCE, ".ci", "apt-packages.txt")
SKIP = 77

failures = []


def fail(message):
    failures.append(message)


def check(condition, message):
    if not condition:
        fail(message)
    return condition


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def host_binary():
    path = os.path.join(BINARY, "bin", "mdp-host")
    if not BINARY or not os.access(path, os.X_OK):
        raise SystemExit("FAIL: no built mdp-host at %r (set MDP_BINARY_DIR; build target mdp-host)" % path)
    return path


def load_compose():
    try:
        import yaml
    except ImportError:
        raise SystemExit("FAIL: python3-yaml is missing (it is in .ci/apt-packages.txt: scripts/install-deps)")
    with open(COMPOSE_FILE, encoding="utf-8") as f:
        return yaml.safe_load(f)


# ---------------------------------------------------------------- compose interpolation

INTERPOLATION = re.compile(r"\$(?:\$|\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))")


def interpolations(text):
    """(name, operator, argument) of every ${...} in a compose file; $$ escapes are skipped."""
    found = []
    for match in INTERPOLATION.finditer(text):
        if match.group(0) == "$$":
            continue
        if match.group(4):
            found.append((match.group(4), "", ""))
        else:
            found.append((match.group(1), match.group(2) or "", match.group(3) or ""))
    return found


class MissingVariable(Exception):
    pass


def interpolate(value, env):
    """Compose's interpolation rules for one string: ${V}, ${V:-d}, ${V-d}, ${V:?e}, ${V?e}, $$."""
    def replace(match):
        if match.group(0) == "$$":
            return "$"
        name = match.group(1) or match.group(4)
        op, arg = match.group(2) or "", match.group(3) or ""
        present = name in env
        empty = not env.get(name)
        if op == ":-":
            return arg if empty else env[name]
        if op == "-":
            return env[name] if present else arg
        if op == ":?" and empty:
            raise MissingVariable("required variable %s is missing a value: %s" % (name, arg))
        if op == "?" and not present:
            raise MissingVariable("required variable %s is missing a value: %s" % (name, arg))
        return env.get(name, "")

    return INTERPOLATION.sub(replace, value)


def resolve(node, env):
    if isinstance(node, str):
        return interpolate(node, env)
    if isinstance(node, list):
        return [resolve(item, env) for item in node]
    if isinstance(node, dict):
        return {key: resolve(value, env) for key, value in node.items()}
    return node


def env_example():
    """Variables of compose/.env.example: NAME=value lines (comments and blanks skipped)."""
    values = {}
    for number, line in enumerate(read(ENV_EXAMPLE).splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        match = re.match(r"^([A-Za-z_][A-Za-z0-9_]*)=(.*)$", stripped)
        if not check(match is not None, ".env.example line %d is not NAME=value: %r" % (number, line)):
            continue
        values[match.group(1)] = match.group(2)
    return values


def service_environment(service):
    environment = service.get("environment") or {}
    if isinstance(environment, list):
        environment = dict(item.split("=", 1) if "=" in item else (item, "") for item in environment)
    return {str(key): "" if value is None else str(value) for key, value in environment.items()}


# ---------------------------------------------------------------- mdp-host --help

def host_help():
    return subprocess.run([host_binary(), "--help"], check=True, capture_output=True, text=True).stdout


def help_env_names(text):
    """Exact names and patterns (MDP_PLUGINS_<ID>_BASE_URL) of the environment variables --help lists."""
    exact, patterns = set(), []
    for name in re.findall(r"env (MDP_[A-Z0-9_<>]+)\)", text):
        if "<" in name:
            patterns.append(re.compile("^" + re.sub(r"<[A-Z]+>", "[A-Z0-9_]+", name) + "$"))
        else:
            exact.add(name)
    return exact, patterns


def help_options(text):
    """{long name: (short letter or None, takes an argument)} from the option lines of --help."""
    options = {}
    for line in text.splitlines():
        match = re.match(r"^(?:-([a-zA-Z])(\w+)?, )?--([a-z][a-z-]*)(?:=(\w+))?\s{2,}\S", line)
        if match:
            options[match.group(3)] = (match.group(1), match.group(4) is not None or match.group(2) is not None)
    return options


def role_values(text):
    match = re.search(r"--role=ROLE\s+(.*)", text)
    if not match:
        return set()
    return set(re.findall(r"\b(api|syncer|all)\b", match.group(1).split("(")[0]))


def check_arguments(args, options, roles, where):
    """Walks a host argument list the way Poco's option parser does; returns True when valid."""
    ok = True
    shorts = {short: name for name, (short, _) in options.items() if short}
    i = 0
    while i < len(args):
        arg = args[i]
        value = None
        if arg.startswith("--"):
            name, _, attached = arg[2:].partition("=")
            value = attached if "=" in arg else None
        elif arg.startswith("-") and len(arg) >= 2 and arg[1] in shorts:
            name = shorts[arg[1]]
            value = arg[2:] or None
        else:
            ok = check(False, "%s: %r is not an option mdp-host accepts (positional arguments are refused)" % (where, arg))
            i += 1
            continue
        if not check(name in options, "%s: --%s is not an option `mdp-host --help` lists" % (where, name)):
            ok = False
            i += 1
            continue
        takes_argument = options[name][1]
        if takes_argument and value is None:
            if not check(i + 1 < len(args), "%s: --%s needs a value" % (where, name)):
                return False
            i += 1
            value = args[i]
        if name == "role" and not check(value in roles, "%s: --role %r is not one of %s" % (where, value, sorted(roles))):
            ok = False
        i += 1
    return ok


# ---------------------------------------------------------------- Dockerfile

def dockerfile_stages():
    """[(base image, stage name, [(instruction, arguments)])], continuation lines joined."""
    stages = []
    logical = ""
    for line in read(DOCKERFILE).splitlines():
        if not logical and (not line.strip() or line.lstrip().startswith("#")):
            continue
        if line.rstrip().endswith("\\"):
            logical += line.rstrip()[:-1] + " "
            continue
        logical += line
        instruction, _, arguments = logical.strip().partition(" ")
        logical = ""
        instruction = instruction.upper()
        if instruction == "FROM":
            parts = arguments.split()
            name = parts[2] if len(parts) >= 3 and parts[1].upper() == "AS" else ""
            stages.append((parts[0], name, []))
        elif stages:
            stages[-1][2].append((instruction, arguments.strip()))
    return stages


def exec_form(arguments, where):
    try:
        value = json.loads(arguments)
    except ValueError:
        fail("%s must use the JSON (exec) form, got %r" % (where, arguments))
        return []
    if not (isinstance(value, list) and all(isinstance(item, str) for item in value)):
        fail("%s must be a JSON array of strings" % where)
        return []
    return value


def package_list():
    return [line.strip() for line in read(PACKAGES).splitlines() if line.strip() and not line.strip().startswith("#")]


def installed_packages(run_arguments):
    """Package names an `apt-get install` inside a RUN names literally."""
    names = []
    for command in re.split(r"&&|;|\|", run_arguments):
        words = shlex.split(command)
        if "apt-get" in words and "install" in words:
            names += [w for w in words[words.index("install") + 1:] if not w.startswith("-")]
    return names


# ---------------------------------------------------------------- processes

def start_host(args, env, cwd, binary=None):
    """Starts mdp-host; returns (process, port, output lines) once it logs where it listens. A
    thread keeps reading its output, so a chatty host never blocks on a full pipe."""
    process = subprocess.Popen([binary or host_binary()] + args, cwd=cwd, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    output = []
    for line in process.stdout:
        output.append(line)
        match = re.search(r"listening on http://127\.0\.0\.1:(\d+)", line)
        if match:
            reader = threading.Thread(target=lambda: output.extend(process.stdout), daemon=True)
            reader.start()
            process.reader = reader
            return process, int(match.group(1)), output
    process.wait()
    raise RuntimeError("mdp-host %s exited with %s before listening:\n%s" % (" ".join(args), process.returncode, "".join(output)))


def stop_host(process, output, where):
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=120)
    process.reader.join(timeout=60)
    check(process.returncode == 0, "%s: exit status %s after SIGTERM; output:\n%s" % (where, process.returncode, "".join(output)))


def request(port, method, path, body=None, headers=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        connection.close()


def get(port, path):
    return request(port, "GET", path)


def base_env():
    """The test's environment without MDP_* variables, so only what a check sets reaches the host."""
    return {key: value for key, value in os.environ.items() if not key.startswith("MDP_")}


# ---------------------------------------------------------------- checks

def compose_services():
    compose = load_compose()
    services = compose.get("services") or {}
    check(set(services) == {"postgres", "api", "syncer"},
          "services must be exactly postgres, api, syncer; got %s" % sorted(services))
    for name, service in services.items():
        check(service.get("restart") == "unless-stopped", "%s: restart must be unless-stopped" % name)

    postgres = services.get("postgres", {})
    check(str(postgres.get("image", "")).startswith("postgres:15"), "postgres: image must be the official postgres:15")
    volumes = [str(v) for v in postgres.get("volumes", [])]
    named = [v.split(":", 1)[0] for v in volumes if not v.startswith((".", "/", "~"))]
    check(any(v in (compose.get("volumes") or {}) for v in named),
          "postgres: its data must live in a named volume declared under volumes:")
    test = postgres.get("healthcheck", {}).get("test", [])
    check("pg_isready" in " ".join(test if isinstance(test, list) else [test]), "postgres: healthcheck must run pg_isready")

    for name, role in (("api", "api"), ("syncer", "syncer")):
        service = services.get(name, {})
        check(service.get("command") == ["--role", role], "%s: command must be [\"--role\", \"%s\"]" % (name, role))
        depends = service.get("depends_on") or {}
        check(isinstance(depends, dict) and depends.get("postgres", {}).get("condition") == "service_healthy",
              "%s: must depend on postgres with condition service_healthy" % name)
        check(service.get("build", {}).get("dockerfile") == "compose/Dockerfile",
              "%s: must build compose/Dockerfile" % name)
        environment = service_environment(service)
        check(environment.get("MDP_SERVER_HOST") == "0.0.0.0", "%s: MDP_SERVER_HOST must be 0.0.0.0" % name)
        check(environment.get("MDP_DATABASE_URL", "").startswith("postgresql://"),
              "%s: MDP_DATABASE_URL must point at the postgres service" % name)
        check("@postgres:5432/" in environment.get("MDP_DATABASE_URL", ""),
              "%s: MDP_DATABASE_URL must name the host postgres:5432" % name)
    ports = [str(p) for p in services.get("api", {}).get("ports", [])]
    check(any(p.endswith(":8080") for p in ports), "api: must publish container port 8080; got %s" % ports)


# Variables compose reads itself (from compose/.env), never interpolated in the file.
COMPOSE_OWN_VARIABLES = {"COMPOSE_PROJECT_NAME"}


def compose_variables():
    text = read(COMPOSE_FILE)
    used = {name for name, _, _ in interpolations(text)}
    documented = env_example()
    for name in sorted(used - set(documented)):
        fail("${%s} is used by docker-compose.yml but not documented in compose/.env.example" % name)
    for name in sorted(set(documented) - used - COMPOSE_OWN_VARIABLES):
        fail("compose/.env.example documents %s, which docker-compose.yml never uses" % name)
    check(documented.get("COMPOSE_PROJECT_NAME") == "mdp",
          "compose/.env.example must set COMPOSE_PROJECT_NAME=mdp (the project name, for v1 and v2 alike)")
    check(not re.search(r"^name:", text, re.M),
          "no top-level `name:` in docker-compose.yml: Debian's docker-compose 1.29 refuses it")
    check(not re.search(r"(?<!\$)\$[A-Za-z_]", text), "use ${VAR}, not $VAR, in docker-compose.yml")

    for name in ("MDP_JWT_SECRET", "POSTGRES_PASSWORD"):
        forms = [(op, arg) for var, op, arg in interpolations(text) if var == name]
        check(forms and all(op == ":?" and name in arg for op, arg in forms),
              "every use of %s must be ${%s:?<message naming it>} so compose stops with a clear message" % (name, name))
        check(documented.get(name, "x") == "", "compose/.env.example must leave %s empty (no secret in the repo)" % name)
    check("openssl rand" in " ".join(arg for var, _, arg in interpolations(text) if var == "MDP_JWT_SECRET"),
          "the MDP_JWT_SECRET message must say how to generate one (openssl rand -base64 48)")

    # The settings as compose resolves them from the example: refused while the secret is empty,
    # complete once it is set.
    compose = load_compose()
    try:
        resolve(compose, documented)
        fail("compose with the unedited .env.example must refuse to start (MDP_JWT_SECRET is empty)")
    except MissingVariable as error:
        check("MDP_JWT_SECRET" in str(error) or "POSTGRES_PASSWORD" in str(error), "unexpected: %s" % error)
    filled = dict(documented, MDP_JWT_SECRET=secrets.token_urlsafe(48), POSTGRES_PASSWORD=secrets.token_hex(24))
    resolved = resolve(compose, filled)
    api = service_environment(resolved["services"]["api"])
    check(api.get("MDP_JWT_SECRET") == filled["MDP_JWT_SECRET"], "api: MDP_JWT_SECRET must come from compose/.env")
    for name, service in resolved["services"].items():
        for key, value in service_environment(service).items():
            check(value != "", "%s: %s resolves to an empty value with the example settings" % (name, key))


def compose_host_variables():
    exact, patterns = help_env_names(host_help())
    check(len(exact) > 10, "could not read the environment variables from `mdp-host --help`")

    def known(name):
        return name in exact or any(p.match(name) for p in patterns)

    compose = load_compose()
    for service_name, service in (compose.get("services") or {}).items():
        for key in service_environment(service):
            if key.startswith("MDP_"):
                check(known(key), "compose service %s sets %s, which mdp-host does not read" % (service_name, key))
    for key in env_example():
        if key.startswith("MDP_"):
            check(known(key), "compose/.env.example has %s, which mdp-host does not read" % key)
    for _, _, instructions in dockerfile_stages()[-1:]:
        for instruction, arguments in instructions:
            if instruction == "ENV":
                for key in re.findall(r"(MDP_[A-Z0-9_]+)=", arguments):
                    check(known(key), "Dockerfile ENV sets %s, which mdp-host does not read" % key)


def dockerfile_packages():
    stages = dockerfile_stages()
    if not check(len(stages) >= 2, "Dockerfile must have a build and a runtime stage"):
        return
    for base, name, _ in stages:
        check(base.startswith("debian:bookworm"), "stage %s must be based on debian:bookworm, got %s" % (name, base))
    build = stages[0][2]
    runtime = stages[-1][2]

    # Build stage: COPY the list, install from it, name no package itself.
    copies = [args for instruction, args in build if instruction == "COPY" and ".ci/apt-packages.txt" in args.split()]
    if check(copies, "build stage must COPY .ci/apt-packages.txt"):
        destination = copies[0].split()[-1]
        installs = [args for instruction, args in build if instruction == "RUN" and "apt-get install" in args]
        check(any(destination in args for args in installs),
              "build stage must install the packages read from %s" % destination)
        literal = {p for args in installs for p in installed_packages(args)} & set(package_list())
        check(not literal, "build stage repeats packages of .ci/apt-packages.txt: %s (read the file instead)" % sorted(literal))
    check(".ci/apt-packages.txt" in read(os.path.join(SOURCE, ".ci", "run")), ".ci/run must install .ci/apt-packages.txt")
    check(".ci/apt-packages.txt" in read(os.path.join(SOURCE, "scripts", "install-deps")),
          "scripts/install-deps must install .ci/apt-packages.txt")

    # Runtime stage: every library the binaries need, nothing to build with.
    runtime_packages = set()
    for instruction, args in runtime:
        if instruction == "RUN":
            runtime_packages.update(installed_packages(args))
    for package in sorted(runtime_packages):
        check(not package.endswith("-dev") and package not in ("build-essential", "cmake", "ninja-build", "git"),
              "runtime stage installs the build package %s" % package)
    check("curl" in runtime_packages, "runtime stage needs curl for its HEALTHCHECK")
    check("ca-certificates" in runtime_packages, "runtime stage needs ca-certificates (the exchanges are HTTPS)")
    check(any(instruction == "HEALTHCHECK" and "/health" in args for instruction, args in runtime),
          "runtime stage must have a HEALTHCHECK on /health")
    users = [args for instruction, args in runtime if instruction == "USER"]
    check(users and users[-1] not in ("root", "0"), "runtime stage must run as a non-root USER")

    # The base image already has these (libc, the C++ runtime); everything else must be listed.
    base = {"libc6", "libgcc-s1", "libstdc++6", "zlib1g"}
    plugin_dir = os.path.join(BINARY, "plugins")
    binaries = [host_binary()] + [os.path.join(plugin_dir, f) for f in sorted(os.listdir(plugin_dir)) if f.endswith(".so")]
    needed = {}  # (binary name, soname) -> resolved path or None
    for binary in binaries:
        dynamic = subprocess.run(["readelf", "-d", binary], check=True, capture_output=True, text=True).stdout
        resolved = subprocess.run(["ldd", binary], capture_output=True, text=True).stdout
        for library in re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", dynamic):
            # "libx.so.1 => /path/libx.so.1 (0x…)", or for the dynamic loader "/lib64/ld-linux-x86-64.so.2 (0x…)".
            match = re.search(r"^\s*(?:%s => )?(/\S*%s) \(" % (re.escape(library), re.escape(library)), resolved, re.M)
            needed[(os.path.basename(binary), library)] = match.group(1) if match else None
    owners = package_owners({path for path in needed.values() if path})
    for (binary, library), path in sorted(needed.items()):
        package = owners.get(path) if path else None
        if package is None:
            fail("%s needs %s, which no installed Debian package provides" % (binary, library))
        elif package not in base and package not in runtime_packages:
            fail("%s needs %s from package %s, which the runtime stage does not install" % (binary, library, package))


def dockerfile_build_inputs():
    """The build stage copies every top-level folder the top-level CMakeLists.txt reads (tests,
    bench and fuzz are off in the image), so a new one cannot silently break `docker build`."""
    top = read(os.path.join(SOURCE, "CMakeLists.txt"))
    needed = set()
    for name in re.findall(r"(?:add_subdirectory|mdp_add_subdirectories_with_lists|include)\(\s*\"?([A-Za-z0-9_.-]+)", top):
        folder = name.split("/")[0]
        if os.path.isdir(os.path.join(SOURCE, folder)):
            needed.add(folder)
    for folder in re.findall(r"\$\{PROJECT_SOURCE_DIR\}/([A-Za-z0-9_.-]+)", top):
        needed.add(folder)
    # Folders the other build files reach through ${PROJECT_SOURCE_DIR} (schema/, …).
    for directory, _, files in os.walk(SOURCE):
        relative = os.path.relpath(directory, SOURCE)
        if relative.split(os.sep)[0] in ("build", ".git", "tests", "bench", "fuzz"):
            continue
        for name in files:
            if name == "CMakeLists.txt" or name.endswith(".cmake"):
                text = read(os.path.join(directory, name))
                needed.update(re.findall(r"\$\{PROJECT_SOURCE_DIR\}/([A-Za-z0-9_.-]+)", text))
    needed -= {"tests", "bench", "fuzz"}  # MDP_BUILD_TESTS/BENCH/FUZZ are off in the image
    copied = set()
    for instruction, args in dockerfile_stages()[0][2]:
        if instruction == "COPY" and not args.startswith("--from"):
            copied.update(part.rstrip("/").split("/")[0] for part in args.split()[:-1])
    check(copied, "the build stage copies no sources")
    for folder in sorted(needed - copied):
        fail("the build needs %s/, which the Dockerfile's build stage does not COPY" % folder)
    check("CMakePresets.json" in copied, "the build stage must COPY CMakePresets.json (cmake --preset release)")


def package_owners(paths):
    """{path: Debian package} for library paths, with one `dpkg -S` call. usrmerge: dpkg may
    know a file under /lib or /usr/lib, and by its symlink name or its real name."""
    candidates = {}
    for path in paths:
        for variant in {path, os.path.realpath(path)}:
            for name in (variant, variant[4:] if variant.startswith("/usr/") else "/usr" + variant):
                candidates.setdefault(name, set()).add(path)
    result = subprocess.run(["dpkg", "-S"] + sorted(candidates), capture_output=True, text=True)
    owners = {}
    for line in result.stdout.splitlines():
        packages, _, file = line.rpartition(": ")
        for path in candidates.get(file, ()):
            owners.setdefault(path, packages.split(",")[0].split(":")[0].strip())
    return owners


def entrypoint_arguments():
    text = host_help()
    options = help_options(text)
    roles = role_values(text)
    check({"config", "role", "dev", "help"} <= set(options), "could not read the options from `mdp-host --help`: %s" % options)
    check(roles == {"api", "syncer", "all"}, "could not read the roles from `mdp-host --help`: %s" % roles)

    runtime = dockerfile_stages()[-1][2]
    entrypoint = [exec_form(args, "ENTRYPOINT") for instruction, args in runtime if instruction == "ENTRYPOINT"]
    command = [exec_form(args, "CMD") for instruction, args in runtime if instruction == "CMD"]
    if not check(entrypoint and entrypoint[-1], "runtime stage must have an ENTRYPOINT"):
        return
    entrypoint = entrypoint[-1]
    build = " ".join(args for _, args in dockerfile_stages()[0][2])
    prefix = re.search(r"--prefix\s+(\S+)", build)
    check(prefix and entrypoint[0] == prefix.group(1) + "/bin/mdp-host",
          "ENTRYPOINT must start the installed mdp-host (<install prefix>/bin/mdp-host), got %r" % entrypoint[0])
    cases = [("ENTRYPOINT + CMD", entrypoint[1:] + (command[-1] if command else []))]
    for name, service in (load_compose().get("services") or {}).items():
        if "command" in service:
            cases.append(("compose %s command" % name, entrypoint[1:] + list(service["command"])))
    for where, args in cases:
        if check_arguments(args, options, roles, where):
            # Poco's own parser is the judge: an unknown option fails before --help is reached.
            result = subprocess.run([host_binary()] + args + ["--help"], capture_output=True, text=True)
            check(result.returncode == 0 and "Configuration keys" in result.stdout,
                  "%s: mdp-host %s --help failed (%s): %s" % (where, " ".join(args), result.returncode, result.stderr.strip()))


EXCHANGE_IDS = ("binance_futures", "hyperliquid", "coinbase")


@contextlib.contextmanager
def offline_exchange():
    """mdp-fake-exchange serving examples/offline on 127.0.0.1; yields its base URL. Tests point
    every plugin at it, so no test ever reaches a real exchange."""
    fake = os.path.join(BINARY, "bin", "mdp-fake-exchange")
    if not os.access(fake, os.X_OK):
        raise SystemExit("FAIL: no built mdp-fake-exchange at %s" % fake)
    exchange = subprocess.Popen([fake, "--dir", os.path.join(SOURCE, "examples", "offline"), "--port", "0"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        url = exchange.stdout.readline().strip()
        if not url.startswith("http://127.0.0.1:"):
            exchange.kill()
            raise SystemExit("FAIL: mdp-fake-exchange did not print its URL: %r %s" % (url, exchange.stderr.read()))
        yield url
    finally:
        if exchange.poll() is None:
            exchange.send_signal(signal.SIGTERM)
        exchange.communicate(timeout=60)


def plugins_at(url):
    return {"MDP_PLUGINS_%s_BASE_URL" % exchange.upper(): url for exchange in EXCHANGE_IDS}


def readiness(port):
    """(HTTP status, {check name: (ok, detail)}) of GET /ready."""
    status, body = get(port, "/ready")
    try:
        checks = {c["name"]: (c["ok"], c["detail"]) for c in json.loads(body).get("checks", [])}
    except (ValueError, KeyError, TypeError, AttributeError):
        checks = {}
    return status, checks, body


def check_started(port, where):
    """The start-up part of readiness: database, migrations and every plugin."""
    _, checks, body = readiness(port)
    for name, detail in (("database", None), ("migrations", None), ("plugins", "all loaded")):
        ok, actual = checks.get(name, (False, "missing"))
        check(ok and (detail is None or actual == detail), "%s: /ready check %s is %s (%s); body %s"
              % (where, name, ok, actual, body))


def wait_until_synced(process, port, where):
    """Polls /ready until every exchange has synced once (the scheduler syncs at start), or the
    host exits; the caller's check decides. Not a timing test: the bound only stops a hang."""
    for _ in range(600):
        status, checks, body = readiness(port)
        synced = [name for name, (ok, detail) in checks.items() if name.startswith("sync:") and detail != "never"]
        if len(synced) == len(EXCHANGE_IDS) or process.poll() is not None:
            break
        time.sleep(0.2)
    check(status == 200, "%s: GET /ready answered %s %s" % (where, status, body))
    check(len(synced) == len(EXCHANGE_IDS), "%s: not every exchange synced from the recordings: %s" % (where, body))


def compose_roles_start():
    compose = load_compose()
    settings = dict(env_example(), MDP_JWT_SECRET=secrets.token_urlsafe(48), POSTGRES_PASSWORD=secrets.token_hex(24))
    resolved = resolve(compose, settings)
    with offline_exchange() as url:
        for name in ("api", "syncer"):
            service = resolved["services"][name]
            with tempfile.TemporaryDirectory(prefix="mdp-compose-%s-" % name) as work:
                env = base_env()
                env.update(service_environment(service))
                # The container's network and database, replaced by loopback and SQLite; the
                # exchanges by the offline recordings.
                env.update(MDP_SERVER_HOST="127.0.0.1", MDP_SERVER_PORT="0",
                           MDP_DATABASE_URL="sqlite:" + os.path.join(work, "mdp.db"), **plugins_at(url))
                try:
                    process, port, output = start_host(list(service["command"]), env, work)
                except RuntimeError as error:
                    fail("%s: %s" % (name, error))
                    continue
                try:
                    status, body = get(port, "/health")
                    check(status == 200, "%s: GET /health answered %s %s" % (name, status, body))
                    check_started(port, name)
                    if name == "syncer":
                        wait_until_synced(process, port, name)
                finally:
                    stop_host(process, output, name)


def installed_layout_starts():
    """`cmake --install --component host` (what the image does) gives a prefix whose mdp-host finds
    its plugins (<prefix>/plugins) and migrations (<prefix>/share/mdp/schema) with no settings."""
    cmake = os.environ.get("MDP_CMAKE") or shutil.which("cmake")
    with tempfile.TemporaryDirectory(prefix="mdp-install-") as work:
        prefix = os.path.join(work, "prefix")
        result = subprocess.run([cmake, "--install", BINARY, "--prefix", prefix, "--component", "host"],
                                capture_output=True, text=True)
        if not check(result.returncode == 0, "cmake --install failed: %s" % (result.stdout + result.stderr).strip()):
            return
        for path in ("bin/mdp-host", "plugins/mdp-binance_futures.so", "plugins/mdp-hyperliquid.so",
                     "plugins/mdp-coinbase.so", "share/mdp/schema/postgresql", "share/mdp/schema/sqlite"):
            check(os.path.exists(os.path.join(prefix, path)), "the installed prefix lacks %s" % path)
        env = base_env()
        # Role api: no scheduler, so nothing is fetched from the real exchanges.
        env.update(MDP_SERVER_PORT="0", MDP_DATABASE_URL="sqlite:" + os.path.join(work, "mdp.db"),
                   MDP_JWT_SECRET=secrets.token_urlsafe(48))
        try:
            process, port, output = start_host(["--role", "api"], env, work, binary=os.path.join(prefix, "bin", "mdp-host"))
        except RuntimeError as error:
            fail(str(error))
            return
        try:
            check_started(port, "installed mdp-host")
        finally:
            stop_host(process, output, "installed mdp-host")


def offline_config_starts():
    config = read(os.path.join(SOURCE, "config", "offline.properties"))
    port_line = re.search(r"^# *fake-exchange-port *= *(\d+)\s*$", config, re.M)
    if check(port_line, "config/offline.properties must say `# fake-exchange-port = N` (scripts/run reads it)"):
        for exchange in EXCHANGE_IDS:
            check(re.search(r"^plugins\.%s\.base_url = http://127\.0\.0\.1:%s$" % (exchange, port_line.group(1)), config, re.M),
                  "config/offline.properties: plugins.%s.base_url must be http://127.0.0.1:%s" % (exchange, port_line.group(1)))
    with offline_exchange() as url, tempfile.TemporaryDirectory(prefix="mdp-offline-") as work:
        env = base_env()
        # The file's settings, with the fake's actual port and a private database.
        env.update(MDP_SERVER_PORT="0", MDP_DATABASE_URL="sqlite:" + os.path.join(work, "offline.db"), **plugins_at(url))
        try:
            process, port, output = start_host(["--config", os.path.join(SOURCE, "config", "offline.properties")], env, work)
        except RuntimeError as error:
            fail(str(error))
            return
        try:
            check_started(port, "offline host")
            wait_until_synced(process, port, "offline host")
            readme_flow(port, "".join(output))
        finally:
            stop_host(process, output, "offline host")


def readme_flow(port, output):
    """The README's offline flow: the --dev client printed at first start gets a token, lists the
    Binance perpetuals and downloads January 2024's hourly BTC candles as CSV."""
    client_id = re.search(r"client_id:\s+(\S+)", output)
    client_secret = re.search(r"client_secret:\s+(\S+)", output)
    if not check(client_id and client_secret, "--dev did not print a client id and secret:\n" + output):
        return
    credentials = base64.b64encode(("%s:%s" % (client_id.group(1), client_secret.group(1))).encode()).decode()
    status, body = request(port, "POST", "/v1/auth/token", "grant_type=client_credentials",
                           {"Authorization": "Basic " + credentials,
                            "Content-Type": "application/x-www-form-urlencoded"})
    if not check(status == 200, "POST /v1/auth/token answered %s %s" % (status, body)):
        return
    bearer = {"Authorization": "Bearer " + json.loads(body)["access_token"]}

    status, body = request(port, "GET", "/v1/symbols?exchange=binance_futures&type=perpetual", headers=bearer)
    if check(status == 200, "GET /v1/symbols answered %s %s" % (status, body)):
        symbols = sorted(s["symbol"] for s in json.loads(body)["symbols"])
        check(symbols == ["1000PEPE/USDT:USDT", "BTC/USDT:USDT", "ETH/USDT:USDT", "SOL/USDT:USDT", "SRM/USDT:USDT"],
              "Binance perpetuals from the recordings: %s" % symbols)

    status, body = request(port, "GET", "/v1/candles?exchange=binance_futures&symbol=BTC/USDT:USDT&interval=1h"
                                         "&start=2024-01-01&end=2024-02-01&format=csv", headers=bearer)
    if check(status == 200, "GET /v1/candles (CSV) answered %s %s" % (status, body[:300])):
        rows = body.strip().splitlines()
        check(len(rows) == 1 + 744, "a month of hourly candles is 744 rows plus a header, got %d" % len(rows))
        check(rows[1].startswith("1704067200000,1704070799999,42283.5,"), "first CSV row: %r" % rows[1])


def offline_recordings_current():
    folder = os.path.join(SOURCE, "examples", "offline")
    with tempfile.TemporaryDirectory(prefix="mdp-offline-gen-") as out:
        subprocess.run([sys.executable, os.path.join(folder, "generate.py"), "--out", out], check=True,
                       capture_output=True)
        generated = {os.path.relpath(os.path.join(d, f), out) for d, _, files in os.walk(out) for f in files}
        committed = {os.path.relpath(os.path.join(d, f), folder) for d, _, files in os.walk(folder) for f in files
                     if f not in ("generate.py", "README.md") and "__pycache__" not in d}
        for name in sorted(generated ^ committed):
            fail("examples/offline/%s: %s" % (name, "not committed" if name in generated else "not produced by generate.py"))
        for name in sorted(generated & committed):
            check(read(os.path.join(out, name)) == read(os.path.join(folder, name)),
                  "examples/offline/%s differs from what generate.py writes: rerun it and commit" % name)


def config_reference_current():
    result = subprocess.run([sys.executable, os.path.join(SOURCE, "config", "generate-reference.py"),
                             "--host", host_binary(), "--check"], capture_output=True, text=True)
    check(result.returncode == 0, (result.stdout + result.stderr).strip())


def compose_command():
    """`docker compose` (v2) when present, else Debian's `docker-compose` (1.29), else None."""
    docker = shutil.which("docker")
    if docker and subprocess.run([docker, "compose", "version"], capture_output=True).returncode == 0:
        return [docker, "compose"]
    legacy = shutil.which("docker-compose")
    return [legacy] if legacy else None


def docker_compose_config():
    compose = compose_command()
    if compose is None:
        print("SKIP: neither docker compose nor docker-compose is installed")
        return SKIP
    with tempfile.TemporaryDirectory(prefix="mdp-compose-") as work:
        env_file = os.path.join(work, "env")
        settings = dict(env_example(), MDP_JWT_SECRET=secrets.token_urlsafe(48), POSTGRES_PASSWORD=secrets.token_hex(24))
        with open(env_file, "w", encoding="utf-8") as f:
            f.writelines("%s=%s\n" % item for item in settings.items())
        command = compose + ["-f", COMPOSE_FILE, "--env-file", env_file, "config", "--quiet"]
        result = subprocess.run(command, capture_output=True, text=True, env=base_env())
        check(result.returncode == 0, "docker compose config: %s" % result.stderr.strip())
        with open(env_file, "w", encoding="utf-8") as f:
            f.writelines("%s=%s\n" % item for item in dict(settings, MDP_JWT_SECRET="").items())
        result = subprocess.run(command, capture_output=True, text=True, env=base_env())
        check(result.returncode != 0 and "set MDP_JWT_SECRET in compose/.env" in result.stderr,
              "docker compose config must refuse an empty MDP_JWT_SECRET with its message, got: %s" % result.stderr.strip())


CHECKS = {f.__name__: f for f in (compose_services, compose_variables, compose_host_variables, dockerfile_packages,
                                  dockerfile_build_inputs,
                                  entrypoint_arguments, compose_roles_start, offline_config_starts, installed_layout_starts,
                                  offline_recordings_current, config_reference_current, docker_compose_config)}


def main():
    if len(sys.argv) != 2 or sys.argv[1] not in CHECKS:
        print("usage: contract_checks.py <%s>" % "|".join(CHECKS))
        return 2
    outcome = CHECKS[sys.argv[1]]()
    if outcome == SKIP:
        return SKIP
    for message in failures:
        print("FAIL: " + message)
    if not failures:
        print("OK " + sys.argv[1])
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
