#!/usr/bin/env bash
# A real single-node Elasticsearch for development and CI, built from Maven Central only.
#
#   scripts/elasticsearch_node.sh start    build if needed, start, wait for yellow, print the version
#   scripts/elasticsearch_node.sh stop     stop it and delete its data
#   scripts/elasticsearch_node.sh status   exit 0 and print the version if it runs, else exit 3
#   scripts/elasticsearch_node.sh build    only build search/elasticsearch-node (mvn package)
#
# The node is Elastic's integ-test-zip distribution plus our hub-analysis plugin
# (search/elasticsearch-node/pom.xml says why). It listens on 127.0.0.1 only,
# without security, and keeps everything it writes (config copy, data, logs) in a
# throwaway folder. Elasticsearch refuses to run as root: as root, the JVM runs as
# the system user $ES_USER, created on first use.
#
# Settings (environment): ES_PORT (9200), ES_HEAP (512m), ES_RUN_DIR
# (/tmp/hub-elasticsearch-$ES_PORT), ES_USER (hub-es), ES_JAVA_HOME (a JDK 17+;
# default: Java 17 if installed, else the `java` on PATH), ES_START_TIMEOUT (120 s).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PROJECT="$ROOT/search/elasticsearch-node"
ES_VERSION="$(sed -n 's:.*<elasticsearch.version>\(.*\)</elasticsearch.version>.*:\1:p' "$PROJECT/pom.xml")"
DIST="$PROJECT/target/elasticsearch-$ES_VERSION"
PORT="${ES_PORT:-9200}"
HEAP="${ES_HEAP:-512m}"
RUN_DIR="${ES_RUN_DIR:-${TMPDIR:-/tmp}/hub-elasticsearch-$PORT}"
PID_FILE="$RUN_DIR/elasticsearch.pid"
ES_USER="${ES_USER:-hub-es}"
URL="http://127.0.0.1:$PORT"
START_TIMEOUT="${ES_START_TIMEOUT:-120}"

say() { echo "elasticsearch: $*" >&2; }

java_home() {
	if [ -n "${ES_JAVA_HOME:-}" ]; then
		echo "$ES_JAVA_HOME"
	elif [ -x /usr/lib/jvm/java-17-openjdk-amd64/bin/java ]; then
		echo /usr/lib/jvm/java-17-openjdk-amd64
	elif [ -n "${JAVA_HOME:-}" ]; then
		echo "$JAVA_HOME"
	else
		dirname "$(dirname "$(readlink -f "$(command -v java)")")"
	fi
}

build() {
	local jar="$DIST/plugins/hub-analysis/hub-analysis.jar"
	if [ -f "$jar" ] && [ -z "$(find "$PROJECT/pom.xml" "$PROJECT/src" -newer "$jar" -print -quit)" ]; then
		return 0
	fi
	command -v mvn >/dev/null || { say "mvn is needed to build $PROJECT (apt-get install maven)"; exit 1; }
	say "building $PROJECT (Elasticsearch $ES_VERSION)"
	# Offline first: with a warm ~/.m2 this needs no network at all.
	(cd "$PROJECT" && export JAVA_HOME="$(java_home)" && { mvn -q -B -Dstyle.color=never -o package >/dev/null 2>&1 || mvn -q -B -Dstyle.color=never package; })
}

pid() {
	[ -f "$PID_FILE" ] || return 1
	local pid
	pid="$(cat "$PID_FILE")"
	[ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && echo "$pid"
}

version() {
	curl -fsS --max-time 5 "$URL/" | sed -n 's/.*"number" *: *"\([^"]*\)".*/\1/p' | head -1
}

write_config() {
	rm -rf "$RUN_DIR"
	mkdir -p "$RUN_DIR"/{config,data,logs,tmp}
	cp -r "$DIST/config/." "$RUN_DIR/config/"
	cat >"$RUN_DIR/config/elasticsearch.yml" <<-YAML
		cluster.name: hub-test
		node.name: hub-test-node
		path.data: $RUN_DIR/data
		path.logs: $RUN_DIR/logs
		network.host: 127.0.0.1
		http.port: $PORT
		transport.port: $((PORT + 100))
		discovery.type: single-node
		# Local and throwaway: no TLS, no users.
		xpack.security.enabled: false
		# Small CI disks must not turn the index read-only.
		cluster.routing.allocation.disk.threshold_enabled: false
	YAML
	printf -- '-Xms%s\n-Xmx%s\n' "$HEAP" "$HEAP" >"$RUN_DIR/config/jvm.options.d/heap.options"
	# The stock options write GC logs and crash files to the working directory.
	sed -i -e "s#file=gc.log#file=$RUN_DIR/logs/gc.log#" -e "s#ErrorFile=hs_err#ErrorFile=$RUN_DIR/logs/hs_err#" \
		-e "s#^-XX:+HeapDumpOnOutOfMemoryError#-XX:-HeapDumpOnOutOfMemoryError#" "$RUN_DIR/config/jvm.options"
}

as_node_user() {
	if [ "$(id -u)" -ne 0 ]; then
		"$@"
		return
	fi
	chown -R "$ES_USER:$ES_USER" "$RUN_DIR"
	setpriv --reuid="$ES_USER" --regid="$ES_USER" --init-groups "$@"
}

start() {
	if running="$(pid)"; then
		say "already running (pid $running) at $URL, version $(version)"
		return 0
	fi
	if curl -fsS --max-time 2 "$URL/" >/dev/null 2>&1; then
		say "something else already answers at $URL: not starting"
		exit 1
	fi
	build
	write_config
	if [ "$(id -u)" -eq 0 ] && ! id -u "$ES_USER" >/dev/null 2>&1; then
		say "creating system user $ES_USER (Elasticsearch refuses to run as root)"
		useradd --system --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$ES_USER"
	fi
	local home="$DIST" began ended
	if [ "$(id -u)" -eq 0 ] && ! setpriv --reuid="$ES_USER" --regid="$ES_USER" --init-groups test -x "$home/bin/elasticsearch"; then
		# A checkout under a private home folder (/root): the node user cannot reach it.
		home="$RUN_DIR/elasticsearch-$ES_VERSION"
		cp -a "$DIST" "$home"
	fi
	began="$(date +%s.%N)"
	say "starting Elasticsearch $ES_VERSION at $URL (heap $HEAP, data in $RUN_DIR)"
	if ! (cd "$RUN_DIR" && as_node_user env HOME="$RUN_DIR" ES_JAVA_HOME="$(java_home)" ES_PATH_CONF="$RUN_DIR/config" \
		ES_TMPDIR="$RUN_DIR/tmp" ES_JAVA_OPTS="${ES_JAVA_OPTS:-}" "$home/bin/elasticsearch" -d -p "$PID_FILE" \
		>"$RUN_DIR/logs/startup.out" 2>&1); then
		say "failed to start; the last lines of its logs:"
		tail -n 40 "$RUN_DIR/logs/startup.out" "$RUN_DIR/logs/hub-test.log" >&2 2>/dev/null || true
		exit 1
	fi
	if ! curl -fsS --max-time "$START_TIMEOUT" "$URL/_cluster/health?wait_for_status=yellow&timeout=${START_TIMEOUT}s" >/dev/null; then
		say "did not reach yellow within ${START_TIMEOUT}s; the last lines of its log:"
		tail -n 40 "$RUN_DIR/logs/hub-test.log" >&2 || true
		stop
		exit 1
	fi
	ended="$(date +%s.%N)"
	local node_pid rss
	node_pid="$(pid)"
	rss="$(awk '/VmRSS/ {printf "%d MB", $2 / 1024}' "/proc/$node_pid/status" 2>/dev/null || echo '?')"
	say "Elasticsearch $(version) is up at $URL (pid $node_pid, started in $(awk "BEGIN {printf \"%.1f\", $ended - $began}") s, RSS $rss)"
}

stop() {
	local node_pid
	if node_pid="$(pid)"; then
		kill -TERM "$node_pid"
		for _ in $(seq 1 60); do
			kill -0 "$node_pid" 2>/dev/null || break
			sleep 0.5
		done
		if kill -0 "$node_pid" 2>/dev/null; then
			say "pid $node_pid ignored SIGTERM for 30 s: killing it"
			kill -KILL "$node_pid"
		fi
		say "stopped (pid $node_pid)"
	else
		say "not running"
	fi
	rm -rf "$RUN_DIR"
}

status() {
	local node_pid
	if node_pid="$(pid)"; then
		echo "elasticsearch $(version) running at $URL (pid $node_pid)"
	else
		echo "elasticsearch not running at $URL"
		exit 3
	fi
}

case "${1:-}" in
start) start ;;
stop) stop ;;
status) status ;;
build) build ;;
*)
	echo "usage: $0 start|stop|status|build" >&2
	exit 2
	;;
esac
